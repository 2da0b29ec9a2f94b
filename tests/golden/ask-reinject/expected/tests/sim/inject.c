//
// inject.c - packet injection: injection handles, the FwpsInject*Async0
// calls, their completions, and the injected packet coming back through the
// layer.
//
// Reproduced rules (Microsoft Learn, the page of each function):
// - FwpsInjectionHandleCreate0 / Destroy0: PASSIVE_LEVEL; a handle is for
//   one address family (or AF_UNSPEC) and the injection types it was created
//   with; Destroy0 "will not return to the caller until all pending
//   injections are completed" (the simulation completes them there); a
//   handle still open when the driver has unloaded is a VIOLATION.
// - The injection calls run at up to DISPATCH_LEVEL, take a clone (or an NBL
//   the driver allocated), never the packet WFP indicated, and flags 0;
//   a handle created without the call's injection type fails with
//   STATUS_FWP_INJECT_HANDLE_STALE (FwpsInjectNetworkReceiveAsync0); the
//   receive calls and the network send call need data that begins with the
//   IP header, FwpsInjectTransportSendAsync0 data that begins with the
//   transport header and a FWPS_TRANSPORT_SEND_PARAMS0 (it "can be NULL only
//   if the net buffer list to be injected contains an IP header").
// - When a call fails the completion function is not called; when it
//   succeeds the completion comes later, or at once (both happen: "This
//   function can execute asynchronously"), with NET_BUFFER_LIST.Status
//   telling the outcome. The test decides which (SimInjectCompleteInline,
//   SimInjectFailAsync) and when (SimCompleteInjections).
// - "The injected packet can be indicated to the callout driver again": the
//   simulation classifies it at its layer again before completing it, with
//   FwpsQueryPacketInjectionState0 answering INJECTED_BY_SELF for the
//   injecting handle (PREVIOUSLY_INJECTED_BY_SELF when a clone of it comes
//   back). A driver that captures its own injections loops; the third time
//   the same packet comes back through a chain of its own injections the
//   simulation stops it with a VIOLATION.
// - A packet flagged FWPS_METADATA_FIELD_ALE_CLASSIFY_REQUIRED, or a
//   tunnel-mode IPsec packet not yet detunneled, is not the callout's to
//   receive-inject (FwpsInjectTransportReceiveAsync0): a VIOLATION.
// - FwpsConstructIpHeaderForTransportPacket0 (Vista SP1): the clone begins at
//   the IP header whose size is headerIncludeHeaderLength.
//

#include "sim_internal.h"

#include <stdlib.h>

#define SIM_INJECT_LOOP_LIMIT 3

typedef struct SIM_INJECTION_HANDLE {
    BOOLEAN live;
    ADDRESS_FAMILY family;
    UINT32 types;
} SIM_INJECTION_HANDLE;

typedef struct SIM_PENDING_INJECTION {
    SIM_NBL* nbl;
    FWPS_INJECT_COMPLETE0 completionFn;
    HANDLE completionContext;
    HANDLE handle;
    ULONG record;           // index in SimInjections
    BOOLEAN reclassified;
} SIM_PENDING_INJECTION;

static SIM_INJECTION_HANDLE SimHandles[16];
static SIM_PENDING_INJECTION SimPending[SIM_INJECTIONS_MAX];
static ULONG SimPendingCount;
static SIM_INJECTION SimInjections[SIM_INJECTIONS_MAX];
static ULONG SimInjectionCount;
static BOOLEAN SimCompleteInline;
static NTSTATUS SimAsyncStatus;
static FWP_ACTION_TYPE SimInspectVerdict;
static ULONG SimInspectCalls;

void SimInjectReset(void)
{
    RtlZeroMemory(SimHandles, sizeof(SimHandles));
    RtlZeroMemory(SimPending, sizeof(SimPending));
    RtlZeroMemory(SimInjections, sizeof(SimInjections));
    SimPendingCount = SimInjectionCount = 0;
    SimCompleteInline = FALSE;
    SimAsyncStatus = STATUS_SUCCESS;
    SimInspectVerdict = 0;
    SimInspectCalls = 0;
}

