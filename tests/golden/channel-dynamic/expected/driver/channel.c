//
// channel.c - the control channel between LitwareMonitor and user mode.
//
// A named control device, LITWARE_MONITOR_DEVICE_NAME with the symbolic link
// LITWARE_MONITOR_LINK_NAME, that only SYSTEM and Administrators may open. Its
// default queue takes the IOCTLs of ../include/LitwareMonitor_ioctl.h.
// GET_EVENTS works by "inverted call": user mode keeps requests outstanding,
// they wait in a manual queue, and classify completes one when it records an
// event. Events that find no waiting request go into a bounded ring in
// nonpaged memory; when the ring is full they are counted as dropped, so
// traffic never waits for user mode.
//
// ChannelLock (an in-stack queued spin lock) guards the ring, the sequence
// number and the stopped flag. The driver completes no
// request while it holds the lock: completion runs the I/O manager's and
// other drivers' completion code, which must not wait on this lock.
//

#include "driver.h"
#include <wdmsec.h>
#include "channel.h"

#define CHANNEL_RING_TAG 'EtiL' // "LitE" in pool tools
#define CHANNEL_RING_SIZE 256u     // events kept while no GET_EVENTS request waits

//
// The smallest GET_EVENTS output buffer: the header and one event.
//
#define CHANNEL_EVENTS_MIN_SIZE (sizeof(LITWARE_MONITOR_EVENTS) + sizeof(LITWARE_MONITOR_EVENT))

//
// The callout numbers of the shared header are the driver's CALLOUT_INDEX.
//
C_ASSERT(LITWARE_MONITOR_CALLOUT_COUNT == CALLOUT_COUNT);
C_ASSERT(LITWARE_MONITOR_CALLOUT_CONNECT_V4 == CALLOUT_CONNECT_V4);
C_ASSERT(LITWARE_MONITOR_CALLOUT_CONNECT_V6 == CALLOUT_CONNECT_V6);
C_ASSERT(LITWARE_MONITOR_CALLOUT_TRANSPORT_OUT_V4 == CALLOUT_TRANSPORT_OUT_V4);

typedef struct _CHANNEL_CALLOUT {
    //
    // Updated with interlocked operations by classify on any processor, and
    // read the same way: a plain 64-bit read can tear on 32-bit x86.
    //
    volatile LONG64 Classifies;
    volatile LONG64 Permits;
    volatile LONG64 Blocks;
    volatile LONG64 EventsDropped;
    volatile LONG Enabled;
} CHANNEL_CALLOUT;

static CHANNEL_CALLOUT ChannelCallouts[CALLOUT_COUNT];

static KSPIN_LOCK ChannelLock;
static BOOLEAN ChannelStopped;     // ChannelStop ran: nothing is queued or kept any more
static ULONG ChannelRingFirst;     // index of the oldest event
static ULONG ChannelRingCount;
static UINT64 ChannelSequence;     // of the last event recorded or dropped
static WDFQUEUE ChannelEventQueue; // manual: GET_EVENTS requests waiting for an event

//
// CHANNEL_RING_SIZE events in nonpaged memory, NULL once stopped.
//
static LITWARE_MONITOR_EVENT* ChannelRing;

EVT_WDF_FILE_CLEANUP ChannelEvtFileCleanup;
EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL ChannelEvtIoDeviceControl;

_IRQL_requires_max_(DISPATCH_LEVEL)
static
UINT64
ChannelRead64(
    _In_ volatile LONG64* value
    )
{
    //
    // Exchanging a value with itself is an atomic read on every architecture.
    //
    return (UINT64)InterlockedCompareExchange64(value, 0, 0);
}

