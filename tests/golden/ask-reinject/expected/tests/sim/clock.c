//
// clock.c - a virtual clock and the kernel timers and DPCs that run on it.
// Time moves only when a test calls SimClockAdvance, so a timeout of seconds
// costs no real time.
//
// Reproduced rules (Microsoft Learn: KeInitializeTimer, KeSetTimer,
// KeSetTimerEx, KeCancelTimer, KeInitializeDpc, KeFlushQueuedDpcs,
// KDEFERRED_ROUTINE, KeQueryInterruptTime, KeQuerySystemTime, "Timer
// Objects and DPCs", Bug Check 0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS):
// - a timer is initialized (KeInitializeTimer) before KeSetTimer, and a DPC
//   (KeInitializeDpc) before a timer names it;
// - a negative DueTime is relative, a positive one an absolute system time,
//   both in 100-nanosecond units; KeSetTimer on a set timer replaces its due
//   time and returns TRUE; KeCancelTimer returns whether it was set (what
//   the simulation does, not rules it checks);
// - when a timer expires its DPC runs at DISPATCH_LEVEL (a periodic timer is
//   set again), and must return at DISPATCH_LEVEL holding no spin lock;
// - KeFlushQueuedDpcs is called at up to APC_LEVEL;
// - a timer still set when the driver has unloaded would run its DPC in
//   unloaded code (bug check 0xCE).
// Timers expire in due order; two due at the same time in the order they
// were set.
//

#include "sim_internal.h"

#define SIM_TIMERS 16
#define SIM_DPCS 16

// The clock starts at an hour of uptime: code that subtracts from "now"
// gets no negative surprises.
#define SIM_CLOCK_START (3600ULL * 10000000ULL)
// The system time at boot: 2026-01-01, in 100-nanosecond units since 1601.
#define SIM_SYSTEM_TIME_AT_BOOT 134116992000000000ULL

typedef struct SIM_DPC_ENTRY {
    PKDPC dpc;
    PKDEFERRED_ROUTINE routine;
    PVOID context;
} SIM_DPC_ENTRY;

typedef struct SIM_TIMER_ENTRY {
    PKTIMER timer;
    BOOLEAN set;
    ULONGLONG due;      // interrupt time
    LONG period;        // milliseconds, 0 for a one-shot timer
    PKDPC dpc;
    ULONGLONG order;    // when it was set, for ties
} SIM_TIMER_ENTRY;

static ULONGLONG SimNow;
static ULONGLONG SimSetCount;
static SIM_TIMER_ENTRY SimTimers[SIM_TIMERS];
static SIM_DPC_ENTRY SimDpcs[SIM_DPCS];

void SimClockReset(void)
{
    SimNow = SIM_CLOCK_START;
    SimSetCount = 0;
    RtlZeroMemory(SimTimers, sizeof(SimTimers));
    RtlZeroMemory(SimDpcs, sizeof(SimDpcs));
}

LONGLONG SimClockNow100ns(void)
{
    return (LONGLONG)SimNow;
}

ULONGLONG KeQueryInterruptTime(VOID)
{
    return SimNow;
}

VOID KeQuerySystemTime(PLARGE_INTEGER currentTime)
{
    currentTime->QuadPart = (LONGLONG)(SIM_SYSTEM_TIME_AT_BOOT + SimNow);
}

static SIM_TIMER_ENTRY* SimTimerFind(PKTIMER timer)
{
    for (ULONG i = 0; i < SIM_TIMERS; i++) {
        if (SimTimers[i].timer == timer) {
            return &SimTimers[i];
        }
    }
    return NULL;
}

static SIM_DPC_ENTRY* SimDpcFind(PKDPC dpc)
{
    for (ULONG i = 0; i < SIM_DPCS; i++) {
        if (SimDpcs[i].dpc == dpc) {
            return &SimDpcs[i];
        }
    }
    return NULL;
}

//
// The timer, which KeInitializeTimer must have initialized.
//
static SIM_TIMER_ENTRY* SimTimerInitialized(PKTIMER timer, const char* api)
{
    SIM_TIMER_ENTRY* entry = SimTimerFind(timer);

    if (entry == NULL) {
        SimBugCheck("%s on a timer that KeInitializeTimer never initialized", api);
    }
    return entry;
}

VOID KeInitializeDpc(PRKDPC dpc, PKDEFERRED_ROUTINE routine, PVOID context)
{
    SIM_DPC_ENTRY* entry = SimDpcFind(dpc);

    if (entry == NULL) {
        entry = SimDpcFind(NULL);
    }
    if (entry == NULL) {
        SimBugCheck("the simulation itself: more than %d DPC objects", SIM_DPCS);
    }
    entry->dpc = dpc;
    entry->routine = routine;
    entry->context = context;
}

VOID KeFlushQueuedDpcs(VOID)
{
    // The simulation runs a DPC the moment its timer expires, so none is
    // ever queued here; the IRQL rule still holds.
    SimRequireIrql(APC_LEVEL, "KeFlushQueuedDpcs");
}

