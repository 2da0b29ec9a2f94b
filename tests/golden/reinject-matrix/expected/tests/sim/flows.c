//
// flows.c - data flows and the contexts callouts associate with them.
//
// Reproduced behaviour (Microsoft Learn: FwpsFlowAssociateContext0,
// FwpsFlowRemoveContext0, flowDeleteFn, "Associating Context with a Data
// Flow"):
// - both calls run at up to DISPATCH_LEVEL;
// - a context can be associated only for a registered callout that has a
//   flowDeleteFn (else STATUS_INVALID_PARAMETER), one per callout and layer
//   (else STATUS_OBJECT_NAME_EXISTS), and only while the flow exists;
// - the context "must not be zero" (FwpsFlowAssociateContext0: else
//   STATUS_INVALID_PARAMETER): a zero context is a violation;
// - FwpsFlowRemoveContext0 calls flowDeleteFn synchronously and returns
//   STATUS_SUCCESS, or STATUS_UNSUCCESSFUL when there is no such context;
//   while a classifyFn for the flow is in progress it returns STATUS_PENDING
//   and flowDeleteFn runs once that classification is over;
// - when a flow ends, flowDeleteFn runs for every context still on it;
// - flowDeleteFn is called exactly once per associated context.
//

#include "sim_internal.h"

#define SIM_MAX_FLOWS 64
#define SIM_MAX_FLOW_CONTEXTS 8
#define SIM_FIRST_FLOW_ID 0x1000

typedef struct SIM_FLOW_CONTEXT {
    BOOLEAN live;
    BOOLEAN removing;   // FwpsFlowRemoveContext0 answered STATUS_PENDING
    UINT16 layerId;
    UINT32 calloutId;
    UINT64 context;
} SIM_FLOW_CONTEXT;

typedef struct SIM_FLOW {
    BOOLEAN live;
    ULONG classifying;  // classifications of the flow in progress
    BOOLEAN elsewhere;  // one of them on another processor (SimFlowClassifyElsewhere)
    SIM_FLOW_CONTEXT contexts[SIM_MAX_FLOW_CONTEXTS];
} SIM_FLOW;

static SIM_FLOW SimFlows[SIM_MAX_FLOWS];
static ULONG SimFlowsStarted;

void SimFlowsReset(void)
{
    RtlZeroMemory(SimFlows, sizeof(SimFlows));
    SimFlowsStarted = 0;
}

static SIM_FLOW* SimFlowById(UINT64 flowId)
{
    if (flowId < SIM_FIRST_FLOW_ID || flowId >= SIM_FIRST_FLOW_ID + SimFlowsStarted) {
        return NULL;
    }
    return &SimFlows[(flowId - SIM_FIRST_FLOW_ID) % SIM_MAX_FLOWS];
}

UINT64 SimFlowNew(void)
{
    SIM_FLOW* flow = &SimFlows[SimFlowsStarted % SIM_MAX_FLOWS];

    if (flow->live) {
        SimBugCheck("more than %d flows alive at once", SIM_MAX_FLOWS);
    }
    RtlZeroMemory(flow, sizeof(*flow));
    flow->live = TRUE;
    return SIM_FIRST_FLOW_ID + SimFlowsStarted++;
}

static SIM_FLOW_CONTEXT* SimFindContext(SIM_FLOW* flow, UINT16 layerId, UINT32 calloutId)
{
    for (ULONG i = 0; flow != NULL && flow->live && i < SIM_MAX_FLOW_CONTEXTS; i++) {
        SIM_FLOW_CONTEXT* context = &flow->contexts[i];

        if (context->live && !context->removing && context->layerId == layerId && context->calloutId == calloutId) {
            return context;
        }
    }
    return NULL;
}

