//
// pend.c - pended ALE classifications: FwpsPendOperation0,
// FwpsCompleteOperation0 and the reauthorization that completion triggers.
//
// Which source this follows: Microsoft Learn, "Processing Classify Callouts
// Asynchronously" (and the Microsoft inspect sample, which pends at both ALE
// authorization layers). The FwpsPendOperation0 page names fewer layers
// (ALE_RESOURCE_ASSIGNMENT, ALE_AUTH_LISTEN, ALE_AUTH_CONNECT) but describes
// completing a connection pended at ALE_AUTH_RECV_ACCEPT; the simulation
// allows pending at the union: those three and ALE_AUTH_RECV_ACCEPT, where
// it gives classifies FWPS_METADATA_FIELD_COMPLETION_HANDLE.
//
// Reproduced rules (FwpsPendOperation0, FwpsCompleteOperation0,
// "Processing Classify Callouts Asynchronously", "Metadata Fields at Each
// Filtering Layer" on Microsoft Learn):
// - FwpsPendOperation0 is called from classifyFn with the completionHandle
//   of that classify's metadata, which only the layers that can pend carry;
//   a pended classify returns FWP_ACTION_BLOCK with
//   FWPS_CLASSIFY_OUT_FLAG_ABSORB;
// - in a reauthorization classify (FWP_CONDITION_FLAG_IS_REAUTHORIZE in the
//   FLAGS field) it fails with STATUS_FWP_CANNOT_PEND;
// - every pended operation is completed with FwpsCompleteOperation0 exactly
//   once, with the completionContext FwpsPendOperation0 returned, at up to
//   DISPATCH_LEVEL; one never completed is a connection that hangs forever;
// - completion at ALE_AUTH_CONNECT triggers a reauthorization classify of
//   the connection (outbound, with FWP_CONDITION_FLAG_IS_REAUTHORIZE), whose
//   verdict is the connection's; at ALE_AUTH_RECV_ACCEPT it triggers none;
// - completion needs the callout that pended: after it is unregistered the
//   reauthorization meets a filter without its callout, and the answer is lost.
// The documentation does not say whether the reauthorization runs inside
// FwpsCompleteOperation0 or later: the simulation runs it inside when the
// driver holds no spin lock, and otherwise warns and runs it once the driver
// has returned to the simulation.
//

#include "sim_internal.h"

#define SIM_PEND_MAX 256

typedef struct SIM_PENDED {
    BOOLEAN used;
    BOOLEAN completed;
    BOOLEAN deferred;        // completed; its reauthorization still to run
    BOOLEAN reauthorized;
    UINT32 calloutId;
    UINT16 layerId;
    SIM_TRAFFIC traffic;
    FWP_ACTION_TYPE verdict; // of the reauthorization
} SIM_PENDED;

static SIM_PENDED SimPended[SIM_PEND_MAX];
static ULONG SimPendedCount;
static ULONG SimCompletionHandles;

// The classification running now.
static struct {
    const SIM_CLASSIFY_DATA* data;
    const SIM_LAYER* layer;
    const SIM_TRAFFIC* traffic;
    UINT32 calloutId;
    ULONG pended;
    ULONG firstOperation;
} SimPendNow;

void SimPendReset(void)
{
    RtlZeroMemory(SimPended, sizeof(SimPended));
    RtlZeroMemory(&SimPendNow, sizeof(SimPendNow));
    SimPendedCount = 0;
    SimCompletionHandles = 0;
}

static BOOLEAN SimIsConnectLayer(UINT16 layerId)
{
    return (BOOLEAN)(layerId == FWPS_LAYER_ALE_AUTH_CONNECT_V4 || layerId == FWPS_LAYER_ALE_AUTH_CONNECT_V6);
}

//
// The FLAGS field of a layer that can pend, or FALSE.
//
static BOOLEAN SimPendFlagsField(UINT16 layerId, UINT32* index)
{
    switch (layerId) {
    case FWPS_LAYER_ALE_AUTH_CONNECT_V4: *index = FWPS_FIELD_ALE_AUTH_CONNECT_V4_FLAGS; return TRUE;
    case FWPS_LAYER_ALE_AUTH_CONNECT_V6: *index = FWPS_FIELD_ALE_AUTH_CONNECT_V6_FLAGS; return TRUE;
    case FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4: *index = FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V4_FLAGS; return TRUE;
    case FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V6: *index = FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_FLAGS; return TRUE;
    case FWPS_LAYER_ALE_AUTH_LISTEN_V4: *index = FWPS_FIELD_ALE_AUTH_LISTEN_V4_FLAGS; return TRUE;
    case FWPS_LAYER_ALE_AUTH_LISTEN_V6: *index = FWPS_FIELD_ALE_AUTH_LISTEN_V6_FLAGS; return TRUE;
    case FWPS_LAYER_ALE_RESOURCE_ASSIGNMENT_V4: *index = FWPS_FIELD_ALE_RESOURCE_ASSIGNMENT_V4_FLAGS; return TRUE;
    case FWPS_LAYER_ALE_RESOURCE_ASSIGNMENT_V6: *index = FWPS_FIELD_ALE_RESOURCE_ASSIGNMENT_V6_FLAGS; return TRUE;
    default: return FALSE;
    }
}

