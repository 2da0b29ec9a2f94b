//
// worker.c - system worker threads (IoQueueWorkItem) and events, on the one
// simulated processor.
//
// A queued work item runs when the test calls SimRunWorkItems, or when the
// driver waits (KeWaitForSingleObject): then the worker threads get the
// processor. Reproduced rules (Microsoft Learn):
// - IoAllocateWorkItem, IoQueueWorkItem, IoFreeWorkItem: up to
//   DISPATCH_LEVEL; the routine (IO_WORKITEM_ROUTINE) runs at PASSIVE_LEVEL
//   and returns there, holding no spin lock;
// - "Only free a work item that is not currently queued" (IoFreeWorkItem);
//   the system dequeues it before running its routine, so the routine may
//   queue it again; queueing it while it is still queued corrupts the
//   queue ("System Worker Threads"): a VIOLATION;
// - a work item allocated and never freed leaks (BUGCHECK at unload), and one
//   still queued after EvtDriverUnload would run in a driver that cleaned up;
// - KeWaitForSingleObject without a time-out: at most APC_LEVEL; a wait no
//   other thread can end is a deadlock (BUGCHECK); a synchronization event
//   resets when a wait is satisfied (KeInitializeEvent).
//

#include "sim_internal.h"

#include <stdlib.h>

#define SIM_EVENT_MAGIC 0x45564E54
#define SIM_WORK_ITEM_ROUNDS 10000

struct _IO_WORKITEM {
    DEVICE_OBJECT* device;
    PIO_WORKITEM_ROUTINE routine;
    PVOID context;
    BOOLEAN queued;
    BOOLEAN freed;
    struct _IO_WORKITEM* nextQueued;
};

static PIO_WORKITEM SimWorkItems[32];
static ULONG SimWorkItemCount;
static PIO_WORKITEM SimQueueHead;
static PIO_WORKITEM SimQueueTail;

void SimWorkerReset(void)
{
    for (ULONG i = 0; i < SimWorkItemCount; i++) {
        free(SimWorkItems[i]);
    }
    SimWorkItemCount = 0;
    SimQueueHead = SimQueueTail = NULL;
}

static PIO_WORKITEM SimWorkItemCheck(PIO_WORKITEM item, const char* api)
{
    for (ULONG i = 0; i < SimWorkItemCount; i++) {
        if (SimWorkItems[i] == item) {
            if (item->freed) {
                SimBugCheck("%s on a work item that was already freed", api);
            }
            return item;
        }
    }
    SimBugCheck("%s on %p, which IoAllocateWorkItem never returned", api, (void*)item);
}

//
// Makes room by forgetting freed work items (a test that loads the driver
// many times allocates many).
//
static void SimWorkItemsCompact(void)
{
    ULONG kept = 0;

    for (ULONG i = 0; i < SimWorkItemCount; i++) {
        if (SimWorkItems[i]->freed) {
            free(SimWorkItems[i]);
        } else {
            SimWorkItems[kept++] = SimWorkItems[i];
        }
    }
    SimWorkItemCount = kept;
    if (SimWorkItemCount == SIM_COUNT(SimWorkItems)) {
        SimBugCheck("the simulation holds at most %d live work items", (int)SIM_COUNT(SimWorkItems));
    }
}

PIO_WORKITEM IoAllocateWorkItem(PDEVICE_OBJECT deviceObject)
{
    PIO_WORKITEM item;

    SimRequireIrql(DISPATCH_LEVEL, "IoAllocateWorkItem");
    if (deviceObject == NULL) {
        SimBugCheck("IoAllocateWorkItem without a device object");
    }
    if (SimFaultShouldFail("IoAllocateWorkItem")) {
        return NULL;
    }
    if (SimWorkItemCount == SIM_COUNT(SimWorkItems)) {
        SimWorkItemsCompact();
    }
    item = calloc(1, sizeof(*item));
    if (item == NULL) {
        SimBugCheck("the simulation ran out of memory");
    }
    item->device = deviceObject;
    SimWorkItems[SimWorkItemCount++] = item;
    return item;
}

void IoQueueWorkItem(PIO_WORKITEM ioWorkItem, PIO_WORKITEM_ROUTINE workerRoutine, WORK_QUEUE_TYPE queueType,
                     PVOID context)
{
    PIO_WORKITEM item = SimWorkItemCheck(ioWorkItem, "IoQueueWorkItem");

    UNREFERENCED_PARAMETER(queueType);

    SimRequireIrql(DISPATCH_LEVEL, "IoQueueWorkItem");
    if (item->queued) {
        SimViolation("IoQueueWorkItem on a work item that is still queued: wait until its routine has started "
                     "(\"System Worker Threads\")");
    }
    item->routine = workerRoutine;
    item->context = context;
    item->queued = TRUE;
    item->nextQueued = NULL;
    if (SimQueueTail != NULL) {
        SimQueueTail->nextQueued = item;
    } else {
        SimQueueHead = item;
    }
    SimQueueTail = item;
}

