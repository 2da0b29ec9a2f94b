//
// pool.c - the pool, with the checks of Driver Verifier's pool tracking.
//
// Reproduced rules (Microsoft Learn: ExAllocatePool2, ExAllocatePoolZero,
// ExFreePoolWithTag, ExInitializeDriverRuntime, Driver Verifier "Pool
// Tracking" and "Special Pool"):
// - nonpaged pool may be allocated at up to DISPATCH_LEVEL, paged pool only
//   below it (paged pool at DISPATCH_LEVEL is bug check 0xA,
//   IRQL_NOT_LESS_OR_EQUAL); ExAllocatePool2 zeroes unless
//   POOL_FLAG_UNINITIALIZED;
// - ExAllocatePool2 is exported from Windows 10, version 2004 on (its
//   Requirements table): a driver whose minimum Windows is older may not
//   call it (the loader would refuse the driver);
// - ExAllocatePoolWithTag does not zero; ExAllocatePoolZero, an inline in
//   wdm.h, zeroes on Windows older than 2004 only with
//   POOL_ZERO_DOWN_LEVEL_SUPPORT;
// - a driver built with POOL_ZERO_DOWN_LEVEL_SUPPORT calls
//   ExInitializeDriverRuntime before its first ExAllocatePoolZero;
// - ExFreePoolWithTag gets a block this driver allocated and has not freed,
//   with the tag it was allocated with (else BAD_POOL_CALLER);
// - nothing is left allocated when the driver unloads or DriverEntry fails
//   (Pool Tracking: bug check 0xC4, parameter 0x62);
// - paged pool is touched, and freed, only at or below APC_LEVEL
//   (ExFreePoolWithTag: "a caller at DISPATCH_LEVEL must have specified a
//   NonPagedXxx pool type"). Driver Verifier's "Force IRQL Checking" pages
//   out all pageable memory whenever the IRQL rises to DISPATCH_LEVEL, so any
//   touch there faults; the simulation does the same with page protection
//   where the platform has it (POSIX), and the fault is bug check 0xA.
//

// mmap, mprotect and sigaction under -std=c11, before any system header.
#if defined(__unix__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE 1
#endif

#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>

#if defined(__unix__) || defined(__APPLE__)
#define SIM_PAGEABLE 1
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>
#else
#define SIM_PAGEABLE 0
#endif

typedef struct SIM_BLOCK {
    void* address;
    SIZE_T size;
    SIZE_T mapped;  // paged pool: the pages it has to itself (0: nonpaged, from malloc)
    ULONG tag;
    BOOLEAN live;
    BOOLEAN paged;
} SIM_BLOCK;

static SIM_BLOCK* SimBlocks;
static ULONG SimBlockCount;
static ULONG SimBlockCapacity;
static BOOLEAN SimRuntimeInitialized;

//
// With POOL_NX_OPTIN, NonPagedPool names this variable (wdm.h), which
// ExInitializeDriverRuntime(DrvRtPoolNxOptIn) makes NonPagedPoolNx where
// Windows has it, Windows 8 and later (Microsoft Learn: ExInitializeDriverRuntime,
// "No-Execute (NX) Nonpaged Pool").
//
POOL_TYPE ExDefaultNonPagedPoolType = NonPagedPoolBase;
ULONG ExDefaultMdlProtection;

static BOOLEAN SimPagedOut; // paged pool is inaccessible: the IRQL is DISPATCH_LEVEL
static ULONG SimPagedBlocks; // live paged blocks

static const char* SimTagText(ULONG tag, char text[5])
{
    // Pool tools show the tag's bytes in memory order.
    for (int i = 0; i < 4; i++) {
        UCHAR c = (UCHAR)(tag >> (8 * i));
        text[i] = (c >= 0x20 && c < 0x7F) ? (char)c : '.';
    }
    text[4] = '\0';
    return text;
}

static void SimBlockRelease(SIM_BLOCK* block)
{
#if SIM_PAGEABLE
    if (block->mapped != 0) {
        munmap(block->address, block->mapped);
        return;
    }
#endif
    free(block->address);
}

void SimPoolReset(void)
{
    for (ULONG i = 0; i < SimBlockCount; i++) {
        if (SimBlocks[i].live) {
            SimBlockRelease(&SimBlocks[i]);
        }
    }
    SimPagedOut = FALSE;
    SimPagedBlocks = 0;
    free(SimBlocks);
    SimBlocks = NULL;
    SimBlockCount = SimBlockCapacity = 0;
    SimRuntimeInitialized = FALSE;
    ExDefaultNonPagedPoolType = NonPagedPoolBase;
}

#if SIM_PAGEABLE
static struct sigaction SimPreviousSegv;
static BOOLEAN SimSegvHandled;

