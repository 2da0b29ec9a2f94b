//
// engine.c - adds WoodgroveGuard's provider, sublayer, callouts and filters to
// the filter engine (BFE), all in one transaction.
//
// The session is dynamic: closing the engine handle, at unload or when
// DriverEntry fails, makes BFE delete every object added through it. Nothing
// outlives the driver, and nothing is left half added.
//
// BFE may not run yet when the driver starts (a boot- or system-start driver
// loads before it), and the objects of a dynamic session vanish when BFE stops
// or restarts. So the driver subscribes to BFE's state, as WFPSampler does
// (SubscriptionFunctions_BFEState.cpp): it adds the objects when BFE runs,
// closes the session when BFE stops, and adds them again when BFE is back.
// (Microsoft Learn: FwpmBfeStateSubscribeChanges0; FwpmEngineOpen0 fails while
// BFE is not running.)
//

#include "driver.h"
#include "ask.h"

typedef struct _ENGINE_CALLOUT {
    const GUID* CalloutKey;
    const GUID* LayerKey;
    FWP_ACTION_TYPE FilterAction;
    wchar_t* Name;
    wchar_t* Description;
} ENGINE_CALLOUT;

//
// Indexed by CALLOUT_INDEX.
//
static const ENGINE_CALLOUT EngineCallouts[CALLOUT_COUNT] = {
    {
        &ConnectV4CalloutKey,
        &FWPM_LAYER_ALE_AUTH_CONNECT_V4,
        FWP_ACTION_CALLOUT_TERMINATING,
        L"WoodgroveGuard ConnectV4",
        L"ConnectV4 callout at ALE_AUTH_CONNECT_V4",
    },
    {
        &RecvAcceptV6CalloutKey,
        &FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V6,
        FWP_ACTION_CALLOUT_TERMINATING,
        L"WoodgroveGuard RecvAcceptV6",
        L"RecvAcceptV6 callout at ALE_AUTH_RECV_ACCEPT_V6",
    },
    {
        &TransportOutV4CalloutKey,
        &FWPM_LAYER_OUTBOUND_TRANSPORT_V4,
        FWP_ACTION_CALLOUT_TERMINATING,
        L"WoodgroveGuard TransportOutV4",
        L"TransportOutV4 callout at OUTBOUND_TRANSPORT_V4",
    },
    {
        &TransportInV6CalloutKey,
        &FWPM_LAYER_INBOUND_TRANSPORT_V6,
        FWP_ACTION_CALLOUT_TERMINATING,
        L"WoodgroveGuard TransportInV6",
        L"TransportInV6 callout at INBOUND_TRANSPORT_V6",
    },
    {
        &IpPacketOutV4CalloutKey,
        &FWPM_LAYER_OUTBOUND_IPPACKET_V4,
        FWP_ACTION_CALLOUT_TERMINATING,
        L"WoodgroveGuard IpPacketOutV4",
        L"IpPacketOutV4 callout at OUTBOUND_IPPACKET_V4",
    },
};

static HANDLE EngineHandle;       // the dynamic session; NULL while there is none
static HANDLE BfeChangeHandle;    // the BFE state subscription
static WDFWAITLOCK EngineLock;    // serializes the session between DriverEntry, unload and BFE
                                  // notifications; a wait lock, as Fwpm* calls need PASSIVE_LEVEL

_IRQL_requires_(PASSIVE_LEVEL)
static
NTSTATUS
EngineAddProvider(
    void
    )
{
    FWPM_PROVIDER0 provider;

    RtlZeroMemory(&provider, sizeof(provider));
    provider.providerKey = WoodgroveGuardProviderKey;
    provider.displayData.name = L"WoodgroveGuard provider";
    provider.displayData.description = L"Owns the sublayer, callouts and filters of WoodgroveGuard";

    return FwpmProviderAdd0(EngineHandle, &provider, NULL);
}

