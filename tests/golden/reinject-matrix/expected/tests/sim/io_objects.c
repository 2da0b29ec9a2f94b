//
// io_objects.c - where the simulated I/O objects live (until the next boot, so a
// stale handle is recognised), the checks that a handle is a live object of
// the right type, object contexts, framework spin locks, WdfObjectDelete on
// I/O objects, the device's deletion and the end-of-test checks. The rules
// are listed in io_open.c.
//

#include "io_internal.h"

#include <stdlib.h>
#include <string.h>

#define SIM_LOCK_MAGIC 0x4B434F4Cu

typedef struct SIM_SPIN {
    ULONG magic;
    KSPIN_LOCK lock;
    KIRQL oldIrql;
    BOOLEAN deleted;
} SIM_SPIN;

//
// Object contexts (WDF_OBJECT_ATTRIBUTES, WdfObjectGetTypedContextWorker):
// zeroed memory of the context type's size that lives as long as the
// object; EvtCleanupCallback and EvtDestroyCallback run when it goes
// ("Framework Object Context Space", "Framework Object Life Cycle").
//
typedef struct SIM_CONTEXT {
    const void* object;
    PCWDF_OBJECT_CONTEXT_TYPE_INFO type;
    PFN_WDF_OBJECT_CONTEXT_CLEANUP cleanup;
    PFN_WDF_OBJECT_CONTEXT_DESTROY destroy;
    void* memory;
} SIM_CONTEXT;

static SIM_LIST SimContexts, SimSpins;

UINT64 SimProcessId = 4242;
SIM_LIST SimDevicesIo, SimRequests, SimQueues, SimHandles, SimIos;
ULONG SimRequestSequence;
ULONGLONG SimQueueOrder;

void* SimIoAlloc(size_t size)
{
    void* block = calloc(1, size == 0 ? 1 : size);

    if (block == NULL) {
        SimBugCheck("the simulation ran out of memory");
    }
    return block;
}

void SimListAdd(SIM_LIST* list, void* item)
{
    if (list->count == list->capacity) {
        void** grown;

        list->capacity = list->capacity == 0 ? 16 : list->capacity * 2;
        grown = realloc(list->items, list->capacity * sizeof(void*));
        if (grown == NULL) {
            SimBugCheck("the simulation ran out of memory");
        }
        list->items = grown;
    }
    list->items[list->count++] = item;
}

BOOLEAN SimListHas(const SIM_LIST* list, const void* item)
{
    for (ULONG i = 0; i < list->count; i++) {
        if (list->items[i] == item) {
            return TRUE;
        }
    }
    return FALSE;
}

static void SimListFree(SIM_LIST* list, void (*release)(void*))
{
    for (ULONG i = 0; i < list->count; i++) {
        release(list->items[i]);
    }
    free(list->items);
    list->items = NULL;
    list->count = list->capacity = 0;
}

static void SimReleaseRequest(void* item)
{
    SIM_REQUEST* request = item;

    free(request->system);
    free(request);
}

static void SimReleaseContext(void* item)
{
    SIM_CONTEXT* context = item;

    free(context->memory);
    free(context);
}

void SimReleaseIo(void* item)
{
    SIM_IO* io = item;

    free(io->out);
    free(io);
}

void SimIoReset(void)
{
    SimListFree(&SimRequests, SimReleaseRequest);
    SimListFree(&SimIos, SimReleaseIo);
    SimListFree(&SimQueues, free);
    SimListFree(&SimHandles, free);
    SimListFree(&SimSpins, free);
    SimListFree(&SimDevicesIo, free);
    SimListFree(&SimContexts, SimReleaseContext);
    SimProcessId = 4242;
    SimRequestSequence = 0;
    SimQueueOrder = 0;
}

//
// Object checks. KMDF bug checks (0x10D, WDF_VIOLATION) on a handle that is
// not a live object of the type the method takes (WdfObjectDelete, "a bug
// check occurs if the driver supplies an invalid object handle").
//
SIM_REQUEST* SimRequestOf(WDFREQUEST handle, const char* api)
{
    SIM_REQUEST* request = (SIM_REQUEST*)(void*)handle;

    if (!SimListHas(&SimRequests, request) || request->magic != SIM_REQUEST_MAGIC) {
        SimBugCheck("WDF_VIOLATION: %s on a handle that is not a WDFREQUEST (%p)", api, (void*)handle);
    }
    if (request->state == SimRequestCompleted) {
        SimBugCheck("WDF_VIOLATION: %s on a request that was already completed (IOCTL 0x%08lX): a request is "
                    "gone once WdfRequestComplete returns (\"Completing I/O Requests\")",
                    api, (unsigned long)request->code);
    }
    return request;
}

SIM_REQUEST* SimOwnedRequestOf(WDFREQUEST handle, const char* api)
{
    SIM_REQUEST* request = SimRequestOf(handle, api);

    if (request->state != SimRequestOwned) {
        SimBugCheck("WDF_VIOLATION: %s on a request the driver does not own: it waits in a queue (retrieve it "
                    "first, \"Request Ownership\")", api);
    }
    return request;
}