//
// A fault on a paged-out block is the driver touching paged pool at
// DISPATCH_LEVEL; any other fault goes to the handler there was before
// (AddressSanitizer's), which reports it when the instruction faults again.
//
static void SimPagedFault(int signal, siginfo_t* info, void* context)
{
    char text[5];

    UNREFERENCED_PARAMETER(signal);
    UNREFERENCED_PARAMETER(context);
    for (ULONG i = 0; i < SimBlockCount; i++) {
        SIM_BLOCK* block = &SimBlocks[i];
        char* start = block->address;

        if (block->live && block->paged && (char*)info->si_addr >= start &&
            (char*)info->si_addr < start + block->mapped) {
            SimBugCheck("IRQL_NOT_LESS_OR_EQUAL: paged pool (tag '%s', %lu bytes) touched at DISPATCH_LEVEL",
                        SimTagText(block->tag, text), (unsigned long)block->size);
        }
    }
    sigaction(SIGSEGV, &SimPreviousSegv, NULL);
    SimSegvHandled = FALSE;
}

static void* SimPagedAllocate(SIZE_T size, SIZE_T* mapped)
{
    SIZE_T page = (SIZE_T)sysconf(_SC_PAGESIZE);
    void* address;

    if (!SimSegvHandled) {
        struct sigaction action;

        memset(&action, 0, sizeof(action));
        action.sa_sigaction = SimPagedFault;
        action.sa_flags = SA_SIGINFO;
        sigemptyset(&action.sa_mask);
        sigaction(SIGSEGV, &action, &SimPreviousSegv);
        SimSegvHandled = TRUE;
    }
    *mapped = (size == 0 ? 1 : (size + page - 1) / page) * page;
    address = mmap(NULL, *mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return address == MAP_FAILED ? NULL : address;
}
#endif

//
// Called by irql.c when the IRQL crosses DISPATCH_LEVEL.
//
void SimPoolPageOut(BOOLEAN out)
{
    SimPagedOut = out;
#if SIM_PAGEABLE
    for (ULONG i = 0; SimPagedBlocks != 0 && i < SimBlockCount; i++) {
        if (SimBlocks[i].live && SimBlocks[i].paged) {
            mprotect(SimBlocks[i].address, SimBlocks[i].mapped, out ? PROT_NONE : PROT_READ | PROT_WRITE);
        }
    }
#endif
}

static PVOID SimPoolAllocate(SIZE_T size, ULONG tag, BOOLEAN zero, BOOLEAN paged, const char* api)
{
    void* address;
    SIZE_T mapped = 0;

    if (tag == 0) {
        SimBugCheck("BAD_POOL_CALLER: %s with tag 0; every allocation needs a tag of its own", api);
    }
    if (SimFaultShouldFail(api)) {
        return NULL;
    }
#if SIM_PAGEABLE
    address = paged ? SimPagedAllocate(size, &mapped) : malloc(size == 0 ? 1 : size);
#else
    address = malloc(size == 0 ? 1 : size);
#endif
    if (address == NULL) {
        SimBugCheck("the simulation ran out of memory");
    }
    // Without zeroing the block holds garbage, as fresh pool does.
    memset(address, zero ? 0 : 0xCD, size);

    if (SimBlockCount == SimBlockCapacity) {
        SimBlockCapacity = SimBlockCapacity == 0 ? 64 : SimBlockCapacity * 2;
        SimBlocks = realloc(SimBlocks, SimBlockCapacity * sizeof(*SimBlocks));
        if (SimBlocks == NULL) {
            SimBugCheck("the simulation ran out of memory");
        }
    }
    SimBlocks[SimBlockCount].address = address;
    SimBlocks[SimBlockCount].size = size;
    SimBlocks[SimBlockCount].mapped = mapped;
    SimBlocks[SimBlockCount].paged = paged;
    SimPagedBlocks += paged ? 1 : 0;
    SimBlocks[SimBlockCount].tag = tag;
    SimBlocks[SimBlockCount].live = TRUE;
    SimBlockCount++;
    return address;
}

PVOID ExAllocatePool2(POOL_FLAGS flags, SIZE_T numberOfBytes, ULONG tag)
{
    if ((flags & (POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED)) == 0) {
        SimBugCheck("BAD_POOL_CALLER: ExAllocatePool2 without POOL_FLAG_NON_PAGED or POOL_FLAG_PAGED");
    }
    SimRequireWindows(NTDDI_WIN10_VB, "ExAllocatePool2");
    SimRequireIrql((flags & POOL_FLAG_PAGED) ? APC_LEVEL : DISPATCH_LEVEL,
                   (flags & POOL_FLAG_PAGED) ? "ExAllocatePool2(POOL_FLAG_PAGED)" : "ExAllocatePool2");
    return SimPoolAllocate(numberOfBytes, tag, (flags & POOL_FLAG_UNINITIALIZED) == 0,
                           (flags & POOL_FLAG_PAGED) != 0, "ExAllocatePool2");
}

PVOID ExAllocatePoolZero(POOL_TYPE poolType, SIZE_T numberOfBytes, ULONG tag)
{
    if (!SimRuntimeInitialized) {
        SimBugCheck("ExAllocatePoolZero before ExInitializeDriverRuntime: with POOL_ZERO_DOWN_LEVEL_SUPPORT the "
                    "driver must call ExInitializeDriverRuntime first");
    }
    SimRequireIrql((poolType & PagedPool) ? APC_LEVEL : DISPATCH_LEVEL,
                   (poolType & PagedPool) ? "ExAllocatePoolZero(PagedPool)" : "ExAllocatePoolZero");
#if defined(POOL_ZERO_DOWN_LEVEL_SUPPORT)
    return SimPoolAllocate(numberOfBytes, tag, TRUE, (poolType & PagedPool) != 0, "ExAllocatePoolZero");
#else
    // Only the pool of Windows 10 2004 and later zeroes by itself.
    return SimPoolAllocate(numberOfBytes, tag, SimWindowsNtddi >= NTDDI_WIN10_VB, (poolType & PagedPool) != 0,
                           "ExAllocatePoolZero");
#endif
}

PVOID ExAllocatePoolWithTag(POOL_TYPE poolType, SIZE_T numberOfBytes, ULONG tag)
{
    SimRequireIrql((poolType & PagedPool) ? APC_LEVEL : DISPATCH_LEVEL,
                   (poolType & PagedPool) ? "ExAllocatePoolWithTag(PagedPool)" : "ExAllocatePoolWithTag");
    return SimPoolAllocate(numberOfBytes, tag, FALSE, (poolType & PagedPool) != 0, "ExAllocatePoolWithTag");
}

void ExInitializeDriverRuntime(ULONG runtimeFlags)
{
    if ((runtimeFlags & DrvRtPoolNxOptIn) != 0 && SimWindowsNtddi >= NTDDI_WIN8) {
        ExDefaultNonPagedPoolType = NonPagedPoolNx;
    }
    SimRuntimeInitialized = TRUE;
}

void ExFreePoolWithTag(PVOID p, ULONG tag)
{
    char want[5];
    char got[5];
    BOOLEAN freedBefore = FALSE;

    SimRequireIrql(DISPATCH_LEVEL, "ExFreePoolWithTag");
    // Newest first: an address malloc handed out again is found live.
    for (ULONG i = SimBlockCount; i-- > 0;) {
        SIM_BLOCK* block = &SimBlocks[i];

        if (block->address != p) {
            continue;
        }
        if (!block->live) {
            freedBefore = TRUE;
            break;
        }
        if (block->tag != tag) {
            SimBugCheck("BAD_POOL_CALLER: ExFreePoolWithTag(%p) with tag '%s', but the block was allocated with "
                        "tag '%s'", p, SimTagText(tag, want), SimTagText(block->tag, got));
        }
        if (block->paged && SimPagedOut) {
            SimBugCheck("IRQL_NOT_LESS_OR_EQUAL: ExFreePoolWithTag(%p, '%s') of paged pool at DISPATCH_LEVEL", p,
                        SimTagText(tag, want));
        }
        // Freed memory is poisoned: a use after free reads garbage (and
        // AddressSanitizer reports it).
        memset(p, 0xDD, block->size);
        SimBlockRelease(block);
        SimPagedBlocks -= block->paged ? 1 : 0;
        block->live = FALSE;
        return;
    }
    if (freedBefore) {
        SimBugCheck("BAD_POOL_CALLER: double free: ExFreePoolWithTag(%p, '%s') on a block that was already freed",
                    p, SimTagText(tag, want));
    }
    SimBugCheck("BAD_POOL_CALLER: ExFreePoolWithTag(%p, '%s') on memory the pool never handed out", p,
                SimTagText(tag, want));
}

ULONG SimPoolBlocks(ULONG tag)
{
    ULONG count = 0;

    for (ULONG i = 0; i < SimBlockCount; i++) {
        if (SimBlocks[i].live && (tag == 0 || SimBlocks[i].tag == tag)) {
            count++;
        }
    }
    return count;
}

void SimPoolCheckEmpty(const char* when)
{
    char text[5];

    for (ULONG i = 0; i < SimBlockCount; i++) {
        if (SimBlocks[i].live) {
            ULONG tag = SimBlocks[i].tag;
            ULONG blocks = SimPoolBlocks(tag);
            SIZE_T bytes = 0;

            for (ULONG j = 0; j < SimBlockCount; j++) {
                if (SimBlocks[j].live && SimBlocks[j].tag == tag) {
                    bytes += SimBlocks[j].size;
                }
            }
            SimBugCheck("DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4/0x62): pool leak %s: %lu block(s), %lu bytes with tag '%s' "
                        "still allocated",
                        when, (unsigned long)blocks, (unsigned long)bytes, SimTagText(tag, text));
        }
    }
}
