//
// classify.c - the classifyFn of every AdventureWorks callout.
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
#include "flow.h"

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

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ResourceV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ RESOURCE_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_RESOURCE_ASSIGNMENT_V4_ALE_APP_ID, FWP_BYTE_BLOB_TYPE);
    values->AppId = (value != NULL) ? value->byteBlob : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_RESOURCE_ASSIGNMENT_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_RESOURCE_ASSIGNMENT_V4_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_RESOURCE_ASSIGNMENT_V4_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
}

//
// Your filtering logic for ResourceV4: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// ResourceV4Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
ResourceV4Decide(
    _In_ const RESOURCE_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for ResourceV4 (ALE_RESOURCE_ASSIGNMENT_V4) goes here.
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
ResourceV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    RESOURCE_V4_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);
    UNREFERENCED_PARAMETER(layerData); // this layer has no packet

    RtlZeroMemory(&values, sizeof(values));
    ResourceV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    CLASSIFY_VALUES_READ(CALLOUT_RESOURCE_V4, &values);

    verdict = ResourceV4Decide(&values, ClassifyDefaultVerdict(filter));

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ListenV6ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ LISTEN_V6_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_LISTEN_V6_ALE_APP_ID, FWP_BYTE_BLOB_TYPE);
    values->AppId = (value != NULL) ? value->byteBlob : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_LISTEN_V6_IP_LOCAL_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->LocalAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_AUTH_LISTEN_V6_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
}

//
// Your filtering logic for ListenV6: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// ListenV6Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
ListenV6Decide(
    _In_ const LISTEN_V6_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for ListenV6 (ALE_AUTH_LISTEN_V6) goes here.
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
ListenV6Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    LISTEN_V6_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);
    UNREFERENCED_PARAMETER(layerData); // this layer has no packet

    RtlZeroMemory(&values, sizeof(values));
    ListenV6ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    CLASSIFY_VALUES_READ(CALLOUT_LISTEN_V6, &values);

    verdict = ListenV6Decide(&values, ClassifyDefaultVerdict(filter));

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
NameCacheV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ NAME_CACHE_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_NAME_RESOLUTION_CACHE_V4_ALE_APP_ID, FWP_BYTE_BLOB_TYPE);
    values->AppId = (value != NULL) ? value->byteBlob : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_NAME_RESOLUTION_CACHE_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
}

//
// Your filtering logic for NameCacheV4: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// NameCacheV4Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
NameCacheV4Decide(
    _In_ const NAME_CACHE_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for NameCacheV4 (NAME_RESOLUTION_CACHE_V4) goes here.
    //
    // This callout's filter is an inspection filter: it observes and returns
    // verdict unchanged (FWP_ACTION_CONTINUE).
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
NameCacheV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    NAME_CACHE_V4_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);
    UNREFERENCED_PARAMETER(layerData); // this layer has no packet

    RtlZeroMemory(&values, sizeof(values));
    NameCacheV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    CLASSIFY_VALUES_READ(CALLOUT_NAME_CACHE_V4, &values);

    verdict = NameCacheV4Decide(&values, ClassifyDefaultVerdict(filter));

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
StreamPacketV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ STREAM_PACKET_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_STREAM_PACKET_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_STREAM_PACKET_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_STREAM_PACKET_V4_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_STREAM_PACKET_V4_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_STREAM_PACKET_V4_DIRECTION, FWP_UINT32);
    values->Direction = (value != NULL) ? &value->uint32 : NULL;
}

//
// Your filtering logic for StreamPacketV4: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// StreamPacketV4Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
StreamPacketV4Decide(
    _In_ const STREAM_PACKET_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for StreamPacketV4 (STREAM_PACKET_V4) goes here.
    //
    // This callout's filter is an inspection filter: it observes and returns
    // verdict unchanged (FWP_ACTION_CONTINUE).
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
StreamPacketV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    STREAM_PACKET_V4_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);

    RtlZeroMemory(&values, sizeof(values));
    StreamPacketV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    values.Flow = (FLOW_CONTEXT*)(ULONG_PTR)flowContext;
    CLASSIFY_VALUES_READ(CALLOUT_STREAM_PACKET_V4, &values);

    verdict = StreamPacketV4Decide(&values, ClassifyDefaultVerdict(filter));

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
TransportInV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ TRANSPORT_IN_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
}

//
// Your filtering logic for TransportInV4: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// TransportInV4Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
TransportInV4Decide(
    _In_ const TRANSPORT_IN_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for TransportInV4 (INBOUND_TRANSPORT_V4) goes here.
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
TransportInV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    TRANSPORT_IN_V4_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);

    RtlZeroMemory(&values, sizeof(values));
    TransportInV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    values.Flow = (FLOW_CONTEXT*)(ULONG_PTR)flowContext;
    CLASSIFY_VALUES_READ(CALLOUT_TRANSPORT_IN_V4, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // A packet that still needs its ALE authorization is decided at
    // ALE_AUTH_RECV_ACCEPT; blocking it here would cut the connection short.
    //
    if (FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_ALE_CLASSIFY_REQUIRED)) {
        ClassifyApplyVerdict(filter, verdict, classifyOut);
        return;
    }

    verdict = TransportInV4Decide(&values, verdict);

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
StreamV6ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ STREAM_V6_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_STREAM_V6_IP_LOCAL_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->LocalAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_STREAM_V6_IP_REMOTE_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->RemoteAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_STREAM_V6_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_STREAM_V6_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_STREAM_V6_DIRECTION, FWP_UINT32);
    values->Direction = (value != NULL) ? &value->uint32 : NULL;
}