//
// Forgets what an earlier load of the driver left in the globals.
//
_IRQL_requires_(PASSIVE_LEVEL)
static
void
ChannelReset(
    void
    )
{
    ULONG i;

    RtlZeroMemory(ChannelCallouts, sizeof(ChannelCallouts));
    for (i = 0; i < CALLOUT_COUNT; i++) {
        ChannelCallouts[i].Enabled = 1;
    }
    KeInitializeSpinLock(&ChannelLock);
    ChannelStopped = FALSE;
    ChannelRing = NULL;
    ChannelRingFirst = 0;
    ChannelRingCount = 0;
    ChannelSequence = 0;
    ChannelEventQueue = NULL;
}

//
// Names the device and sets who may open it and how. Frees nothing: on
// failure the caller frees deviceInit.
//
_IRQL_requires_(PASSIVE_LEVEL)
static
NTSTATUS
ChannelInitDevice(
    _Inout_ PWDFDEVICE_INIT deviceInit
    )
{
    UNICODE_STRING deviceName;
    WDF_FILEOBJECT_CONFIG fileConfig;
    NTSTATUS status;

    RtlInitUnicodeString(&deviceName, LITWARE_MONITOR_DEVICE_NAME);
    status = WdfDeviceInitAssignName(deviceInit, &deviceName);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    //
    // FILE_DEVICE_SECURE_OPEN applies the device's security to opens of any
    // name below it too (\Device\LitwareMonitor\anything), which would
    // otherwise bypass it (Microsoft Learn, "Controlling Device Namespace
    // Access").
    //
    WdfDeviceInitSetDeviceType(deviceInit, LITWARE_MONITOR_DEVICE_TYPE);
    WdfDeviceInitSetCharacteristics(deviceInit, FILE_DEVICE_SECURE_OPEN, FALSE);

    //
    // The IOCTLs say METHOD_BUFFERED themselves; the device's I/O type is
    // what a read or write request would use, should one be added.
    //
    WdfDeviceInitSetIoType(deviceInit, WdfDeviceIoBuffered);

    //
    // Cleanup comes when the last handle to a file object closes, while
    // requests may still be pending on it; close would wait for them
    // (Microsoft Learn, "Framework File Objects"). So cleanup completes them.
    //
    WDF_FILEOBJECT_CONFIG_INIT(&fileConfig, WDF_NO_EVENT_CALLBACK, WDF_NO_EVENT_CALLBACK, ChannelEvtFileCleanup);
    WdfDeviceInitSetFileObjectConfig(deviceInit, &fileConfig, WDF_NO_OBJECT_ATTRIBUTES);
    return STATUS_SUCCESS;
}

//
// The default queue for the IOCTLs, the manual queue where GET_EVENTS
// requests wait, and the name user mode opens.
//
_IRQL_requires_(PASSIVE_LEVEL)
static
NTSTATUS
ChannelCreateQueues(
    _In_ WDFDEVICE device
    )
{
    WDF_IO_QUEUE_CONFIG queueConfig;
    UNICODE_STRING linkName;
    NTSTATUS status;

    //
    // Parallel: every handler is short and safe to run concurrently
    // (interlocked counters, ChannelLock), and a slow caller must
    // not hold up another one. A control device has no power management
    // (Microsoft Learn, "Using Control Device Objects"), so neither have its
    // queues.
    //
    WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(&queueConfig, WdfIoQueueDispatchParallel);
    queueConfig.EvtIoDeviceControl = ChannelEvtIoDeviceControl;
    queueConfig.PowerManaged = WdfFalse;
    status = WdfIoQueueCreate(device, &queueConfig, WDF_NO_OBJECT_ATTRIBUTES, WDF_NO_HANDLE);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    //
    // While a request sits in a queue, the framework cancels it by itself
    // when its sender asks (Microsoft Learn, "Canceling I/O Requests"), so a
    // waiting GET_EVENTS needs no cancel routine of ours.
    //
    WDF_IO_QUEUE_CONFIG_INIT(&queueConfig, WdfIoQueueDispatchManual);
    queueConfig.PowerManaged = WdfFalse;
    status = WdfIoQueueCreate(device, &queueConfig, WDF_NO_OBJECT_ATTRIBUTES, &ChannelEventQueue);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    //
    // A control device is outside Plug and Play, so it cannot register a
    // device interface; a symbolic link is how user mode finds it (Microsoft
    // Learn, "Using Control Device Objects"). Global, so that every session
    // sees it.
    //
    RtlInitUnicodeString(&linkName, LITWARE_MONITOR_LINK_NAME);
    return WdfDeviceCreateSymbolicLink(device, &linkName);
}