void IoFreeWorkItem(PIO_WORKITEM ioWorkItem)
{
    PIO_WORKITEM item = SimWorkItemCheck(ioWorkItem, "IoFreeWorkItem");

    SimRequireIrql(DISPATCH_LEVEL, "IoFreeWorkItem");
    if (item->queued) {
        SimBugCheck("IoFreeWorkItem on a work item that is still queued: \"Only free a work item that is not "
                    "currently queued\" (its routine would run on freed memory)");
    }
    item->freed = TRUE;
}

BOOLEAN SimWorkItemsQueued(void)
{
    return (BOOLEAN)(SimQueueHead != NULL);
}

//
// The worker threads run every queued work item, and those they queue.
//
void SimRunWorkItems(void)
{
    for (ULONG round = 0; SimQueueHead != NULL; round++) {
        PIO_WORKITEM item = SimQueueHead;

        if (round == SIM_WORK_ITEM_ROUNDS) {
            SimBugCheck("work items queued themselves %d times without end", SIM_WORK_ITEM_ROUNDS);
        }
        if (KeGetCurrentIrql() != PASSIVE_LEVEL || SimSpinLocksHeld() != 0) {
            SimBugCheck("the simulation itself: SimRunWorkItems needs PASSIVE_LEVEL and no spin lock held");
        }
        SimQueueHead = item->nextQueued;
        if (SimQueueHead == NULL) {
            SimQueueTail = NULL;
        }
        item->queued = FALSE;
        item->routine(item->device, item->context);
        SimCheckDriverReturn(PASSIVE_LEVEL, 0, "a work item routine");
    }
}

void SimWorkerCheckClean(const char* when)
{
    for (ULONG i = 0; i < SimWorkItemCount; i++) {
        if (SimWorkItems[i]->queued) {
            SimViolation("a work item is still queued %s: its routine would run in a driver that has cleaned up",
                         when);
        }
        if (!SimWorkItems[i]->freed) {
            SimBugCheck("work item leak %s: IoAllocateWorkItem without IoFreeWorkItem", when);
        }
    }
}

//
// Events. The WDK keeps a DISPATCHER_HEADER in KEVENT; the simulation keeps
// its state there: [0] signaled, [1] the EVENT_TYPE, [2] a mark that
// KeInitializeEvent ran.
//
static PRKEVENT SimEventCheck(PRKEVENT event, const char* api)
{
    if (event->Header[2] != SIM_EVENT_MAGIC) {
        SimBugCheck("%s on an event that KeInitializeEvent never initialized", api);
    }
    return event;
}

void KeInitializeEvent(PRKEVENT event, EVENT_TYPE type, BOOLEAN state)
{
    RtlZeroMemory(event, sizeof(*event));
    event->Header[0] = state ? 1 : 0;
    event->Header[1] = (LONG)type;
    event->Header[2] = SIM_EVENT_MAGIC;
}

void KeClearEvent(PRKEVENT event)
{
    SimRequireIrql(DISPATCH_LEVEL, "KeClearEvent");
    SimEventCheck(event, "KeClearEvent")->Header[0] = 0;
}

LONG KeReadStateEvent(PRKEVENT event)
{
    SimRequireIrql(DISPATCH_LEVEL, "KeReadStateEvent");
    return SimEventCheck(event, "KeReadStateEvent")->Header[0];
}

LONG KeSetEvent(PRKEVENT event, KPRIORITY increment, BOOLEAN wait)
{
    LONG previous;

    UNREFERENCED_PARAMETER(increment);
    UNREFERENCED_PARAMETER(wait);

    SimRequireIrql(DISPATCH_LEVEL, "KeSetEvent");
    previous = SimEventCheck(event, "KeSetEvent")->Header[0];
    event->Header[0] = 1;
    return previous;
}

NTSTATUS KeWaitForSingleObject(PVOID object, KWAIT_REASON waitReason, KPROCESSOR_MODE waitMode, BOOLEAN alertable,
                               PLARGE_INTEGER timeout)
{
    PRKEVENT event = SimEventCheck(object, "KeWaitForSingleObject");

    UNREFERENCED_PARAMETER(waitReason);
    UNREFERENCED_PARAMETER(waitMode);
    UNREFERENCED_PARAMETER(alertable);

    SimRequireIrql((timeout != NULL && timeout->QuadPart == 0) ? DISPATCH_LEVEL : APC_LEVEL,
                   "KeWaitForSingleObject");
    if (event->Header[0] == 0 && (timeout == NULL || timeout->QuadPart != 0)) {
        // The processor goes to the worker threads.
        SimRunWorkItems();
    }
    if (event->Header[0] == 0) {
        if (timeout != NULL) {
            return STATUS_TIMEOUT;
        }
        SimBugCheck("KeWaitForSingleObject waits for an event that no work item or other thread will set (deadlock)");
    }
    if (event->Header[1] == SynchronizationEvent) {
        event->Header[0] = 0;
    }
    return STATUS_SUCCESS;
}
