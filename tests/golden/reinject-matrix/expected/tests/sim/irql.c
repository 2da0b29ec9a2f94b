//
// irql.c - IRQL and spin locks of the one simulated processor.
//
// Reproduced rules (Microsoft Learn: "Managing Hardware Priorities",
// KeAcquireInStackQueuedSpinLock, KeDelayExecutionThread):
// - acquiring a spin lock raises the IRQL to DISPATCH_LEVEL, releasing it
//   restores the IRQL saved at acquisition;
// - acquiring a spin lock this processor already holds deadlocks;
// - a function documented for PASSIVE_LEVEL (every Fwpm* call, callout
//   registration, KeDelayExecutionThread, KMDF object creation) must not be
//   called at DISPATCH_LEVEL, so never while a spin lock is held;
// - a callback returns at the IRQL it was called at, holding no lock;
// - classifyFn, notifyFn and flowDeleteFn run at up to DISPATCH_LEVEL (the
//   IRQL line of FWPS_CALLOUT_CLASSIFY_FN0..3, FWPS_CALLOUT_NOTIFY_FN0..3 and
//   FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0): the simulation calls them all at
//   DISPATCH_LEVEL, where paged memory must not be touched;
// - PAGED_CODE() above APC_LEVEL asserts ("PAGED_CODE macro": the function is
//   pageable, and a page fault at DISPATCH_LEVEL is bug check 0xA,
//   IRQL_NOT_LESS_OR_EQUAL, which Driver Verifier's IRQL checking forces by
//   trimming pageable memory whenever the IRQL is raised).
//

#include "sim_internal.h"

#define SIM_LOCK_HELD ((KSPIN_LOCK)0x5A5A)

static KIRQL SimIrql = PASSIVE_LEVEL;
static ULONG SimLocksHeld;

static const char* SimIrqlName(KIRQL irql)
{
    switch (irql) {
    case PASSIVE_LEVEL: return "PASSIVE_LEVEL";
    case APC_LEVEL: return "APC_LEVEL";
    case DISPATCH_LEVEL: return "DISPATCH_LEVEL";
    default: return "an IRQL above DISPATCH_LEVEL";
    }
}

void SimIrqlReset(void)
{
    SimIrql = PASSIVE_LEVEL;
    SimLocksHeld = 0;
}

KIRQL KeGetCurrentIrql(void)
{
    return SimIrql;
}

void SimRequireIrql(KIRQL maximum, const char* api)
{
    if (SimIrql > maximum) {
        SimBugCheck("IRQL_NOT_LESS_OR_EQUAL: %s called at %s (%lu spin lock(s) held); it requires %s or lower",
                    api, SimIrqlName(SimIrql), (unsigned long)SimLocksHeld, SimIrqlName(maximum));
    }
}

KIRQL SimRaiseIrql(KIRQL irql)
{
    KIRQL old = SimIrql;

    if (irql < SimIrql) {
        SimBugCheck("IRQL_NOT_GREATER_OR_EQUAL: raising from %s to %s", SimIrqlName(SimIrql), SimIrqlName(irql));
    }
    if (SimIrql < DISPATCH_LEVEL && irql >= DISPATCH_LEVEL) {
        SimPoolPageOut(TRUE);
    }
    SimIrql = irql;
    return old;
}

void SimLowerIrql(KIRQL irql)
{
    if (SimIrql >= DISPATCH_LEVEL && irql < DISPATCH_LEVEL) {
        SimPoolPageOut(FALSE);
    }
    SimIrql = irql;
}

void SimPagedCode(const char* function)
{
    if (SimIrql > APC_LEVEL) {
        SimBugCheck("IRQL_NOT_LESS_OR_EQUAL: PAGED_CODE() in %s at %s (%lu spin lock(s) held): pageable code "
                    "must not run above APC_LEVEL",
                    function, SimIrqlName(SimIrql), (unsigned long)SimLocksHeld);
    }
}

ULONG SimSpinLocksHeld(void)
{
    return SimLocksHeld;
}

