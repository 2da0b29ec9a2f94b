//
// filters.c - `tailspinfiltersctl filters add|remove|list`: the filter engine objects that
// route traffic to TailspinFilters's callouts. The driver adds none itself
// (filters = "none"), so this program owns them: the provider, the sublayer,
// the management side of each callout (FWPM_CALLOUT0, which a callout filter
// needs) and one filter per callout, without conditions.
//
// add and remove each run in one transaction: all or nothing. The objects are
// not persistent: they last until they are removed, or until the Base
// Filtering Engine stops (at the latest, at shutdown).
// (Microsoft Learn: FwpmTransactionBegin0, FwpmFilterAdd0, FWPM_FILTER0.)
//

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl.h"

#include <fwpmu.h>

//
// The Windows SDK's fwpmtypes.h has it; mingw-w64's lacks it.
//
#ifndef FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED
#define FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED 0x00000010
#endif

#include <initguid.h> // from here on, DEFINE_GUID defines: guids.h's keys live in this file
#include "../driver/guids.h"

typedef struct FILTERS_CALLOUT {
    const char* Name;
    const GUID* CalloutKey;
    GUID LayerKey;         // FWPM_LAYER_* (values from fwpmu.h; mingw-w64's declares none)
    const char* Layer;
    FWP_ACTION_TYPE FilterAction;
    wchar_t* DisplayName;
    wchar_t* Description;
} FILTERS_CALLOUT;

static const FILTERS_CALLOUT FiltersCallouts[TAILSPIN_FILTERS_CALLOUT_COUNT] = {
    {
        "RecvAcceptV4",
        &RecvAcceptV4CalloutKey,
        { 0xe1cd9fe7, 0xf4b5, 0x4273, { 0x96, 0xc0, 0x59, 0x2e, 0x48, 0x7b, 0x86, 0x50 } }, // FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4
        "ALE_AUTH_RECV_ACCEPT_V4",
        FWP_ACTION_CALLOUT_TERMINATING,
        L"TailspinFilters RecvAcceptV4",
        L"RecvAcceptV4 callout at ALE_AUTH_RECV_ACCEPT_V4",
    },
    {
        "ConnectV6",
        &ConnectV6CalloutKey,
        { 0x4a72393b, 0x319f, 0x44bc, { 0x84, 0xc3, 0xba, 0x54, 0xdc, 0xb3, 0xb6, 0xb4 } }, // FWPM_LAYER_ALE_AUTH_CONNECT_V6
        "ALE_AUTH_CONNECT_V6",
        FWP_ACTION_CALLOUT_TERMINATING,
        L"TailspinFilters ConnectV6",
        L"ConnectV6 callout at ALE_AUTH_CONNECT_V6",
    },
};

CTL_PRINTF(3, 4)
static void FiltersPrint(const CTL_TRANSPORT* transport, CTL_STREAM stream, const char* format, ...)
{
    char text[512];
    va_list arguments;

    va_start(arguments, format);
    (void)vsnprintf(text, sizeof(text), format, arguments);
    va_end(arguments);
    transport->Write(transport->Context, stream, text);
}

static int FiltersFailed(const CTL_TRANSPORT* transport, const char* what, DWORD error)
{
    switch (error) {
    case ERROR_ACCESS_DENIED:
        FiltersPrint(transport, CTL_ERR, "tailspinfiltersctl: %s: access denied: run as administrator\n", what);
        break;
    case (DWORD)FWP_E_ALREADY_EXISTS:
        FiltersPrint(transport, CTL_ERR, "tailspinfiltersctl: %s: the filters are there already ('filters remove' first)\n",
                     what);
        break;
    case (DWORD)FWP_E_IN_USE:
        FiltersPrint(transport, CTL_ERR, "tailspinfiltersctl: %s: another program's filters use the callouts\n", what);
        break;
    default:
        FiltersPrint(transport, CTL_ERR, "tailspinfiltersctl: %s: error 0x%08lX\n", what, (unsigned long)error);
        break;
    }
    return CTL_EXIT_FAILED;
}

static DWORD FiltersAddProvider(HANDLE engine)
{
    FWPM_PROVIDER0 provider;

    memset(&provider, 0, sizeof(provider));
    provider.providerKey = TailspinFiltersProviderKey;
    provider.displayData.name = L"TailspinFilters provider";
    provider.displayData.description = L"Owns the sublayer, callouts and filters of TailspinFilters";
    return FwpmProviderAdd0(engine, &provider, NULL);
}

