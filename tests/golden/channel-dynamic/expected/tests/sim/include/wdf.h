// wdf.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/wdf.h): the simulation builds the driver against
// the same declarations.
// The KMDF version the driver's project builds against (its .vcxproj).
#ifndef KMDF_VERSION_MAJOR
#define KMDF_VERSION_MAJOR 1
#define KMDF_VERSION_MINOR 31
#endif
/*
 * wfpgen test stub: the KMDF objects and methods a non-PnP callout driver
 * uses.
 *
 * Declaration-only stand-in for CI compile checks. Signatures transcribed
 * from the KMDF reference on Microsoft Learn
 * (learn.microsoft.com/windows-hardware/drivers/ddi/<header>/<page>, named per
 * group); nothing is copied from a Microsoft header. In the real kit the
 * methods are inline wrappers that call through a function table; plain
 * prototypes type-check the same way. Like the real header, this one needs
 * <ntddk.h> (or <wdm.h>) first.
 */
#ifndef WFPGEN_STUB_WDF_H
#define WFPGEN_STUB_WDF_H

#ifndef WFPGEN_STUB_WDM_H
#error "wfpgen stub: include <ntddk.h> or <wdm.h> before <wdf.h>"
#endif
#ifndef KMDF_VERSION_MAJOR
#error "wfpgen stub: KMDF_VERSION_MAJOR/KMDF_VERSION_MINOR must be defined"
#endif

/* wdfdevice.h brings in the SDDL_DEVOBJ_* strings (kernel/sddl-for-device-objects) */
#include <wdmsec.h>

/* ---- Handles: wdf/wdf-object-handles (every object type is a distinct
 *      handle type; WDFOBJECT is the generic one) */
typedef HANDLE WDFOBJECT, *PWDFOBJECT;
typedef struct WDFDRIVER__ *WDFDRIVER;
typedef struct WDFDEVICE__ *WDFDEVICE;
typedef struct WDFDEVICE_INIT *PWDFDEVICE_INIT;

#define WDF_NO_HANDLE NULL
#define WDF_NO_EVENT_CALLBACK NULL
#define WDF_NO_OBJECT_ATTRIBUTES NULL

/* ---- Object attributes: wdfobject/ns-wdfobject-_wdf_object_attributes (opaque
 *      here; the templates pass WDF_NO_OBJECT_ATTRIBUTES) */
typedef struct _WDF_OBJECT_ATTRIBUTES WDF_OBJECT_ATTRIBUTES, *PWDF_OBJECT_ATTRIBUTES;

/* ---- Driver object: wdfdriver/nc-wdfdriver-evt_wdf_driver_device_add,
 *      wdfdriver/nc-wdfdriver-evt_wdf_driver_unload,
 *      wdfdriver/ne-wdfdriver-_wdf_driver_init_flags,
 *      wdfdriver/ns-wdfdriver-_wdf_driver_config,
 *      wdfdriver/nf-wdfdriver-wdf_driver_config_init,
 *      wdfdriver/nf-wdfdriver-wdfdrivercreate */
typedef _Function_class_(EVT_WDF_DRIVER_DEVICE_ADD) _IRQL_requires_same_
_IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS EVT_WDF_DRIVER_DEVICE_ADD(_In_ WDFDRIVER Driver, _Inout_ PWDFDEVICE_INIT DeviceInit);
typedef EVT_WDF_DRIVER_DEVICE_ADD *PFN_WDF_DRIVER_DEVICE_ADD;

typedef _Function_class_(EVT_WDF_DRIVER_UNLOAD) _IRQL_requires_same_
_IRQL_requires_max_(PASSIVE_LEVEL)
VOID EVT_WDF_DRIVER_UNLOAD(_In_ WDFDRIVER Driver);
typedef EVT_WDF_DRIVER_UNLOAD *PFN_WDF_DRIVER_UNLOAD;

typedef enum _WDF_DRIVER_INIT_FLAGS {
    WdfDriverInitNonPnpDriver = 0x00000001,
    WdfDriverInitNoDispatchOverride = 0x00000002,
    WdfDriverInitCompanion = 0x00000010,
} WDF_DRIVER_INIT_FLAGS;

