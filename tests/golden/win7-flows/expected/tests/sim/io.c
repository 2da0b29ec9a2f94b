//
// io.c - the I/O a control device receives: names and symbolic links, opens
// by user-mode programs, framework queues and requests, buffered IOCTLs,
// completion, cancellation, cleanup and close. Tests act as the user-mode
// program through sim.h (SimOpenDevice, SimDeviceIoControl, ...).
//
// Reproduced rules (Microsoft Learn pages named at each rule):
// - a device is opened through its symbolic link; the device's SDDL decides
//   who may open it and with what access ("SDDL for Device Objects"), and
//   the framework always sets FILE_DEVICE_SECURE_OPEN, so the same check
//   applies to names below the device (WdfDeviceInitSetCharacteristics);
// - an IOCTL whose CTL_CODE requires FILE_READ_DATA or FILE_WRITE_DATA
//   fails with STATUS_ACCESS_DENIED on a handle opened without that access,
//   before the driver sees it ("Defining I/O Control Codes");
// - METHOD_BUFFERED: one system buffer as large as the larger of the two
//   buffers, holding the input; the rest is not zeroed; on completion the
//   I/O manager copies Information bytes back ("Buffer Descriptions for I/O
//   Control Codes"); Information larger than the output buffer is a bug
//   check (Driver Verifier, "I/O Verification"), and bytes returned that
//   the driver never wrote are pool content leaked to user mode;
// - a request is completed exactly once, by its owner, and never used
//   after completion ("Completing I/O Requests", WdfRequestComplete; KMDF
//   stops with bug check 0x10D, WDF_VIOLATION);
// - queues present requests one at a time (sequential) or as they come
//   (parallel), or keep them until the driver retrieves them (manual)
//   ("Dispatching Methods for I/O Requests");
// - a request the user cancels while it waits in a queue is completed by
//   the framework with STATUS_CANCELLED, or handed to EvtIoCanceledOnQueue;
//   one the driver owns is cancelled only when the driver completes it
//   ("Canceling I/O Requests");
// - closing the last handle runs EvtFileCleanup, then the framework cancels
//   that file's requests still in its queues; EvtFileClose comes once none
//   of the file's requests is outstanding (EVT_WDF_FILE_CLEANUP,
//   EVT_WDF_FILE_CLOSE, "Framework File Objects");
// - every request is completed before its device is deleted (KMDF
//   Verifier reports leaked requests; the channel's contract: unload
//   completes every pending request);
// - each method checks the IRQL its page gives (most up to DISPATCH_LEVEL;
//   names, links and WdfIoQueuePurgeSynchronously at PASSIVE_LEVEL), and
//   the calls that allocate go through the fault injection
//   (WdfDeviceInitAssignName, WdfDeviceCreateSymbolicLink, WdfIoQueueCreate,
//   WdfSpinLockCreate).
//
// How unwritten bytes are found: a request completed during the user-mode
// call runs twice, with two fill patterns, the second time in a forked copy
// of the test (SimDispatchTwice), and any returned byte that differs is
// one the driver never wrote. A request completed later (an event for a
// waiting GET_EVENTS) is checked for three or more bytes in a row that still
// hold the fill pattern, so that a byte the driver wrote and that happens to
// equal the pattern is no false alarm.
//
// Simplifications: one thread, so a dispatching queue presents its next
// request when the test's current user-mode call returns. Windows calls
// the unload routine only once no handle is open and no request outstanding
// ("Unload Routine Environment"); a test may still unload with requests
// pending, to check the driver's promise that unload completes them all
// (the "request leaked" rule is that promise, not a Windows rule).
//

// fork, pipe and waitpid under -std=c11, before any system header.
#if defined(__unix__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE 1
#endif

#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#if defined(__unix__) || defined(__APPLE__)
#define SIM_CAN_FORK 1
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#else
#define SIM_CAN_FORK 0
#endif

#define SIM_REQUEST_MAGIC 0x51524551u // "QERQ"
#define SIM_QUEUE_MAGIC 0x55455551u
#define SIM_HANDLE_MAGIC 0x454C4946u
#define SIM_LOCK_MAGIC 0x4B434F4Cu
#define SIM_LEAK_RUN 3 // unwritten bytes in a row that count as a leak

typedef enum SIM_REQUEST_STATE { SimRequestQueued = 1, SimRequestOwned, SimRequestCompleted } SIM_REQUEST_STATE;

typedef struct SIM_IO_DEVICE SIM_IO_DEVICE;
typedef struct SIM_QUEUE SIM_QUEUE;

//
// The user's handle and the file object behind it: one handle per open.
//
struct SIM_HANDLE {
    ULONG magic;
    SIM_IO_DEVICE* device;
    ULONG granted;        // FILE_READ_DATA | FILE_WRITE_DATA
    BOOLEAN closed;       // the user closed the handle
    BOOLEAN cleanedUp;    // cleanup ran, and the framework cancelled the file's queued requests
    BOOLEAN closeDone;    // EvtFileClose ran (or there is none)
    ULONG outstanding;    // requests of this file not completed
    UINT64 processId;     // the process that opened it
};

