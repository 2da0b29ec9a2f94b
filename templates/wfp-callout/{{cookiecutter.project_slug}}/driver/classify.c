{% set api = cookiecutter.driver.api_version -%}
{%- macro field_read(f, family) -%}
{%- if f.kind == "address" and family == "v6" -%}
value = ClassifyGetValue(inFixedValues, {{ f.index }}, FWP_BYTE_ARRAY16_TYPE);
    values->{{ f.member }} = (value != NULL) ? value->byteArray16 : NULL;
{%- elif f.kind in ["address", "direction", "uint32"] -%}
value = ClassifyGetValue(inFixedValues, {{ f.index }}, FWP_UINT32);
    values->{{ f.member }} = (value != NULL) ? &value->uint32 : NULL;
{%- elif f.kind in ["port", "uint16"] -%}
value = ClassifyGetValue(inFixedValues, {{ f.index }}, FWP_UINT16);
    values->{{ f.member }} = (value != NULL) ? &value->uint16 : NULL;
{%- elif f.kind == "protocol" -%}
value = ClassifyGetValue(inFixedValues, {{ f.index }}, FWP_UINT8);
    values->{{ f.member }} = (value != NULL) ? &value->uint8 : NULL;
{%- elif f.kind == "app_id" -%}
value = ClassifyGetValue(inFixedValues, {{ f.index }}, FWP_BYTE_BLOB_TYPE);
    values->{{ f.member }} = (value != NULL) ? value->byteBlob : NULL;
{%- else -%}
value = ClassifyGetValue(inFixedValues, {{ f.index }}, FWP_BYTE_ARRAY6_TYPE);
    values->{{ f.member }} = (value != NULL) ? value->byteArray6 : NULL;
{%- endif -%}
{%- endmacro -%}
{#- What the channel learns of each classify that reached the logic. -#}
{%- macro channel_hook(c, verdict) -%}
{%- if cookiecutter.channel.enabled %}

    ChannelCountClassify(CALLOUT_{{ c.upper_name }}, {{ verdict }});
{%- if cookiecutter.channel.events %}
    {{ c.name }}DescribeEvent(&values, {{ verdict }}, &event);
    ChannelRecordEvent(&event);
{%- endif %}
{%- endif %}
{%- endmacro -%}
{#- Where the user's logic goes, by the behaviours this driver has. -#}
{%- set behaviors = cookiecutter.callouts.values() | map(attribute="behavior") | list -%}
{%- set hook_names = {"decide": "<Callout>Decide", "ask": "<Callout>Ask", "reinject": "<Callout>Inspect"} -%}
{%- set user_hooks = [] -%}
{%- for b in ["decide", "ask", "reinject"] if b in behaviors -%}
{%- set _ = user_hooks.append(hook_names[b]) -%}
{%- endfor -%}
{%- set event_v4 = namespace(used=false) -%}
{%- for name, c in cookiecutter.callouts.items() -%}
{%- for f in c.event.fields if c.family == "v4" and f.kind == "address" -%}
{%- set event_v4.used = true -%}
{%- endfor -%}
{%- endfor -%}
//
// classify.c - the classifyFn of every {{ cookiecutter.driver.name }} callout.
//
// Each classifyFn gathers what WFP tells it about the traffic into a
// <CALLOUT>_VALUES structure, runs your filtering logic on it, and returns
// the resulting verdict to WFP by the rules of FWPS_CLASSIFY_OUT0. Your
// logic goes in one function per callout ({{ user_hooks | join(", ") }}).
//
// Everything here runs at up to DISPATCH_LEVEL: touch only nonpaged memory,
// use spin locks only, never wait, and call no Fwpm* function.
//

#include "driver.h"
{%- if cookiecutter.driver.has_ask %}
#include "ask.h"
{%- endif %}
{%- if cookiecutter.channel.enabled %}
#include "channel.h"
{%- endif %}
{%- if cookiecutter.driver.has_flow_contexts %}
#include "flow.h"
{%- endif %}
{%- if cookiecutter.driver.has_reinject %}
#include "reinject.h"
{%- endif %}
{%- if cookiecutter.callouts.values() | selectattr("fields") | list %}

//
// The incoming value at fieldIndex if it holds the expected type, else NULL.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
const FWP_VALUE0*
ClassifyGetValue(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ UINT32 fieldIndex,
    _In_ FWP_DATA_TYPE type
    )
{
    const FWP_VALUE0* value;

    //
    // A field newer than the running Windows lies beyond valueCount, and a
    // field the layer could not fill in has type FWP_EMPTY.
    //
    if (fieldIndex >= inFixedValues->valueCount) {
        return NULL;
    }

    value = &inFixedValues->incomingValue[fieldIndex].value;
    return (value->type == type) ? value : NULL;
}
{%- endif %}

//
// The verdict when your logic decides nothing. FWP_ACTION_CONTINUE hands the
// decision to the next filter, and FWPS_ACTION0 (Microsoft Learn) allows it
// for inspection and "unknown" callout filters. A terminating callout filter
// must permit or block (anything else counts as a block), so it permits.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
ClassifyDefaultVerdict(
    _In_ const FWPS_FILTER{{ api }}* filter
    )
{
    return (filter->action.type == FWP_ACTION_CALLOUT_TERMINATING) ? FWP_ACTION_PERMIT
                                                                    : FWP_ACTION_CONTINUE;
}

//
// Hands a verdict to WFP at every layer except the stream layers.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ClassifyApplyVerdict(
    _In_ const FWPS_FILTER{{ api }}* filter,
    _In_ FWP_ACTION_TYPE verdict,
    _Inout_ FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    //
    // WFP treats a terminating callout's CONTINUE as BLOCK, and an inspection
    // callout may not decide at all.
    //
    NT_ASSERT(filter->action.type != FWP_ACTION_CALLOUT_TERMINATING ||
              verdict == FWP_ACTION_PERMIT || verdict == FWP_ACTION_BLOCK);
    NT_ASSERT(filter->action.type != FWP_ACTION_CALLOUT_INSPECTION ||
              verdict == FWP_ACTION_CONTINUE);

    if ((classifyOut->rights & FWPS_RIGHT_ACTION_WRITE) == 0) {
        //
        // A filter of higher priority has decided already. The only thing
        // left to do is to veto its permit.
        //
        if (verdict == FWP_ACTION_BLOCK && classifyOut->actionType == FWP_ACTION_PERMIT) {
            classifyOut->actionType = FWP_ACTION_BLOCK;
        }
        return;
    }

    //
    // Write the verdict even when it looks like the current value: actionType
    // may still hold another sublayer's decision.
    //
    classifyOut->actionType = verdict;

    //
    // A block is final, and so is a permit when the filter demands it.
    // Dropping the write right keeps lower-priority filters from undoing it.
    //
    if (verdict == FWP_ACTION_BLOCK ||
        (verdict == FWP_ACTION_PERMIT &&
         (filter->flags & FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT) != 0)) {
        classifyOut->rights &= ~(UINT32)FWPS_RIGHT_ACTION_WRITE;
    }
}
{%- if cookiecutter.channel.events %}
{%- set P = cookiecutter.channel.prefix %}

//
// The verdict as the shared header spells it.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
UINT32
ClassifyEventVerdict(
    _In_ FWP_ACTION_TYPE verdict
    )
{
    switch (verdict) {
    case FWP_ACTION_PERMIT:
        return {{ P }}_VERDICT_PERMIT;
    case FWP_ACTION_BLOCK:
        return {{ P }}_VERDICT_BLOCK;
    default:
        return {{ P }}_VERDICT_NONE;
    }
}
{%- if event_v4.used %}

//
// An IPv4 address as WFP gives it (host byte order) into an event's address
// field (network byte order, the rest zero).
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ClassifyEventAddressV4(
    _Out_writes_bytes_(16) UINT8* out,
    _In_ UINT32 address
    )
{
    out[0] = (UINT8)(address >> 24);
    out[1] = (UINT8)(address >> 16);
    out[2] = (UINT8)(address >> 8);
    out[3] = (UINT8)address;
}
{%- endif %}
{%- endif %}
{%- set redirects = cookiecutter.callouts.values() | selectattr("layer_data", "in", ["connect_request", "bind_request"]) | list %}
{%- set chain_checks = redirects | rejectattr("layer_data", "equalto", "connect_request" if cookiecutter.driver.redirect_handle else "") | map(attribute="layer_data") | unique | list %}
{%- for kind in chain_checks %}
{%- set rtype = "FWPS_CONNECT_REQUEST0" if kind == "connect_request" else "FWPS_BIND_REQUEST0" %}

//
// Whether this filter modified the request before: every modification leaves
// a version with the modifier's filter id in the previousVersion chain
// (FWPS_{{ "CONNECT" if kind == "connect_request" else "BIND" }}_REQUEST0 on Microsoft Learn; WFPSampler's
// ClassifyFunctions_ProxyCallouts.cpp walks the chain the same way).
// Redirecting again would loop.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
BOOLEAN
Classify{{ "Connect" if kind == "connect_request" else "Bind" }}RedirectedBySelf(
    _In_opt_ const {{ rtype }}* request,
    _In_ const FWPS_FILTER{{ api }}* filter
    )
{
    for (; request != NULL; request = request->previousVersion) {
        if (request->modifierFilterId == filter->filterId) {
            return TRUE;
        }
    }
    return FALSE;
}
{%- endfor %}
{%- for name, c in cookiecutter.callouts.items() %}
{%- if c.fields %}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
{{ c.name }}ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ {{ c.upper_name }}_VALUES* values
    )
{
    const FWP_VALUE0* value;
{% for f in c.fields %}
    {{ field_read(f, c.family) }}
{%- endfor %}
}
{%- endif %}