//
// At a layer that can pend: a completion handle of the classification's own
// ("Metadata Fields at Each Filtering Layer"). traffic.c writes the
// traffic's condition flags into the FLAGS field.
//
void SimPendPrepare(SIM_CLASSIFY_DATA* data, const SIM_LAYER* layer, const SIM_TRAFFIC* traffic)
{
    UINT32 flags;

    UNREFERENCED_PARAMETER(traffic);

    if (!SimPendFlagsField(layer->id, &flags)) {
        return;
    }
    data->metadata.currentMetadataValues |= FWPS_METADATA_FIELD_COMPLETION_HANDLE;
    data->metadata.completionHandle = (HANDLE)(ULONG_PTR)(0xC0000000u + ++SimCompletionHandles);
}

//
// Whether a classify at this layer comes with a packet: at ALE_AUTH_CONNECT
// a TCP connection has none yet, other protocols their first datagram
// ("WFP Layer Requirements and Restrictions": layerData at the ALE layers).
//
BOOLEAN SimPendHasPacket(const SIM_LAYER* layer, const SIM_TRAFFIC* traffic)
{
    return (BOOLEAN)(!SimIsConnectLayer(layer->id) || traffic->protocol != IPPROTO_TCP);
}

void SimPendClassifyBegin(const SIM_CLASSIFY_DATA* data, const SIM_LAYER* layer, UINT32 calloutId,
                          const SIM_TRAFFIC* traffic)
{
    RtlZeroMemory(&SimPendNow, sizeof(SimPendNow));
    SimPendNow.data = data;
    SimPendNow.layer = layer;
    SimPendNow.traffic = traffic;
    SimPendNow.calloutId = calloutId;
}

//
// Right after classifyFn returned. Returns how many operations it pended
// (and in *operation the id of the first: 1, 2, ...).
//
ULONG SimPendClassifyEnd(const FWPS_CLASSIFY_OUT0* classifyOut, ULONG* operation)
{
    ULONG pended = SimPendNow.pended;

    if (pended != 0 &&
        (classifyOut->actionType != FWP_ACTION_BLOCK || (classifyOut->flags & FWPS_CLASSIFY_OUT_FLAG_ABSORB) == 0)) {
        SimViolation("classifyFn at %s pended the classification (FwpsPendOperation0) but did not return "
                     "FWP_ACTION_BLOCK with FWPS_CLASSIFY_OUT_FLAG_ABSORB, as a pended classify must",
                     SimPendNow.layer->name);
    }
    if (pended != 0) {
        *operation = SimPendNow.firstOperation;
    }
    RtlZeroMemory(&SimPendNow, sizeof(SimPendNow));
    return pended;
}

NTSTATUS NTAPI FwpsPendOperation0(HANDLE completionHandle, HANDLE* completionContext)
{
    SIM_PENDED* op;

    SimRequireIrql(DISPATCH_LEVEL, "FwpsPendOperation0");

    //
    // Only classifies at the layers that can pend carry a completion handle
    // (SimPendPrepare), so this also refuses pending anywhere else.
    //
    if (SimPendNow.data == NULL || completionHandle == NULL ||
        completionHandle != SimPendNow.data->metadata.completionHandle) {
        SimViolation("FwpsPendOperation0 with a completionHandle that is not the running classify's: only the "
                     "classifyFn that received it in inMetaValues->completionHandle can pend, at the ALE layers "
                     "that can (ALE_RESOURCE_ASSIGNMENT, ALE_AUTH_LISTEN, ALE_AUTH_CONNECT, ALE_AUTH_RECV_ACCEPT)");
    }
    if (completionContext == NULL) {
        return STATUS_FWP_NULL_POINTER;
    }
    if ((SimPendNow.traffic->conditionFlags & FWP_CONDITION_FLAG_IS_REAUTHORIZE) != 0) {
        return STATUS_FWP_CANNOT_PEND;
    }
    if (SimPendNow.pended != 0) {
        SimWarning("FwpsPendOperation0 twice in one classify at %s", SimPendNow.layer->name);
    }
    if (SimFaultShouldFail("FwpsPendOperation0")) {
        return STATUS_FWP_TCPIP_NOT_READY;
    }
    if (SimPendedCount == SIM_PEND_MAX) {
        SimBugCheck("the simulation itself: more than %d pended operations in one test", SIM_PEND_MAX);
    }
    op = &SimPended[SimPendedCount++];
    op->used = TRUE;
    op->calloutId = SimPendNow.calloutId;
    op->layerId = SimPendNow.layer->id;
    op->traffic = *SimPendNow.traffic;
    if (SimPendNow.pended++ == 0) {
        SimPendNow.firstOperation = SimPendedCount;
    }
    *completionContext = (HANDLE)op;
    return STATUS_SUCCESS;
}