NTSTATUS NTAPI FwpsFlowAssociateContext0(UINT64 flowId, UINT16 layerId, UINT32 calloutId, UINT64 flowContext)
{
    SIM_FLOW* flow = SimFlowById(flowId);

    SimRequireIrql(DISPATCH_LEVEL, "FwpsFlowAssociateContext0");
    if (flowContext == 0) {
        SimViolation("FwpsFlowAssociateContext0(flow %llu, layer %u, callout %u) with a zero flowContext: it must "
                     "not be zero (STATUS_INVALID_PARAMETER)", (unsigned long long)flowId, (unsigned)layerId,
                     calloutId);
    }
    if (!SimCalloutIsFlowCapable(SimCalloutById(calloutId)) || SimLayerById(layerId) == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    if (flow == NULL || !flow->live) {
        return STATUS_NOT_FOUND;
    }
    if (SimFindContext(flow, layerId, calloutId) != NULL) {
        return STATUS_OBJECT_NAME_EXISTS;
    }
    if (SimFaultShouldFail("FwpsFlowAssociateContext0")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (ULONG i = 0; i < SIM_MAX_FLOW_CONTEXTS; i++) {
        SIM_FLOW_CONTEXT* context = &flow->contexts[i];

        if (!context->live) {
            context->live = TRUE;
            context->layerId = layerId;
            context->calloutId = calloutId;
            context->context = flowContext;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_INSUFFICIENT_RESOURCES;
}

static void SimDeleteContext(SIM_FLOW_CONTEXT* context)
{
    context->live = FALSE;
    context->removing = FALSE;
    SimCalloutFlowDelete(context->calloutId, context->layerId, context->context);
}

NTSTATUS NTAPI FwpsFlowRemoveContext0(UINT64 flowId, UINT16 layerId, UINT32 calloutId)
{
    SIM_FLOW* flow = SimFlowById(flowId);
    SIM_FLOW_CONTEXT* context;

    SimRequireIrql(DISPATCH_LEVEL, "FwpsFlowRemoveContext0");
    context = SimFindContext(flow, layerId, calloutId);
    if (context == NULL) {
        return STATUS_UNSUCCESSFUL;
    }
    if (flow->classifying != 0 || flow->elsewhere) {
        context->removing = TRUE;
        return STATUS_PENDING;
    }
    SimDeleteContext(context);
    return STATUS_SUCCESS;
}

//
// The classifications in progress are over: the removals they held back
// complete, each with its flowDeleteFn (at DISPATCH_LEVEL, as the stack
// would call it).
//
static void SimFlowFinishRemovals(SIM_FLOW* flow)
{
    KIRQL irql = SimRaiseIrql(DISPATCH_LEVEL);

    for (ULONG i = 0; i < SIM_MAX_FLOW_CONTEXTS; i++) {
        if (flow->contexts[i].live && flow->contexts[i].removing) {
            SimDeleteContext(&flow->contexts[i]);
        }
    }
    SimLowerIrql(irql);
}

void SimFlowClassifyBegin(UINT64 flowId)
{
    SIM_FLOW* flow = SimFlowById(flowId);

    if (flow != NULL && flow->live) {
        flow->classifying++;
    }
}

void SimFlowClassifyEnd(UINT64 flowId)
{
    SIM_FLOW* flow = SimFlowById(flowId);

    if (flow != NULL && flow->live && --flow->classifying == 0 && !flow->elsewhere) {
        SimFlowFinishRemovals(flow);
    }
}

void SimFlowClassifyElsewhere(UINT64 flowId)
{
    SIM_FLOW* flow = SimFlowById(flowId);

    if (flow == NULL || !flow->live) {
        SimBugCheck("SimFlowClassifyElsewhere: flow %llu is not alive", (unsigned long long)flowId);
    }
    flow->elsewhere = TRUE;
}

//
// The classifications running on other processors return (the driver is
// waiting for a busy callout to unregister).
//
void SimFlowsElsewhereReturn(void)
{
    for (ULONG f = 0; f < SIM_MAX_FLOWS; f++) {
        if (SimFlows[f].live && SimFlows[f].elsewhere) {
            SimFlows[f].elsewhere = FALSE;
            if (SimFlows[f].classifying == 0) {
                SimFlowFinishRemovals(&SimFlows[f]);
            }
        }
    }
}

UINT64 SimFlowContextOf(UINT64 flowId, UINT16 layerId, UINT32 calloutId, BOOLEAN* found)
{
    SIM_FLOW_CONTEXT* context = SimFindContext(SimFlowById(flowId), layerId, calloutId);

    *found = (BOOLEAN)(context != NULL);
    return context != NULL ? context->context : 0;
}

ULONG SimFlowContextCount(UINT64 flowId)
{
    SIM_FLOW* flow = SimFlowById(flowId);
    ULONG count = 0;

    for (ULONG i = 0; flow != NULL && flow->live && i < SIM_MAX_FLOW_CONTEXTS; i++) {
        count += flow->contexts[i].live ? 1 : 0;
    }
    return count;
}

ULONG SimFlowContextsOfCallout(UINT32 calloutId)
{
    ULONG count = 0;

    for (ULONG f = 0; f < SIM_MAX_FLOWS; f++) {
        for (ULONG i = 0; SimFlows[f].live && i < SIM_MAX_FLOW_CONTEXTS; i++) {
            count += (SimFlows[f].contexts[i].live && SimFlows[f].contexts[i].calloutId == calloutId) ? 1 : 0;
        }
    }
    return count;
}

//
// The connection closes: the stack tears the flow down at DISPATCH_LEVEL.
//
void SimFlowEnd(UINT64 flowId)
{
    SIM_FLOW* flow = SimFlowById(flowId);
    KIRQL irql;

    if (flow == NULL || !flow->live) {
        SimBugCheck("SimFlowEnd: flow %llu is not alive", (unsigned long long)flowId);
    }
    irql = SimRaiseIrql(DISPATCH_LEVEL);
    for (ULONG i = 0; i < SIM_MAX_FLOW_CONTEXTS; i++) {
        if (flow->contexts[i].live) {
            SimDeleteContext(&flow->contexts[i]);
        }
    }
    SimLowerIrql(irql);
    flow->live = FALSE;
}

void SimFlowsCheckClean(const char* when)
{
    for (ULONG f = 0; f < SIM_MAX_FLOWS; f++) {
        for (ULONG i = 0; SimFlows[f].live && i < SIM_MAX_FLOW_CONTEXTS; i++) {
            if (SimFlows[f].contexts[i].live) {
                SimBugCheck("flow context left associated %s (callout %u, layer %u): flowDeleteFn would run in an "
                            "unloaded driver", when, SimFlows[f].contexts[i].calloutId,
                            (unsigned)SimFlows[f].contexts[i].layerId);
            }
        }
    }
}
