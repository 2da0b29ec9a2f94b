//
// classify.c - the classifyFn of every ContosoReinject callout.
//
// Each classifyFn gathers what WFP tells it about the traffic into a
// <CALLOUT>_VALUES structure, runs your filtering logic on it, and returns
// the resulting verdict to WFP by the rules of FWPS_CLASSIFY_OUT0. Your
// logic goes in one function per callout (<Callout>Inspect).
//
// Everything here runs at up to DISPATCH_LEVEL: touch only nonpaged memory,
// use spin locks only, never wait, and call no Fwpm* function.
//

#include "driver.h"
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
    _In_ const FWPS_FILTER1* filter
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
    _In_ const FWPS_FILTER1* filter,
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
DgramV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ DGRAM_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_DATAGRAM_DATA_V4_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_DATAGRAM_DATA_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_DATAGRAM_DATA_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_DATAGRAM_DATA_V4_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_DATAGRAM_DATA_V4_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_DATAGRAM_DATA_V4_DIRECTION, FWP_UINT32);
    values->Direction = (value != NULL) ? &value->uint32 : NULL;
}

_Use_decl_annotations_
void
NTAPI
DgramV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER1* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    DGRAM_V4_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    DgramV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    //
    // notify.c leaves filter->context as the filter's owner set it.
    //
    values.FilterRawContext = filter->context;
    CLASSIFY_VALUES_READ(CALLOUT_DGRAM_V4, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // The reinject behaviour (reinject.c): the packet is cloned and absorbed,
    // and DgramV4Inspect decides on the clone out of line. A packet it
    // must not hold (one this driver injected, one ALE has yet to authorize,
    // ...) passes with the default verdict.
    //
    if (ReinjectClassify(CALLOUT_DGRAM_V4, inFixedValues, inMetaValues, values.Packet, filter->action.type,
                         classifyOut)) {
        return;
    }
    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

//
// DgramV4: what happens to each packet DgramV4Classify held back. This
// runs at PASSIVE_LEVEL in a work item, never at the same time as itself.
//
_Use_decl_annotations_
FWP_ACTION_TYPE
DgramV4Inspect(
    const REINJECT_INSPECTION* inspection
    )
{
    FWP_ACTION_TYPE verdict = FWP_ACTION_PERMIT;

    //
    // TODO: Your inspection of DgramV4's packets (DATAGRAM_DATA_V4) goes here.
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
PacketInV6ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ PACKET_IN_V6_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_IPPACKET_V6_IP_LOCAL_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->LocalAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_IPPACKET_V6_IP_REMOTE_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->RemoteAddress = (value != NULL) ? value->byteArray16 : NULL;
}

_Use_decl_annotations_
void
NTAPI
PacketInV6Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER1* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    PACKET_IN_V6_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    PacketInV6ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    //
    // notify.c leaves filter->context as the filter's owner set it.
    //
    values.FilterRawContext = filter->context;
    CLASSIFY_VALUES_READ(CALLOUT_PACKET_IN_V6, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // The reinject behaviour (reinject.c): the packet is cloned and absorbed,
    // and PacketInV6Inspect decides on the clone out of line. A packet it
    // must not hold (one this driver injected, one ALE has yet to authorize,
    // ...) passes with the default verdict.
    //
    if (ReinjectClassify(CALLOUT_PACKET_IN_V6, inFixedValues, inMetaValues, values.Packet, filter->action.type,
                         classifyOut)) {
        return;
    }
    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

//
// PacketInV6: what happens to each packet PacketInV6Classify held back. This
// runs at PASSIVE_LEVEL in a work item, never at the same time as itself.
//
_Use_decl_annotations_
FWP_ACTION_TYPE
PacketInV6Inspect(
    const REINJECT_INSPECTION* inspection
    )
{
    FWP_ACTION_TYPE verdict = FWP_ACTION_PERMIT;

    //
    // TODO: Your inspection of PacketInV6's packets (INBOUND_IPPACKET_V6) goes here.
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
SendV6ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ SEND_V6_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_TRANSPORT_V6_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_TRANSPORT_V6_IP_LOCAL_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->LocalAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_TRANSPORT_V6_IP_REMOTE_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->RemoteAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_TRANSPORT_V6_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_TRANSPORT_V6_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
}

_Use_decl_annotations_
void
NTAPI
SendV6Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER1* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    SEND_V6_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    SendV6ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    //
    // notify.c leaves filter->context as the filter's owner set it.
    //
    values.FilterRawContext = filter->context;
    CLASSIFY_VALUES_READ(CALLOUT_SEND_V6, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // The reinject behaviour (reinject.c): the packet is cloned and absorbed,
    // and SendV6Inspect decides on the clone out of line. A packet it
    // must not hold (one this driver injected, one ALE has yet to authorize,
    // ...) passes with the default verdict.
    //
    if (ReinjectClassify(CALLOUT_SEND_V6, inFixedValues, inMetaValues, values.Packet, filter->action.type,
                         classifyOut)) {
        return;
    }
    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

//
// SendV6: what happens to each packet SendV6Classify held back. This
// runs at PASSIVE_LEVEL in a work item, never at the same time as itself.
//
_Use_decl_annotations_
FWP_ACTION_TYPE
SendV6Inspect(
    const REINJECT_INSPECTION* inspection
    )
{
    FWP_ACTION_TYPE verdict = FWP_ACTION_PERMIT;

    //
    // TODO: Your inspection of SendV6's packets (OUTBOUND_TRANSPORT_V6) goes here.
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
RecvV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ RECV_V4_VALUES* values
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

_Use_decl_annotations_
void
NTAPI
RecvV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER1* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    RECV_V4_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    RecvV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    //
    // notify.c leaves filter->context as the filter's owner set it.
    //
    values.FilterRawContext = filter->context;
    CLASSIFY_VALUES_READ(CALLOUT_RECV_V4, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // The reinject behaviour (reinject.c): the packet is cloned and absorbed,
    // and RecvV4Inspect decides on the clone out of line. A packet it
    // must not hold (one this driver injected, one ALE has yet to authorize,
    // ...) passes with the default verdict.
    //
    if (ReinjectClassify(CALLOUT_RECV_V4, inFixedValues, inMetaValues, values.Packet, filter->action.type,
                         classifyOut)) {
        return;
    }
    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

//
// RecvV4: what happens to each packet RecvV4Classify held back. This
// runs at PASSIVE_LEVEL in a work item, never at the same time as itself.
//
_Use_decl_annotations_
FWP_ACTION_TYPE
RecvV4Inspect(
    const REINJECT_INSPECTION* inspection
    )
{
    FWP_ACTION_TYPE verdict = FWP_ACTION_PERMIT;

    //
    // TODO: Your inspection of RecvV4's packets (INBOUND_TRANSPORT_V4) goes here.
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
PacketOutV6ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ PACKET_OUT_V6_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_IPPACKET_V6_IP_LOCAL_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->LocalAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_OUTBOUND_IPPACKET_V6_IP_REMOTE_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->RemoteAddress = (value != NULL) ? value->byteArray16 : NULL;
}

_Use_decl_annotations_
void
NTAPI
PacketOutV6Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER1* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    PACKET_OUT_V6_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    PacketOutV6ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    //
    // notify.c leaves filter->context as the filter's owner set it.
    //
    values.FilterRawContext = filter->context;
    CLASSIFY_VALUES_READ(CALLOUT_PACKET_OUT_V6, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // The reinject behaviour (reinject.c): the packet is cloned and absorbed,
    // and PacketOutV6Inspect decides on the clone out of line. A packet it
    // must not hold (one this driver injected, one ALE has yet to authorize,
    // ...) passes with the default verdict.
    //
    if (ReinjectClassify(CALLOUT_PACKET_OUT_V6, inFixedValues, inMetaValues, values.Packet, filter->action.type,
                         classifyOut)) {
        return;
    }
    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

//
// PacketOutV6: what happens to each packet PacketOutV6Classify held back. This
// runs at PASSIVE_LEVEL in a work item, never at the same time as itself.
//
_Use_decl_annotations_
FWP_ACTION_TYPE
PacketOutV6Inspect(
    const REINJECT_INSPECTION* inspection
    )
{
    FWP_ACTION_TYPE verdict = FWP_ACTION_PERMIT;

    //
    // TODO: Your inspection of PacketOutV6's packets (OUTBOUND_IPPACKET_V6) goes here.
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
DgramV6ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ DGRAM_V6_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_DATAGRAM_DATA_V6_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_DATAGRAM_DATA_V6_IP_LOCAL_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->LocalAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_DATAGRAM_DATA_V6_IP_REMOTE_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->RemoteAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_DATAGRAM_DATA_V6_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_DATAGRAM_DATA_V6_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_DATAGRAM_DATA_V6_DIRECTION, FWP_UINT32);
    values->Direction = (value != NULL) ? &value->uint32 : NULL;
}

_Use_decl_annotations_
void
NTAPI
DgramV6Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER1* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    DGRAM_V6_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    DgramV6ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    //
    // notify.c leaves filter->context as the filter's owner set it.
    //
    values.FilterRawContext = filter->context;
    CLASSIFY_VALUES_READ(CALLOUT_DGRAM_V6, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // The reinject behaviour (reinject.c): the packet is cloned and absorbed,
    // and DgramV6Inspect decides on the clone out of line. A packet it
    // must not hold (one this driver injected, one ALE has yet to authorize,
    // ...) passes with the default verdict.
    //
    if (ReinjectClassify(CALLOUT_DGRAM_V6, inFixedValues, inMetaValues, values.Packet, filter->action.type,
                         classifyOut)) {
        return;
    }
    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

//
// DgramV6: what happens to each packet DgramV6Classify held back. This
// runs at PASSIVE_LEVEL in a work item, never at the same time as itself.
//
_Use_decl_annotations_
FWP_ACTION_TYPE
DgramV6Inspect(
    const REINJECT_INSPECTION* inspection
    )
{
    FWP_ACTION_TYPE verdict = FWP_ACTION_PERMIT;

    //
    // TODO: Your inspection of DgramV6's packets (DATAGRAM_DATA_V6) goes here.
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