_Use_decl_annotations_
NTSTATUS
ChannelCreate(
    WDFDRIVER driver,
    WDFDEVICE* device
    )
{
    PWDFDEVICE_INIT deviceInit;
    NTSTATUS status;

    *device = NULL;
    ChannelReset();

    ChannelRing = PoolAllocateNonPaged(CHANNEL_RING_SIZE * sizeof(LITWARE_MONITOR_EVENT), CHANNEL_RING_TAG);
    if (ChannelRing == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }

    //
    // SDDL_DEVOBJ_SYS_ALL_ADM_ALL, "D:P(A;;GA;;;SY)(A;;GA;;;BA)": only
    // LocalSystem and the Administrators group may open the device, with any
    // access (Microsoft Learn, "SDDL for Device Objects"). The channel
    // changes what the driver lets through, so nobody else may use it.
    //
    deviceInit = WdfControlDeviceInitAllocate(driver, &SDDL_DEVOBJ_SYS_ALL_ADM_ALL);
    if (deviceInit == NULL) {
        status = STATUS_INSUFFICIENT_RESOURCES;
    } else {
        status = ChannelInitDevice(deviceInit);
        if (NT_SUCCESS(status)) {
            status = WdfDeviceCreate(&deviceInit, WDF_NO_OBJECT_ATTRIBUTES, device);
        }
        if (!NT_SUCCESS(status)) {
            //
            // Only a successful WdfDeviceCreate takes ownership of deviceInit.
            //
            WdfDeviceInitFree(deviceInit);
            *device = NULL;
        }
    }

    if (NT_SUCCESS(status)) {
        status = ChannelCreateQueues(*device);
        if (!NT_SUCCESS(status)) {
            //
            // The queues and the link are the device's children and go with it.
            //
            WdfObjectDelete(*device);
            *device = NULL;
        }
    }

    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(ChannelRing, CHANNEL_RING_TAG);
        ChannelRing = NULL;
        ChannelEventQueue = NULL;
        return status;
    }

    WdfControlFinishInitializing(*device);
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
void
ChannelStop(
    void
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;
    LITWARE_MONITOR_EVENT* ring;
    WDFREQUEST request;

    KeAcquireInStackQueuedSpinLock(&ChannelLock, &lockHandle);
    ChannelStopped = TRUE;
    ring = ChannelRing;
    ChannelRing = NULL;
    ChannelRingCount = 0;
    KeReleaseInStackQueuedSpinLock(&lockHandle);

    //
    // Nothing is forwarded to the queue once ChannelStopped is set, so this
    // empties it for good. STATUS_CANCELLED is what the framework itself
    // completes queued requests with when a queue is purged (Microsoft Learn,
    // WdfIoQueuePurge); user mode sees ERROR_OPERATION_ABORTED and stops
    // reading.
    //
    if (ChannelEventQueue != NULL) {
        while (NT_SUCCESS(WdfIoQueueRetrieveNextRequest(ChannelEventQueue, &request))) {
            WdfRequestComplete(request, STATUS_CANCELLED);
        }
    }

    if (ring != NULL) {
        ExFreePoolWithTag(ring, CHANNEL_RING_TAG);
    }
}

_Use_decl_annotations_
BOOLEAN
ChannelCalloutEnabled(
    CALLOUT_INDEX callout
    )
{
    return ChannelCallouts[callout].Enabled != 0;
}