{%- if c.behavior == "ask" %}

//
// {{ c.name }} asks before it decides. Return ASK_PERMIT or ASK_BLOCK for a
// connection you can decide from values alone, ASK_USER to ask the program
// listening on the control channel: the connection then waits for its
// answer, at most {{ cookiecutter.channel.ask_timeout_ms }} ms. Without a listener, and for the listener's
// own process, the System process and loopback, nobody is asked and the
// connection gets the default verdict.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
ASK_CHOICE
{{ c.name }}Ask(
    _In_ const {{ c.upper_name }}_VALUES* values
    )
{
    ASK_CHOICE choice = ASK_USER;

    UNREFERENCED_PARAMETER(values);

    //
    // TODO: What {{ c.name }} ({{ c.layer }}) decides without asking goes here.
    //
{%- if cookiecutter.tests.enabled %}

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests: a scenario plays your choice here.
    //
    SimUserAsk(&choice);
#endif
{%- endif %}
    return choice;
}
{%- endif %}
{%- if c.layer_data in ["connect_request", "bind_request"] %}
{%- set rtype = "FWPS_CONNECT_REQUEST0" if c.layer_data == "connect_request" else "FWPS_BIND_REQUEST0" %}

//
// Rewrites the {{ "connection" if c.layer_data == "connect_request" else "bind" }} request: WFP hands out a writable copy of the
// layer data against a classify handle, and the change takes effect when it
// is applied (NET:using-bind-or-connect-redirection on Microsoft Learn).
// Only the callout that holds FWPS_RIGHT_ACTION_WRITE may do this.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
{{ c.name }}Redirect(
    _In_ const void* classifyContext,
    _In_ const FWPS_FILTER{{ api }}* filter,
    _Inout_ FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    UINT64 classifyHandle;
    void* writable;
    {{ rtype }}* request;
    NTSTATUS status;

    //
    // The classify handle API takes the context without const; it does not
    // write through it.
    //
    status = FwpsAcquireClassifyHandle0((void*)classifyContext, 0, &classifyHandle);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    status = FwpsAcquireWritableLayerDataPointer0(classifyHandle, filter->filterId, 0, &writable, classifyOut);
    if (NT_SUCCESS(status)) {
        request = writable;
{%- if c.layer_data == "connect_request" and cookiecutter.driver.redirect_handle %}

        //
        // Every redirect carries the driver's redirect handle, not only those
        // to a local proxy: FwpsQueryConnectionRedirectState0 can report
        // REDIRECTED_BY_SELF only for redirect records made with this handle,
        // and RedirectConnectionIsOwn relies on it to stop a loop. From
        // Windows 8 on, FWPS_CONNECT_REQUEST0.localRedirectHandle must be set
        // for a redirect to work (Microsoft Learn, FWPS_CONNECT_REQUEST0).
        //
        request->localRedirectHandle = RedirectHandleGet();
{%- endif %}

        //
        // TODO: Rewrite the request for {{ c.name }} here.
{%- if c.layer_data == "connect_request" %}
        // request->remoteAddressAndPort (a SOCKADDR_STORAGE) is where the
        // connection goes; the local address cannot be changed at this layer.
{%- if cookiecutter.driver.redirect_handle %}
        // To hand the connection to a proxy on this machine, also set
        // request->localRedirectTargetPID to the proxy's process id.
{%- endif %}
{%- else %}
        // request->localAddressAndPort (a SOCKADDR_STORAGE) is the address
        // and port the socket binds to.
{%- endif %}
        //
{%- if not (c.layer_data == "connect_request" and cookiecutter.driver.redirect_handle) %}
        UNREFERENCED_PARAMETER(request);
{%- endif %}

        //
        // Applying also gives up the writable copy, changed or not.
        //
        FwpsApplyModifiedLayerData0(classifyHandle, writable, 0);
    }

    FwpsReleaseClassifyHandle0(classifyHandle);
    return status;
}
{%- endif %}
{%- if cookiecutter.channel.events and c.behavior != "reinject" %}
{%- set P = cookiecutter.channel.prefix %}

