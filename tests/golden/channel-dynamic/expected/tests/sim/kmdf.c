//
// kmdf.c - the framework objects of a non-PnP KMDF driver: the driver
// object and control devices.
//
// Reproduced rules (Microsoft Learn: WdfDriverCreate, "Creating a Non-PnP
// Driver", WdfControlDeviceInitAllocate, WdfDeviceCreate, WdfDeviceInitFree,
// WdfControlFinishInitializing, WdfObjectDelete):
// - a non-PnP driver sets WdfDriverInitNonPnpDriver and an EvtDriverUnload;
// - WdfDeviceCreate takes ownership of the WDFDEVICE_INIT only when it
//   succeeds (it then sets the pointer to NULL); after a failure the driver
//   frees it with WdfDeviceInitFree;
// - a control device is usable once WdfControlFinishInitializing ran;
// - the framework deletes the driver object (and with it its devices) after
//   EvtDriverUnload, but when DriverEntry fails it does not call
//   EvtDriverUnload: a control device the driver created must be gone;
// - every call here needs PASSIVE_LEVEL, except releasing a wait lock and
//   deleting an object (up to DISPATCH_LEVEL); a wait lock is not recursive
//   and is released by its holder (WdfWaitLockCreate, WdfWaitLockAcquire,
//   WdfWaitLockRelease).
//

#include "sim_internal.h"

#include <stdlib.h>

typedef enum SIM_WDF_KIND { SimWdfDriver = 1, SimWdfDevice, SimWdfWaitLock } SIM_WDF_KIND;

struct SIM_WDF_OBJECT {
    SIM_WDF_KIND kind;
    BOOLEAN deleted;
    BOOLEAN initialized;
    BOOLEAN held;           // wait locks
    DEVICE_OBJECT wdm;      // devices
};

//
// The framework's handles are pointers to types wdf.h leaves opaque, one type
// each; here every one of them points to a SIM_WDF_OBJECT.
//
#define SIM_HANDLE(type, object) ((type)(void*)(object))

// Completes wdf.h's opaque WDFDEVICE_INIT.
struct WDFDEVICE_INIT {
    ULONG deviceType;
    ULONG characteristics;
    BOOLEAN freed;
    SIM_IO_INIT io; // io_open.c's part: name, SDDL, file object callbacks
};

const UNICODE_STRING SDDL_DEVOBJ_KERNEL_ONLY = { sizeof(L"D:P") - sizeof(WCHAR), sizeof(L"D:P"), (PWSTR)L"D:P" };

static struct SIM_WDF_OBJECT SimDriver;
static WDF_DRIVER_CONFIG SimDriverConfig;
static struct SIM_WDF_OBJECT* SimDevices[16]; // devices and wait locks
static ULONG SimDeviceCount;
static PWDFDEVICE_INIT SimDeviceInits[8];
static ULONG SimDeviceInitCount;

static struct SIM_WDF_OBJECT* SimNewWdfObject(SIM_WDF_KIND kind);

void SimKmdfReset(void)
{
    for (ULONG i = 0; i < SimDeviceCount; i++) {
        free(SimDevices[i]);
    }
    for (ULONG i = 0; i < SimDeviceInitCount; i++) {
        free(SimDeviceInits[i]);
    }
    RtlZeroMemory(&SimDriver, sizeof(SimDriver));
    RtlZeroMemory(&SimDriverConfig, sizeof(SimDriverConfig));
    SimDeviceCount = SimDeviceInitCount = 0;
}

void WDF_DRIVER_CONFIG_INIT(WDF_DRIVER_CONFIG* config, PFN_WDF_DRIVER_DEVICE_ADD evtDriverDeviceAdd)
{
    RtlZeroMemory(config, sizeof(*config));
    config->Size = sizeof(*config);
    config->EvtDriverDeviceAdd = evtDriverDeviceAdd;
}