_IRQL_requires_(PASSIVE_LEVEL)
static
NTSTATUS
EngineAddSublayer(
    _In_ GUID* providerKey
    )
{
    FWPM_SUBLAYER0 subLayer;

    RtlZeroMemory(&subLayer, sizeof(subLayer));
    subLayer.subLayerKey = WoodgroveGuardSublayerKey;
    subLayer.displayData.name = L"WoodgroveGuard sublayer";
    subLayer.displayData.description = L"Holds the filters of WoodgroveGuard";
    subLayer.providerKey = providerKey;
    subLayer.weight = 0;

    return FwpmSubLayerAdd0(EngineHandle, &subLayer, NULL);
}

_IRQL_requires_(PASSIVE_LEVEL)
static
NTSTATUS
EngineAddCallout(
    _In_ const ENGINE_CALLOUT* entry,
    _In_ GUID* providerKey
    )
{
    FWPM_CALLOUT0 callout;

    RtlZeroMemory(&callout, sizeof(callout));
    callout.calloutKey = *entry->CalloutKey;
    callout.displayData.name = entry->Name;
    callout.displayData.description = entry->Description;
    callout.providerKey = providerKey;
    callout.applicableLayer = *entry->LayerKey;

    return FwpmCalloutAdd0(EngineHandle, &callout, NULL, NULL);
}

//
// One filter per callout, at the callout's layer and without conditions: the
// callout sees all traffic of the layer and decides in its classifyFn.
//
_IRQL_requires_(PASSIVE_LEVEL)
static
NTSTATUS
EngineAddFilter(
    _In_ const ENGINE_CALLOUT* entry,
    _In_ GUID* providerKey
    )
{
    FWPM_FILTER0 filter;

    RtlZeroMemory(&filter, sizeof(filter));
    filter.displayData.name = entry->Name;
    filter.displayData.description = entry->Description;
    filter.providerKey = providerKey;
    filter.layerKey = *entry->LayerKey;
    filter.subLayerKey = WoodgroveGuardSublayerKey;
    filter.weight.type = FWP_EMPTY; // BFE picks the weight
    filter.action.type = entry->FilterAction;
    filter.action.calloutKey = *entry->CalloutKey;

    if (entry->FilterAction != FWP_ACTION_CALLOUT_INSPECTION) {
        //
        // Should the callout be unregistered while the filter still exists,
        // let the traffic through rather than block it.
        //
        filter.flags |= FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED;
    }

    return FwpmFilterAdd0(EngineHandle, &filter, NULL, NULL);
}

_IRQL_requires_(PASSIVE_LEVEL)
static
NTSTATUS
EngineAddAll(
    void
    )
{
    //
    // A writable copy of the provider key: the management structures take a
    // GUID* and only read through it.
    //
    GUID providerKey = WoodgroveGuardProviderKey;
    NTSTATUS status;
    ULONG i;

    status = EngineAddProvider();
    if (!NT_SUCCESS(status)) {
        return status;
    }

    status = EngineAddSublayer(&providerKey);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    for (i = 0; i < CALLOUT_COUNT; i++) {
        status = EngineAddCallout(&EngineCallouts[i], &providerKey);
        if (!NT_SUCCESS(status)) {
            return status;
        }

        status = EngineAddFilter(&EngineCallouts[i], &providerKey);
        if (!NT_SUCCESS(status)) {
            return status;
        }
    }

    return STATUS_SUCCESS;
}

_IRQL_requires_(PASSIVE_LEVEL)
static
void
EngineClose(
    void
    )
{
    if (EngineHandle != NULL) {
        //
        // Ends the dynamic session: BFE deletes the filters, callouts,
        // sublayer and provider added through it.
        //
        (void)FwpmEngineClose0(EngineHandle);
        EngineHandle = NULL;
    }
}

//
// Opens the session and adds everything in one transaction, unless a session
// is open already. Called with EngineLock held, while BFE runs.
//
_IRQL_requires_(PASSIVE_LEVEL)
static
NTSTATUS
EngineAddObjects(
    void
    )
{
    FWPM_SESSION0 session;
    NTSTATUS status;

    if (EngineHandle != NULL) {
        return STATUS_SUCCESS;
    }

    RtlZeroMemory(&session, sizeof(session));
    session.flags = FWPM_SESSION_FLAG_DYNAMIC;

    status = FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, &session, &EngineHandle);
    if (!NT_SUCCESS(status)) {
        EngineHandle = NULL;
        return status;
    }

    status = FwpmTransactionBegin0(EngineHandle, 0);
    if (!NT_SUCCESS(status)) {
        EngineClose();
        return status;
    }

    status = EngineAddAll();
    if (!NT_SUCCESS(status)) {
        //
        // If even the abort fails, closing the session below discards the
        // transaction anyway.
        //
        (void)FwpmTransactionAbort0(EngineHandle);
        EngineClose();
        return status;
    }

    status = FwpmTransactionCommit0(EngineHandle);
    if (!NT_SUCCESS(status)) {
        EngineClose();
    }

    return status;
}