//
// The event user mode receives about one classify of {{ c.name }}.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
{{ c.name }}DescribeEvent(
    _In_ const {{ c.upper_name }}_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict,
    _Out_ {{ P }}_EVENT* event
    )
{
    RtlZeroMemory(event, sizeof(*event));
    event->Kind = {{ P }}_EVENT_CONNECTION;
    event->Callout = CALLOUT_{{ c.upper_name }};
    event->LayerId = {{ c.fwps_layer }};
    event->Verdict = ClassifyEventVerdict(verdict);
    if (FWPS_IS_METADATA_FIELD_PRESENT(values->Metadata, FWPS_METADATA_FIELD_PROCESS_ID)) {
        event->ProcessId = values->Metadata->processId;
    }
{%- if c.event.fields | selectattr("kind", "equalto", "address") | list %}
    event->Family = {{ P }}_FAMILY_{{ c.family | upper }};
{%- endif %}
{%- for f in c.event.fields %}
    if (values->{{ f.member }} != NULL) {
{%- if f.kind == "address" and c.family == "v6" %}
        RtlCopyMemory(event->{{ f.event_field }}, values->{{ f.member }}->byteArray16, 16);
{%- elif f.kind == "address" %}
        ClassifyEventAddressV4(event->{{ f.event_field }}, *values->{{ f.member }});
{%- elif f.kind == "direction" %}
        event->Direction = (UINT8)*values->{{ f.member }};
{%- else %}
        event->{{ f.event_field }} = *values->{{ f.member }};
{%- endif %}
    }
{%- endfor %}
{%- if c.event.direction %}
    event->Direction = (UINT8){{ c.event.direction }};
{%- elif not c.event.fields | selectattr("kind", "equalto", "direction") | list %}
    if (FWPS_IS_METADATA_FIELD_PRESENT(values->Metadata, FWPS_METADATA_FIELD_PACKET_DIRECTION)) {
        event->Direction = (UINT8)values->Metadata->packetDirection;
    }
{%- endif %}
}
{%- endif %}