_Use_decl_annotations_
void
ChannelCountClassify(
    CALLOUT_INDEX callout,
    FWP_ACTION_TYPE verdict
    )
{
    CHANNEL_CALLOUT* state = &ChannelCallouts[callout];

    InterlockedIncrement64(&state->Classifies);
    if (verdict == FWP_ACTION_PERMIT) {
        InterlockedIncrement64(&state->Permits);
    } else if (verdict == FWP_ACTION_BLOCK) {
        InterlockedIncrement64(&state->Blocks);
    }
}

//
// Copies as many ring events as fit into a GET_EVENTS output buffer and
// returns the bytes written. Called with ChannelLock held and at least one
// event in the ring.
//
_IRQL_requires_(DISPATCH_LEVEL)
static
ULONG_PTR
ChannelDrainRing(
    _Out_writes_bytes_(length) void* buffer,
    _In_ size_t length
    )
{
    LITWARE_MONITOR_EVENTS* header = buffer;
    LITWARE_MONITOR_EVENT* events = (LITWARE_MONITOR_EVENT*)(header + 1);
    size_t room = (length - sizeof(*header)) / sizeof(*events);
    ULONG count = (room < ChannelRingCount) ? (ULONG)room : ChannelRingCount;
    ULONG i;

    for (i = 0; i < count; i++) {
        events[i] = ChannelRing[(ChannelRingFirst + i) % CHANNEL_RING_SIZE];
    }
    ChannelRingFirst = (ChannelRingFirst + count) % CHANNEL_RING_SIZE;
    ChannelRingCount -= count;

    RtlZeroMemory(header, sizeof(*header));
    header->Size = (UINT32)(sizeof(*header) + count * sizeof(*events));
    header->Count = count;
    return header->Size;
}

//
// IOCTL_LITWARE_MONITOR_GET_EVENTS: completes at once when events are waiting,
// otherwise parks the request in the manual queue for ChannelRecordEvent.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ChannelGetEvents(
    _In_ WDFREQUEST request
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;
    void* buffer;
    size_t length;
    ULONG_PTR written = 0;
    BOOLEAN queued = FALSE;
    NTSTATUS status;

    //
    // Checked now, so that a request that waits can always take an event.
    //
    status = WdfRequestRetrieveOutputBuffer(request, CHANNEL_EVENTS_MIN_SIZE, &buffer, &length);
    if (!NT_SUCCESS(status)) {
        WdfRequestComplete(request, status);
        return;
    }

    //
    // Under the lock, so that an event recorded meanwhile either is in the
    // ring now or finds this request in the queue.
    //
    KeAcquireInStackQueuedSpinLock(&ChannelLock, &lockHandle);
    if (ChannelStopped) {
        status = STATUS_CANCELLED;
    } else if (ChannelRingCount > 0) {
        written = ChannelDrainRing(buffer, length);
    } else {
        status = WdfRequestForwardToIoQueue(request, ChannelEventQueue);
        queued = NT_SUCCESS(status);
    }
    KeReleaseInStackQueuedSpinLock(&lockHandle);

    if (!queued) {
        WdfRequestCompleteWithInformation(request, status, written);
    }
}

//
// Writes one event into a waiting GET_EVENTS request's buffer and returns
// the bytes written, or 0 if the buffer cannot take it.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
ULONG_PTR
ChannelFillRequest(
    _In_ WDFREQUEST request,
    _In_ const LITWARE_MONITOR_EVENT* event
    )
{
    LITWARE_MONITOR_EVENTS* header;
    size_t length;

    if (!NT_SUCCESS(WdfRequestRetrieveOutputBuffer(request, CHANNEL_EVENTS_MIN_SIZE, (void**)&header, &length))) {
        return 0;
    }
    RtlZeroMemory(header, CHANNEL_EVENTS_MIN_SIZE);
    header->Size = (UINT32)CHANNEL_EVENTS_MIN_SIZE;
    header->Count = 1;
    *(LITWARE_MONITOR_EVENT*)(header + 1) = *event;
    return CHANNEL_EVENTS_MIN_SIZE;
}