NTSTATUS WdfDriverCreate(DRIVER_OBJECT* driverObject, PCUNICODE_STRING registryPath,
                         WDF_OBJECT_ATTRIBUTES* driverAttributes, WDF_DRIVER_CONFIG* driverConfig, WDFDRIVER* driver)
{
    UNREFERENCED_PARAMETER(driverAttributes);

    SimRequireIrql(PASSIVE_LEVEL, "WdfDriverCreate");
    if (driverObject == NULL || registryPath == NULL || driverConfig == NULL) {
        SimBugCheck("WdfDriverCreate: DriverObject, RegistryPath and DriverConfig are required");
    }
    if (SimDriver.kind == SimWdfDriver) {
        SimBugCheck("WdfDriverCreate called twice");
    }
    if ((driverConfig->DriverInitFlags & WdfDriverInitNonPnpDriver) != 0 && driverConfig->EvtDriverUnload == NULL) {
        SimBugCheck("WdfDriverCreate: a driver with WdfDriverInitNonPnpDriver must set EvtDriverUnload");
    }
    if (SimFaultShouldFail("WdfDriverCreate")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    SimDriver.kind = SimWdfDriver;
    SimDriverConfig = *driverConfig;
    if (driver != NULL) {
        *driver = SIM_HANDLE(WDFDRIVER, &SimDriver);
    }
    return STATUS_SUCCESS;
}

PWDFDEVICE_INIT WdfControlDeviceInitAllocate(WDFDRIVER driver, const UNICODE_STRING* sddlString)
{
    PWDFDEVICE_INIT init;

    SimRequireIrql(PASSIVE_LEVEL, "WdfControlDeviceInitAllocate");
    if ((void*)driver != (void*)&SimDriver || sddlString == NULL) {
        SimBugCheck("WdfControlDeviceInitAllocate: needs the WDFDRIVER and an SDDL string");
    }
    if (SimFaultShouldFail("WdfControlDeviceInitAllocate") || SimDeviceInitCount == SIM_COUNT(SimDeviceInits)) {
        return NULL;
    }
    init = calloc(1, sizeof(*init));
    if (init == NULL) {
        SimBugCheck("the simulation ran out of memory");
    }
    init->io.sddl = sddlString;
    SimDeviceInits[SimDeviceInitCount++] = init;
    return init;
}

static void SimCheckInit(PWDFDEVICE_INIT init, const char* api)
{
    for (ULONG i = 0; i < SimDeviceInitCount; i++) {
        if (SimDeviceInits[i] == init) {
            if (init->freed) {
                SimBugCheck("%s on a WDFDEVICE_INIT that was already freed or handed to WdfDeviceCreate", api);
            }
            return;
        }
    }
    SimBugCheck("%s on a WDFDEVICE_INIT the framework never allocated", api);
}

SIM_IO_INIT* SimDeviceInitIo(PWDFDEVICE_INIT init, const char* api)
{
    SimCheckInit(init, api);
    return &init->io;
}

void WdfDeviceInitSetDeviceType(PWDFDEVICE_INIT deviceInit, ULONG deviceType)
{
    SimCheckInit(deviceInit, "WdfDeviceInitSetDeviceType");
    deviceInit->deviceType = deviceType;
}

void WdfDeviceInitSetCharacteristics(PWDFDEVICE_INIT deviceInit, ULONG deviceCharacteristics, BOOLEAN orInValues)
{
    SimCheckInit(deviceInit, "WdfDeviceInitSetCharacteristics");
    deviceInit->characteristics = orInValues ? deviceInit->characteristics | deviceCharacteristics
                                             : deviceCharacteristics;
}

void WdfDeviceInitFree(PWDFDEVICE_INIT deviceInit)
{
    SimCheckInit(deviceInit, "WdfDeviceInitFree");
    deviceInit->freed = TRUE;
}

NTSTATUS WdfDeviceCreate(PWDFDEVICE_INIT* deviceInit, WDF_OBJECT_ATTRIBUTES* deviceAttributes, WDFDEVICE* device)
{
    struct SIM_WDF_OBJECT* created;
    NTSTATUS status;

    SimRequireIrql(PASSIVE_LEVEL, "WdfDeviceCreate");
    SimCheckInit(*deviceInit, "WdfDeviceCreate");
    if (SimFaultShouldFail("WdfDeviceCreate")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    created = SimNewWdfObject(SimWdfDevice);
    created->wdm.Size = sizeof(created->wdm);
    status = SimIoDeviceCreate(SIM_HANDLE(WDFDEVICE, created), &(*deviceInit)->io);
    if (!NT_SUCCESS(status)) {
        created->deleted = TRUE;
        return status;
    }
    SimIoAttach(created, deviceAttributes, "WdfDeviceCreate");
    (*deviceInit)->freed = TRUE; // the framework owns it now
    *deviceInit = NULL;
    *device = SIM_HANDLE(WDFDEVICE, created);
    return STATUS_SUCCESS;
}

static struct SIM_WDF_OBJECT* SimCheckObject(WDFOBJECT handle, SIM_WDF_KIND kind, const char* api)
{
    struct SIM_WDF_OBJECT* object = handle;
    static const char* const names[] = { "WDFOBJECT", "WDFDRIVER", "WDFDEVICE", "WDFWAITLOCK" };

    for (ULONG i = 0; i < SimDeviceCount; i++) {
        if (SimDevices[i] == object && (kind == 0 || object->kind == kind)) {
            if (object->deleted) {
                SimBugCheck("%s on a %s that was already deleted", api, names[object->kind]);
            }
            return object;
        }
    }
    SimBugCheck("%s on a handle that is not a live %s (%p)", api, names[kind], (void*)object);
}

static struct SIM_WDF_OBJECT* SimCheckDevice(WDFDEVICE device, const char* api)
{
    return SimCheckObject(device, SimWdfDevice, api);
}

static struct SIM_WDF_OBJECT* SimNewWdfObject(SIM_WDF_KIND kind)
{
    struct SIM_WDF_OBJECT* created;

    if (SimDeviceCount == SIM_COUNT(SimDevices)) {
        SimBugCheck("the simulation holds at most %d framework objects per load", (int)SIM_COUNT(SimDevices));
    }
    created = calloc(1, sizeof(*created));
    if (created == NULL) {
        SimBugCheck("the simulation ran out of memory");
    }
    created->kind = kind;
    SimDevices[SimDeviceCount++] = created;
    return created;
}

NTSTATUS WdfWaitLockCreate(WDF_OBJECT_ATTRIBUTES* lockAttributes, WDFWAITLOCK* lock)
{
    UNREFERENCED_PARAMETER(lockAttributes);

    SimRequireIrql(DISPATCH_LEVEL, "WdfWaitLockCreate");
    *lock = NULL;
    if (SimFaultShouldFail("WdfWaitLockCreate")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *lock = SIM_HANDLE(WDFWAITLOCK, SimNewWdfObject(SimWdfWaitLock));
    return STATUS_SUCCESS;
}

//
// One thread: a wait lock that is already held would never be released.
//
NTSTATUS WdfWaitLockAcquire(WDFWAITLOCK lock, LONGLONG* timeout)
{
    struct SIM_WDF_OBJECT* waitLock = SimCheckObject(lock, SimWdfWaitLock, "WdfWaitLockAcquire");

    SimRequireIrql((timeout != NULL && *timeout == 0) ? DISPATCH_LEVEL : PASSIVE_LEVEL, "WdfWaitLockAcquire");
    if (waitLock->held) {
        if (timeout != NULL) {
            return STATUS_TIMEOUT;
        }
        SimBugCheck("WdfWaitLockAcquire on a wait lock this thread already holds (deadlock)");
    }
    waitLock->held = TRUE;
    return STATUS_SUCCESS;
}

void WdfWaitLockRelease(WDFWAITLOCK lock)
{
    struct SIM_WDF_OBJECT* waitLock = SimCheckObject(lock, SimWdfWaitLock, "WdfWaitLockRelease");

    SimRequireIrql(DISPATCH_LEVEL, "WdfWaitLockRelease");
    if (!waitLock->held) {
        SimBugCheck("WdfWaitLockRelease on a wait lock that is not held");
    }
    waitLock->held = FALSE;
}

ULONG SimWaitLocksHeld(void)
{
    ULONG held = 0;

    for (ULONG i = 0; i < SimDeviceCount; i++) {
        held += (SimDevices[i]->kind == SimWdfWaitLock && !SimDevices[i]->deleted && SimDevices[i]->held) ? 1 : 0;
    }
    return held;
}

void WdfControlFinishInitializing(WDFDEVICE device)
{
    SimCheckDevice(device, "WdfControlFinishInitializing")->initialized = TRUE;
}

BOOLEAN SimKmdfDeviceInitialized(WDFDEVICE device)
{
    return SimCheckDevice(device, "SimKmdfDeviceInitialized")->initialized;
}

DEVICE_OBJECT* WdfDeviceWdmGetDeviceObject(WDFDEVICE device)
{
    return &SimCheckDevice(device, "WdfDeviceWdmGetDeviceObject")->wdm;
}

void WdfObjectDelete(WDFOBJECT object)
{
    struct SIM_WDF_OBJECT* deleted;
    ULONG callouts;

    SimRequireIrql(DISPATCH_LEVEL, "WdfObjectDelete");
    if (object == &SimDriver) {
        SimBugCheck("WdfObjectDelete on the WDFDRIVER: the framework deletes it");
    }
    if (SimIoObjectDelete(object)) {
        return;
    }
    deleted = SimCheckObject(object, 0, "WdfObjectDelete");
    if (deleted->kind == SimWdfWaitLock && deleted->held) {
        SimBugCheck("WdfObjectDelete on a wait lock that is held");
    }
    // WFP keeps the device object of every registered callout.
    callouts = deleted->kind == SimWdfDevice ? SimCalloutsOnDevice(&deleted->wdm) : 0;
    if (callouts != 0) {
        SimBugCheck("WdfObjectDelete: the control device still has %lu registered callout(s)", (unsigned long)callouts);
    }
    if (deleted->kind == SimWdfDevice) {
        // A control device is deleted at PASSIVE_LEVEL (WdfObjectDelete).
        SimRequireIrql(PASSIVE_LEVEL, "WdfObjectDelete (a control device)");
        SimIoDeviceDeleted(SIM_HANDLE(WDFDEVICE, deleted));
    }
    deleted->deleted = TRUE;
}

PFN_WDF_DRIVER_UNLOAD SimKmdfUnloadCallback(WDFDRIVER* driver)
{
    *driver = SIM_HANDLE(WDFDRIVER, &SimDriver);
    return SimDriver.kind == SimWdfDriver ? SimDriverConfig.EvtDriverUnload : NULL;
}

//
// After EvtDriverUnload, or after DriverEntry failed: the framework deletes
// the driver object and every device still attached to it.
//
void SimKmdfDeleteDriver(void)
{
    for (ULONG i = 0; i < SimDeviceCount; i++) {
        if (SimDevices[i]->kind == SimWdfDevice && !SimDevices[i]->deleted) {
            SimIoDeviceDeleted(SIM_HANDLE(WDFDEVICE, SimDevices[i]));
        }
        SimDevices[i]->deleted = TRUE;
    }
    SimDriver.kind = 0;
}

void SimKmdfCheckClean(const char* when)
{
    for (ULONG i = 0; i < SimDeviceInitCount; i++) {
        if (!SimDeviceInits[i]->freed) {
            SimBugCheck("WDFDEVICE_INIT leak %s: WdfControlDeviceInitAllocate without WdfDeviceCreate or "
                        "WdfDeviceInitFree", when);
        }
    }
    for (ULONG i = 0; i < SimDeviceCount; i++) {
        if (SimDevices[i]->kind == SimWdfDevice && !SimDevices[i]->deleted) {
            SimBugCheck("control device left %s: DriverEntry failed without WdfObjectDelete on it", when);
        }
        if (SimDevices[i]->kind == SimWdfWaitLock && !SimDevices[i]->deleted && SimDevices[i]->held) {
            SimBugCheck("wait lock still held %s", when);
        }
    }
}