SIM_QUEUE* SimQueueOf(WDFQUEUE handle, const char* api)
{
    SIM_QUEUE* queue = (SIM_QUEUE*)(void*)handle;

    if (!SimListHas(&SimQueues, queue) || queue->magic != SIM_QUEUE_MAGIC) {
        SimBugCheck("WDF_VIOLATION: %s on a handle that is not a WDFQUEUE (%p)", api, (void*)handle);
    }
    if (queue->deleted) {
        SimBugCheck("WDF_VIOLATION: %s on a queue that was deleted (with its device)", api);
    }
    return queue;
}

SIM_HANDLE* SimFileOf(WDFFILEOBJECT handle, const char* api)
{
    SIM_HANDLE* file = (SIM_HANDLE*)(void*)handle;

    if (!SimListHas(&SimHandles, file) || file->magic != SIM_HANDLE_MAGIC) {
        SimBugCheck("WDF_VIOLATION: %s on a handle that is not a WDFFILEOBJECT (%p)", api, (void*)handle);
    }
    if (file->closeDone) {
        SimBugCheck("WDF_VIOLATION: %s on a file object that was closed (EvtFileClose ran)", api);
    }
    return file;
}

SIM_IO_DEVICE* SimIoDeviceOf(WDFDEVICE handle)
{
    for (ULONG i = 0; i < SimDevicesIo.count; i++) {
        SIM_IO_DEVICE* device = SimDevicesIo.items[i];

        if (device->handle == handle && !device->deleted) {
            return device;
        }
    }
    return NULL;
}

void WDF_OBJECT_ATTRIBUTES_INIT(WDF_OBJECT_ATTRIBUTES* attributes)
{
    RtlZeroMemory(attributes, sizeof(*attributes));
    attributes->Size = sizeof(*attributes);
    attributes->ExecutionLevel = WdfExecutionLevelInheritFromParent;
    attributes->SynchronizationScope = WdfSynchronizationScopeInheritFromParent;
}

void SimIoAttach(const void* object, const WDF_OBJECT_ATTRIBUTES* attributes, const char* api)
{
    SIM_CONTEXT* context;
    size_t size;

    if (attributes == NULL) {
        return;
    }
    if (attributes->Size != sizeof(*attributes)) {
        SimBugCheck("%s: the attributes were not set up with WDF_OBJECT_ATTRIBUTES_INIT", api);
    }
    size = attributes->ContextSizeOverride != 0 ? attributes->ContextSizeOverride
         : attributes->ContextTypeInfo != NULL  ? attributes->ContextTypeInfo->ContextSize
                                                : 0;
    context = SimIoAlloc(sizeof(*context));
    context->object = object;
    context->type = attributes->ContextTypeInfo;
    context->cleanup = attributes->EvtCleanupCallback;
    context->destroy = attributes->EvtDestroyCallback;
    context->memory = SimIoAlloc(size);
    SimListAdd(&SimContexts, context);
}

//
// The object goes: its callbacks run, then its context is freed (a driver
// that keeps a pointer into it touches freed memory).
//
void SimIoDetach(const void* object)
{
    for (ULONG i = 0; i < SimContexts.count; i++) {
        SIM_CONTEXT* context = SimContexts.items[i];

        if (context->object != object) {
            continue;
        }
        if (context->cleanup != NULL) {
            context->cleanup((WDFOBJECT)(ULONG_PTR)object);
            SimCheckDriverReturn(KeGetCurrentIrql(), SimSpinLocksHeld(), "EvtCleanupCallback");
        }
        if (context->destroy != NULL) {
            context->destroy((WDFOBJECT)(ULONG_PTR)object);
            SimCheckDriverReturn(KeGetCurrentIrql(), SimSpinLocksHeld(), "EvtDestroyCallback");
        }
        free(context->memory);
        SimContexts.items[i] = SimContexts.items[--SimContexts.count];
        free(context);
        return;
    }
}

//
// Each source file that declares a context type has its own copy of the
// type information under gcc and clang, so types match by name too.
//
PVOID WdfObjectGetTypedContextWorker(WDFOBJECT handle, PCWDF_OBJECT_CONTEXT_TYPE_INFO typeInfo)
{
    SimRequireIrql(DISPATCH_LEVEL, "WdfObjectGetTypedContextWorker");
    for (ULONG i = 0; i < SimContexts.count; i++) {
        SIM_CONTEXT* context = SimContexts.items[i];

        if (context->object == (const void*)handle && context->type != NULL && typeInfo != NULL
            && (context->type == typeInfo || strcmp(context->type->ContextName, typeInfo->ContextName) == 0)) {
            return context->memory;
        }
    }
    SimWarning("WdfObjectGetTypedContextWorker: the object has no context of type %s: NULL",
               typeInfo != NULL ? typeInfo->ContextName : "(none)");
    return NULL;
}