//
// BFE state notifications arrive at PASSIVE_LEVEL (Microsoft Learn:
// FWPM_SERVICE_STATE_CHANGE_CALLBACK0), so the Fwpm* calls run right here.
//
_IRQL_requires_(PASSIVE_LEVEL)
static
void
NTAPI
EngineBfeStateChanged(
    _Inout_ void* context,
    _In_ FWPM_SERVICE_STATE newState
    )
{
    NTSTATUS status;

    UNREFERENCED_PARAMETER(context);

    (void)WdfWaitLockAcquire(EngineLock, NULL);

    switch (newState) {
    case FWPM_SERVICE_RUNNING:
        status = EngineAddObjects();
        if (!NT_SUCCESS(status)) {
            //
            // The callouts stay registered; without filters they see no
            // traffic until BFE restarts or the driver is restarted.
            //
            DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_ERROR_LEVEL,
                       "WoodgroveGuard: adding the filter engine objects after BFE started failed, 0x%08lX\n",
                       (ULONG)status);
        }
        break;

    case FWPM_SERVICE_STOP_PENDING:
    case FWPM_SERVICE_STOPPED:
        //
        // BFE is going away, and the session's objects with it. (STOPPED
        // too, in case BFE ended without a STOP_PENDING: a handle left open
        // would keep the objects from being added again.)
        //
        EngineClose();

        //
        // The filters that pended connections are gone: nothing will ask
        // for the answers, so every open question ends now.
        //
        AskCompleteAll();
        break;

    default:
        break;
    }

    WdfWaitLockRelease(EngineLock);
}

_Use_decl_annotations_
NTSTATUS
EngineStart(
    DEVICE_OBJECT* deviceObject
    )
{
    NTSTATUS status;

    status = WdfWaitLockCreate(WDF_NO_OBJECT_ATTRIBUTES, &EngineLock);
    if (!NT_SUCCESS(status)) {
        EngineLock = NULL;
        return status;
    }

    //
    // Subscribe before looking at the state, so that a start of BFE in
    // between is not missed; EngineAddObjects does nothing the second time.
    //
    status = FwpmBfeStateSubscribeChanges0(deviceObject, EngineBfeStateChanged, NULL, &BfeChangeHandle);
    if (!NT_SUCCESS(status)) {
        BfeChangeHandle = NULL;
        return status;
    }

    status = STATUS_SUCCESS;
    if (FwpmBfeStateGet0() == FWPM_SERVICE_RUNNING) {
        (void)WdfWaitLockAcquire(EngineLock, NULL);
        status = EngineAddObjects();
        WdfWaitLockRelease(EngineLock);
    }
    return status;
}

_Use_decl_annotations_
void
EngineStop(
    void
    )
{
    //
    // Unsubscribe first, so no notification opens a session behind us. Never
    // from inside a notification: that can deadlock (Microsoft Learn:
    // FwpmBfeStateSubscribeChanges0), which suggests that unsubscribing waits
    // for a notification in progress; the lock below covers one that has it.
    //
    if (BfeChangeHandle != NULL) {
        (void)FwpmBfeStateUnsubscribeChanges0(BfeChangeHandle);
        BfeChangeHandle = NULL;
    }

    if (EngineLock != NULL) {
        (void)WdfWaitLockAcquire(EngineLock, NULL);
        EngineClose();
        WdfWaitLockRelease(EngineLock);

        //
        // The lock belongs to the driver object; delete it now so that a
        // failed DriverEntry leaves nothing behind either.
        //
        WdfObjectDelete(EngineLock);
        EngineLock = NULL;
    }
}
