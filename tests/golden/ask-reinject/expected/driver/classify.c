//
// classify.c - the classifyFn of every WoodgroveGuard callout.
//
// Each classifyFn gathers what WFP tells it about the traffic into a
// <CALLOUT>_VALUES structure, runs your filtering logic on it, and returns
// the resulting verdict to WFP by the rules of FWPS_CLASSIFY_OUT0. Your
// logic goes in one function per callout (<Callout>Ask, <Callout>Inspect).
//
// Everything here runs at up to DISPATCH_LEVEL: touch only nonpaged memory,
// use spin locks only, never wait, and call no Fwpm* function.
//

#include "driver.h"
#include "ask.h"
#include "channel.h"
#include "reinject.h"

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
    _In_ const FWPS_FILTER3* filter
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
    _In_ const FWPS_FILTER3* filter,
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
        return WOODGROVE_GUARD_VERDICT_PERMIT;
    case FWP_ACTION_BLOCK:
        return WOODGROVE_GUARD_VERDICT_BLOCK;
    default:
        return WOODGROVE_GUARD_VERDICT_NONE;
    }
}

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

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ConnectV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ CONNECT_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_CONNECT_V4_ALE_APP_ID, FWP_BYTE_BLOB_TYPE);
    values->AppId = (value != NULL) ? value->byteBlob : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
}

//
// ConnectV4 asks before it decides. Return ASK_PERMIT or ASK_BLOCK for a
// connection you can decide from values alone, ASK_USER to ask the program
// listening on the control channel: the connection then waits for its
// answer, at most 10000 ms. Without a listener, and for the listener's
// own process, the System process and loopback, nobody is asked and the
// connection gets the default verdict.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
ASK_CHOICE
ConnectV4Ask(
    _In_ const CONNECT_V4_VALUES* values
    )
{
    ASK_CHOICE choice = ASK_USER;

    UNREFERENCED_PARAMETER(values);

    //
    // TODO: What ConnectV4 (ALE_AUTH_CONNECT_V4) decides without asking goes here.
    //

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests: a scenario plays your choice here.
    //
    SimUserAsk(&choice);
#endif
    return choice;
}

//
// The event user mode receives about one classify of ConnectV4.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ConnectV4DescribeEvent(
    _In_ const CONNECT_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict,
    _Out_ WOODGROVE_GUARD_EVENT* event
    )
{
    RtlZeroMemory(event, sizeof(*event));
    event->Kind = WOODGROVE_GUARD_EVENT_CONNECTION;
    event->Callout = CALLOUT_CONNECT_V4;
    event->LayerId = FWPS_LAYER_ALE_AUTH_CONNECT_V4;
    event->Verdict = ClassifyEventVerdict(verdict);
    if (FWPS_IS_METADATA_FIELD_PRESENT(values->Metadata, FWPS_METADATA_FIELD_PROCESS_ID)) {
        event->ProcessId = values->Metadata->processId;
    }
    event->Family = WOODGROVE_GUARD_FAMILY_V4;
    if (values->LocalAddress != NULL) {
        ClassifyEventAddressV4(event->LocalAddress, *values->LocalAddress);
    }
    if (values->LocalPort != NULL) {
        event->LocalPort = *values->LocalPort;
    }
    if (values->Protocol != NULL) {
        event->Protocol = *values->Protocol;
    }
    if (values->RemoteAddress != NULL) {
        ClassifyEventAddressV4(event->RemoteAddress, *values->RemoteAddress);
    }
    if (values->RemotePort != NULL) {
        event->RemotePort = *values->RemotePort;
    }
    event->Direction = (UINT8)FWP_DIRECTION_OUTBOUND;
}

