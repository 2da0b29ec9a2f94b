{% if cookiecutter.driver.has_flow_contexts -%}
//
// flow.c - attaches FLOW_CONTEXTs to flows and frees them.
//
// Ownership: FlowAttach allocates a context and, once WFP has accepted it,
// puts it on FlowContexts. From then on only flowDeleteFn frees it, because
// WFP calls flowDeleteFn exactly once for every context it accepted, whether
// the flow ended or the context was removed with FwpsFlowRemoveContext0.
//

#include "flow.h"

#define FLOW_CONTEXT_TAG {{ cookiecutter.driver.flow_tag }} // "{{ cookiecutter.driver.flow_tag_text }}" in pool tools

static LIST_ENTRY FlowContexts;    // every attached FLOW_CONTEXT
static KSPIN_LOCK FlowContextsLock; // guards FlowContexts and FlowAccepting
static BOOLEAN FlowAccepting;

_Use_decl_annotations_
void
FlowInitialize(
    void
    )
{
    InitializeListHead(&FlowContexts);
    KeInitializeSpinLock(&FlowContextsLock);
    FlowAccepting = FALSE;
}

_IRQL_requires_(PASSIVE_LEVEL)
static
void
FlowSetAccepting(
    _In_ BOOLEAN accepting
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;

    KeAcquireInStackQueuedSpinLock(&FlowContextsLock, &lockHandle);
    FlowAccepting = accepting;
    KeReleaseInStackQueuedSpinLock(&lockHandle);
}

_Use_decl_annotations_
void
FlowStart(
    void
    )
{
    FlowSetAccepting(TRUE);
}

_Use_decl_annotations_
void
FlowStop(
    void
    )
{
    //
    // After this no FlowAttach can add a context, so FlowRemoveAll leaves
    // the list empty for good.
    //
    FlowSetAccepting(FALSE);
    FlowRemoveAll();
}

_Use_decl_annotations_
void
FlowAttach(
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    CALLOUT_INDEX target,
    UINT16 layerId
    )
{
    FLOW_CONTEXT* context;
    KLOCK_QUEUE_HANDLE lockHandle;
    NTSTATUS status = STATUS_SHUTDOWN_IN_PROGRESS;

    if (!FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_FLOW_HANDLE)) {
        return;
    }

    context = PoolAllocateNonPaged(sizeof(*context), FLOW_CONTEXT_TAG);
    if (context == NULL) {
        //
        // The flow goes on without a context; a callout registered with
        // FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW simply never sees it.
        //
        return;
    }

    context->FlowId = inMetaValues->flowHandle;
    context->LayerId = layerId;

    //
    // Associate and insert under one lock hold, so FlowRemoveAll never
    // misses an attached context and nothing is attached after FlowStop.
    // FwpsFlowAssociateContext0 does not call flowDeleteFn, so holding the
    // lock that flowDeleteFn takes is safe. flowDeleteFn for this context may
    // start on another processor as soon as the association exists; it
    // waits for the lock and so finds the context on the list.
    //
    KeAcquireInStackQueuedSpinLock(&FlowContextsLock, &lockHandle);

    if (FlowAccepting) {
        context->CalloutId = CalloutsGetId(target);
        status = FwpsFlowAssociateContext0(context->FlowId,
                                           context->LayerId,
                                           context->CalloutId,
                                           (UINT64)(ULONG_PTR)context);
        if (NT_SUCCESS(status)) {
            InsertTailList(&FlowContexts, &context->Link);
        }
    }

    KeReleaseInStackQueuedSpinLock(&lockHandle);

    if (!NT_SUCCESS(status)) {
        //
        // WFP did not take it (STATUS_OBJECT_NAME_EXISTS: this callout already
        // has a context on the flow), so it is still ours to free.
        //
        ExFreePoolWithTag(context, FLOW_CONTEXT_TAG);
    }
}

_Use_decl_annotations_
void
FlowRemoveAll(
    void
    )
{
    for (;;) {
        KLOCK_QUEUE_HANDLE lockHandle;
        FLOW_CONTEXT* context;
        UINT64 flowId;
        UINT16 layerId;
        UINT32 calloutId;

        KeAcquireInStackQueuedSpinLock(&FlowContextsLock, &lockHandle);

        if (IsListEmpty(&FlowContexts)) {
            KeReleaseInStackQueuedSpinLock(&lockHandle);
            return;
        }

        //
        // Take the context off the list and link it to itself, which turns
        // the RemoveEntryList in flowDeleteFn into a no-op.
        //
        context = CONTAINING_RECORD(RemoveHeadList(&FlowContexts), FLOW_CONTEXT, Link);
        InitializeListHead(&context->Link);
        flowId = context->FlowId;
        layerId = context->LayerId;
        calloutId = context->CalloutId;

        KeReleaseInStackQueuedSpinLock(&lockHandle);

        //
        // Outside the lock: on success FwpsFlowRemoveContext0 calls
        // flowDeleteFn right here, and flowDeleteFn takes the lock. On
        // STATUS_PENDING it calls it once the running classifyFn returns;
        // any other status means the flow is already gone and flowDeleteFn
        // ran or is running. In every case the context now belongs to
        // flowDeleteFn and may already be freed, so only the copies are used.
        //
        (void)FwpsFlowRemoveContext0(flowId, layerId, calloutId);
    }
}

//
// The single place where a FLOW_CONTEXT is freed.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
FlowDelete(
    _In_ UINT64 flowContext
    )
{
    FLOW_CONTEXT* context = (FLOW_CONTEXT*)(ULONG_PTR)flowContext;
    KLOCK_QUEUE_HANDLE lockHandle;

    KeAcquireInStackQueuedSpinLock(&FlowContextsLock, &lockHandle);
    RemoveEntryList(&context->Link);
    KeReleaseInStackQueuedSpinLock(&lockHandle);

    ExFreePoolWithTag(context, FLOW_CONTEXT_TAG);
}
{%- for name, c in cookiecutter.callouts.items() if c.flow_context %}

_Use_decl_annotations_
void
NTAPI
{{ c.flow_delete_fn }}(
    UINT16 layerId,
    UINT32 calloutId,
    UINT64 flowContext
    )
{
    UNREFERENCED_PARAMETER(layerId);
    UNREFERENCED_PARAMETER(calloutId);

    FlowDelete(flowContext);
}
{%- endfor %}
{% endif -%}