//
// Your filtering logic for StreamV6: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// StreamV6Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
StreamV6Decide(
    _In_ const STREAM_V6_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for StreamV6 (STREAM_V6) goes here.
    //
    // Decide from values and return the verdict.
    // verdict comes in as FWP_ACTION_PERMIT; return FWP_ACTION_BLOCK to block.
    // To see more data before deciding, set values->StreamPacket->streamAction
    // to FWPS_STREAM_ACTION_NEED_MORE_DATA, countBytesRequired to the bytes
    // you need and countBytesEnforced to 0. To act on part of the data only,
    // lower countBytesEnforced; WFP indicates the rest again. When WFP can
    // give no more (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA or
    // FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED in classifyOut->flags),
    // StreamV6Classify applies the verdict to the data at hand instead.
    //

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests (tests/sim/include/fwpsk.h): a scenario
    // plays your logic's decision here. The WDK never defines this.
    //
    SimUserLogic(&verdict, values->StreamPacket, NULL);
#endif

    return verdict;
}

_Use_decl_annotations_
void
NTAPI
StreamV6Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    STREAM_V6_VALUES values;
    FWP_ACTION_TYPE verdict;
    FWPS_STREAM_CALLOUT_IO_PACKET0* streamPacket = layerData;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

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

    RtlZeroMemory(&values, sizeof(values));
    StreamV6ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.StreamPacket = streamPacket;
    CLASSIFY_VALUES_READ(CALLOUT_STREAM_V6, &values);

    verdict = StreamV6Decide(&values, ClassifyDefaultVerdict(filter));

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
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
TransportInDiscardV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ TRANSPORT_IN_DISCARD_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_TRANSPORT_V4_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
}

//
// Your filtering logic for TransportInDiscardV4: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// TransportInDiscardV4Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
TransportInDiscardV4Decide(
    _In_ const TRANSPORT_IN_DISCARD_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for TransportInDiscardV4 (INBOUND_TRANSPORT_V4_DISCARD) goes here.
    //
    // INBOUND_TRANSPORT_V4_DISCARD shows traffic that WFP has already
    // dropped; values->Metadata carries FWPS_METADATA_FIELD_DISCARD_REASON,
    // which says why. Count or log drops here: the traffic is gone whatever
    // this returns.
    // This callout's filter is an inspection filter: it observes and returns
    // verdict unchanged (FWP_ACTION_CONTINUE).
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
TransportInDiscardV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    TRANSPORT_IN_DISCARD_V4_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    TransportInDiscardV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_TRANSPORT_IN_DISCARD_V4, &values);

    verdict = TransportInDiscardV4Decide(&values, ClassifyDefaultVerdict(filter));

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
FlowEstablishedV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ FLOW_ESTABLISHED_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_ALE_APP_ID, FWP_BYTE_BLOB_TYPE);
    values->AppId = (value != NULL) ? value->byteBlob : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_DIRECTION, FWP_UINT32);
    values->Direction = (value != NULL) ? &value->uint32 : NULL;
}

//
// Your filtering logic for FlowEstablishedV4: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// FlowEstablishedV4Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
FlowEstablishedV4Decide(
    _In_ const FLOW_ESTABLISHED_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict,
    _Inout_ BOOLEAN* attachFlowContexts
    )
{
    UNREFERENCED_PARAMETER(values);
    UNREFERENCED_PARAMETER(attachFlowContexts);

    //
    // TODO: Your filtering logic for FlowEstablishedV4 (ALE_FLOW_ESTABLISHED_V4) goes here.
    //
    // This callout's filter is an inspection filter: it observes and returns
    // verdict unchanged (FWP_ACTION_CONTINUE).
    // Set *attachFlowContexts to FALSE for flows that the callouts
    // StreamPacketV4, TransportInV4 do not need to see.
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
FlowEstablishedV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    FLOW_ESTABLISHED_V4_VALUES values;
    FWP_ACTION_TYPE verdict;
    BOOLEAN attachFlowContexts = TRUE;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    FlowEstablishedV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_FLOW_ESTABLISHED_V4, &values);

    verdict = FlowEstablishedV4Decide(&values, ClassifyDefaultVerdict(filter), &attachFlowContexts);

    ClassifyApplyVerdict(filter, verdict, classifyOut);

    if (attachFlowContexts && verdict != FWP_ACTION_BLOCK) {
        if (values.Protocol != NULL && *values.Protocol == IPPROTO_TCP) { // STREAM_PACKET_V4 sees TCP only
            FlowAttach(inMetaValues, CALLOUT_STREAM_PACKET_V4, FWPS_LAYER_STREAM_PACKET_V4);
        }
        FlowAttach(inMetaValues, CALLOUT_TRANSPORT_IN_V4, FWPS_LAYER_INBOUND_TRANSPORT_V4);
    }
}