_Use_decl_annotations_
void
NTAPI
ConnectV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    CONNECT_V4_VALUES values;
    FWP_ACTION_TYPE verdict;
    WOODGROVE_GUARD_EVENT event;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    ConnectV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_CONNECT_V4, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // Switched off from user mode (IOCTL_WOODGROVE_GUARD_SET_CALLOUT):
    // the default verdict, nothing counted or recorded.
    //
    if (!ChannelCalloutEnabled(CALLOUT_CONNECT_V4)) {
        ClassifyApplyVerdict(filter, verdict, classifyOut);
        return;
    }

    //
    // A packet this driver injected back, or the reauthorization after a
    // question was completed, finds its answer (ask.c); otherwise
    // ConnectV4Ask decides now or asks user mode.
    //
    if (!AskFindAnswer(CALLOUT_CONNECT_V4, inFixedValues, inMetaValues, values.Packet, &verdict)) {
        switch (ConnectV4Ask(&values)) {
        case ASK_PERMIT:
            verdict = FWP_ACTION_PERMIT;
            break;
        case ASK_BLOCK:
            verdict = FWP_ACTION_BLOCK;
            break;
        default:
            if (AskUser(CALLOUT_CONNECT_V4, inFixedValues, inMetaValues, values.Packet, verdict, classifyOut)) {
                return; // pended: classifyOut holds the block-and-absorb that pending requires
            }
            break;
        }
    }

    ChannelCountClassify(CALLOUT_CONNECT_V4, verdict);
    ConnectV4DescribeEvent(&values, verdict, &event);
    ChannelRecordEvent(&event);

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
RecvAcceptV6ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ RECV_ACCEPT_V6_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_ALE_APP_ID, FWP_BYTE_BLOB_TYPE);
    values->AppId = (value != NULL) ? value->byteBlob : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_LOCAL_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->LocalAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_REMOTE_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->RemoteAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
}

//
// RecvAcceptV6 asks before it decides. Return ASK_PERMIT or ASK_BLOCK for a
// connection you can decide from values alone, ASK_USER to ask the program
// listening on the control channel: the connection then waits for its
// answer, at most 10000 ms. Without a listener, and for the listener's
// own process, the System process and loopback, nobody is asked and the
// connection gets the default verdict.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
ASK_CHOICE
RecvAcceptV6Ask(
    _In_ const RECV_ACCEPT_V6_VALUES* values
    )
{
    ASK_CHOICE choice = ASK_USER;

    UNREFERENCED_PARAMETER(values);

    //
    // TODO: What RecvAcceptV6 (ALE_AUTH_RECV_ACCEPT_V6) decides without asking goes here.
    //

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests: a scenario plays your choice here.
    //
    SimUserAsk(&choice);
#endif
    return choice;
}

//
// The event user mode receives about one classify of RecvAcceptV6.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
RecvAcceptV6DescribeEvent(
    _In_ const RECV_ACCEPT_V6_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict,
    _Out_ WOODGROVE_GUARD_EVENT* event
    )
{
    RtlZeroMemory(event, sizeof(*event));
    event->Kind = WOODGROVE_GUARD_EVENT_CONNECTION;
    event->Callout = CALLOUT_RECV_ACCEPT_V6;
    event->LayerId = FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V6;
    event->Verdict = ClassifyEventVerdict(verdict);
    if (FWPS_IS_METADATA_FIELD_PRESENT(values->Metadata, FWPS_METADATA_FIELD_PROCESS_ID)) {
        event->ProcessId = values->Metadata->processId;
    }
    event->Family = WOODGROVE_GUARD_FAMILY_V6;
    if (values->LocalAddress != NULL) {
        RtlCopyMemory(event->LocalAddress, values->LocalAddress->byteArray16, 16);
    }
    if (values->LocalPort != NULL) {
        event->LocalPort = *values->LocalPort;
    }
    if (values->Protocol != NULL) {
        event->Protocol = *values->Protocol;
    }
    if (values->RemoteAddress != NULL) {
        RtlCopyMemory(event->RemoteAddress, values->RemoteAddress->byteArray16, 16);
    }
    if (values->RemotePort != NULL) {
        event->RemotePort = *values->RemotePort;
    }
    event->Direction = (UINT8)FWP_DIRECTION_INBOUND;
}