//
// Framework spin locks: a KSPIN_LOCK each (irql.c keeps the rules).
//
static SIM_SPIN* SimSpinOf(WDFSPINLOCK handle, const char* api)
{
    SIM_SPIN* spin = (SIM_SPIN*)(void*)handle;

    if (!SimListHas(&SimSpins, spin) || spin->magic != SIM_LOCK_MAGIC || spin->deleted) {
        SimBugCheck("WDF_VIOLATION: %s on a handle that is not a live WDFSPINLOCK (%p)", api, (void*)handle);
    }
    return spin;
}

NTSTATUS WdfSpinLockCreate(WDF_OBJECT_ATTRIBUTES* spinLockAttributes, WDFSPINLOCK* spinLock)
{
    SIM_SPIN* created;

    SimRequireIrql(DISPATCH_LEVEL, "WdfSpinLockCreate");
    *spinLock = NULL;
    if (SimFaultShouldFail("WdfSpinLockCreate")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    created = SimIoAlloc(sizeof(*created));
    created->magic = SIM_LOCK_MAGIC;
    KeInitializeSpinLock(&created->lock);
    SimListAdd(&SimSpins, created);
    SimIoAttach(created, spinLockAttributes, "WdfSpinLockCreate");
    *spinLock = (WDFSPINLOCK)(void*)created;
    return STATUS_SUCCESS;
}

void WdfSpinLockAcquire(WDFSPINLOCK spinLock)
{
    SIM_SPIN* spin = SimSpinOf(spinLock, "WdfSpinLockAcquire");

    spin->oldIrql = KeAcquireSpinLockRaiseToDpc(&spin->lock);
}

void WdfSpinLockRelease(WDFSPINLOCK spinLock)
{
    SIM_SPIN* spin = SimSpinOf(spinLock, "WdfSpinLockRelease");

    KeReleaseSpinLock(&spin->lock, spin->oldIrql);
}

//
// WdfObjectDelete on an I/O object (kmdf.c asks here first). The driver may
// delete a queue it created, except the default queue (WdfObjectDelete);
// the queue's requests are cancelled.
//
BOOLEAN SimIoObjectDelete(WDFOBJECT object)
{
    if (SimListHas(&SimQueues, object)) {
        SIM_QUEUE* queue = SimQueueOf((WDFQUEUE)object, "WdfObjectDelete");
        SIM_REQUEST* head;

        if (queue->config.DefaultQueue) {
            SimBugCheck("WDF_VIOLATION: WdfObjectDelete on a default queue: the framework deletes it with its device");
        }
        while ((head = SimQueueHead(queue, NULL)) != NULL) {
            SimCancelQueued(head);
        }
        queue->deleted = TRUE;
        SimIoDetach(queue);
        return TRUE;
    }
    if (SimListHas(&SimSpins, object)) {
        SIM_SPIN* spin = SimSpinOf((WDFSPINLOCK)object, "WdfObjectDelete");

        if (spin->lock != 0) {
            SimBugCheck("WdfObjectDelete on a spin lock that is held");
        }
        spin->deleted = TRUE;
        SimIoDetach(spin);
        return TRUE;
    }
    if (SimListHas(&SimRequests, object)) {
        SimBugCheck("WDF_VIOLATION: WdfObjectDelete on a WDFREQUEST the framework created: complete it instead");
    }
    if (SimListHas(&SimHandles, object)) {
        SimBugCheck("WDF_VIOLATION: WdfObjectDelete on a WDFFILEOBJECT: the framework deletes file objects");
    }
    return FALSE;
}

//
// The device goes (WdfObjectDelete, or the framework after unload): a
// request not completed by now is leaked. Its link goes with it.
//
void SimIoDeviceDeleted(WDFDEVICE device)
{
    SIM_IO_DEVICE* deleted = SimIoDeviceOf(device);

    if (deleted == NULL) {
        return;
    }
    for (ULONG i = 0; i < SimRequests.count; i++) {
        SIM_REQUEST* request = SimRequests.items[i];

        if (request->device == deleted && request->state != SimRequestCompleted) {
            SimViolation("request leaked: IOCTL 0x%08lX is still pending (%s) when the control device is deleted: "
                         "the driver completes every request it was given before the device goes (unload "
                         "completes every pending request; KMDF Verifier reports leaked requests)",
                         (unsigned long)request->code,
                         request->state == SimRequestQueued ? "in a queue of the driver's" : "owned by the driver");
        }
    }
    for (ULONG i = 0; i < SimQueues.count; i++) {
        SIM_QUEUE* queue = SimQueues.items[i];

        if (queue->device == deleted && !queue->deleted) {
            queue->deleted = TRUE;
            SimIoDetach(queue);
        }
    }
    deleted->deleted = TRUE;
    SimIoDetach(device);
}

void SimIoCheckClean(const char* when)
{
    for (ULONG i = 0; i < SimRequests.count; i++) {
        SIM_REQUEST* request = SimRequests.items[i];

        if (request->state != SimRequestCompleted) {
            SimViolation("request leaked %s: IOCTL 0x%08lX was never completed", when, (unsigned long)request->code);
        }
    }
    for (ULONG i = 0; i < SimSpins.count; i++) {
        SIM_SPIN* spin = SimSpins.items[i];

        if (!spin->deleted && spin->lock != 0) {
            SimBugCheck("framework spin lock still held %s", when);
        }
    }
}