_Use_decl_annotations_
void
ChannelRecordEvent(
    const LITWARE_MONITOR_EVENT* event
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;
    LITWARE_MONITOR_EVENT recorded = *event;
    WDFREQUEST request = NULL;
    ULONG_PTR written = 0;

    NT_ASSERT(event->Callout < CALLOUT_COUNT);

    recorded.Size = sizeof(recorded);

    KeAcquireInStackQueuedSpinLock(&ChannelLock, &lockHandle);
    recorded.Sequence = ++ChannelSequence;

    //
    // A request waits only while the ring is empty (ChannelGetEvents), so
    // handing this event to it keeps the events in order.
    //
    if (!ChannelStopped &&
        NT_SUCCESS(WdfIoQueueRetrieveNextRequest(ChannelEventQueue, &request))) {
        written = ChannelFillRequest(request, &recorded);
    }

    if (written == 0) {
        if (!ChannelStopped && ChannelRingCount < CHANNEL_RING_SIZE) {
            ChannelRing[(ChannelRingFirst + ChannelRingCount) % CHANNEL_RING_SIZE] = recorded;
            ChannelRingCount++;
        } else {
            InterlockedIncrement64(&ChannelCallouts[event->Callout].EventsDropped);
        }
    }
    KeReleaseInStackQueuedSpinLock(&lockHandle);

    //
    // Outside the lock: see the top of the file.
    //
    if (request != NULL) {
        WdfRequestCompleteWithInformation(request, (written != 0) ? STATUS_SUCCESS : STATUS_BUFFER_TOO_SMALL, written);
    }
}

_Use_decl_annotations_
void
ChannelEvtFileCleanup(
    WDFFILEOBJECT fileObject
    )
{
    WDFREQUEST request;

    //
    // The handle is gone: nobody will read what its waiting requests get.
    //
    while (NT_SUCCESS(WdfIoQueueRetrieveRequestByFileObject(ChannelEventQueue, fileObject, &request))) {
        WdfRequestComplete(request, STATUS_CANCELLED);
    }
}