_Use_decl_annotations_
void
NTAPI
RecvAcceptV6Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    RECV_ACCEPT_V6_VALUES values;
    FWP_ACTION_TYPE verdict;
    WOODGROVE_GUARD_EVENT event;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    RecvAcceptV6ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_RECV_ACCEPT_V6, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // Switched off from user mode (IOCTL_WOODGROVE_GUARD_SET_CALLOUT):
    // the default verdict, nothing counted or recorded.
    //
    if (!ChannelCalloutEnabled(CALLOUT_RECV_ACCEPT_V6)) {
        ClassifyApplyVerdict(filter, verdict, classifyOut);
        return;
    }

    //
    // A packet this driver injected back, or the reauthorization after a
    // question was completed, finds its answer (ask.c); otherwise
    // RecvAcceptV6Ask decides now or asks user mode.
    //
    if (!AskFindAnswer(CALLOUT_RECV_ACCEPT_V6, inFixedValues, inMetaValues, values.Packet, &verdict)) {
        switch (RecvAcceptV6Ask(&values)) {
        case ASK_PERMIT:
            verdict = FWP_ACTION_PERMIT;
            break;
        case ASK_BLOCK:
            verdict = FWP_ACTION_BLOCK;
            break;
        default:
            if (AskUser(CALLOUT_RECV_ACCEPT_V6, inFixedValues, inMetaValues, values.Packet, verdict, classifyOut)) {
                return; // pended: classifyOut holds the block-and-absorb that pending requires
            }
            break;
        }
    }

    ChannelCountClassify(CALLOUT_RECV_ACCEPT_V6, verdict);
    RecvAcceptV6DescribeEvent(&values, verdict, &event);
    ChannelRecordEvent(&event);

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
TransportOutV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ TRANSPORT_OUT_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_TRANSPORT_V4_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_TRANSPORT_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_TRANSPORT_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_TRANSPORT_V4_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_TRANSPORT_V4_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
}

_Use_decl_annotations_
void
NTAPI
TransportOutV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    TRANSPORT_OUT_V4_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    TransportOutV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_TRANSPORT_OUT_V4, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // Switched off from user mode (IOCTL_WOODGROVE_GUARD_SET_CALLOUT):
    // the default verdict, nothing counted or recorded.
    //
    if (!ChannelCalloutEnabled(CALLOUT_TRANSPORT_OUT_V4)) {
        ClassifyApplyVerdict(filter, verdict, classifyOut);
        return;
    }

    //
    // The reinject behaviour (reinject.c): the packet is cloned and absorbed,
    // and TransportOutV4Inspect decides on the clone out of line. A packet it
    // must not hold (one this driver injected, one ALE has yet to authorize,
    // ...) passes with the default verdict.
    //
    if (ReinjectClassify(CALLOUT_TRANSPORT_OUT_V4, inFixedValues, inMetaValues, values.Packet, filter->action.type,
                         classifyOut)) {
        return;
    }
    ChannelCountClassify(CALLOUT_TRANSPORT_OUT_V4, verdict);
    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

//
// TransportOutV4: what happens to each packet TransportOutV4Classify held back. This
// runs at PASSIVE_LEVEL in a work item, never at the same time as itself.
//
_Use_decl_annotations_
FWP_ACTION_TYPE
TransportOutV4Inspect(
    const REINJECT_INSPECTION* inspection
    )
{
    FWP_ACTION_TYPE verdict = FWP_ACTION_PERMIT;

    //
    // TODO: Your inspection of TransportOutV4's packets (OUTBOUND_TRANSPORT_V4) goes here.
    // inspection->Packet is the clone as it will be injected (reinject.h says
    // where its data starts); read it with NdisGetDataBuffer on its first
    // NET_BUFFER, and leave it unchanged: it shares its data with the
    // original. Set verdict to FWP_ACTION_BLOCK to drop the packet;
    // FWP_ACTION_PERMIT injects it back.
    //
    UNREFERENCED_PARAMETER(inspection);

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests: a scenario plays your inspection here.
    //
    SimInspectLogic(inspection, &verdict);
#endif
    return verdict;
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
TransportInV6ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ TRANSPORT_IN_V6_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V6_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V6_IP_LOCAL_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->LocalAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V6_IP_REMOTE_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->RemoteAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V6_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V6_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
}

