//
// engine.c - adds WfpCallout's provider, sublayer, callouts and filters to
// the filter engine (BFE), all in one transaction.
//
// The session is dynamic: closing the engine handle, at unload or when
// DriverEntry fails, makes BFE delete every object added through it. Nothing
// outlives the driver, and nothing is left half added.
//

#include "driver.h"

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
        L"WfpCallout ConnectV4",
        L"ConnectV4 callout at ALE_AUTH_CONNECT_V4",
    },
    {
        &ConnectV6CalloutKey,
        &FWPM_LAYER_ALE_AUTH_CONNECT_V6,
        FWP_ACTION_CALLOUT_TERMINATING,
        L"WfpCallout ConnectV6",
        L"ConnectV6 callout at ALE_AUTH_CONNECT_V6",
    },
};

static HANDLE EngineHandle;

_IRQL_requires_(PASSIVE_LEVEL)
static
NTSTATUS
EngineAddProvider(
    void
    )
{
    FWPM_PROVIDER0 provider;

    RtlZeroMemory(&provider, sizeof(provider));
    provider.providerKey = WfpCalloutProviderKey;
    provider.displayData.name = L"WfpCallout provider";
    provider.displayData.description = L"Owns the sublayer, callouts and filters of WfpCallout";

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
    subLayer.subLayerKey = WfpCalloutSublayerKey;
    subLayer.displayData.name = L"WfpCallout sublayer";
    subLayer.displayData.description = L"Holds the filters of WfpCallout";
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
    filter.subLayerKey = WfpCalloutSublayerKey;
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
    GUID providerKey = WfpCalloutProviderKey;
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

_Use_decl_annotations_
NTSTATUS
EngineAddObjects(
    void
    )
{
    FWPM_SESSION0 session;
    NTSTATUS status;

    NT_ASSERT(EngineHandle == NULL);

    RtlZeroMemory(&session, sizeof(session));
    session.flags = FWPM_SESSION_FLAG_DYNAMIC;

    //
    // Needs the Base Filtering Engine, which is running by the time a
    // demand-start driver loads.
    //
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

_Use_decl_annotations_
void
EngineClose(
    void
    )
{
    if (EngineHandle != NULL) {
        //
        // Ends the dynamic session: BFE deletes the filters, callouts,
        // sublayer and provider added above.
        //
        (void)FwpmEngineClose0(EngineHandle);
        EngineHandle = NULL;
    }
}
