//
// io_open.c - the I/O a control device receives: names and symbolic links,
// opens by user-mode programs, framework queues and requests, buffered
// IOCTLs, completion, cancellation, cleanup and close. Tests act as the
// user-mode program through sim.h (SimOpenDevice, SimDeviceIoControl, ...).
//
// Four modules share the work (io_internal.h holds what they share):
// - io_open.c (this file): device names, symbolic links, the SDDL check
//   of an open, file objects, cleanup and close, the caller's process;
// - io_queue.c: queues: dispatching, retrieving, forwarding, purging,
//   cancellation of queued requests;
// - io_request.c: requests, their buffers, METHOD_BUFFERED copy and the
//   leak checks, completion, and the user's IOCTLs;
// - io_objects.c: where the objects live, handle checks, object
//   contexts, framework spin locks, deletion and the end-of-test checks.
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

#include "io_internal.h"

#include <string.h>
#include <wctype.h>

//
// The SDDL strings of wdmsec.h ("SDDL for Device Objects"); kmdf.c has
// SDDL_DEVOBJ_KERNEL_ONLY.
//
#define SIM_SDDL(text) { sizeof(text) - sizeof(WCHAR), sizeof(text), (PWSTR)(text) }
const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL = SIM_SDDL(L"D:P(A;;GA;;;SY)");
const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_ALL = SIM_SDDL(L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");
const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RX_WORLD_RW_RES_R =
    SIM_SDDL(L"D:P(A;;GA;;;SY)(A;;GRGX;;;BA)(A;;GRGW;;;WD)(A;;GR;;;RC)");

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
// IRP_MJ_CLOSE reaches the driver once the last reference to the file
// object is gone: after cleanup and after its last request completed
// (EVT_WDF_FILE_CLOSE). It comes at PASSIVE_LEVEL; a completion at
// DISPATCH_LEVEL leaves it for the next call from user mode.
//
void SimRunDeferredClose(SIM_HANDLE* file)
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

//
// The user-mode side: opening and closing (io_request.c has the IOCTLs).
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

SIM_HANDLE* SimUserHandle(SIM_HANDLE* handle, const char* api)
{
    if (!SimListHas(&SimHandles, handle) || handle->closed) {
        SimBugCheck("the test called %s with a handle that is not open", api);
    }
    return handle;
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
