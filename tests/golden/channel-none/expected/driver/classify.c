//
// classify.c - the classifyFn of every TailspinFilters callout.
//
// Each classifyFn gathers what WFP tells it about the traffic into a
// <CALLOUT>_VALUES structure, runs your filtering logic on it, and returns
// the resulting verdict to WFP by the rules of FWPS_CLASSIFY_OUT0. Your
// logic goes in one function per callout (<Callout>Decide).
//
// Everything here runs at up to DISPATCH_LEVEL: touch only nonpaged memory,
// use spin locks only, never wait, and call no Fwpm* function.
//

#include "driver.h"
#include "channel.h"

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
        return TAILSPIN_FILTERS_VERDICT_PERMIT;
    case FWP_ACTION_BLOCK:
        return TAILSPIN_FILTERS_VERDICT_BLOCK;
    default:
        return TAILSPIN_FILTERS_VERDICT_NONE;
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
RecvAcceptV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ RECV_ACCEPT_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V4_ALE_APP_ID, FWP_BYTE_BLOB_TYPE);
    values->AppId = (value != NULL) ? value->byteBlob : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V4_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V4_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V4_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
}

//
// The event user mode receives about one classify of RecvAcceptV4.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
RecvAcceptV4DescribeEvent(
    _In_ const RECV_ACCEPT_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict,
    _Out_ TAILSPIN_FILTERS_EVENT* event
    )
{
    RtlZeroMemory(event, sizeof(*event));
    event->Kind = TAILSPIN_FILTERS_EVENT_CONNECTION;
    event->Callout = CALLOUT_RECV_ACCEPT_V4;
    event->LayerId = FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4;
    event->Verdict = ClassifyEventVerdict(verdict);
    if (FWPS_IS_METADATA_FIELD_PRESENT(values->Metadata, FWPS_METADATA_FIELD_PROCESS_ID)) {
        event->ProcessId = values->Metadata->processId;
    }
    event->Family = TAILSPIN_FILTERS_FAMILY_V4;
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
    event->Direction = (UINT8)FWP_DIRECTION_INBOUND;
}

//
// Your filtering logic for RecvAcceptV4: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// RecvAcceptV4Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
RecvAcceptV4Decide(
    _In_ const RECV_ACCEPT_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for RecvAcceptV4 (ALE_AUTH_RECV_ACCEPT_V4) goes here.
    //
    // Decide from values and return the verdict.
    // verdict comes in as FWP_ACTION_PERMIT; return FWP_ACTION_BLOCK to block.
    //

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests (tests/sim/include/fwpsk.h): a scenario
    // plays your logic's decision here. The WDK never defines this.
    //
    SimUserLogic(&verdict, NULL, NULL);
#endif

    return verdict;
}

_Use_decl_annotations_
void
NTAPI
RecvAcceptV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    RECV_ACCEPT_V4_VALUES values;
    FWP_ACTION_TYPE verdict;
    TAILSPIN_FILTERS_EVENT event;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    RecvAcceptV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    //
    // notify.c leaves filter->context as the filter's owner set it.
    //
    values.FilterRawContext = filter->context;
    CLASSIFY_VALUES_READ(CALLOUT_RECV_ACCEPT_V4, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // Switched off from user mode (IOCTL_TAILSPIN_FILTERS_SET_CALLOUT):
    // the default verdict, nothing counted or recorded.
    //
    if (!ChannelCalloutEnabled(CALLOUT_RECV_ACCEPT_V4)) {
        ClassifyApplyVerdict(filter, verdict, classifyOut);
        return;
    }

    verdict = RecvAcceptV4Decide(&values, verdict);

    ChannelCountClassify(CALLOUT_RECV_ACCEPT_V4, verdict);
    RecvAcceptV4DescribeEvent(&values, verdict, &event);
    ChannelRecordEvent(&event);

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ConnectV6ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ CONNECT_V6_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_CONNECT_V6_ALE_APP_ID, FWP_BYTE_BLOB_TYPE);
    values->AppId = (value != NULL) ? value->byteBlob : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_CONNECT_V6_IP_LOCAL_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->LocalAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_CONNECT_V6_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_CONNECT_V6_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_CONNECT_V6_IP_REMOTE_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->RemoteAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_CONNECT_V6_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
}

//
// The event user mode receives about one classify of ConnectV6.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ConnectV6DescribeEvent(
    _In_ const CONNECT_V6_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict,
    _Out_ TAILSPIN_FILTERS_EVENT* event
    )
{
    RtlZeroMemory(event, sizeof(*event));
    event->Kind = TAILSPIN_FILTERS_EVENT_CONNECTION;
    event->Callout = CALLOUT_CONNECT_V6;
    event->LayerId = FWPS_LAYER_ALE_AUTH_CONNECT_V6;
    event->Verdict = ClassifyEventVerdict(verdict);
    if (FWPS_IS_METADATA_FIELD_PRESENT(values->Metadata, FWPS_METADATA_FIELD_PROCESS_ID)) {
        event->ProcessId = values->Metadata->processId;
    }
    event->Family = TAILSPIN_FILTERS_FAMILY_V6;
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
    event->Direction = (UINT8)FWP_DIRECTION_OUTBOUND;
}

//
// Your filtering logic for ConnectV6: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// ConnectV6Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
ConnectV6Decide(
    _In_ const CONNECT_V6_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for ConnectV6 (ALE_AUTH_CONNECT_V6) goes here.
    //
    // Decide from values and return the verdict.
    // verdict comes in as FWP_ACTION_PERMIT; return FWP_ACTION_BLOCK to block.
    //

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests (tests/sim/include/fwpsk.h): a scenario
    // plays your logic's decision here. The WDK never defines this.
    //
    SimUserLogic(&verdict, NULL, NULL);
#endif

    return verdict;
}

_Use_decl_annotations_
void
NTAPI
ConnectV6Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    CONNECT_V6_VALUES values;
    FWP_ACTION_TYPE verdict;
    TAILSPIN_FILTERS_EVENT event;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    ConnectV6ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    //
    // notify.c leaves filter->context as the filter's owner set it.
    //
    values.FilterRawContext = filter->context;
    CLASSIFY_VALUES_READ(CALLOUT_CONNECT_V6, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // Switched off from user mode (IOCTL_TAILSPIN_FILTERS_SET_CALLOUT):
    // the default verdict, nothing counted or recorded.
    //
    if (!ChannelCalloutEnabled(CALLOUT_CONNECT_V6)) {
        ClassifyApplyVerdict(filter, verdict, classifyOut);
        return;
    }

    verdict = ConnectV6Decide(&values, verdict);

    ChannelCountClassify(CALLOUT_CONNECT_V6, verdict);
    ConnectV6DescribeEvent(&values, verdict, &event);
    ChannelRecordEvent(&event);

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}