static DWORD FiltersAddSublayer(HANDLE engine, GUID* providerKey)
{
    FWPM_SUBLAYER0 subLayer;

    memset(&subLayer, 0, sizeof(subLayer));
    subLayer.subLayerKey = TailspinFiltersSublayerKey;
    subLayer.displayData.name = L"TailspinFilters sublayer";
    subLayer.displayData.description = L"Holds the filters of TailspinFilters";
    subLayer.providerKey = providerKey;
    subLayer.weight = 0;
    return FwpmSubLayerAdd0(engine, &subLayer, NULL);
}

static DWORD FiltersAddCallout(HANDLE engine, const FILTERS_CALLOUT* entry, GUID* providerKey)
{
    FWPM_CALLOUT0 callout;

    memset(&callout, 0, sizeof(callout));
    callout.calloutKey = *entry->CalloutKey;
    callout.displayData.name = entry->DisplayName;
    callout.displayData.description = entry->Description;
    callout.providerKey = providerKey;
    callout.applicableLayer = entry->LayerKey;
    return FwpmCalloutAdd0(engine, &callout, NULL, NULL);
}

static DWORD FiltersAddFilter(HANDLE engine, const FILTERS_CALLOUT* entry, GUID* providerKey)
{
    FWPM_FILTER0 filter;

    memset(&filter, 0, sizeof(filter));
    filter.displayData.name = entry->DisplayName;
    filter.displayData.description = entry->Description;
    filter.providerKey = providerKey;
    filter.layerKey = entry->LayerKey;
    filter.subLayerKey = TailspinFiltersSublayerKey;
    filter.weight.type = FWP_EMPTY; // BFE picks the weight
    filter.action.type = entry->FilterAction;
    filter.action.calloutKey = *entry->CalloutKey;
    if (entry->FilterAction != FWP_ACTION_CALLOUT_INSPECTION) {
        //
        // While the driver is not loaded, let the traffic through rather
        // than block it (Microsoft Learn: FWPM_FILTER0).
        //
        filter.flags |= FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED;
    }
    return FwpmFilterAdd0(engine, &filter, NULL, NULL);
}

static DWORD FiltersAddAll(HANDLE engine)
{
    GUID providerKey = TailspinFiltersProviderKey;
    DWORD error;
    ULONG i;

    error = FiltersAddProvider(engine);
    if (error == ERROR_SUCCESS) {
        error = FiltersAddSublayer(engine, &providerKey);
    }
    for (i = 0; i < TAILSPIN_FILTERS_CALLOUT_COUNT && error == ERROR_SUCCESS; i++) {
        error = FiltersAddCallout(engine, &FiltersCallouts[i], &providerKey);
        if (error == ERROR_SUCCESS) {
            error = FiltersAddFilter(engine, &FiltersCallouts[i], &providerKey);
        }
    }
    return error;
}

static const FILTERS_CALLOUT* FiltersCalloutOf(const FWPM_FILTER0* filter)
{
    ULONG i;

    if ((filter->action.type & FWP_ACTION_FLAG_CALLOUT) == 0) {
        return NULL;
    }
    for (i = 0; i < TAILSPIN_FILTERS_CALLOUT_COUNT; i++) {
        if (IsEqualGUID(&filter->action.calloutKey, FiltersCallouts[i].CalloutKey)) {
            return &FiltersCallouts[i];
        }
    }
    return NULL;
}

static BOOL FiltersIsOurs(const FWPM_FILTER0* filter)
{
    return filter->providerKey != NULL && IsEqualGUID(filter->providerKey, &TailspinFiltersProviderKey);
}

typedef enum FILTERS_VISIT { FILTERS_LIST, FILTERS_DELETE } FILTERS_VISIT;