static void SimPendReauthorize(SIM_PENDED* op)
{
    SIM_TRAFFIC traffic = op->traffic;
    SIM_RESULT result;

    op->deferred = FALSE;
    traffic.conditionFlags |= FWP_CONDITION_FLAG_IS_REAUTHORIZE;
    traffic.direction = FWP_DIRECTION_OUTBOUND;
    result = SimClassify(&traffic);
    op->verdict = result.actionType;
    op->reauthorized = TRUE;
    SimTrace("reauthorization after FwpsCompleteOperation0: %s\n",
             result.actionType == FWP_ACTION_PERMIT ? "permit" : "not permitted");
}

void NTAPI FwpsCompleteOperation0(HANDLE completionContext, PNET_BUFFER_LIST netBufferList)
{
    SIM_PENDED* op = (SIM_PENDED*)completionContext;

    UNREFERENCED_PARAMETER(netBufferList);

    SimRequireIrql(DISPATCH_LEVEL, "FwpsCompleteOperation0");
    if (op < &SimPended[0] || op >= &SimPended[SimPendedCount] || !op->used) {
        SimViolation("FwpsCompleteOperation0 with a completionContext that FwpsPendOperation0 did not return (%p)",
                     completionContext);
    }
    if (op->completed) {
        SimViolation("FwpsCompleteOperation0 twice for one pended operation (operation %lu)",
                     (unsigned long)(op - SimPended + 1));
    }
    if (SimCalloutById(op->calloutId) == NULL) {
        SimViolation("FwpsCompleteOperation0 after the callout that pended the operation was unregistered: the "
                     "reauthorization it triggers meets a filter without its callout, and the answer is lost "
                     "(complete pended operations before unregistering the callouts)");
    }
    op->completed = TRUE;
    if (!SimIsConnectLayer(op->layerId)) {
        return; // no reauthorization at ALE_AUTH_RECV_ACCEPT
    }
    if (SimSpinLocksHeld() != 0 || SimPendNow.data != NULL) {
        if (SimSpinLocksHeld() != 0) {
            SimWarning("FwpsCompleteOperation0 with a spin lock held: the reauthorization classify may run inside "
                       "the call, and a classifyFn that takes the same lock deadlocks");
        }
        op->deferred = TRUE;
        return;
    }
    SimPendReauthorize(op);
}

void SimPendRunDeferred(void)
{
    for (ULONG i = 0; i < SimPendedCount; i++) {
        if (SimPended[i].deferred && SimDriverIsLoaded()) {
            SimPendReauthorize(&SimPended[i]);
        }
    }
}

static SIM_PENDED* SimOperation(ULONG operation)
{
    if (operation == 0 || operation > SimPendedCount) {
        SimBugCheck("the test: operation %lu was never pended", (unsigned long)operation);
    }
    return &SimPended[operation - 1];
}

BOOLEAN SimOperationCompleted(ULONG operation)
{
    SimPendRunDeferred();
    return SimOperation(operation)->completed;
}

FWP_ACTION_TYPE SimOperationVerdict(ULONG operation)
{
    SIM_PENDED* op;

    SimPendRunDeferred();
    op = SimOperation(operation);
    return op->reauthorized ? op->verdict : FWP_ACTION_NONE;
}

ULONG SimOperationsPending(void)
{
    ULONG pending = 0;

    for (ULONG i = 0; i < SimPendedCount; i++) {
        pending += (SimPended[i].used && !SimPended[i].completed) ? 1 : 0;
    }
    return pending;
}

SIM_RESULT SimReauthorize(const SIM_TRAFFIC* traffic)
{
    SIM_TRAFFIC again = *traffic;

    again.conditionFlags |= FWP_CONDITION_FLAG_IS_REAUTHORIZE;
    return SimClassify(&again);
}

void SimPendCheckClean(const char* when)
{
    for (ULONG i = 0; i < SimPendedCount; i++) {
        if (SimPended[i].used && !SimPended[i].completed) {
            SimViolation("a pended operation (operation %lu) was never completed %s: FwpsPendOperation0 without "
                         "FwpsCompleteOperation0 leaves the connection waiting forever",
                         (unsigned long)(i + 1), when);
        }
    }
}