{%- if c.behavior == "decide" %}
{%- set redirects_here = c.layer_data in ["connect_request", "bind_request"] %}

//
// Your filtering logic for {{ c.name }}: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// {{ c.classify_fn }} applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
{{ c.name }}Decide(
    _In_ const {{ c.upper_name }}_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
{%- if redirects_here %},
    _Inout_ BOOLEAN* redirect
{%- endif %}
{%- if c.flow_targets %},
    _Inout_ BOOLEAN* attachFlowContexts
{%- endif %}
    )
{
    UNREFERENCED_PARAMETER(values);
{%- if redirects_here %}
    UNREFERENCED_PARAMETER(redirect);
{%- endif %}
{%- if c.flow_targets %}
    UNREFERENCED_PARAMETER(attachFlowContexts);
{%- endif %}

    //
    // TODO: Your filtering logic for {{ c.name }} ({{ c.layer }}) goes here.
    //
{%- if c.purpose == "discard" %}
    // {{ c.layer }} shows traffic that WFP has already
    // dropped; values->Metadata carries FWPS_METADATA_FIELD_DISCARD_REASON,
    // which says why. Count or log drops here: the traffic is gone whatever
    // this returns.
{%- elif c.purpose == "informational" %}
    // {{ c.layer }} reports that {{ "an endpoint is closing" if c.group == "ale_endpoint_closure" else "a socket is giving back its local address and port" }}:
    // there is nothing left to permit or block. Release what you keep for
    // the endpoint here (FWPS_METADATA_FIELD_TRANSPORT_ENDPOINT_HANDLE
    // matches it with the earlier layers).
{%- elif c.filter_action != "FWP_ACTION_CALLOUT_INSPECTION" %}
    // Decide from values and return the verdict.
{%- endif %}
{%- if c.filter_action == "FWP_ACTION_CALLOUT_INSPECTION" %}
    // This callout's filter is an inspection filter: it observes and returns
    // verdict unchanged (FWP_ACTION_CONTINUE).
{%- elif c.filter_action == "FWP_ACTION_CALLOUT_UNKNOWN" %}
    // verdict comes in as FWP_ACTION_CONTINUE, which leaves the decision to
    // the filters that follow; return FWP_ACTION_PERMIT or FWP_ACTION_BLOCK
    // to decide.
{%- else %}
    // verdict comes in as FWP_ACTION_PERMIT; return FWP_ACTION_BLOCK to block.
{%- endif %}
{%- if c.layer_data == "stream" %}
    // To see more data before deciding, set values->StreamPacket->streamAction
    // to FWPS_STREAM_ACTION_NEED_MORE_DATA, countBytesRequired to the bytes
    // you need and countBytesEnforced to 0. To act on part of the data only,
    // lower countBytesEnforced; WFP indicates the rest again. When WFP can
    // give no more (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA or
    // FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED in classifyOut->flags),
    // {{ c.classify_fn }} applies the verdict to the data at hand instead.
{%- elif redirects_here %}
    // To redirect, set *redirect to TRUE and write the new address in
    // {{ c.name }}Redirect; it runs only when the verdict is a permit and
    // this callout holds the write right.
{%- endif %}
{%- if c.flow_targets %}
    // Set *attachFlowContexts to FALSE for flows that the callouts
    // {{ c.flow_targets | join(", ") }} do not need to see.
{%- endif %}
    //
{%- if cookiecutter.tests.enabled %}

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests (tests/sim/include/fwpsk.h): a scenario
    // plays your logic's decision here. The WDK never defines this.
    //
    SimUserLogic(&verdict, {{ "values->StreamPacket" if c.layer_data == "stream" else "NULL" }}, {{ "redirect" if redirects_here else "NULL" }});
#endif
{%- endif %}

    return verdict;
}
{%- endif %}

