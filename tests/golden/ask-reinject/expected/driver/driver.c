//
// driver.c - DriverEntry and unload of WoodgroveGuard, a non-PnP KMDF driver.
//
// WoodgroveGuard WFP callout driver
//
// Start-up order: framework driver, control device (the channel), callout
// registration, then the provider, sublayer, callouts and filters in
// the filter engine, now or whenever the Base Filtering Engine (re)starts.
// Teardown undoes it in reverse. EvtDriverUnload is not called when
// DriverEntry fails, so DriverEntry runs the same teardown on failure.
//

#include "driver.h"
#include "channel.h"
#include "ask.h"
#include "reinject.h"

DRIVER_INITIALIZE DriverEntry;
EVT_WDF_DRIVER_UNLOAD DriverEvtUnload;

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#endif

//
// The device object WFP ties the callouts to, and the one user mode opens
// (channel.c).
//
static WDFDEVICE ControlDevice;

//
// Undoes whatever part of the start-up succeeded. Safe to call at any
// point after the device exists.
//
_IRQL_requires_(PASSIVE_LEVEL)
static
void
DriverTeardown(
    void
    )
{
    //
    // First the channel: it completes every request user mode has waiting
    // and takes no new ones, so nothing of user mode's is pending when the
    // device goes at the end. Classify keeps running until the callouts are
    // unregistered below; from here on it finds the channel stopped, and
    // ChannelRecordEvent only counts what it drops instead of touching the
    // ring or the queue.
    //
    ChannelStop();

    //
    // Every pending question gets its default verdict while the filters and
    // callouts are still there: completing makes WFP classify the connection
    // again, and that classify must find the callout.
    //
    AskStop();

    //
    // Closing the session deletes the filters first, so no traffic reaches a
    // filter whose callout is about to go away.
    //
    EngineStop();

    CalloutsUnregister();

    //
    // No classify can queue a packet once the callouts are gone: drain the
    // queue, let every injection complete, and close the injection handles.
    //
    ReinjectStop();

    //
    // No notifyFn can run once the callouts are gone.
    //
    NotifyFreeFilterContexts();

    //
    // The callouts were registered against this device, so it goes last.
    // (The framework would delete it after EvtDriverUnload anyway, but not
    // after a failed DriverEntry.)
    //
    WdfObjectDelete(ControlDevice);
    ControlDevice = NULL;
}

_Use_decl_annotations_
NTSTATUS
DriverEntry(
    PDRIVER_OBJECT driverObject,
    PUNICODE_STRING registryPath
    )
{
    WDF_DRIVER_CONFIG config;
    WDFDRIVER driver;
    NTSTATUS status;

    NotifyInitialize();
    AskInitialize();

    //
    // A non-PnP driver: no EvtDriverDeviceAdd, and an unload callback is
    // required.
    //
    WDF_DRIVER_CONFIG_INIT(&config, WDF_NO_EVENT_CALLBACK);
    config.DriverInitFlags |= WdfDriverInitNonPnpDriver;
    config.EvtDriverUnload = DriverEvtUnload;

    status = WdfDriverCreate(driverObject, registryPath, WDF_NO_OBJECT_ATTRIBUTES, &config, &driver);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    status = ChannelCreate(driver, &ControlDevice);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    //
    // Before the callouts: classify clones packets and queues them for the
    // work item, and recognises its own injections by the injection handles.
    //
    status = ReinjectStart(WdfDeviceWdmGetDeviceObject(ControlDevice));
    if (!NT_SUCCESS(status)) {
        DriverTeardown();
        return status;
    }

    status = CalloutsRegister(WdfDeviceWdmGetDeviceObject(ControlDevice));
    if (!NT_SUCCESS(status)) {
        DriverTeardown();
        return status;
    }

    status = EngineStart(WdfDeviceWdmGetDeviceObject(ControlDevice));
    if (!NT_SUCCESS(status)) {
        DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_ERROR_LEVEL,
                   "WoodgroveGuard: adding the filter engine objects failed, 0x%08lX\n",
                   (ULONG)status);
        DriverTeardown();
        return status;
    }

    return STATUS_SUCCESS;
}

_Use_decl_annotations_
void
DriverEvtUnload(
    WDFDRIVER driver
    )
{
    UNREFERENCED_PARAMETER(driver);

    DriverTeardown();
}