typedef struct SIM_REQUEST {
    ULONG magic;
    SIM_IO_DEVICE* device;
    SIM_HANDLE* file;
    SIM_IO* io;
    ULONG code;
    ULONG inLength, outLength;
    UINT8* system;        // METHOD_BUFFERED: the system buffer, max(in, out) bytes
    ULONG sequence;
    SIM_REQUEST_STATE state;
    SIM_QUEUE* queue;     // the queue it waits in
    ULONGLONG order;      // arrival order in that queue
    SIM_QUEUE* presentedBy; // the dispatching queue it was presented from
    BOOLEAN cancelled;    // the user cancelled it
    BOOLEAN create;       // the create request of EvtDeviceFileCreate
    NTSTATUS status;      // how it was completed
    ULONG_PTR information;
} SIM_REQUEST;

struct SIM_IO {
    SIM_REQUEST* request;
    BOOLEAN done;
    BOOLEAN detached;     // SimDeviceIoControl pended it: nobody frees it but the reset
    NTSTATUS status;
    ULONG returned;
    UINT8* out;           // the user's output buffer
    ULONG outLength;
};

struct SIM_QUEUE {
    ULONG magic;
    SIM_IO_DEVICE* device;
    WDF_IO_QUEUE_CONFIG config;
    BOOLEAN deleted;
    BOOLEAN purged;       // not accepting requests until WdfIoQueueStart
    ULONG presented;      // presented and not yet completed or forwarded
};

struct SIM_IO_DEVICE {
    WDFDEVICE handle;
    BOOLEAN deleted;
    SIM_IO_INIT init;
    WCHAR link[SIM_IO_NAME]; // the link's last component, as user mode names it
    SIM_QUEUE* defaultQueue;
};

typedef struct SIM_SPIN {
    ULONG magic;
    KSPIN_LOCK lock;
    KIRQL oldIrql;
    BOOLEAN deleted;
} SIM_SPIN;

//
// Everything lives until the next boot, so a stale handle is recognised.
//
typedef struct SIM_LIST {
    void** items;
    ULONG count, capacity;
} SIM_LIST;

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

static SIM_LIST SimContexts;
static UINT64 SimProcessId = 4242;

static SIM_LIST SimDevicesIo, SimRequests, SimQueues, SimHandles, SimIos, SimSpins;
static ULONG SimRequestSequence;
static ULONGLONG SimQueueOrder;