VOID KeInitializeTimer(PKTIMER timer)
{
    SIM_TIMER_ENTRY* entry = SimTimerFind(timer);

    SimRequireIrql(DISPATCH_LEVEL, "KeInitializeTimer");
    if (entry == NULL) {
        entry = SimTimerFind(NULL);
    }
    if (entry == NULL) {
        SimBugCheck("the simulation itself: more than %d timers", SIM_TIMERS);
    }
    RtlZeroMemory(entry, sizeof(*entry));
    entry->timer = timer;
}

BOOLEAN KeSetTimerEx(PKTIMER timer, LARGE_INTEGER dueTime, LONG period, PKDPC dpc)
{
    SIM_TIMER_ENTRY* entry;
    BOOLEAN wasSet;

    SimRequireIrql(DISPATCH_LEVEL, "KeSetTimer");
    entry = SimTimerInitialized(timer, "KeSetTimer");
    if (dpc != NULL && SimDpcFind(dpc) == NULL) {
        SimBugCheck("KeSetTimer with a DPC that KeInitializeDpc never initialized");
    }
    wasSet = entry->set;
    entry->set = TRUE;
    entry->period = period;
    entry->dpc = dpc;
    entry->order = ++SimSetCount;
    if (dueTime.QuadPart < 0) {
        entry->due = SimNow + (ULONGLONG)(-dueTime.QuadPart);
    } else {
        LARGE_INTEGER systemNow;

        KeQuerySystemTime(&systemNow);
        entry->due = (dueTime.QuadPart > systemNow.QuadPart)
                         ? SimNow + (ULONGLONG)(dueTime.QuadPart - systemNow.QuadPart)
                         : SimNow;
    }
    return wasSet;
}

BOOLEAN KeSetTimer(PKTIMER timer, LARGE_INTEGER dueTime, PKDPC dpc)
{
    return KeSetTimerEx(timer, dueTime, 0, dpc);
}

BOOLEAN KeCancelTimer(PKTIMER timer)
{
    SIM_TIMER_ENTRY* entry;
    BOOLEAN wasSet;

    SimRequireIrql(DISPATCH_LEVEL, "KeCancelTimer");
    entry = SimTimerInitialized(timer, "KeCancelTimer");
    wasSet = entry->set;
    entry->set = FALSE;
    return wasSet;
}

static SIM_TIMER_ENTRY* SimNextExpiring(ULONGLONG until)
{
    SIM_TIMER_ENTRY* next = NULL;

    for (ULONG i = 0; i < SIM_TIMERS; i++) {
        SIM_TIMER_ENTRY* entry = &SimTimers[i];

        if (!entry->set || entry->due > until) {
            continue;
        }
        if (next == NULL || entry->due < next->due || (entry->due == next->due && entry->order < next->order)) {
            next = entry;
        }
    }
    return next;
}

static void SimRunDpc(PKDPC dpc)
{
    SIM_DPC_ENTRY* entry = SimDpcFind(dpc);
    ULONG locks = SimSpinLocksHeld();
    KIRQL irql;

    if (entry == NULL) {
        SimBugCheck("the simulation itself: a timer names an unknown DPC");
    }
    irql = SimRaiseIrql(DISPATCH_LEVEL);
    entry->routine(dpc, entry->context, NULL, NULL);
    SimCheckDriverReturn(DISPATCH_LEVEL, locks, "a DPC routine (KDEFERRED_ROUTINE)");
    SimLowerIrql(irql);
}

void SimClockAdvance(ULONG milliseconds)
{
    ULONGLONG until = SimNow + (ULONGLONG)milliseconds * 10000ULL;
    SIM_TIMER_ENTRY* entry;

    if (KeGetCurrentIrql() != PASSIVE_LEVEL || SimSpinLocksHeld() != 0) {
        SimBugCheck("the simulation itself: SimClockAdvance inside the driver");
    }
    while ((entry = SimNextExpiring(until)) != NULL) {
        SimNow = entry->due;
        if (entry->period != 0) {
            entry->due += (ULONGLONG)entry->period * 10000ULL;
            entry->order = ++SimSetCount;
        } else {
            entry->set = FALSE;
        }
        if (entry->dpc != NULL) {
            SimRunDpc(entry->dpc);
        }
        SimPendRunDeferred();
    }
    SimNow = until;
}

void SimClockCheckClean(const char* when)
{
    for (ULONG i = 0; i < SIM_TIMERS; i++) {
        if (SimTimers[i].set) {
            SimBugCheck("DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS: a timer is still set %s; its DPC "
                        "would run in unloaded code (KeCancelTimer, then KeFlushQueuedDpcs)", when);
        }
    }
    // The driver's timer and DPC objects live in its image: forget them.
    RtlZeroMemory(SimTimers, sizeof(SimTimers));
    RtlZeroMemory(SimDpcs, sizeof(SimDpcs));
}
