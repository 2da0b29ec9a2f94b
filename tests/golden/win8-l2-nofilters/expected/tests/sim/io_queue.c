//
// io_queue.c - framework queues: creation, presenting requests to the driver
// (sequential, parallel, manual), retrieving, forwarding, purging, and the
// cancellation of requests that wait in a queue. The rules are listed in
// io_open.c.
//

#include "io_internal.h"

//
// A request leaves its queue because it was cancelled (by the user, by a
// purge, by the file's cleanup): EvtIoCanceledOnQueue gets it if the queue
// has one, else the framework completes it with STATUS_CANCELLED
// ("Canceling I/O Requests"; WDF_IO_QUEUE_CONFIG.EvtIoCanceledOnQueue).
// The framework does this from the cancel routine, at DISPATCH_LEVEL.
//
void SimCancelQueued(SIM_REQUEST* request)
{
    SIM_QUEUE* queue = request->queue;
    KIRQL old;

    request->queue = NULL;
    if (queue->config.EvtIoCanceledOnQueue == NULL) {
        SimFinish(request, STATUS_CANCELLED, "the framework (cancelled in its queue)");
        return;
    }
    request->state = SimRequestOwned;
    old = SimRaiseIrql(DISPATCH_LEVEL);
    queue->config.EvtIoCanceledOnQueue((WDFQUEUE)(void*)queue, (WDFREQUEST)(void*)request);
    SimCheckDriverReturn(DISPATCH_LEVEL, 0, "EvtIoCanceledOnQueue");
    SimLowerIrql(old);
}

SIM_REQUEST* SimQueueHead(const SIM_QUEUE* queue, const SIM_HANDLE* file)
{
    SIM_REQUEST* head = NULL;

    for (ULONG i = 0; i < SimRequests.count; i++) {
        SIM_REQUEST* request = SimRequests.items[i];

        if (request->state == SimRequestQueued && request->queue == queue && (file == NULL || request->file == file)
            && (head == NULL || request->order < head->order)) {
            head = request;
        }
    }
    return head;
}

void SimEnqueue(SIM_REQUEST* request, SIM_QUEUE* queue)
{
    request->state = SimRequestQueued;
    request->queue = queue;
    request->order = ++SimQueueOrder;
}

//
// Presents a request to the driver's handler at PASSIVE_LEVEL, as for an
// IOCTL sent by a user-mode thread (the default execution level).
//
static void SimPresent(SIM_QUEUE* queue, SIM_REQUEST* request)
{
    request->state = SimRequestOwned;
    request->queue = NULL;
    request->presentedBy = queue;
    queue->presented++;
    if (queue->config.EvtIoDeviceControl != NULL) {
        queue->config.EvtIoDeviceControl((WDFQUEUE)(void*)queue, (WDFREQUEST)(void*)request, request->outLength,
                                         request->inLength, request->code);
        SimCheckDriverReturn(PASSIVE_LEVEL, 0, "EvtIoDeviceControl");
    } else if (queue->config.EvtIoDefault != NULL) {
        queue->config.EvtIoDefault((WDFQUEUE)(void*)queue, (WDFREQUEST)(void*)request);
        SimCheckDriverReturn(PASSIVE_LEVEL, 0, "EvtIoDefault");
    } else {
        // No handler for the request type: the framework fails it
        // (WDF_IO_QUEUE_CONFIG: "STATUS_INVALID_DEVICE_REQUEST").
        SimFinish(request, STATUS_INVALID_DEVICE_REQUEST, "the framework (no handler)");
        return;
    }
    if (SimWaitLocksHeld() != 0) {
        SimBugCheck("the driver's I/O handler returned holding a wait lock");
    }
}

//
// Presents what dispatching queues hold, as long as they may present more.
//
static BOOLEAN SimPumpOnce(void)
{
    for (ULONG i = 0; i < SimQueues.count; i++) {
        SIM_QUEUE* queue = SimQueues.items[i];
        SIM_REQUEST* head;

        if (queue->deleted || queue->purged || queue->config.DispatchType == WdfIoQueueDispatchManual) {
            continue;
        }
        if (queue->config.DispatchType == WdfIoQueueDispatchSequential && queue->presented != 0) {
            continue;
        }
        head = SimQueueHead(queue, NULL);
        if (head != NULL) {
            SimPresent(queue, head);
            return TRUE;
        }
    }
    return FALSE;
}

