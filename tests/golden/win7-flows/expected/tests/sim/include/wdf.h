//
// wdf.h - the KMDF part of the simulation (sim/kmdf.c): a non-PnP driver
// object, control devices and wait locks, as ContosoFlow uses them.
//

#pragma once

#include <ntddk.h>

typedef struct SIM_WDF_OBJECT* WDFOBJECT;
typedef struct SIM_WDF_OBJECT* WDFDRIVER;
typedef struct SIM_WDF_OBJECT* WDFDEVICE;
typedef struct SIM_WDF_OBJECT* WDFWAITLOCK;
typedef struct SIM_WDFDEVICE_INIT* PWDFDEVICE_INIT;

typedef void EVT_WDF_DRIVER_UNLOAD(WDFDRIVER driver);
typedef EVT_WDF_DRIVER_UNLOAD* PFN_WDF_DRIVER_UNLOAD;
typedef NTSTATUS EVT_WDF_DRIVER_DEVICE_ADD(WDFDRIVER driver, PWDFDEVICE_INIT deviceInit);
typedef EVT_WDF_DRIVER_DEVICE_ADD* PFN_WDF_DRIVER_DEVICE_ADD;

typedef struct _WDF_OBJECT_ATTRIBUTES WDF_OBJECT_ATTRIBUTES, *PWDF_OBJECT_ATTRIBUTES;
#define WDF_NO_OBJECT_ATTRIBUTES NULL
#define WDF_NO_EVENT_CALLBACK NULL
#define WDF_NO_HANDLE NULL

typedef enum _WDF_DRIVER_INIT_FLAGS {
    WdfDriverInitNonPnpDriver = 0x00000001,
    WdfDriverInitNoDispatchOverride = 0x00000002,
} WDF_DRIVER_INIT_FLAGS;

typedef struct _WDF_DRIVER_CONFIG {
    ULONG Size;
    PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd;
    PFN_WDF_DRIVER_UNLOAD EvtDriverUnload;
    ULONG DriverInitFlags;
    ULONG DriverPoolTag;
} WDF_DRIVER_CONFIG, *PWDF_DRIVER_CONFIG;

FORCEINLINE void WDF_DRIVER_CONFIG_INIT(WDF_DRIVER_CONFIG* config, PFN_WDF_DRIVER_DEVICE_ADD evtDriverDeviceAdd)
{
    RtlZeroMemory(config, sizeof(*config));
    config->Size = sizeof(*config);
    config->EvtDriverDeviceAdd = evtDriverDeviceAdd;
}

EXTERN_C NTSTATUS WdfDriverCreate(DRIVER_OBJECT* driverObject, UNICODE_STRING* registryPath,
                                  WDF_OBJECT_ATTRIBUTES* driverAttributes, WDF_DRIVER_CONFIG* driverConfig,
                                  WDFDRIVER* driver);
EXTERN_C PWDFDEVICE_INIT WdfControlDeviceInitAllocate(WDFDRIVER driver, const UNICODE_STRING* sddlString);
EXTERN_C void WdfDeviceInitSetDeviceType(PWDFDEVICE_INIT deviceInit, ULONG deviceType);
EXTERN_C void WdfDeviceInitSetCharacteristics(PWDFDEVICE_INIT deviceInit, ULONG deviceCharacteristics,
                                              BOOLEAN orInValues);
EXTERN_C void WdfDeviceInitFree(PWDFDEVICE_INIT deviceInit);
EXTERN_C NTSTATUS WdfDeviceCreate(PWDFDEVICE_INIT* deviceInit, WDF_OBJECT_ATTRIBUTES* deviceAttributes,
                                  WDFDEVICE* device);
EXTERN_C void WdfControlFinishInitializing(WDFDEVICE device);
EXTERN_C DEVICE_OBJECT* WdfDeviceWdmGetDeviceObject(WDFDEVICE device);
EXTERN_C void WdfObjectDelete(WDFOBJECT object);

EXTERN_C NTSTATUS WdfWaitLockCreate(WDF_OBJECT_ATTRIBUTES* lockAttributes, WDFWAITLOCK* lock);
EXTERN_C NTSTATUS WdfWaitLockAcquire(WDFWAITLOCK lock, LONGLONG* timeout);
EXTERN_C void WdfWaitLockRelease(WDFWAITLOCK lock);