//
// After the driver's DriverEntry, unload, classifyFn, notifyFn or
// flowDeleteFn returns.
//
void SimCheckDriverReturn(KIRQL irql, ULONG locks, const char* function)
{
    if (SimLocksHeld != locks) {
        SimBugCheck("SPIN_LOCK_ALREADY_OWNED: %s returned holding %lu spin lock(s) more than on entry",
                    function, (unsigned long)(SimLocksHeld - locks));
    }
    if (SimIrql != irql) {
        SimBugCheck("IRQL_UNEXPECTED_VALUE: %s returned at %s, was called at %s", function,
                    SimIrqlName(SimIrql), SimIrqlName(irql));
    }
}

void KeInitializeSpinLock(KSPIN_LOCK* spinLock)
{
    *spinLock = 0;
}

static void SimLockAcquire(KSPIN_LOCK* spinLock, KIRQL* oldIrql, const char* api)
{
    SimRequireIrql(DISPATCH_LEVEL, api);
    if (*spinLock == SIM_LOCK_HELD) {
        SimBugCheck("SPIN_LOCK_ALREADY_OWNED: %s on a spin lock this processor already holds (deadlock)", api);
    }
    if (*spinLock != 0) {
        SimBugCheck("SPIN_LOCK_INIT_FAILURE: %s on a spin lock that KeInitializeSpinLock never initialized", api);
    }
    *spinLock = SIM_LOCK_HELD;
    SimLocksHeld++;
    *oldIrql = SimRaiseIrql(DISPATCH_LEVEL);
}

static void SimLockRelease(KSPIN_LOCK* spinLock, KIRQL newIrql, const char* api)
{
    if (*spinLock != SIM_LOCK_HELD) {
        SimBugCheck("SPIN_LOCK_NOT_OWNED: %s on a spin lock that is not held", api);
    }
    if (SimIrql != DISPATCH_LEVEL) {
        SimBugCheck("IRQL_NOT_DISPATCH_LEVEL: %s at %s", api, SimIrqlName(SimIrql));
    }
    *spinLock = 0;
    SimLocksHeld--;
    SimLowerIrql(newIrql);
}

void KeAcquireInStackQueuedSpinLock(KSPIN_LOCK* spinLock, KLOCK_QUEUE_HANDLE* lockHandle)
{
    lockHandle->LockQueue.Lock = spinLock;
    SimLockAcquire(spinLock, &lockHandle->OldIrql, "KeAcquireInStackQueuedSpinLock");
}

void KeReleaseInStackQueuedSpinLock(KLOCK_QUEUE_HANDLE* lockHandle)
{
    SimLockRelease(lockHandle->LockQueue.Lock, lockHandle->OldIrql, "KeReleaseInStackQueuedSpinLock");
}

// KeAcquireSpinLock is a macro over this function on x64 (wdm.h).
KIRQL KeAcquireSpinLockRaiseToDpc(KSPIN_LOCK* spinLock)
{
    KIRQL oldIrql;

    SimLockAcquire(spinLock, &oldIrql, "KeAcquireSpinLock");
    return oldIrql;
}

void KeReleaseSpinLock(KSPIN_LOCK* spinLock, KIRQL newIrql)
{
    SimLockRelease(spinLock, newIrql, "KeReleaseSpinLock");
}

//
// One processor and no other threads: waiting only checks the IRQL.
//
NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE waitMode, BOOLEAN alertable, LARGE_INTEGER* interval)
{
    UNREFERENCED_PARAMETER(waitMode);
    UNREFERENCED_PARAMETER(alertable);
    UNREFERENCED_PARAMETER(interval);

    SimRequireIrql(APC_LEVEL, "KeDelayExecutionThread");
    return STATUS_SUCCESS;
}

//
// One processor: the interlocked operations are plain ones here (wdm.h's
// InterlockedIncrement64, InterlockedCompareExchange64, InterlockedExchange).
//
LONG64 InterlockedIncrement64(LONG64 volatile* addend)
{
    return ++*addend;
}

LONG64 InterlockedCompareExchange64(LONG64 volatile* destination, LONG64 exchange, LONG64 comperand)
{
    LONG64 old = *destination;

    if (old == comperand) {
        *destination = exchange;
    }
    return old;
}

LONG InterlockedExchange(LONG volatile* target, LONG value)
{
    LONG old = *target;

    *target = value;
    return old;
}