void SimIoPump(void)
{
    if (KeGetCurrentIrql() != PASSIVE_LEVEL) {
        return;
    }
    while (SimPumpOnce()) {
    }
}

void SimUserCall(void)
{
    if (KeGetCurrentIrql() != PASSIVE_LEVEL || SimSpinLocksHeld() != 0) {
        SimBugCheck("the test called into user mode at a raised IRQL or holding a spin lock");
    }
    for (ULONG i = 0; i < SimHandles.count; i++) {
        SimRunDeferredClose(SimHandles.items[i]);
    }
    SimIoPump();
}

//
// Queues: WdfIoQueueCreate (<= DISPATCH_LEVEL, can fail); one default queue
// per device.
//
void WDF_IO_QUEUE_CONFIG_INIT(WDF_IO_QUEUE_CONFIG* config, WDF_IO_QUEUE_DISPATCH_TYPE dispatchType)
{
    RtlZeroMemory(config, sizeof(*config));
    config->Size = sizeof(*config);
    config->PowerManaged = WdfUseDefault;
    config->DispatchType = dispatchType;
    if (dispatchType == WdfIoQueueDispatchParallel) {
        config->Settings.Parallel.NumberOfPresentedRequests = (ULONG)-1;
    }
}

void WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(WDF_IO_QUEUE_CONFIG* config, WDF_IO_QUEUE_DISPATCH_TYPE dispatchType)
{
    WDF_IO_QUEUE_CONFIG_INIT(config, dispatchType);
    config->DefaultQueue = TRUE;
}