void SimInjectCompleteInline(BOOLEAN completeInline)
{
    SimCompleteInline = completeInline;
}

void SimInjectFailAsync(NTSTATUS status)
{
    SimAsyncStatus = status;
}

ULONG SimInjectedCount(void)
{
    return SimInjectionCount;
}

const SIM_INJECTION* SimInjected(ULONG index)
{
    return index < SimInjectionCount ? &SimInjections[index] : NULL;
}

BOOLEAN SimInjectionsPending(void)
{
    return (BOOLEAN)(SimPendingCount != 0);
}

void SimSetInspectVerdict(FWP_ACTION_TYPE verdict)
{
    SimInspectVerdict = verdict;
}

ULONG SimInspectCount(void)
{
    return SimInspectCalls;
}

//
// The spot <Callout>Inspect leaves for the driver's own inspection.
//
void SimInspectLogic(const void* inspection, FWP_ACTION_TYPE* verdict)
{
    UNREFERENCED_PARAMETER(inspection);

    SimRequireIrql(PASSIVE_LEVEL, "<Callout>Inspect (a work item)");
    SimInspectCalls++;
    if (SimInspectVerdict != 0) {
        *verdict = SimInspectVerdict;
    }
}

static SIM_INJECTION_HANDLE* SimHandleOf(HANDLE handle, const char* api)
{
    ULONG_PTR index = (ULONG_PTR)handle;

    if (index == 0 || index > SIM_COUNT(SimHandles) || !SimHandles[index - 1].live) {
        SimBugCheck("%s with %p, which is not an open injection handle", api, handle);
    }
    return &SimHandles[index - 1];
}