_Use_decl_annotations_
void
NTAPI
TransportInV6Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    TRANSPORT_IN_V6_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    TransportInV6ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_TRANSPORT_IN_V6, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // Switched off from user mode (IOCTL_WOODGROVE_GUARD_SET_CALLOUT):
    // the default verdict, nothing counted or recorded.
    //
    if (!ChannelCalloutEnabled(CALLOUT_TRANSPORT_IN_V6)) {
        ClassifyApplyVerdict(filter, verdict, classifyOut);
        return;
    }

    //
    // The reinject behaviour (reinject.c): the packet is cloned and absorbed,
    // and TransportInV6Inspect decides on the clone out of line. A packet it
    // must not hold (one this driver injected, one ALE has yet to authorize,
    // ...) passes with the default verdict.
    //
    if (ReinjectClassify(CALLOUT_TRANSPORT_IN_V6, inFixedValues, inMetaValues, values.Packet, filter->action.type,
                         classifyOut)) {
        return;
    }
    ChannelCountClassify(CALLOUT_TRANSPORT_IN_V6, verdict);
    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

//
// TransportInV6: what happens to each packet TransportInV6Classify held back. This
// runs at PASSIVE_LEVEL in a work item, never at the same time as itself.
//
_Use_decl_annotations_
FWP_ACTION_TYPE
TransportInV6Inspect(
    const REINJECT_INSPECTION* inspection
    )
{
    FWP_ACTION_TYPE verdict = FWP_ACTION_PERMIT;

    //
    // TODO: Your inspection of TransportInV6's packets (INBOUND_TRANSPORT_V6) goes here.
    // inspection->Packet is the clone as it will be injected (reinject.h says
    // where its data starts); read it with NdisGetDataBuffer on its first
    // NET_BUFFER, and leave it unchanged: it shares its data with the
    // original. Set verdict to FWP_ACTION_BLOCK to drop the packet;
    // FWP_ACTION_PERMIT injects it back.
    //
    UNREFERENCED_PARAMETER(inspection);

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests: a scenario plays your inspection here.
    //
    SimInspectLogic(inspection, &verdict);
#endif
    return verdict;
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
IpPacketOutV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ IP_PACKET_OUT_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_IPPACKET_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_IPPACKET_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
}

_Use_decl_annotations_
void
NTAPI
IpPacketOutV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    IP_PACKET_OUT_V4_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    IpPacketOutV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_IP_PACKET_OUT_V4, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // Switched off from user mode (IOCTL_WOODGROVE_GUARD_SET_CALLOUT):
    // the default verdict, nothing counted or recorded.
    //
    if (!ChannelCalloutEnabled(CALLOUT_IP_PACKET_OUT_V4)) {
        ClassifyApplyVerdict(filter, verdict, classifyOut);
        return;
    }

    //
    // The reinject behaviour (reinject.c): the packet is cloned and absorbed,
    // and IpPacketOutV4Inspect decides on the clone out of line. A packet it
    // must not hold (one this driver injected, one ALE has yet to authorize,
    // ...) passes with the default verdict.
    //
    if (ReinjectClassify(CALLOUT_IP_PACKET_OUT_V4, inFixedValues, inMetaValues, values.Packet, filter->action.type,
                         classifyOut)) {
        return;
    }
    ChannelCountClassify(CALLOUT_IP_PACKET_OUT_V4, verdict);
    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

//
// IpPacketOutV4: what happens to each packet IpPacketOutV4Classify held back. This
// runs at PASSIVE_LEVEL in a work item, never at the same time as itself.
//
_Use_decl_annotations_
FWP_ACTION_TYPE
IpPacketOutV4Inspect(
    const REINJECT_INSPECTION* inspection
    )
{
    FWP_ACTION_TYPE verdict = FWP_ACTION_PERMIT;

    //
    // TODO: Your inspection of IpPacketOutV4's packets (OUTBOUND_IPPACKET_V4) goes here.
    // inspection->Packet is the clone as it will be injected (reinject.h says
    // where its data starts); read it with NdisGetDataBuffer on its first
    // NET_BUFFER, and leave it unchanged: it shares its data with the
    // original. Set verdict to FWP_ACTION_BLOCK to drop the packet;
    // FWP_ACTION_PERMIT injects it back.
    //
    UNREFERENCED_PARAMETER(inspection);

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests: a scenario plays your inspection here.
    //
    SimInspectLogic(inspection, &verdict);
#endif
    return verdict;
}