NTSTATUS WdfIoQueueCreate(WDFDEVICE device, WDF_IO_QUEUE_CONFIG* config, WDF_OBJECT_ATTRIBUTES* queueAttributes,
                          WDFQUEUE* queue)
{
    SIM_IO_DEVICE* owner = SimIoDeviceOf(device);
    SIM_QUEUE* created;

    SimRequireIrql(DISPATCH_LEVEL, "WdfIoQueueCreate");
    if (owner == NULL) {
        SimBugCheck("WDF_VIOLATION: WdfIoQueueCreate on a handle that is not a live WDFDEVICE");
    }
    if (config == NULL || config->Size != sizeof(*config) || config->DispatchType <= WdfIoQueueDispatchInvalid
        || config->DispatchType >= WdfIoQueueDispatchMax) {
        SimBugCheck("WdfIoQueueCreate: the config was not set up with WDF_IO_QUEUE_CONFIG_INIT");
    }
    if (queue != NULL) {
        *queue = NULL;
    }
    if (config->DefaultQueue && owner->defaultQueue != NULL) {
        // "A device can have only one default queue" (WdfIoQueueCreate).
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    if (SimFaultShouldFail("WdfIoQueueCreate")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    created = SimIoAlloc(sizeof(*created));
    created->magic = SIM_QUEUE_MAGIC;
    created->device = owner;
    created->config = *config;
    SimListAdd(&SimQueues, created);
    SimIoAttach(created, queueAttributes, "WdfIoQueueCreate");
    if (config->DefaultQueue) {
        owner->defaultQueue = created;
    }
    if (queue != NULL) {
        *queue = (WDFQUEUE)(void*)created;
    }
    return STATUS_SUCCESS;
}

//
// WdfIoQueueRetrieveNextRequest: manual and sequential queues (a parallel
// queue gives STATUS_INVALID_DEVICE_REQUEST); STATUS_NO_MORE_ENTRIES when
// empty; the driver owns what it retrieves.
//
NTSTATUS WdfIoQueueRetrieveNextRequest(WDFQUEUE queue, WDFREQUEST* outRequest)
{
    SIM_QUEUE* source = SimQueueOf(queue, "WdfIoQueueRetrieveNextRequest");
    SIM_REQUEST* head;

    SimRequireIrql(DISPATCH_LEVEL, "WdfIoQueueRetrieveNextRequest");
    *outRequest = NULL;
    if (source->config.DispatchType == WdfIoQueueDispatchParallel) {
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    head = SimQueueHead(source, NULL);
    if (head == NULL) {
        return STATUS_NO_MORE_ENTRIES;
    }
    head->state = SimRequestOwned;
    head->queue = NULL;
    *outRequest = (WDFREQUEST)(void*)head;
    return STATUS_SUCCESS;
}

NTSTATUS WdfIoQueueRetrieveRequestByFileObject(WDFQUEUE queue, WDFFILEOBJECT fileObject, WDFREQUEST* outRequest)
{
    SIM_QUEUE* source = SimQueueOf(queue, "WdfIoQueueRetrieveRequestByFileObject");
    SIM_HANDLE* file = SimFileOf(fileObject, "WdfIoQueueRetrieveRequestByFileObject");
    SIM_REQUEST* head;

    SimRequireIrql(DISPATCH_LEVEL, "WdfIoQueueRetrieveRequestByFileObject");
    *outRequest = NULL;
    if (source->config.DispatchType == WdfIoQueueDispatchParallel) {
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    head = SimQueueHead(source, file);
    if (head == NULL) {
        return STATUS_NO_MORE_ENTRIES;
    }
    head->state = SimRequestOwned;
    head->queue = NULL;
    *outRequest = (WDFREQUEST)(void*)head;
    return STATUS_SUCCESS;
}

//
// WdfIoQueuePurgeSynchronously (PASSIVE_LEVEL): the queue stops accepting
// requests, cancels those it holds, and returns once every request it
// presented to the driver is completed. One thread: a presented request
// still outstanding means the call would never return.
//
void WdfIoQueuePurgeSynchronously(WDFQUEUE queue)
{
    SIM_QUEUE* purged = SimQueueOf(queue, "WdfIoQueuePurgeSynchronously");
    SIM_REQUEST* head;

    SimRequireIrql(PASSIVE_LEVEL, "WdfIoQueuePurgeSynchronously");
    purged->purged = TRUE;
    while ((head = SimQueueHead(purged, NULL)) != NULL) {
        SimCancelQueued(head);
    }
    if (purged->presented != 0) {
        SimViolation("WdfIoQueuePurgeSynchronously would wait forever: %lu request(s) the queue presented are still "
                     "not completed (the caller owns them)", (unsigned long)purged->presented);
    }
}

void WdfIoQueueStart(WDFQUEUE queue)
{
    SimRequireIrql(DISPATCH_LEVEL, "WdfIoQueueStart");
    SimQueueOf(queue, "WdfIoQueueStart")->purged = FALSE;
}

//
// WdfRequestForwardToIoQueue: the driver owns the request, got it from a
// queue of the same device and forwards it elsewhere
// (STATUS_INVALID_DEVICE_REQUEST otherwise); a queue that is not accepting
// requests (purged) answers STATUS_WDF_BUSY. On failure the driver still
// owns the request and must complete it. It allocates nothing, so the fault
// injection, which plays low resources, leaves it alone.
//
NTSTATUS WdfRequestForwardToIoQueue(WDFREQUEST handle, WDFQUEUE destinationQueue)
{
    SIM_REQUEST* request = SimOwnedRequestOf(handle, "WdfRequestForwardToIoQueue");
    SIM_QUEUE* destination = SimQueueOf(destinationQueue, "WdfRequestForwardToIoQueue");

    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestForwardToIoQueue");
    if (destination->device != request->device || destination == request->presentedBy) {
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    if (destination->purged) {
        return STATUS_WDF_BUSY;
    }
    if (request->presentedBy != NULL) {
        request->presentedBy->presented--;
        request->presentedBy = NULL;
    }
    SimEnqueue(request, destination);
    if (request->cancelled) {
        SimCancelQueued(request);
    }
    return STATUS_SUCCESS;
}