NTSTATUS NTAPI FwpsInjectionHandleCreate0(ADDRESS_FAMILY addressFamily, UINT32 flags, HANDLE* injectionHandle)
{
    SimRequireIrql(PASSIVE_LEVEL, "FwpsInjectionHandleCreate0");
    *injectionHandle = NULL;
    if (addressFamily != AF_UNSPEC && addressFamily != AF_INET && addressFamily != AF_INET6) {
        return STATUS_INVALID_PARAMETER;
    }
    if (flags == 0 || (flags & ~(UINT32)0x3F) != 0) {
        return STATUS_INVALID_PARAMETER;
    }
    if (SimFaultShouldFail("FwpsInjectionHandleCreate0")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (ULONG i = 0; i < SIM_COUNT(SimHandles); i++) {
        if (!SimHandles[i].live) {
            SimHandles[i].live = TRUE;
            SimHandles[i].family = addressFamily;
            SimHandles[i].types = flags;
            *injectionHandle = (HANDLE)(ULONG_PTR)(i + 1);
            return STATUS_SUCCESS;
        }
    }
    return STATUS_INSUFFICIENT_RESOURCES;
}

static BOOLEAN SimCompleteOne(ULONG index, BOOLEAN force);

NTSTATUS NTAPI FwpsInjectionHandleDestroy0(HANDLE injectionHandle)
{
    SimRequireIrql(PASSIVE_LEVEL, "FwpsInjectionHandleDestroy0");
    (void)SimHandleOf(injectionHandle, "FwpsInjectionHandleDestroy0");
    // It returns once every injection through the handle has completed.
    for (ULONG i = 0; i < SimPendingCount;) {
        if (SimPending[i].handle == injectionHandle) {
            (void)SimCompleteOne(i, TRUE);
        } else {
            i++;
        }
    }
    SimHandles[(ULONG_PTR)injectionHandle - 1].live = FALSE;
    return STATUS_SUCCESS;
}

FWPS_PACKET_INJECTION_STATE NTAPI FwpsQueryPacketInjectionState0(HANDLE injectionHandle,
                                                                 const NET_BUFFER_LIST* netBufferList,
                                                                 HANDLE* injectionContext)
{
    const SIM_NBL* nbl = SimNblOf(netBufferList, "FwpsQueryPacketInjectionState0");

    SimRequireIrql(DISPATCH_LEVEL, "FwpsQueryPacketInjectionState0");
    (void)SimHandleOf(injectionHandle, "FwpsQueryPacketInjectionState0");
    if (injectionContext != NULL) {
        *injectionContext = NULL;
    }
    if (nbl->injectedBy == injectionHandle) {
        return FWPS_PACKET_INJECTED_BY_SELF;
    }
    for (const SIM_NBL* up = nbl; up->nbl.ParentNetBufferList != NULL;) {
        up = SimNblOf(up->nbl.ParentNetBufferList, "FwpsQueryPacketInjectionState0");
        if (up->injectedBy == injectionHandle) {
            return FWPS_PACKET_PREVIOUSLY_INJECTED_BY_SELF;
        }
    }
    return nbl->injectedBy != NULL ? FWPS_PACKET_INJECTED_BY_OTHER : FWPS_PACKET_NOT_INJECTED;
}

NTSTATUS NTAPI FwpsGetPacketListSecurityInformation0(NET_BUFFER_LIST* packetList, UINT32 queryFlags,
                                                     FWPS_PACKET_LIST_INFORMATION0* packetInformation)
{
    const SIM_NBL* nbl = SimNblOf(packetList, "FwpsGetPacketListSecurityInformation0");
    const SIM_TRAFFIC* traffic = &nbl->data->traffic;

    SimRequireIrql(DISPATCH_LEVEL, "FwpsGetPacketListSecurityInformation0");
    if ((queryFlags & FWPS_PACKET_LIST_INFORMATION_QUERY_IPSEC) != 0 &&
        (queryFlags & FWPS_PACKET_LIST_INFORMATION_QUERY_INBOUND) != 0) {
        packetInformation->ipsecInformation.inbound.isSecure =
            (traffic->conditionFlags & FWP_CONDITION_FLAG_IS_IPSEC_SECURED) != 0 || traffic->ipsecTunnel;
        packetInformation->ipsecInformation.inbound.isTunnelMode = traffic->ipsecTunnel ? 1 : 0;
        packetInformation->ipsecInformation.inbound.isDeTunneled = 0;
    }
    return STATUS_SUCCESS;
}

#if (NTDDI_VERSION >= NTDDI_WIN6SP1)
NTSTATUS NTAPI FwpsConstructIpHeaderForTransportPacket0(
    NET_BUFFER_LIST* netBufferList, ULONG headerIncludeHeaderLength, ADDRESS_FAMILY addressFamily,
    const UCHAR* sourceAddress, const UCHAR* remoteAddress, IPPROTO nextProtocol, UINT64 endpointHandle,
    const WSACMSGHDR* controlData, ULONG controlDataLength, UINT32 flags, PVOID reserved, IF_INDEX interfaceIndex,
    IF_INDEX subInterfaceIndex)
{
    SIM_NBL* nbl = SimNblOf(netBufferList, "FwpsConstructIpHeaderForTransportPacket0");
    const SIM_PACKET_DATA* data = nbl->data;

    UNREFERENCED_PARAMETER(nextProtocol);
    UNREFERENCED_PARAMETER(endpointHandle);
    UNREFERENCED_PARAMETER(controlData);
    UNREFERENCED_PARAMETER(controlDataLength);
    UNREFERENCED_PARAMETER(flags);
    UNREFERENCED_PARAMETER(reserved);
    UNREFERENCED_PARAMETER(interfaceIndex);
    UNREFERENCED_PARAMETER(subInterfaceIndex);

    SimRequireIrql(DISPATCH_LEVEL, "FwpsConstructIpHeaderForTransportPacket0");
    if (sourceAddress == NULL || remoteAddress == NULL || addressFamily != (data->v6 ? AF_INET6 : AF_INET)) {
        return STATUS_INVALID_PARAMETER;
    }
    if (headerIncludeHeaderLength != 0 && (nbl->nb.DataOffset != data->ipOffset ||
                                           headerIncludeHeaderLength != data->transportOffset - data->ipOffset)) {
        SimViolation("FwpsConstructIpHeaderForTransportPacket0: with headerIncludeHeaderLength %lu the clone must "
                     "begin at an IP header of that size (it begins %ld bytes from it)",
                     (unsigned long)headerIncludeHeaderLength, (long)nbl->nb.DataOffset - (long)data->ipOffset);
    }
    if (SimFaultShouldFail("FwpsConstructIpHeaderForTransportPacket0")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    nbl->ipHeaderRebuilt = TRUE;
    return STATUS_SUCCESS;
}
#endif

//
// How many times this packet already went out through a chain of injections
// by this handle.
//
static ULONG SimOwnInjections(const SIM_NBL* nbl, HANDLE handle)
{
    ULONG count = 0;

    while (nbl->nbl.ParentNetBufferList != NULL) {
        nbl = SimNblOf(nbl->nbl.ParentNetBufferList, "an injection");
        count += nbl->injectedBy == handle ? 1 : 0;
    }
    return count;
}

static void SimRecord(SIM_INJECTION* record, SIM_NBL* nbl, SIM_INJECT_CALL call)
{
    const SIM_PACKET_DATA* data = nbl->data;
    ULONG length = nbl->nb.DataLength < SIM_PACKET_MAX ? nbl->nb.DataLength : SIM_PACKET_MAX;

    record->call = call;
    record->layerId = data->layerId;
    record->length = nbl->nb.DataLength;
    memcpy(record->bytes, data->bytes + nbl->nb.DataOffset, length);
    record->payloadOffset = data->payloadOffset - nbl->nb.DataOffset;
    record->ipHeaderRebuilt = nbl->ipHeaderRebuilt;
}

//
// What every injection call checks, then queues (or completes) it.
//
static NTSTATUS SimInject(SIM_INJECT_CALL call, const char* api, HANDLE injectionHandle, UINT32 flags,
                          NET_BUFFER_LIST* netBufferList, FWPS_INJECT_COMPLETE0 completionFn,
                          HANDLE completionContext, SIM_INJECTION* details)
{
    SIM_INJECTION_HANDLE* handle = SimHandleOf(injectionHandle, api);
    SIM_NBL* nbl = SimNblOf(netBufferList, api);
    const SIM_PACKET_DATA* data = nbl->data;
    BOOLEAN network = (BOOLEAN)(call == SIM_INJECT_NETWORK_SEND || call == SIM_INJECT_NETWORK_RECEIVE);
    ADDRESS_FAMILY family = data->v6 ? AF_INET6 : AF_INET;
    ULONG wantedOffset = call == SIM_INJECT_TRANSPORT_SEND ? data->transportOffset : data->ipOffset;
    SIM_PENDING_INJECTION* pending;

    SimRequireIrql(DISPATCH_LEVEL, api);
    if (nbl->kind != SIM_NBL_CLONE) {
        SimViolation("%s with the NET_BUFFER_LIST WFP indicated: inject a clone (FwpsAllocateCloneNetBufferList0) "
                     "and absorb the original", api);
    }
    if (nbl->injectionPending) {
        SimViolation("%s with a NET_BUFFER_LIST whose previous injection has not completed", api);
    }
    if (flags != 0) {
        SimViolation("%s with flags 0x%lx: the parameter is reserved and must be zero", api, (unsigned long)flags);
    }
    if (completionFn == NULL) {
        SimBugCheck("%s without a completion function", api);
    }
    if (nbl->nb.DataOffset != wantedOffset) {
        SimViolation("%s: the data must begin with the %s header, but it begins %ld bytes %s it (restore the offsets: "
                     "\"Data Offset Positions\", ipHeaderSize and transportHeaderSize)",
                     api, call == SIM_INJECT_TRANSPORT_SEND ? "transport" : "IP",
                     labs((long)nbl->nb.DataOffset - (long)wantedOffset),
                     nbl->nb.DataOffset > wantedOffset ? "after" : "before");
    }
    if (call == SIM_INJECT_TRANSPORT_RECEIVE && data->traffic.aleClassifyRequired) {
        SimViolation("%s of a packet that carried FWPS_METADATA_FIELD_ALE_CLASSIFY_REQUIRED: it may be injected only "
                     "after its ALE_AUTH_RECV_ACCEPT classify (FwpsInjectTransportReceiveAsync0; \"Processing "
                     "Classify Callouts Asynchronously\")", api);
    }
    if ((call == SIM_INJECT_TRANSPORT_RECEIVE || call == SIM_INJECT_NETWORK_RECEIVE) && data->traffic.ipsecTunnel) {
        SimViolation("%s of a tunnel-mode IPsec packet that was not detunneled yet: the callout must not intercept "
                     "it (FwpsInjectTransportReceiveAsync0: isTunnelMode && !isDeTunneled)", api);
    }
    if ((handle->types & (network ? FWPS_INJECTION_TYPE_NETWORK : FWPS_INJECTION_TYPE_TRANSPORT)) == 0) {
        SimWarning("%s with an injection handle created without FWPS_INJECTION_TYPE_%s: it fails with "
                   "STATUS_FWP_INJECT_HANDLE_STALE", api, network ? "NETWORK" : "TRANSPORT");
        return STATUS_FWP_INJECT_HANDLE_STALE;
    }
    if (handle->family != AF_UNSPEC && handle->family != family) {
        SimWarning("%s of an %s packet with an injection handle created for the other address family: it fails "
                   "with STATUS_INVALID_PARAMETER", api, data->v6 ? "IPv6" : "IPv4");
        return STATUS_INVALID_PARAMETER;
    }
    if (SimOwnInjections(nbl, injectionHandle) >= SIM_INJECT_LOOP_LIMIT) {
        SimViolation("packet re-injected %d times through the driver's own injections: classify captured a packet "
                     "it had injected itself (forgot FwpsQueryPacketInjectionState0: INJECTED_BY_SELF and "
                     "PREVIOUSLY_INJECTED_BY_SELF must pass untouched)", SIM_INJECT_LOOP_LIMIT + 1);
    }
    if (SimFaultShouldFail(api)) {
        return STATUS_FWP_TCPIP_NOT_READY;
    }
    if (SimInjectionCount == SIM_INJECTIONS_MAX || SimPendingCount == SIM_INJECTIONS_MAX) {
        SimBugCheck("the simulation holds at most %d injections per test", SIM_INJECTIONS_MAX);
    }
    SimRecord(details, nbl, call);
    SimInjections[SimInjectionCount] = *details;
    nbl->injectedBy = injectionHandle;
    nbl->injectionPending = TRUE;
    pending = &SimPending[SimPendingCount++];
    pending->nbl = nbl;
    pending->completionFn = completionFn;
    pending->completionContext = completionContext;
    pending->handle = injectionHandle;
    pending->record = SimInjectionCount++;
    pending->reclassified = FALSE;
    if (SimCompleteInline) {
        (void)SimCompleteOne(SimPendingCount - 1, FALSE);
    }
    return STATUS_SUCCESS;
}

//
// The stack takes the injected packet through its layer again, as WFP
// would indicate it there.
//
static void SimReclassify(SIM_PENDING_INJECTION* pending)
{
    SIM_NBL* nbl = pending->nbl;
    const SIM_LAYER* layer = SimLayerById(nbl->data->layerId);
    ULONG offset = nbl->nb.DataOffset;
    ULONG length = nbl->nb.DataLength;
    SIM_RESULT result;

    pending->reclassified = TRUE;
    nbl->nb.DataOffset = SimIndicatedOffset(layer, nbl->data);
    nbl->nb.DataLength = nbl->data->length - nbl->nb.DataOffset;
    result = SimClassifyPacket(&nbl->data->traffic, &nbl->nbl);
    nbl->nb.DataOffset = offset;
    nbl->nb.DataLength = length;
    SimInjections[pending->record].delivered = (BOOLEAN)(result.actionType != FWP_ACTION_BLOCK);
}

//
// Completes one pending injection: the packet went through its layer again;
// the completion function gets it back, at DISPATCH_LEVEL. While clones of
// the injected packet are outstanding (a callout captured it on its way
// through) the completion waits, as NDIS completes no parent with
// ChildRefCount above zero, unless force (the handle is being destroyed).
//
static BOOLEAN SimCompleteOne(ULONG index, BOOLEAN force)
{
    SIM_PENDING_INJECTION pending;
    KIRQL irql;

    if (!SimPending[index].reclassified) {
        SimReclassify(&SimPending[index]);
    }
    pending = SimPending[index];
    if (pending.nbl->nbl.ChildRefCount != 0 && !force) {
        return FALSE;
    }
    memmove(&SimPending[index], &SimPending[index + 1], (SimPendingCount - index - 1) * sizeof(SimPending[0]));
    SimPendingCount--;
    pending.nbl->injectionPending = FALSE;
    pending.nbl->nbl.Status = SimAsyncStatus;
    SimInjections[pending.record].status = SimAsyncStatus;
    SimInjections[pending.record].completed = TRUE;
    irql = SimRaiseIrql(DISPATCH_LEVEL);
    pending.completionFn(pending.completionContext, &pending.nbl->nbl, TRUE);
    SimCheckDriverReturn(DISPATCH_LEVEL, 0, "an injection completion function");
    SimLowerIrql(irql);
    return TRUE;
}

//
// Completes every injection that can complete; TRUE if any did.
//
BOOLEAN SimCompleteInjections(void)
{
    BOOLEAN progress = FALSE;

    for (ULONG i = 0; i < SimPendingCount;) {
        if (SimCompleteOne(i, FALSE)) {
            progress = TRUE;
        } else {
            i++;
        }
    }
    return progress;
}

void SimRunPendingWork(void)
{
    for (;;) {
        BOOLEAN ran = SimWorkItemsQueued();

        SimRunWorkItems();
        if (!SimCompleteInjections() && !ran) {
            return;
        }
    }
}

NTSTATUS NTAPI FwpsInjectTransportSendAsync0(HANDLE injectionHandle, HANDLE injectionContext, UINT64 endpointHandle,
                                             UINT32 flags, FWPS_TRANSPORT_SEND_PARAMS0* sendArgs,
                                             ADDRESS_FAMILY addressFamily, COMPARTMENT_ID compartmentId,
                                             NET_BUFFER_LIST* netBufferList, FWPS_INJECT_COMPLETE0 completionFn,
                                             HANDLE completionContext)
{
    SIM_INJECTION details;

    UNREFERENCED_PARAMETER(injectionContext);
    RtlZeroMemory(&details, sizeof(details));
    if (sendArgs == NULL || sendArgs->remoteAddress == NULL) {
        SimViolation("FwpsInjectTransportSendAsync0 without FWPS_TRANSPORT_SEND_PARAMS0 and its remoteAddress: they "
                     "may be missing only when the data carries its own IP header");
    }
    details.addressFamily = addressFamily;
    details.compartmentId = (ULONG)compartmentId;
    details.endpointHandle = endpointHandle;
    memcpy(details.remoteAddress, sendArgs->remoteAddress, addressFamily == AF_INET6 ? 16 : 4);
    details.remoteScopeId = sendArgs->remoteScopeId.Value;
    details.controlDataLength = sendArgs->controlDataLength;
    if (sendArgs->controlData != NULL && sendArgs->controlDataLength <= sizeof(details.controlData)) {
        memcpy(details.controlData, sendArgs->controlData, sendArgs->controlDataLength);
    }
    return SimInject(SIM_INJECT_TRANSPORT_SEND, "FwpsInjectTransportSendAsync0", injectionHandle, flags,
                     netBufferList, completionFn, completionContext, &details);
}

NTSTATUS NTAPI FwpsInjectTransportReceiveAsync0(HANDLE injectionHandle, HANDLE injectionContext, PVOID reserved,
                                                UINT32 flags, ADDRESS_FAMILY addressFamily,
                                                COMPARTMENT_ID compartmentId, IF_INDEX interfaceIndex,
                                                IF_INDEX subInterfaceIndex, NET_BUFFER_LIST* netBufferList,
                                                FWPS_INJECT_COMPLETE0 completionFn, HANDLE completionContext)
{
    SIM_INJECTION details;

    UNREFERENCED_PARAMETER(injectionContext);
    if (reserved != NULL) {
        SimViolation("FwpsInjectTransportReceiveAsync0 with a non-NULL reserved parameter");
    }
    RtlZeroMemory(&details, sizeof(details));
    details.addressFamily = addressFamily;
    details.compartmentId = (ULONG)compartmentId;
    details.interfaceIndex = interfaceIndex;
    details.subInterfaceIndex = subInterfaceIndex;
    return SimInject(SIM_INJECT_TRANSPORT_RECEIVE, "FwpsInjectTransportReceiveAsync0", injectionHandle, flags,
                     netBufferList, completionFn, completionContext, &details);
}

NTSTATUS NTAPI FwpsInjectNetworkSendAsync0(HANDLE injectionHandle, HANDLE injectionContext, UINT32 flags,
                                           COMPARTMENT_ID compartmentId, NET_BUFFER_LIST* netBufferList,
                                           FWPS_INJECT_COMPLETE0 completionFn, HANDLE completionContext)
{
    SIM_INJECTION details;

    UNREFERENCED_PARAMETER(injectionContext);
    RtlZeroMemory(&details, sizeof(details));
    details.compartmentId = (ULONG)compartmentId;
    return SimInject(SIM_INJECT_NETWORK_SEND, "FwpsInjectNetworkSendAsync0", injectionHandle, flags, netBufferList,
                     completionFn, completionContext, &details);
}

NTSTATUS NTAPI FwpsInjectNetworkReceiveAsync0(HANDLE injectionHandle, HANDLE injectionContext, UINT32 flags,
                                              COMPARTMENT_ID compartmentId, IF_INDEX interfaceIndex,
                                              IF_INDEX subInterfaceIndex, NET_BUFFER_LIST* netBufferList,
                                              FWPS_INJECT_COMPLETE0 completionFn, HANDLE completionContext)
{
    SIM_INJECTION details;

    UNREFERENCED_PARAMETER(injectionContext);
    RtlZeroMemory(&details, sizeof(details));
    details.compartmentId = (ULONG)compartmentId;
    details.interfaceIndex = interfaceIndex;
    details.subInterfaceIndex = subInterfaceIndex;
    return SimInject(SIM_INJECT_NETWORK_RECEIVE, "FwpsInjectNetworkReceiveAsync0", injectionHandle, flags,
                     netBufferList, completionFn, completionContext, &details);
}

void SimInjectCheckClean(const char* when)
{
    for (ULONG i = 0; i < SIM_COUNT(SimHandles); i++) {
        if (SimHandles[i].live) {
            SimViolation("injection handle still open %s: FwpsInjectionHandleCreate0 without "
                         "FwpsInjectionHandleDestroy0", when);
        }
    }
    if (SimPendingCount != 0) {
        SimBugCheck("%lu injection(s) still pending %s", (unsigned long)SimPendingCount, when);
    }
}