_Use_decl_annotations_
void
NTAPI
{{ c.classify_fn }}(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
{%- if cookiecutter.driver.classify_context %}
    const void* classifyContext,
{%- endif %}
    const FWPS_FILTER{{ api }}* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    {{ c.upper_name }}_VALUES values;
    FWP_ACTION_TYPE verdict;
{%- if cookiecutter.channel.events and c.behavior != "reinject" %}
    {{ cookiecutter.channel.prefix }}_EVENT event;
{%- endif %}
{%- if c.layer_data == "stream" %}
    FWPS_STREAM_CALLOUT_IO_PACKET0* streamPacket = layerData;
{%- endif %}
{%- if c.flow_targets %}
    BOOLEAN attachFlowContexts = TRUE;
{%- endif %}
{%- if c.layer_data in ["connect_request", "bind_request"] %}
    BOOLEAN redirect = FALSE;
{%- endif %}
{%- if not c.fields or (cookiecutter.driver.classify_context and c.layer_data not in ["connect_request", "bind_request"]) or not c.flow_context or c.layer_data == "none" %}
{{ "" }}
{%- endif %}
{%- if not c.fields %}
    UNREFERENCED_PARAMETER(inFixedValues);
{%- endif %}
{%- if cookiecutter.driver.classify_context and c.layer_data not in ["connect_request", "bind_request"] %}
    UNREFERENCED_PARAMETER(classifyContext);
{%- endif %}
{%- if not c.flow_context %}
    UNREFERENCED_PARAMETER(flowContext);
{%- endif %}
{%- if c.layer_data == "none" %}
    UNREFERENCED_PARAMETER(layerData); // this layer has no packet
{%- endif %}
{%- if c.layer_data == "stream" %}

    if (streamPacket == NULL || streamPacket->streamData == NULL) {
        //
        // Nothing to look at. The stream layer still wants an answer.
        //
        classifyOut->actionType = ClassifyDefaultVerdict(filter);
        return;
    }

    //
    // By default the verdict covers all the data indicated now.
    //
    streamPacket->streamAction = FWPS_STREAM_ACTION_NONE;
    streamPacket->countBytesRequired = 0;
    streamPacket->countBytesEnforced = streamPacket->streamData->dataLength;
{%- endif %}

    RtlZeroMemory(&values, sizeof(values));
{%- if c.fields %}
    {{ c.name }}ReadFields(inFixedValues, &values);
{%- endif %}
    values.Metadata = inMetaValues;
{%- if c.layer_data in ["nbl", "nbl_or_null"] %}
    values.Packet = layerData;
{%- elif c.layer_data == "stream" %}
    values.StreamPacket = streamPacket;
{%- elif c.layer_data == "connect_request" %}
    values.ConnectRequest = layerData;
{%- elif c.layer_data == "bind_request" %}
    values.BindRequest = layerData;
{%- endif %}
{%- if cookiecutter.driver.filters == "none" %}
    //
    // notify.c leaves filter->context as the filter's owner set it.
    //
    values.FilterRawContext = filter->context;
{%- endif %}
{%- if c.flow_context %}
    values.Flow = (FLOW_CONTEXT*)(ULONG_PTR)flowContext;
{%- endif %}
    CLASSIFY_VALUES_READ(CALLOUT_{{ c.upper_name }}, &values);
{%- set inbound_transport_filter = c.group == "transport" and c.layer.startswith("INBOUND_") and c.purpose == "filter" %}
{#- A decide callout with no early return hands the default verdict straight to Decide. -#}
{%- set default_first = cookiecutter.channel.enabled or c.behavior != "decide" or inbound_transport_filter or c.layer_data in ["connect_request", "bind_request"] %}
{%- if default_first %}

    verdict = ClassifyDefaultVerdict(filter);
{%- endif %}
{%- if cookiecutter.channel.enabled %}

    //
    // Switched off from user mode (IOCTL_{{ cookiecutter.channel.prefix }}_SET_CALLOUT):
    // the default verdict, nothing counted or recorded.
    //
    if (!ChannelCalloutEnabled(CALLOUT_{{ c.upper_name }})) {
{%- if c.layer_data == "stream" %}
        classifyOut->actionType = verdict;
{%- else %}
        ClassifyApplyVerdict(filter, verdict, classifyOut);
{%- endif %}
        return;
    }
{%- endif %}
{%- if c.behavior == "reinject" %}

    //
    // The reinject behaviour (reinject.c): the packet is cloned and absorbed,
    // and {{ c.name }}Inspect decides on the clone out of line. A packet it
    // must not hold (one this driver injected, one ALE has yet to authorize,
    // ...) passes with the default verdict.
    //
    if (ReinjectClassify(CALLOUT_{{ c.upper_name }}, inFixedValues, inMetaValues, values.Packet, filter->action.type,
                         classifyOut)) {
        return;
    }
{%- if cookiecutter.channel.enabled %}
    ChannelCountClassify(CALLOUT_{{ c.upper_name }}, verdict);
{%- endif %}
    ClassifyApplyVerdict(filter, verdict, classifyOut);
{%- else %}
{%- if inbound_transport_filter %}

    //
    // A packet that still needs its ALE authorization is decided at
    // ALE_AUTH_RECV_ACCEPT; blocking it here would cut the connection short.
    //
    if (FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_ALE_CLASSIFY_REQUIRED)) {
        ClassifyApplyVerdict(filter, verdict, classifyOut);
        return;
    }
{%- endif %}
{%- if c.layer_data in ["connect_request", "bind_request"] %}

    //
    // A request this driver already redirected comes back through this
    // layer; redirecting it again would loop.
    //
{%- if c.layer_data == "connect_request" and cookiecutter.driver.redirect_handle %}
    if (RedirectConnectionIsOwn(inMetaValues)) {
{%- elif c.layer_data == "connect_request" %}
    if (ClassifyConnectRedirectedBySelf(values.ConnectRequest, filter)) {
{%- else %}
    if (ClassifyBindRedirectedBySelf(values.BindRequest, filter)) {
{%- endif %}
        ClassifyApplyVerdict(filter, verdict, classifyOut);
        return;
    }
{%- endif %}

{%- if c.behavior == "ask" %}

    //
    // A packet this driver injected back, or the reauthorization after a
    // question was completed, finds its answer (ask.c); otherwise
    // {{ c.name }}Ask decides now or asks user mode.
    //
    if (!AskFindAnswer(CALLOUT_{{ c.upper_name }}, inFixedValues, inMetaValues, values.Packet, &verdict)) {
        switch ({{ c.name }}Ask(&values)) {
        case ASK_PERMIT:
            verdict = FWP_ACTION_PERMIT;
            break;
        case ASK_BLOCK:
            verdict = FWP_ACTION_BLOCK;
            break;
        default:
            if (AskUser(CALLOUT_{{ c.upper_name }}, inFixedValues, inMetaValues, values.Packet, verdict, classifyOut)) {
                return; // pended: classifyOut holds the block-and-absorb that pending requires
            }
            break;
        }
    }
{%- else %}

    verdict = {{ c.name }}Decide(&values, {{ "verdict" if default_first else "ClassifyDefaultVerdict(filter)" }}
{%- if c.layer_data in ["connect_request", "bind_request"] %}, &redirect{% endif %}
{%- if c.flow_targets %}, &attachFlowContexts{% endif %});
{%- endif %}

{%- if c.layer_data == "stream" %}

    //
    // No more data will come (NO_MORE_DATA), or WFP holds all the data it
    // can (BUFFER_LIMIT_REACHED): asking for more is not allowed, so the
    // verdict covers what is here (FWPS_CLASSIFY_OUT0 on Microsoft Learn).
    //
    if (streamPacket->streamAction == FWPS_STREAM_ACTION_NEED_MORE_DATA &&
        (classifyOut->flags & (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA |
                               FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED)) != 0) {
        streamPacket->streamAction = FWPS_STREAM_ACTION_NONE;
        streamPacket->countBytesRequired = 0;
        streamPacket->countBytesEnforced = streamPacket->streamData->dataLength;
    }

    //
    // At a stream layer the write right means nothing, and a callout that
    // asks for more data returns FWP_ACTION_NONE (as the stmedit sample
    // does; FWP_ACTION_CONTINUE is allowed too).
    //
    classifyOut->actionType = (streamPacket->streamAction == FWPS_STREAM_ACTION_NONE) ? verdict
                                                                                      : FWP_ACTION_NONE;
{{- channel_hook(c, "classifyOut->actionType") }}
{%- else %}
{{- channel_hook(c, "verdict") }}
{%- if c.layer_data in ["connect_request", "bind_request"] %}

    if (redirect && verdict == FWP_ACTION_PERMIT &&
        (classifyOut->rights & FWPS_RIGHT_ACTION_WRITE) != 0 &&
        NT_SUCCESS({{ c.name }}Redirect(classifyContext, filter, classifyOut))) {
        //
        // A redirected request is permitted for good: no lower filter may
        // undo the change.
        //
        classifyOut->actionType = FWP_ACTION_PERMIT;
        classifyOut->rights &= ~(UINT32)FWPS_RIGHT_ACTION_WRITE;
        return;
    }
{%- endif %}

    ClassifyApplyVerdict(filter, verdict, classifyOut);
{%- endif %}
{%- if c.flow_targets %}

    if (attachFlowContexts && verdict != FWP_ACTION_BLOCK) {
{%- for t in c.flow_targets %}
{%- set target = cookiecutter.callouts[t] %}
{%- if target.flow_protocol == "tcp" %}
        if (values.Protocol != NULL && *values.Protocol == IPPROTO_TCP) { // {{ target.layer }} sees TCP only
            FlowAttach(inMetaValues, CALLOUT_{{ target.upper_name }}, {{ target.fwps_layer }});
        }
{%- elif target.flow_protocol == "not_tcp" %}
        if (values.Protocol != NULL && *values.Protocol != IPPROTO_TCP) { // {{ target.layer }} never sees TCP
            FlowAttach(inMetaValues, CALLOUT_{{ target.upper_name }}, {{ target.fwps_layer }});
        }
{%- else %}
        FlowAttach(inMetaValues, CALLOUT_{{ target.upper_name }}, {{ target.fwps_layer }});
{%- endif %}
{%- endfor %}
    }
{%- endif %}
{%- endif %}
}
{%- if c.behavior == "reinject" %}

//
// {{ c.name }}: what happens to each packet {{ c.classify_fn }} held back. This
// runs at PASSIVE_LEVEL in a work item, never at the same time as itself.
//
_Use_decl_annotations_
FWP_ACTION_TYPE
{{ c.name }}Inspect(
    const REINJECT_INSPECTION* inspection
    )
{
    FWP_ACTION_TYPE verdict = FWP_ACTION_PERMIT;

    //
    // TODO: Your inspection of {{ c.name }}'s packets ({{ c.layer }}) goes here.
    // inspection->Packet is the clone as it will be injected (reinject.h says
    // where its data starts); read it with NdisGetDataBuffer on its first
    // NET_BUFFER, and leave it unchanged: it shares its data with the
    // original. Set verdict to FWP_ACTION_BLOCK to drop the packet;
    // FWP_ACTION_PERMIT injects it back.
    //
    UNREFERENCED_PARAMETER(inspection);
{%- if cookiecutter.tests.enabled %}

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests: a scenario plays your inspection here.
    //
    SimInspectLogic(inspection, &verdict);
#endif
{%- endif %}
    return verdict;
}
{%- endif %}
{%- endfor %}