typedef struct _WDF_DRIVER_CONFIG {
    ULONG Size;
    PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd;
    PFN_WDF_DRIVER_UNLOAD EvtDriverUnload;
    ULONG DriverInitFlags;
    ULONG DriverPoolTag;
} WDF_DRIVER_CONFIG, *PWDF_DRIVER_CONFIG;

VOID WDF_DRIVER_CONFIG_INIT(
    _Out_ PWDF_DRIVER_CONFIG Config, _In_opt_ PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd);

_Must_inspect_result_ _IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS WdfDriverCreate(
    _In_ PDRIVER_OBJECT DriverObject,
    _In_ PCUNICODE_STRING RegistryPath,
    _In_opt_ PWDF_OBJECT_ATTRIBUTES DriverAttributes,
    _In_ PWDF_DRIVER_CONFIG DriverConfig,
    _Out_opt_ WDFDRIVER *Driver);

/* ---- Control device: wdfcontrol/nf-wdfcontrol-wdfcontroldeviceinitallocate,
 *      wdfcontrol/nf-wdfcontrol-wdfcontrolfinishinitializing,
 *      wdfdevice/nf-wdfdevice-wdfdeviceinitsetdevicetype,
 *      wdfdevice/nf-wdfdevice-wdfdeviceinitsetcharacteristics,
 *      wdfdevice/nf-wdfdevice-wdfdevicecreate,
 *      wdfdevice/nf-wdfdevice-wdfdeviceinitfree,
 *      wdfdevice/nf-wdfdevice-wdfdevicewdmgetdeviceobject */
_Must_inspect_result_ _IRQL_requires_max_(PASSIVE_LEVEL)
PWDFDEVICE_INIT WdfControlDeviceInitAllocate(
    _In_ WDFDRIVER Driver, _In_ CONST UNICODE_STRING *SDDLString);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfControlFinishInitializing(_In_ WDFDEVICE Device);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfDeviceInitSetDeviceType(_In_ PWDFDEVICE_INIT DeviceInit, _In_ DEVICE_TYPE DeviceType);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfDeviceInitSetCharacteristics(
    _In_ PWDFDEVICE_INIT DeviceInit, _In_ ULONG DeviceCharacteristics, _In_ BOOLEAN OrInValues);

_Must_inspect_result_ _IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS WdfDeviceCreate(
    _Inout_ PWDFDEVICE_INIT *DeviceInit,
    _In_opt_ PWDF_OBJECT_ATTRIBUTES DeviceAttributes,
    _Out_ WDFDEVICE *Device);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfDeviceInitFree(_In_ PWDFDEVICE_INIT DeviceInit);

_IRQL_requires_max_(DISPATCH_LEVEL)
PDEVICE_OBJECT WdfDeviceWdmGetDeviceObject(_In_ WDFDEVICE Device);

/* ---- Wait locks: wdfsync/nf-wdfsync-wdfwaitlockcreate, nf-wdfsync-wdfwaitlockacquire,
 *      nf-wdfsync-wdfwaitlockrelease (Timeout NULL: wait forever, PASSIVE_LEVEL) */
typedef struct WDFWAITLOCK__ *WDFWAITLOCK;

_Must_inspect_result_ _IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS WdfWaitLockCreate(_In_opt_ PWDF_OBJECT_ATTRIBUTES LockAttributes, _Out_ WDFWAITLOCK *Lock);

_When_(Timeout == NULL, _IRQL_requires_max_(PASSIVE_LEVEL))
_When_(Timeout != NULL, _Must_inspect_result_)
NTSTATUS WdfWaitLockAcquire(_In_ WDFWAITLOCK Lock, _In_opt_ PLONGLONG Timeout);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfWaitLockRelease(_In_ WDFWAITLOCK Lock);

/* ---- Objects: wdfobject/nf-wdfobject-wdfobjectdelete */
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfObjectDelete(_In_ WDFOBJECT Object);

#endif /* WFPGEN_STUB_WDF_H */