//
// Lists the filters that call the callouts, or deletes the filters of the
// provider; *found counts them.
//
static DWORD FiltersVisit(const CTL_TRANSPORT* transport, HANDLE engine, FILTERS_VISIT visit, ULONG* found)
{
    HANDLE enumHandle;
    FWPM_FILTER0** filters;
    UINT32 returned;
    UINT32 i;
    DWORD error;

    *found = 0;
    error = FwpmFilterCreateEnumHandle0(engine, NULL, &enumHandle);
    if (error != ERROR_SUCCESS) {
        return error;
    }
    do {
        filters = NULL;
        returned = 0;
        error = FwpmFilterEnum0(engine, enumHandle, 64, &filters, &returned);
        for (i = 0; i < returned && error == ERROR_SUCCESS; i++) {
            const FILTERS_CALLOUT* callout = FiltersCalloutOf(filters[i]);
            if (visit == FILTERS_LIST && callout != NULL) {
                FiltersPrint(transport, CTL_OUT, "filter %llu: %s at %s%s\n", (unsigned long long)filters[i]->filterId,
                             callout->Name, callout->Layer, FiltersIsOurs(filters[i]) ? "" : " (added by another program)");
                ++*found;
            } else if (visit == FILTERS_DELETE && FiltersIsOurs(filters[i])) {
                error = FwpmFilterDeleteById0(engine, filters[i]->filterId);
                ++*found;
            }
        }
        if (filters != NULL) {
            FwpmFreeMemory0((void**)&filters);
        }
    } while (error == ERROR_SUCCESS && returned == 64);
    (void)FwpmFilterDestroyEnumHandle0(engine, enumHandle);
    return error;
}

//
// Deleting what is not there is fine: remove also cleans up after a partial
// removal by hand.
//
static DWORD FiltersDeleted(DWORD error, HRESULT notFound)
{
    return error == (DWORD)notFound ? ERROR_SUCCESS : error;
}

static DWORD FiltersRemoveAll(const CTL_TRANSPORT* transport, HANDLE engine, ULONG* found)
{
    DWORD error;
    ULONG i;

    error = FiltersVisit(transport, engine, FILTERS_DELETE, found);
    for (i = 0; i < TAILSPIN_FILTERS_CALLOUT_COUNT && error == ERROR_SUCCESS; i++) {
        error = FiltersDeleted(FwpmCalloutDeleteByKey0(engine, FiltersCallouts[i].CalloutKey), FWP_E_CALLOUT_NOT_FOUND);
    }
    if (error == ERROR_SUCCESS) {
        error = FiltersDeleted(FwpmSubLayerDeleteByKey0(engine, &TailspinFiltersSublayerKey), FWP_E_SUBLAYER_NOT_FOUND);
    }
    if (error == ERROR_SUCCESS) {
        error = FiltersDeleted(FwpmProviderDeleteByKey0(engine, &TailspinFiltersProviderKey), FWP_E_PROVIDER_NOT_FOUND);
    }
    return error;
}

static DWORD FiltersChange(const CTL_TRANSPORT* transport, HANDLE engine, BOOL add, ULONG* found)
{
    DWORD error;

    error = FwpmTransactionBegin0(engine, 0);
    if (error != ERROR_SUCCESS) {
        return error;
    }
    error = add ? FiltersAddAll(engine) : FiltersRemoveAll(transport, engine, found);
    if (error != ERROR_SUCCESS) {
        (void)FwpmTransactionAbort0(engine);
        return error;
    }
    return FwpmTransactionCommit0(engine);
}

int FiltersRun(const CTL_TRANSPORT* transport, int argc, char** argv)
{
    HANDLE engine;
    ULONG found = 0;
    DWORD error;
    const char* command = argc == 1 ? argv[0] : "";
    BOOL list = strcmp(command, "list") == 0;
    BOOL add = strcmp(command, "add") == 0;

    if (!list && !add && strcmp(command, "remove") != 0) {
        FiltersPrint(transport, CTL_ERR, "usage: tailspinfiltersctl filters add|remove|list\n");
        return CTL_EXIT_USAGE;
    }

    error = FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &engine);
    if (error != ERROR_SUCCESS) {
        return FiltersFailed(transport, "cannot open the filter engine", error);
    }
    if (list) {
        error = FiltersVisit(transport, engine, FILTERS_LIST, &found);
    } else {
        error = FiltersChange(transport, engine, add, &found);
    }
    (void)FwpmEngineClose0(engine);

    if (error != ERROR_SUCCESS) {
        return FiltersFailed(transport,
                             list ? "cannot list the filters" : add ? "cannot add the filters" : "cannot remove the filters",
                             error);
    }
    if (list && found == 0) {
        FiltersPrint(transport, CTL_OUT, "no filters use the callouts ('filters add' adds them)\n");
    } else if (add) {
        FiltersPrint(transport, CTL_OUT, "added the provider, the sublayer and %u callouts with one filter each\n",
                     (unsigned)TAILSPIN_FILTERS_CALLOUT_COUNT);
    } else if (!list) {
        FiltersPrint(transport, CTL_OUT, "removed %lu filters, the callouts, the sublayer and the provider\n",
                     (unsigned long)found);
    }
    return CTL_EXIT_OK;
}