//
// The SDDL strings of wdmsec.h ("SDDL for Device Objects"); kmdf.c has
// SDDL_DEVOBJ_KERNEL_ONLY.
//
#define SIM_SDDL(text) { sizeof(text) - sizeof(WCHAR), sizeof(text), (PWSTR)(text) }
const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL = SIM_SDDL(L"D:P(A;;GA;;;SY)");
const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_ALL = SIM_SDDL(L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");
const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RX_WORLD_RW_RES_R =
    SIM_SDDL(L"D:P(A;;GA;;;SY)(A;;GRGX;;;BA)(A;;GRGW;;;WD)(A;;GR;;;RC)");

static void* SimIoAlloc(size_t size)
{
    void* block = calloc(1, size == 0 ? 1 : size);

    if (block == NULL) {
        SimBugCheck("the simulation ran out of memory");
    }
    return block;
}

static void SimListAdd(SIM_LIST* list, void* item)
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

static BOOLEAN SimListHas(const SIM_LIST* list, const void* item)
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

static void SimReleaseIo(void* item)
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
static SIM_REQUEST* SimRequestOf(WDFREQUEST handle, const char* api)
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

static SIM_REQUEST* SimOwnedRequestOf(WDFREQUEST handle, const char* api)
{
    SIM_REQUEST* request = SimRequestOf(handle, api);

    if (request->state != SimRequestOwned) {
        SimBugCheck("WDF_VIOLATION: %s on a request the driver does not own: it waits in a queue (retrieve it "
                    "first, \"Request Ownership\")", api);
    }
    return request;
}

static SIM_QUEUE* SimQueueOf(WDFQUEUE handle, const char* api)
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

static SIM_HANDLE* SimFileOf(WDFFILEOBJECT handle, const char* api)
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

static SIM_IO_DEVICE* SimIoDeviceOf(WDFDEVICE handle)
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
// The process the test plays: the caller of every user-mode call, and what
// PsGetCurrentProcessId answers in the driver's callbacks.
//
void SimSetCurrentProcessId(UINT64 processId)
{
    SimProcessId = processId;
}

HANDLE PsGetCurrentProcessId(void)
{
    return (HANDLE)(ULONG_PTR)SimProcessId;
}

//
// Names. WdfDeviceInitAssignName and WdfDeviceCreateSymbolicLink: PASSIVE_LEVEL,
// and both allocate, so both can fail. A name is one object-manager name:
// two devices or two links with the same name collide
// (STATUS_OBJECT_NAME_COLLISION, IoCreateDevice, IoCreateSymbolicLink).
//
static BOOLEAN SimCopyName(WCHAR* to, const UNICODE_STRING* from)
{
    size_t length = from->Length / sizeof(WCHAR);

    if (from->Buffer == NULL || length == 0 || length >= SIM_IO_NAME) {
        return FALSE;
    }
    wmemcpy(to, from->Buffer, length);
    to[length] = L'\0';
    return TRUE;
}

static BOOLEAN SimNameEqual(const WCHAR* a, const WCHAR* b)
{
    while (*a != L'\0' && towlower((wint_t)*a) == towlower((wint_t)*b)) {
        a++;
        b++;
    }
    return towlower((wint_t)*a) == towlower((wint_t)*b);
}

//
// The part of a link name user mode opens as \\.\NAME: the name under the
// DOS devices directory ("Introduction to MS-DOS Device Names").
//
static const WCHAR* SimDosName(const WCHAR* link)
{
    static const WCHAR* const prefixes[] = { L"\\DosDevices\\Global\\", L"\\DosDevices\\", L"\\??\\Global\\",
                                             L"\\??\\", L"\\GLOBAL??\\" };

    for (size_t i = 0; i < SIM_COUNT(prefixes); i++) {
        size_t length = wcslen(prefixes[i]);
        WCHAR head[32];

        if (wcslen(link) > length) {
            wmemcpy(head, link, length);
            head[length] = L'\0';
            if (SimNameEqual(head, prefixes[i])) {
                return link + length;
            }
        }
    }
    return NULL;
}

void RtlInitUnicodeString(PUNICODE_STRING destinationString, PCWSTR sourceString)
{
    size_t length = sourceString != NULL ? wcslen(sourceString) * sizeof(WCHAR) : 0;

    destinationString->Buffer = (PWCH)(ULONG_PTR)sourceString;
    destinationString->Length = (USHORT)length;
    destinationString->MaximumLength = (USHORT)(sourceString != NULL ? length + sizeof(WCHAR) : 0);
}

NTSTATUS WdfDeviceInitAssignName(PWDFDEVICE_INIT deviceInit, PCUNICODE_STRING deviceName)
{
    SIM_IO_INIT* init = SimDeviceInitIo(deviceInit, "WdfDeviceInitAssignName");

    SimRequireIrql(PASSIVE_LEVEL, "WdfDeviceInitAssignName");
    if (deviceName == NULL) {
        init->name[0] = L'\0';
        return STATUS_SUCCESS;
    }
    if (SimFaultShouldFail("WdfDeviceInitAssignName")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    if (!SimCopyName(init->name, deviceName)) {
        SimBugCheck("WdfDeviceInitAssignName: the name is empty or longer than the simulation keeps (%d)",
                    SIM_IO_NAME - 1);
    }
    return STATUS_SUCCESS;
}

void WdfDeviceInitSetIoType(PWDFDEVICE_INIT deviceInit, WDF_DEVICE_IO_TYPE ioType)
{
    SimRequireIrql(DISPATCH_LEVEL, "WdfDeviceInitSetIoType");
    SimDeviceInitIo(deviceInit, "WdfDeviceInitSetIoType")->ioType = ioType;
}

void WdfDeviceInitSetExclusive(PWDFDEVICE_INIT deviceInit, BOOLEAN isExclusive)
{
    SimRequireIrql(DISPATCH_LEVEL, "WdfDeviceInitSetExclusive");
    SimDeviceInitIo(deviceInit, "WdfDeviceInitSetExclusive")->exclusive = isExclusive;
}

void WDF_FILEOBJECT_CONFIG_INIT(WDF_FILEOBJECT_CONFIG* config, PFN_WDF_DEVICE_FILE_CREATE evtDeviceFileCreate,
                                PFN_WDF_FILE_CLOSE evtFileClose, PFN_WDF_FILE_CLEANUP evtFileCleanup)
{
    RtlZeroMemory(config, sizeof(*config));
    config->Size = sizeof(*config);
    config->EvtDeviceFileCreate = evtDeviceFileCreate;
    config->EvtFileClose = evtFileClose;
    config->EvtFileCleanup = evtFileCleanup;
    config->FileObjectClass = WdfFileObjectWdfCannotUseFsContexts;
    config->AutoForwardCleanupClose = WdfUseDefault;
}

void WdfDeviceInitSetFileObjectConfig(PWDFDEVICE_INIT deviceInit, WDF_FILEOBJECT_CONFIG* fileObjectConfig,
                                      WDF_OBJECT_ATTRIBUTES* fileObjectAttributes)
{
    SIM_IO_INIT* init = SimDeviceInitIo(deviceInit, "WdfDeviceInitSetFileObjectConfig");

    SimRequireIrql(DISPATCH_LEVEL, "WdfDeviceInitSetFileObjectConfig");
    if (fileObjectConfig == NULL || fileObjectConfig->Size != sizeof(*fileObjectConfig)) {
        SimBugCheck("WdfDeviceInitSetFileObjectConfig: the config was not set up with WDF_FILEOBJECT_CONFIG_INIT");
    }
    init->fileConfig = *fileObjectConfig;
    init->hasFileConfig = TRUE;
    init->hasFileAttributes = fileObjectAttributes != NULL;
    if (fileObjectAttributes != NULL) {
        init->fileAttributes = *fileObjectAttributes;
    }
}

NTSTATUS SimIoDeviceCreate(WDFDEVICE device, const SIM_IO_INIT* init)
{
    SIM_IO_DEVICE* created;

    for (ULONG i = 0; i < SimDevicesIo.count && init->name[0] != L'\0'; i++) {
        SIM_IO_DEVICE* other = SimDevicesIo.items[i];

        if (!other->deleted && SimNameEqual(other->init.name, init->name)) {
            return STATUS_OBJECT_NAME_COLLISION;
        }
    }
    created = SimIoAlloc(sizeof(*created));
    SimListAdd(&SimDevicesIo, created);
    created->handle = device;
    created->init = *init;
    return STATUS_SUCCESS;
}

NTSTATUS WdfDeviceCreateSymbolicLink(WDFDEVICE device, PCUNICODE_STRING symbolicLinkName)
{
    SIM_IO_DEVICE* owner = SimIoDeviceOf(device);
    WCHAR link[SIM_IO_NAME];
    const WCHAR* dosName;

    SimRequireIrql(PASSIVE_LEVEL, "WdfDeviceCreateSymbolicLink");
    if (owner == NULL) {
        SimBugCheck("WDF_VIOLATION: WdfDeviceCreateSymbolicLink on a handle that is not a live WDFDEVICE");
    }
    if (symbolicLinkName == NULL || !SimCopyName(link, symbolicLinkName)) {
        SimBugCheck("WdfDeviceCreateSymbolicLink: no link name, or one longer than the simulation keeps");
    }
    // A link needs a device name to point to (WdfDeviceCreateSymbolicLink:
    // "the device must have a name", WdfDeviceInitAssignName).
    if (owner->init.name[0] == L'\0') {
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    if (SimFaultShouldFail("WdfDeviceCreateSymbolicLink")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    dosName = SimDosName(link);
    if (dosName == NULL) {
        SimWarning("WdfDeviceCreateSymbolicLink: %ls is not under \\DosDevices, so user mode cannot open it by "
                   "\\\\.\\ name", link);
        return STATUS_SUCCESS;
    }
    for (ULONG i = 0; i < SimDevicesIo.count; i++) {
        SIM_IO_DEVICE* other = SimDevicesIo.items[i];

        if (!other->deleted && SimNameEqual(other->link, dosName)) {
            return STATUS_OBJECT_NAME_COLLISION;
        }
    }
    wcscpy(owner->link, dosName);
    return STATUS_SUCCESS;
}

//
// Requests and completion.
//
static UINT8 SimPattern(const SIM_REQUEST* request, ULONG offset)
{
    // Never zero and never a small number: what uninitialised pool holds,
    // different for every request.
    return (UINT8)(0xA1u + (offset * 13u + request->sequence * 7u) % 0x4Eu);
}

//
// METHOD_BUFFERED returns the first Information bytes of the system buffer.
// Those past the input that still hold the fill pattern were never written
// by the driver: stale pool content on Windows.
//
static void SimCheckLeak(const SIM_REQUEST* request, ULONG returned)
{
    ULONG run = 0;

    for (ULONG offset = request->inLength; offset < returned; offset++) {
        run = request->system[offset] == SimPattern(request, offset) ? run + 1 : 0;
        if (run == SIM_LEAK_RUN) {
            SimViolation("pool content leaked to user mode: IOCTL 0x%08lX returned %lu bytes, and bytes from offset "
                         "%lu on were never written by the driver (METHOD_BUFFERED: the system buffer is not zeroed, "
                         "\"Buffer Descriptions for I/O Control Codes\"): zero the output, padding included",
                         (unsigned long)request->code, (unsigned long)returned,
                         (unsigned long)(offset + 1 - SIM_LEAK_RUN));
        }
    }
}

static void SimRunDeferredClose(SIM_HANDLE* file);

static void SimFinish(SIM_REQUEST* request, NTSTATUS status, const char* who)
{
    SIM_IO* io = request->io;
    ULONG returned = 0;

    if (!NT_ERROR(status) && !request->create) {
        // Driver Verifier's I/O verification and the I/O manager's copy of
        // Information bytes into the caller's buffer.
        if (request->information > request->outLength) {
            SimBugCheck("DRIVER_VERIFIER_IOMANAGER_VIOLATION: %s completed IOCTL 0x%08lX with Information %llu, more "
                        "than the %lu-byte output buffer: the I/O manager would copy past it",
                        who, (unsigned long)request->code, (unsigned long long)request->information,
                        (unsigned long)request->outLength);
        }
        returned = (ULONG)request->information;
        SimCheckLeak(request, returned);
    }
    if (io != NULL) {
        if (returned != 0) {
            RtlCopyMemory(io->out, request->system, returned);
        }
        io->status = status;
        io->returned = returned;
        io->done = TRUE;
        io->request = NULL;
    }
    if (request->presentedBy != NULL) {
        request->presentedBy->presented--;
        request->presentedBy = NULL;
    }
    request->state = SimRequestCompleted;
    request->status = status;
    request->queue = NULL;
    // The buffer goes back to the pool: a driver that keeps the pointer
    // touches freed memory (AddressSanitizer says so).
    free(request->system);
    request->system = NULL;
    SimTrace("io: IOCTL 0x%08lX completed by %s, status 0x%08lX, %lu bytes\n", (unsigned long)request->code, who,
             (unsigned long)(ULONG)status, (unsigned long)returned);
    if (request->file != NULL) {
        request->file->outstanding--;
        SimRunDeferredClose(request->file);
    }
}

//
// A request leaves its queue because it was cancelled (by the user, by a
// purge, by the file's cleanup): EvtIoCanceledOnQueue gets it if the queue
// has one, else the framework completes it with STATUS_CANCELLED
// ("Canceling I/O Requests"; WDF_IO_QUEUE_CONFIG.EvtIoCanceledOnQueue).
// The framework does this from the cancel routine, at DISPATCH_LEVEL.
//
static void SimCancelQueued(SIM_REQUEST* request)
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

static SIM_REQUEST* SimQueueHead(const SIM_QUEUE* queue, const SIM_HANDLE* file)
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

static void SimEnqueue(SIM_REQUEST* request, SIM_QUEUE* queue)
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

static void SimIoPump(void)
{
    if (KeGetCurrentIrql() != PASSIVE_LEVEL) {
        return;
    }
    while (SimPumpOnce()) {
    }
}

//
// IRP_MJ_CLOSE reaches the driver once the last reference to the file
// object is gone: after cleanup and after its last request completed
// (EVT_WDF_FILE_CLOSE). It comes at PASSIVE_LEVEL; a completion at
// DISPATCH_LEVEL leaves it for the next call from user mode.
//
static void SimRunDeferredClose(SIM_HANDLE* file)
{
    PFN_WDF_FILE_CLOSE close;

    if (!file->cleanedUp || file->closeDone || file->outstanding != 0 || KeGetCurrentIrql() != PASSIVE_LEVEL) {
        return;
    }
    file->closeDone = TRUE;
    if (file->device == NULL || file->device->deleted || !file->device->init.hasFileConfig) {
        return;
    }
    close = file->device->init.fileConfig.EvtFileClose;
    if (close != NULL) {
        close((WDFFILEOBJECT)(void*)file);
        SimCheckDriverReturn(PASSIVE_LEVEL, 0, "EvtFileClose");
    }
    SimIoDetach(file);
}

static void SimUserCall(void)
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

NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST handle, size_t minimumRequiredLength, PVOID* buffer,
                                       size_t* length)
{
    SIM_REQUEST* request = SimOwnedRequestOf(handle, "WdfRequestRetrieveInputBuffer");

    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestRetrieveInputBuffer");
    *buffer = NULL;
    if (length != NULL) {
        *length = 0;
    }
    if (request->create) {
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    // STATUS_BUFFER_TOO_SMALL: no input buffer, or a shorter one than asked for.
    if (request->inLength == 0 || request->inLength < minimumRequiredLength) {
        return STATUS_BUFFER_TOO_SMALL;
    }
    *buffer = request->system;
    if (length != NULL) {
        *length = request->inLength;
    }
    return STATUS_SUCCESS;
}

NTSTATUS WdfRequestRetrieveOutputBuffer(WDFREQUEST handle, size_t minimumRequiredSize, PVOID* buffer,
                                        size_t* length)
{
    SIM_REQUEST* request = SimOwnedRequestOf(handle, "WdfRequestRetrieveOutputBuffer");

    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestRetrieveOutputBuffer");
    *buffer = NULL;
    if (length != NULL) {
        *length = 0;
    }
    if (request->create) {
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    if (request->outLength == 0 || request->outLength < minimumRequiredSize) {
        return STATUS_BUFFER_TOO_SMALL;
    }
    *buffer = request->system;
    if (length != NULL) {
        *length = request->outLength;
    }
    return STATUS_SUCCESS;
}

void WdfRequestSetInformation(WDFREQUEST handle, ULONG_PTR information)
{
    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestSetInformation");
    SimOwnedRequestOf(handle, "WdfRequestSetInformation")->information = information;
}

void WdfRequestComplete(WDFREQUEST handle, NTSTATUS status)
{
    SIM_REQUEST* request = SimOwnedRequestOf(handle, "WdfRequestComplete");

    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestComplete");
    SimFinish(request, status, "the driver");
}

void WdfRequestCompleteWithInformation(WDFREQUEST handle, NTSTATUS status, ULONG_PTR information)
{
    SIM_REQUEST* request = SimOwnedRequestOf(handle, "WdfRequestCompleteWithInformation");

    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestCompleteWithInformation");
    request->information = information;
    SimFinish(request, status, "the driver");
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

WDFFILEOBJECT WdfRequestGetFileObject(WDFREQUEST handle)
{
    SIM_REQUEST* request = SimRequestOf(handle, "WdfRequestGetFileObject");

    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestGetFileObject");
    // Without a file object config the framework need not keep file
    // objects (WdfFileObjectNotRequired): the driver gets NULL.
    if (!request->device->init.hasFileConfig
        || request->device->init.fileConfig.FileObjectClass == WdfFileObjectNotRequired) {
        return NULL;
    }
    return (WDFFILEOBJECT)(void*)request->file;
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

//
// The user-mode side.
//

//
// Evaluates the device's SDDL for the caller the way the object manager
// does: the access its ACEs allow the caller's groups ("SDDL for Device
// Objects": GA all, GR read, GW write; SY LocalSystem, BA Administrators,
// WD Everyone, AU Authenticated Users, BU Users, RC Restricted).
// An elevated administrator carries BA; every user carries WD, AU and BU.
//
static ULONG SimSddlAccess(const UNICODE_STRING* sddl, BOOLEAN administrator)
{
    ULONG granted = 0;
    const WCHAR* at;
    WCHAR text[256];
    size_t length;

    if (sddl == NULL || sddl->Buffer == NULL) {
        return 0;
    }
    length = sddl->Length / sizeof(WCHAR) < SIM_COUNT(text) - 1 ? sddl->Length / sizeof(WCHAR) : SIM_COUNT(text) - 1;
    wmemcpy(text, sddl->Buffer, length);
    text[length] = L'\0';
    for (at = wcschr(text, L'('); at != NULL; at = wcschr(at + 1, L'(')) {
        // (type;flags;rights;object;inherit;sid)
        WCHAR type[8] = { 0 }, rights[32] = { 0 }, sid[16] = { 0 };
        const WCHAR* field = at + 1;
        int index = 0;
        size_t n = 0;

        for (; *field != L'\0' && *field != L')'; field++) {
            if (*field == L';') {
                index++;
                n = 0;
                continue;
            }
            WCHAR* target = index == 0 ? type : index == 2 ? rights : index == 5 ? sid : NULL;
            size_t size = index == 0 ? SIM_COUNT(type) : index == 2 ? SIM_COUNT(rights) : SIM_COUNT(sid);
            if (target != NULL && n + 1 < size) {
                target[n++] = *field;
            }
        }
        if (wcscmp(type, L"A") != 0) {
            continue;
        }
        if (!(wcscmp(sid, L"WD") == 0 || wcscmp(sid, L"AU") == 0 || wcscmp(sid, L"BU") == 0
              || (administrator && wcscmp(sid, L"BA") == 0))) {
            continue;
        }
        if (wcsstr(rights, L"GA") != NULL) {
            granted |= FILE_READ_DATA | FILE_WRITE_DATA;
        }
        if (wcsstr(rights, L"GR") != NULL) {
            granted |= FILE_READ_DATA;
        }
        if (wcsstr(rights, L"GW") != NULL) {
            granted |= FILE_WRITE_DATA;
        }
    }
    return granted;
}

static SIM_IO_DEVICE* SimDeviceByUserPath(const WCHAR* userPath)
{
    WCHAR name[SIM_IO_NAME];
    size_t length = 0;

    if (userPath == NULL || wcsncmp(userPath, L"\\\\.\\", 4) != 0) {
        return NULL;
    }
    userPath += 4;
    while (userPath[length] != L'\0' && userPath[length] != L'\\' && length + 1 < SIM_COUNT(name)) {
        name[length] = userPath[length];
        length++;
    }
    name[length] = L'\0';
    for (ULONG i = 0; i < SimDevicesIo.count; i++) {
        SIM_IO_DEVICE* device = SimDevicesIo.items[i];

        if (!device->deleted && device->link[0] != L'\0' && SimNameEqual(device->link, name)) {
            return device;
        }
    }
    return NULL;
}

//
// EvtDeviceFileCreate gets the create request at PASSIVE_LEVEL and completes
// it; its status is the open's (EVT_WDF_DEVICE_FILE_CREATE).
//
static NTSTATUS SimRunFileCreate(SIM_IO_DEVICE* device, SIM_HANDLE* file)
{
    SIM_REQUEST* request = SimIoAlloc(sizeof(*request));

    request->magic = SIM_REQUEST_MAGIC;
    request->device = device;
    request->file = file;
    request->create = TRUE;
    request->sequence = ++SimRequestSequence;
    request->state = SimRequestOwned;
    SimListAdd(&SimRequests, request);
    file->outstanding++;
    device->init.fileConfig.EvtDeviceFileCreate(device->handle, (WDFREQUEST)(void*)request,
                                                (WDFFILEOBJECT)(void*)file);
    SimCheckDriverReturn(PASSIVE_LEVEL, 0, "EvtDeviceFileCreate");
    if (request->state != SimRequestCompleted) {
        SimBugCheck("EvtDeviceFileCreate returned without completing the create request (the simulation does "
                    "not keep creates pending)");
    }
    return request->status;
}

NTSTATUS SimOpenDevice(const WCHAR* userPath, BOOLEAN administrator, ULONG desiredAccess, SIM_HANDLE** handle)
{
    SIM_IO_DEVICE* device;
    SIM_HANDLE* opened;
    ULONG granted;

    SimUserCall();
    *handle = NULL;
    device = SimDriverIsLoaded() ? SimDeviceByUserPath(userPath) : NULL;
    if (device == NULL) {
        return STATUS_OBJECT_NAME_NOT_FOUND;
    }
    // Until WdfControlFinishInitializing the device object is still
    // initializing, and the I/O manager refuses opens.
    if (!SimKmdfDeviceInitialized(device->handle)) {
        return STATUS_NO_SUCH_DEVICE;
    }
    granted = SimSddlAccess(device->init.sddl, administrator);
    if (desiredAccess == 0 || (desiredAccess & ~granted) != 0) {
        return STATUS_ACCESS_DENIED;
    }
    if (device->init.exclusive) {
        for (ULONG i = 0; i < SimHandles.count; i++) {
            SIM_HANDLE* other = SimHandles.items[i];

            if (other->device == device && !other->closed) {
                return STATUS_ACCESS_DENIED;
            }
        }
    }
    opened = SimIoAlloc(sizeof(*opened));
    opened->magic = SIM_HANDLE_MAGIC;
    opened->device = device;
    opened->granted = desiredAccess;
    opened->processId = SimProcessId;
    SimListAdd(&SimHandles, opened);
    if (device->init.hasFileAttributes) {
        SimIoAttach(opened, &device->init.fileAttributes, "WdfDeviceInitSetFileObjectConfig");
    }
    if (device->init.hasFileConfig && device->init.fileConfig.EvtDeviceFileCreate != NULL) {
        NTSTATUS status = SimRunFileCreate(device, opened);

        if (!NT_SUCCESS(status)) {
            // A failed create: no cleanup and no close follow.
            opened->closed = opened->cleanedUp = opened->closeDone = TRUE;
            SimIoDetach(opened);
            return status;
        }
    }
    *handle = opened;
    return STATUS_SUCCESS;
}

static SIM_HANDLE* SimUserHandle(SIM_HANDLE* handle, const char* api)
{
    if (!SimListHas(&SimHandles, handle) || handle->closed) {
        SimBugCheck("the test called %s with a handle that is not open", api);
    }
    return handle;
}

//
// Runs the driver on the request with the system buffer filled with one
// pattern here and with its complement in a copy of this process (fork):
// the driver is deterministic, so a returned byte that differs between the
// two runs is one the driver never wrote, stale pool content on Windows.
// Exact, where the run-of-three check in SimCheckLeak is a heuristic; it
// applies when the request completes during the call. SIM_NO_FORK=1 turns
// it off (for a debugger).
//
typedef struct SIM_TWIN {
    BOOLEAN done;
    NTSTATUS status;
    ULONG returned;
} SIM_TWIN;

#if SIM_CAN_FORK
static BOOLEAN SimReadAll(int fd, void* buffer, size_t length)
{
    UINT8* at = buffer;

    while (length != 0) {
        ssize_t got = read(fd, at, length);

        if (got <= 0) {
            return FALSE;
        }
        at += got;
        length -= (size_t)got;
    }
    return TRUE;
}

static void SimTwinRun(SIM_REQUEST* request, int fd)
{
    SIM_IO* io = request->io;
    SIM_TWIN twin = { FALSE, 0, 0 };
    int null = open("/dev/null", O_WRONLY);
    ULONG size = request->inLength > request->outLength ? request->inLength : request->outLength;

    // The twin says nothing: the run that counts is the parent's.
    if (null >= 0) {
        dup2(null, 1);
        dup2(null, 2);
    }
    for (ULONG offset = request->inLength; offset < size; offset++) {
        request->system[offset] = (UINT8)~SimPattern(request, offset);
    }
    SimIoPump();
    twin.done = io->done;
    twin.status = io->status;
    twin.returned = io->returned;
    if (write(fd, &twin, sizeof(twin)) != (ssize_t)sizeof(twin)) {
        _exit(1);
    }
    if (twin.done && twin.returned != 0 && write(fd, io->out, twin.returned) != (ssize_t)twin.returned) {
        _exit(1);
    }
    _exit(0);
}

static void SimDispatchTwice(SIM_REQUEST* request)
{
    SIM_IO* io = request->io;
    const char* off = getenv("SIM_NO_FORK");
    SIM_TWIN twin;
    UINT8* twinOut;
    int fds[2];
    pid_t child;
    BOOLEAN received;

    if ((off != NULL && strcmp(off, "0") != 0) || request->outLength <= request->inLength || pipe(fds) != 0) {
        SimIoPump();
        return;
    }
    fflush(stdout);
    fflush(stderr);
    child = fork();
    if (child == 0) {
        close(fds[0]);
        SimTwinRun(request, fds[1]);
    }
    close(fds[1]);
    SimIoPump();
    twinOut = SimIoAlloc(request->outLength);
    received = child > 0 && SimReadAll(fds[0], &twin, sizeof(twin))
        && (!twin.done || twin.returned == 0 || SimReadAll(fds[0], twinOut, twin.returned));
    close(fds[0]);
    if (child > 0) {
        (void)waitpid(child, NULL, 0);
    }
    if (received && io->done && twin.done && twin.returned == io->returned) {
        for (ULONG offset = request->inLength; offset < io->returned; offset++) {
            if (io->out[offset] != twinOut[offset]) {
                free(twinOut);
                SimViolation("pool content leaked to user mode: IOCTL 0x%08lX returned %lu bytes, and byte %lu was "
                             "never written by the driver (METHOD_BUFFERED: the system buffer is not zeroed, "
                             "\"Buffer Descriptions for I/O Control Codes\"): zero the output, padding included",
                             (unsigned long)request->code, (unsigned long)io->returned, (unsigned long)offset);
            }
        }
    }
    free(twinOut);
}
#else
static void SimDispatchTwice(SIM_REQUEST* request)
{
    UNREFERENCED_PARAMETER(request);
    SimIoPump();
}
#endif

NTSTATUS SimDeviceIoControlAsync(SIM_HANDLE* h, ULONG code, const void* in, ULONG inLength, ULONG outLength,
                                 SIM_IO** io)
{
    SIM_HANDLE* file;
    SIM_REQUEST* request;
    SIM_IO* started;
    ULONG required = (code >> 14) & 3;

    SimUserCall();
    file = SimUserHandle(h, "SimDeviceIoControlAsync");
    *io = NULL;
    if (file->device->deleted || !SimDriverIsLoaded()) {
        return STATUS_DELETE_PENDING;
    }
    // The I/O manager checks the code's RequiredAccess against the handle
    // before the driver sees the request ("Defining I/O Control Codes").
    if ((required & ~file->granted) != 0) {
        return STATUS_ACCESS_DENIED;
    }
    if (METHOD_FROM_CTL_CODE(code) != METHOD_BUFFERED) {
        SimBugCheck("the simulation runs METHOD_BUFFERED IOCTLs only (IOCTL 0x%08lX)", (unsigned long)code);
    }
    if (in == NULL && inLength != 0) {
        SimBugCheck("the test passed no input buffer but a length of %lu", (unsigned long)inLength);
    }
    started = SimIoAlloc(sizeof(*started));
    started->out = SimIoAlloc(outLength);
    started->outLength = outLength;
    SimListAdd(&SimIos, started);

    request = SimIoAlloc(sizeof(*request));
    request->magic = SIM_REQUEST_MAGIC;
    request->device = file->device;
    request->file = file;
    request->io = started;
    request->code = code;
    request->inLength = inLength;
    request->outLength = outLength;
    request->sequence = ++SimRequestSequence;
    // One system buffer of the larger size: the input copied in, the rest
    // whatever the pool held ("Buffer Descriptions for I/O Control Codes").
    if (inLength != 0 || outLength != 0) {
        ULONG size = inLength > outLength ? inLength : outLength;

        request->system = SimIoAlloc(size);
        for (ULONG offset = 0; offset < size; offset++) {
            request->system[offset] = SimPattern(request, offset);
        }
        if (inLength != 0) {
            RtlCopyMemory(request->system, in, inLength);
        }
    }
    SimListAdd(&SimRequests, request);
    started->request = request;
    file->outstanding++;
    *io = started;

    if (file->device->defaultQueue == NULL || file->device->defaultQueue->deleted) {
        SimFinish(request, STATUS_INVALID_DEVICE_REQUEST, "the framework (no default queue)");
    } else if (file->device->defaultQueue->purged) {
        SimFinish(request, STATUS_INVALID_DEVICE_STATE, "the framework (the default queue is purged)");
    } else {
        SimEnqueue(request, file->device->defaultQueue);
        SimDispatchTwice(request);
    }
    return started->done ? started->status : STATUS_PENDING;
}

NTSTATUS SimDeviceIoControl(SIM_HANDLE* h, ULONG code, const void* in, ULONG inLength, void* out, ULONG outLength,
                            ULONG* returned)
{
    SIM_IO* io;
    NTSTATUS status = SimDeviceIoControlAsync(h, code, in, inLength, outLength, &io);

    if (returned != NULL) {
        *returned = 0;
    }
    if (io == NULL) {
        return status;
    }
    if (!io->done) {
        // Still pending: the I/O stays with the simulation until the reset.
        io->detached = TRUE;
        return STATUS_PENDING;
    }
    if (io->returned != 0) {
        RtlCopyMemory(out, io->out, io->returned);
    }
    if (returned != NULL) {
        *returned = io->returned;
    }
    status = io->status;
    SimIoFree(io);
    return status;
}

static SIM_IO* SimUserIo(SIM_IO* io, const char* api)
{
    if (!SimListHas(&SimIos, io)) {
        SimBugCheck("the test called %s with an I/O that is not outstanding", api);
    }
    return io;
}

BOOLEAN SimIoDone(SIM_IO* io, NTSTATUS* status, const void** out, ULONG* returned)
{
    SimUserCall();
    SimUserIo(io, "SimIoDone");
    if (!io->done) {
        return FALSE;
    }
    if (status != NULL) {
        *status = io->status;
    }
    if (out != NULL) {
        *out = io->out;
    }
    if (returned != NULL) {
        *returned = io->returned;
    }
    return TRUE;
}

//
// CancelIoEx: a request waiting in a queue is cancelled now; one the driver
// owns completes whenever the driver completes it.
//
void SimIoCancel(SIM_IO* io)
{
    SimUserCall();
    SimUserIo(io, "SimIoCancel");
    if (io->done) {
        return;
    }
    io->request->cancelled = TRUE;
    if (io->request->state == SimRequestQueued) {
        SimCancelQueued(io->request);
    }
    SimUserCall();
}

void SimIoFree(SIM_IO* io)
{
    SimUserIo(io, "SimIoFree");
    if (!io->done) {
        SimBugCheck("the test freed an I/O that is still pending: cancel it and wait for it first");
    }
    for (ULONG i = 0; i < SimIos.count; i++) {
        if (SimIos.items[i] == io) {
            SimIos.items[i] = SimIos.items[--SimIos.count];
            break;
        }
    }
    SimReleaseIo(io);
}

//
// CloseHandle of the last handle: IRP_MJ_CLEANUP (EvtFileCleanup), then the
// framework cancels the file's requests still in its queues; IRP_MJ_CLOSE
// (EvtFileClose) once none of its requests is outstanding.
//
void SimCloseHandle(SIM_HANDLE* h)
{
    SIM_HANDLE* file;
    SIM_IO_DEVICE* device;

    SimUserCall();
    file = SimUserHandle(h, "SimCloseHandle");
    device = file->device;
    file->closed = TRUE;
    if (device->deleted || !SimDriverIsLoaded()) {
        file->cleanedUp = file->closeDone = TRUE;
        return;
    }
    if (device->init.hasFileConfig && device->init.fileConfig.EvtFileCleanup != NULL) {
        device->init.fileConfig.EvtFileCleanup((WDFFILEOBJECT)(void*)file);
        SimCheckDriverReturn(PASSIVE_LEVEL, 0, "EvtFileCleanup");
    }
    for (ULONG i = 0; i < SimQueues.count; i++) {
        SIM_QUEUE* queue = SimQueues.items[i];
        SIM_REQUEST* head;

        while (queue->device == device && !queue->deleted && (head = SimQueueHead(queue, file)) != NULL) {
            SimCancelQueued(head);
        }
    }
    file->cleanedUp = TRUE;
    SimUserCall();
}