//
// The input structure of an IOCTL: exactly `size` bytes, since every one of
// them has a fixed size. A shorter buffer fails here with
// STATUS_BUFFER_TOO_SMALL (WdfRequestRetrieveInputBuffer).
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
ChannelGetInput(
    _In_ WDFREQUEST request,
    _In_ size_t size,
    _Outptr_result_bytebuffer_(size) void** buffer
    )
{
    size_t length;
    NTSTATUS status;

    status = WdfRequestRetrieveInputBuffer(request, size, buffer, &length);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    return (length == size) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

//
// The Size and Version fields that every input structure starts with.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
ChannelCheckHeader(
    _In_ UINT32 size,
    _In_ UINT32 version,
    _In_ size_t expectedSize
    )
{
    if (size != expectedSize) {
        return STATUS_INVALID_PARAMETER;
    }
    return (version == LITWARE_MONITOR_INTERFACE_VERSION) ? STATUS_SUCCESS : STATUS_REVISION_MISMATCH;
}

//
// The output structure of an IOCTL, zeroed, padding included, so that no
// byte of old pool content reaches user mode.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
ChannelGetOutput(
    _In_ WDFREQUEST request,
    _In_ size_t size,
    _Outptr_result_bytebuffer_(size) void** buffer
    )
{
    NTSTATUS status;

    status = WdfRequestRetrieveOutputBuffer(request, size, buffer, NULL);
    if (NT_SUCCESS(status)) {
        RtlZeroMemory(*buffer, size);
    }
    return status;
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
ChannelGetVersion(
    _In_ WDFREQUEST request,
    _Out_ ULONG_PTR* written
    )
{
    static const UINT16 driverVersion[4] = { 1,0,0,0 };
    LITWARE_MONITOR_VERSION_INFO* info;
    NTSTATUS status;

    *written = 0;
    status = ChannelGetOutput(request, sizeof(*info), (void**)&info);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    info->Size = sizeof(*info);
    info->InterfaceVersion = LITWARE_MONITOR_INTERFACE_VERSION;
    RtlCopyMemory(info->DriverVersion, driverVersion, sizeof(info->DriverVersion));
    info->CalloutCount = LITWARE_MONITOR_CALLOUT_COUNT;
    info->Features = 0 | LITWARE_MONITOR_FEATURE_EVENTS;
    *written = sizeof(*info);
    return STATUS_SUCCESS;
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
ChannelGetStatistics(
    _In_ WDFREQUEST request,
    _Out_ ULONG_PTR* written
    )
{
    LITWARE_MONITOR_STATISTICS* statistics;
    ULONG i;
    NTSTATUS status;

    *written = 0;
    status = ChannelGetOutput(request, sizeof(*statistics), (void**)&statistics);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    statistics->Size = sizeof(*statistics);
    statistics->CalloutCount = LITWARE_MONITOR_CALLOUT_COUNT;
    for (i = 0; i < CALLOUT_COUNT; i++) {
        CHANNEL_CALLOUT* state = &ChannelCallouts[i];
        LITWARE_MONITOR_CALLOUT_STATISTICS* out = &statistics->Callouts[i];

        out->Classifies = ChannelRead64(&state->Classifies);
        out->Permits = ChannelRead64(&state->Permits);
        out->Blocks = ChannelRead64(&state->Blocks);
        out->EventsDropped = ChannelRead64(&state->EventsDropped);
        out->Enabled = (state->Enabled != 0) ? 1u : 0u;
    }
    *written = sizeof(*statistics);
    return STATUS_SUCCESS;
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
ChannelSetCallout(
    _In_ WDFREQUEST request
    )
{
    LITWARE_MONITOR_SET_CALLOUT input;
    void* buffer;
    NTSTATUS status;

    status = ChannelGetInput(request, sizeof(input), &buffer);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    RtlCopyMemory(&input, buffer, sizeof(input));

    status = ChannelCheckHeader(input.Size, input.Version, sizeof(input));
    if (!NT_SUCCESS(status)) {
        return status;
    }
    if (input.Callout >= CALLOUT_COUNT || input.Enable > 1) {
        return STATUS_INVALID_PARAMETER;
    }

    InterlockedExchange(&ChannelCallouts[input.Callout].Enabled, (LONG)input.Enable);
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
void
ChannelEvtIoDeviceControl(
    WDFQUEUE queue,
    WDFREQUEST request,
    size_t outputBufferLength,
    size_t inputBufferLength,
    ULONG ioControlCode
    )
{
    ULONG_PTR written = 0;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(queue);

    //
    // The handlers ask the framework for the buffers with their exact
    // minimum sizes instead of trusting these lengths.
    //
    UNREFERENCED_PARAMETER(outputBufferLength);
    UNREFERENCED_PARAMETER(inputBufferLength);

    //
    // The I/O manager has already checked the handle's access against the
    // code's FILE_READ_DATA / FILE_WRITE_DATA bits.
    //
    switch (ioControlCode) {
    case IOCTL_LITWARE_MONITOR_GET_VERSION:
        status = ChannelGetVersion(request, &written);
        break;
    case IOCTL_LITWARE_MONITOR_GET_STATISTICS:
        status = ChannelGetStatistics(request, &written);
        break;
    case IOCTL_LITWARE_MONITOR_SET_CALLOUT:
        status = ChannelSetCallout(request);
        break;
    case IOCTL_LITWARE_MONITOR_GET_EVENTS:
        ChannelGetEvents(request); // completes the request or keeps it
        return;
    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }

    //
    // Exactly the bytes written: with METHOD_BUFFERED the I/O manager copies
    // this many bytes of the system buffer back to the caller.
    //
    WdfRequestCompleteWithInformation(request, status, written);
}
