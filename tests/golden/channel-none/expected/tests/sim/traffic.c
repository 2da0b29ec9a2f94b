//
// traffic.c - classification: sample traffic, what classifyFn receives, and
// the filter engine's walk over the filters of a layer.
//
// Reproduced behaviour (Microsoft Learn: classifyFn, FWPS_INCOMING_VALUES0,
// FWPS_INCOMING_METADATA_VALUES0, FWPS_CLASSIFY_OUT0, "Data Field
// Identifiers", "Metadata Fields at Each Filtering Layer",
// FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED):
// - incomingValue holds every field the minimum Windows has at the layer,
//   indexed by FWPS_FIELD_*, and valueCount says how many: the array is a
//   heap block of exactly that size, so a read past it is reported by
//   AddressSanitizer; IPv4 addresses are host-order UINT32s, IPv6 addresses
//   FWP_BYTE_ARRAY16s;
// - every field of the sample traffic holds a value no other field of that
//   type holds at the layer, so a classify that reads the wrong index reads
//   a wrong value;
// - metadata newer than the minimum Windows is never present
//   (FWPS_METADATA_FIELD_REDIRECT_RECORD_HANDLE and SUB_PROCESS_TAG are
//   Windows 8 and later: fwpsk.h, "Metadata Fields at Each Filtering Layer");
// - flow-capable layers carry FWPS_METADATA_FIELD_FLOW_HANDLE;
// - a callout registered with FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW is
//   classified only for flows that carry its context;
// - without FWPS_RIGHT_ACTION_WRITE a callout may only veto (set
//   FWP_ACTION_BLOCK);
// - the filter of an unregistered callout blocks, or permits when it has
//   PERMIT_IF_CALLOUT_UNREGISTERED; an inspection filter is skipped.
//

#include "sim_internal.h"

#include <stdlib.h>

// FWPS_METADATA_FIELD_REDIRECT_RECORD_HANDLE and _SUB_PROCESS_TAG.
#define SIM_METADATA_SINCE_WIN8 0xC0000000u

// The stream layers' data is not modeled: an empty NET_BUFFER_LIST.
static NET_BUFFER_LIST SimStreamPacket;

// The classification in progress, and what the scenario checks of it.
static const SIM_CLASSIFY_DATA* SimClassifying;
static const SIM_TRAFFIC* SimClassifyingTraffic;
static ULONG SimValuesCallout;
static SIM_VALUES_CHECK* SimValuesCheck;
static ULONG SimValuesChecks;

void SimExpectValues(ULONG callout, SIM_VALUES_CHECK* check)
{
    SimValuesCallout = callout;
    SimValuesCheck = check;
    SimValuesChecks = 0;
}

ULONG SimValuesChecked(void)
{
    return SimValuesChecks;
}

void SimClassifyValuesRead(ULONG callout, const void* values)
{
    if (SimClassifying == NULL) {
        SimBugCheck("CLASSIFY_VALUES_READ outside a classifyFn");
    }
    if (SimValuesCheck != NULL && callout == SimValuesCallout) {
        SimValuesChecks++;
        SimValuesCheck(values, SimClassifyingTraffic);
    }
}

BOOLEAN SimValueIs(UINT32 fieldIndex, const void* read)
{
    const FWP_VALUE0* value;

    if (SimClassifying == NULL || fieldIndex >= SimClassifying->values.valueCount || read == NULL) {
        return FALSE;
    }
    value = &SimClassifying->incoming[fieldIndex].value;
    switch (value->type) {
    case FWP_UINT8:
    case FWP_UINT16:
    case FWP_UINT32:
        return (BOOLEAN)(read == (const void*)&value->uint32);
    case FWP_UINT64: return (BOOLEAN)(read == (const void*)value->uint64);
    case FWP_BYTE_ARRAY16_TYPE: return (BOOLEAN)(read == (const void*)value->byteArray16);
    case FWP_BYTE_ARRAY6_TYPE: return (BOOLEAN)(read == (const void*)value->byteArray6);
    case FWP_BYTE_BLOB_TYPE: return (BOOLEAN)(read == (const void*)value->byteBlob);
    default: return FALSE;
    }
}

SIM_TRAFFIC SimTraffic(UINT16 layerId)
{
    static const UINT8 localV6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    static const UINT8 remoteV6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
    static const UINT8 localMac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
    static const UINT8 remoteMac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
    const SIM_LAYER* layer = SimLayerById(layerId);
    SIM_TRAFFIC traffic;

    if (layer == NULL) {
        SimBugCheck("SimTraffic: layer %u is not one of this driver's layers", (unsigned)layerId);
    }
    RtlZeroMemory(&traffic, sizeof(traffic));
    traffic.layerId = layerId;
    traffic.protocol = IPPROTO_TCP;
    traffic.direction = layer->outbound ? FWP_DIRECTION_OUTBOUND : FWP_DIRECTION_INBOUND;
    traffic.localV4 = SimIPv4(10, 0, 0, 1);
    traffic.remoteV4 = SimIPv4(10, 0, 0, 2);
    memcpy(traffic.localV6, localV6, sizeof(localV6));
    memcpy(traffic.remoteV6, remoteV6, sizeof(remoteV6));
    traffic.localPort = 49152;
    traffic.remotePort = 443;
    // Destination unreachable, host (ICMPv4) or address (ICMPv6) unreachable.
    traffic.icmpType = layer->v6 ? 1 : 3;
    traffic.icmpCode = layer->v6 ? 3 : 1;
    memcpy(traffic.localMac, localMac, sizeof(localMac));
    memcpy(traffic.remoteMac, remoteMac, sizeof(remoteMac));
    traffic.etherType = layer->v6 ? 0x86DD : 0x0800;
    traffic.interfaceIndex = 1;
    traffic.interfaceLuid = 0x0006000000000001ULL;
    traffic.appId = L"\\device\\harddiskvolume1\\windows\\system32\\curl.exe";
    traffic.processId = 4242;
    traffic.streamLength = 100;
    traffic.streamFlags = layer->outbound ? FWPS_STREAM_FLAG_SEND : FWPS_STREAM_FLAG_RECEIVE;
    traffic.writeRight = TRUE;
    traffic.priorAction = FWP_ACTION_NONE;
    return traffic;
}

SIM_TRAFFIC SimCalloutTraffic(UINT16 layerId, const GUID* calloutKey)
{
    SIM_TRAFFIC traffic = SimTraffic(layerId);

    traffic.calloutKey = calloutKey;
    return traffic;
}

//
// A field the sample traffic has no meaning for: a value of its own, which no
// other field of the layer has.
//
static UINT64 SimDistinctValue(FWP_DATA_TYPE type, UINT32 index, const SIM_TRAFFIC* traffic)
{
    switch (type) {
    case FWP_UINT8: return 100 + index;
    case FWP_UINT16: return 1000 + index;
    case FWP_UINT64: return traffic->interfaceLuid + 0x100 + index;
    default: return 100000 + index;
    }
}

static void SimSetValue(SIM_CLASSIFY_DATA* data, UINT32 index, const SIM_FIELD* field, const SIM_TRAFFIC* traffic)
{
    FWP_VALUE0* value = &data->incoming[index].value;
    SIM_VALUE_STORAGE* storage = &data->storage[index];
    const char* source = field->source;
    BOOLEAN local = (BOOLEAN)(strncmp(source, "local_", 6) == 0);
    BOOLEAN distinct = (BOOLEAN)(strcmp(source, "distinct") == 0);
    UINT64 number = 0;

    value->type = field->type;
    if (strcmp(source, "protocol") == 0) number = traffic->protocol;
    else if (strcmp(source, "direction") == 0) number = (UINT64)traffic->direction;
    else if (strcmp(source, "flags") == 0) number = traffic->conditionFlags;
    else if (strcmp(source, "local_port") == 0) number = traffic->localPort;
    else if (strcmp(source, "remote_port") == 0) number = traffic->remotePort;
    else if (strcmp(source, "icmp_type") == 0) number = traffic->icmpType;
    else if (strcmp(source, "icmp_code") == 0) number = traffic->icmpCode;
    else if (strcmp(source, "ether_type") == 0) number = traffic->etherType;
    else if (strcmp(source, "vlan_id") == 0) number = traffic->vlanId;
    else if (strcmp(source, "interface_index") == 0) number = traffic->interfaceIndex;
    else if (strcmp(source, "interface_luid") == 0) number = traffic->interfaceLuid;
    else if (strcmp(source, "local_address") == 0) number = traffic->localV4;
    else if (strcmp(source, "remote_address") == 0) number = traffic->remoteV4;
    else if (distinct) number = SimDistinctValue(field->type, index, traffic);

    switch (field->type) {
    case FWP_UINT8: value->uint8 = (UINT8)number; break;
    case FWP_UINT16: value->uint16 = (UINT16)number; break;
    case FWP_UINT32: value->uint32 = (UINT32)number; break;
    case FWP_UINT64:
        storage->uint64 = number;
        value->uint64 = &storage->uint64;
        break;
    case FWP_BYTE_ARRAY16_TYPE:
        memcpy(storage->byteArray16.byteArray16, local ? traffic->localV6 : traffic->remoteV6, 16);
        if (distinct) {
            storage->byteArray16.byteArray16[14] = 0xd1;
            storage->byteArray16.byteArray16[15] = (UINT8)index;
        }
        value->byteArray16 = &storage->byteArray16;
        break;
    case FWP_BYTE_ARRAY6_TYPE:
        memcpy(storage->byteArray6.byteArray6, local ? traffic->localMac : traffic->remoteMac, 6);
        if (distinct) {
            storage->byteArray6.byteArray6[4] = 0xd1;
            storage->byteArray6.byteArray6[5] = (UINT8)index;
        }
        value->byteArray6 = &storage->byteArray6;
        break;
    case FWP_BYTE_BLOB_TYPE:
        if (traffic->appId == NULL) {
            value->type = FWP_EMPTY;
            break;
        }
        // The path and its terminating NUL, as WFP passes it.
        data->appId.size = (UINT32)((wcslen(traffic->appId) + 1) * sizeof(wchar_t));
        data->appId.data = (UINT8*)(ULONG_PTR)traffic->appId;
        value->byteBlob = &data->appId;
        break;
    default:
        value->type = FWP_EMPTY;
        break;
    }
}

static void SimSetLayerData(SIM_CLASSIFY_DATA* data, const SIM_LAYER* layer, const SIM_TRAFFIC* traffic)
{
    if (strcmp(layer->layerData, "stream") == 0) {
        data->streamData.flags = traffic->streamFlags;
        data->streamData.dataLength = traffic->streamLength;
        data->streamData.netBufferListChain = &SimStreamPacket;
        data->streamPacket.streamData = &data->streamData;
        data->layerData = &data->streamPacket;
    } else if (strcmp(layer->layerData, "connect_request") == 0) {
        data->connectRequest.localAddressAndPort.ss_family = layer->v6 ? 23 : 2; // AF_INET6 : AF_INET
        data->connectRequest.remoteAddressAndPort.ss_family = layer->v6 ? 23 : 2;
        data->layerData = &data->connectRequest;
    } else if (strcmp(layer->layerData, "bind_request") == 0) {
        data->bindRequest.localAddressAndPort.ss_family = layer->v6 ? 23 : 2;
        data->layerData = &data->bindRequest;
    } else if (strcmp(layer->layerData, "nbl") == 0) {
        data->layerData = data->packet;
    } else {
        data->layerData = NULL;
    }
}

void SimClassifyDataInit(SIM_CLASSIFY_DATA* data, const SIM_LAYER* layer, const SIM_TRAFFIC* traffic, UINT64 flowId,
                         NET_BUFFER_LIST* packet)
{
    FWPS_INCOMING_METADATA_VALUES0* metadata = &data->metadata;

    RtlZeroMemory(data, sizeof(*data));
    data->packet = packet;
    data->incoming = calloc(layer->fieldCount, sizeof(*data->incoming));
    data->storage = calloc(layer->fieldCount, sizeof(*data->storage));
    if (layer->fieldCount != 0 && (data->incoming == NULL || data->storage == NULL)) {
        SimBugCheck("the simulation ran out of memory");
    }
    data->values.layerId = layer->id;
    data->values.valueCount = layer->fieldCount;
    data->values.incomingValue = data->incoming;
    for (UINT32 i = 0; i < layer->fieldCount; i++) {
        SimSetValue(data, i, &layer->fields[i], traffic);
    }

    metadata->currentMetadataValues = FWPS_METADATA_FIELD_COMPARTMENT_ID | FWPS_METADATA_FIELD_PACKET_DIRECTION;
    metadata->compartmentId = 1;
    metadata->packetDirection = traffic->direction;
    if (layer->hasFlows && flowId != 0) {
        metadata->currentMetadataValues |= FWPS_METADATA_FIELD_FLOW_HANDLE;
        metadata->flowHandle = flowId;
    }
    if (strncmp(layer->group, "ale_", 4) == 0) {
        metadata->currentMetadataValues |= FWPS_METADATA_FIELD_PROCESS_ID;
        metadata->processId = traffic->processId;
        if (traffic->appId != NULL) {
            metadata->currentMetadataValues |= FWPS_METADATA_FIELD_PROCESS_PATH;
            data->appId.size = (UINT32)((wcslen(traffic->appId) + 1) * sizeof(wchar_t));
            data->appId.data = (UINT8*)(ULONG_PTR)traffic->appId;
            metadata->processPath = &data->appId;
        }
    }
    if (traffic->aleClassifyRequired) {
        metadata->currentMetadataValues |= FWPS_METADATA_FIELD_ALE_CLASSIFY_REQUIRED;
    }
    SimSetLayerData(data, layer, traffic);
    if (packet != NULL) {
        if (traffic->controlData != NULL) {
            // A copy of its own, freed with the classification.
            data->controlData = malloc(traffic->controlDataLength);
            if (data->controlData == NULL) {
                SimBugCheck("the simulation ran out of memory");
            }
            memcpy(data->controlData, traffic->controlData, traffic->controlDataLength);
        }
        SimNblMetadata(layer, packet, metadata, data->controlData, traffic->controlDataLength);
    }
    if (SimWindowsNtddi < NTDDI_WIN8) {
        metadata->currentMetadataValues &= ~SIM_METADATA_SINCE_WIN8;
    }
}

void SimClassifyDataFree(SIM_CLASSIFY_DATA* data)
{
    free(data->incoming);
    free(data->storage);
    // A driver that kept a pointer to the control data reads freed memory
    // (AddressSanitizer reports it).
    free(data->controlData);
    free(data);
}

static const char* SimActionText(FWP_ACTION_TYPE action)
{
    switch (action) {
    case FWP_ACTION_BLOCK: return "FWP_ACTION_BLOCK";
    case FWP_ACTION_PERMIT: return "FWP_ACTION_PERMIT";
    case FWP_ACTION_CONTINUE: return "FWP_ACTION_CONTINUE";
    case FWP_ACTION_NONE: return "FWP_ACTION_NONE";
    case FWP_ACTION_NONE_NO_MATCH: return "FWP_ACTION_NONE_NO_MATCH";
    default: return "an invalid action";
    }
}

static BOOLEAN SimIsStreamLayer(const SIM_LAYER* layer)
{
    return (BOOLEAN)(strcmp(layer->layerData, "stream") == 0);
}

//
// The stream rules (Microsoft Learn: FWPS_STREAM_CALLOUT_IO_PACKET0,
// FWPS_CLASSIFY_OUT0 flags, "Using a Callout for Deep Inspection of Stream
// Data", "Stream Inspection"; the stmedit sample):
// - more data is asked for with streamAction NEED_MORE_DATA and
//   countBytesRequired; actionType is then FWP_ACTION_CONTINUE (the Learn
//   page) or FWP_ACTION_NONE (stmedit), both accepted, nothing else;
// - countBytesRequired is zero unless streamAction is NEED_MORE_DATA;
// - with FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA no more data is coming, and
//   with BUFFER_LIMIT_REACHED WFP holds all it can: the callout must decide;
// - countBytesEnforced counts the leading bytes of the data indicated that
//   the verdict covers; the rest is indicated again, so a verdict on none
//   of it never moves the stream on.
// FWPS_RIGHT_ACTION_WRITE has no significance at these layers.
//
static void SimCheckStream(const SIM_LAYER* layer, const SIM_CLASSIFY_DATA* data, const FWPS_CLASSIFY_OUT0* after)
{
    const FWPS_STREAM_CALLOUT_IO_PACKET0* packet = &data->streamPacket;

    if (packet->streamAction == FWPS_STREAM_ACTION_NEED_MORE_DATA) {
        if (after->actionType != FWP_ACTION_NONE && after->actionType != FWP_ACTION_CONTINUE) {
            SimViolation("stream callout at %s asked for more data (FWPS_STREAM_ACTION_NEED_MORE_DATA) with actionType "
                         "%s: it must be FWP_ACTION_CONTINUE or FWP_ACTION_NONE", layer->name,
                         SimActionText(after->actionType));
        }
        if ((after->flags & (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA | FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED)) != 0) {
            SimViolation("stream callout at %s asked for more data (FWPS_STREAM_ACTION_NEED_MORE_DATA) although "
                         "classifyOut->flags has %s: it must permit or block the data it has", layer->name,
                         (after->flags & FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA) ? "FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA"
                                                                             : "FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED");
        }
        if (packet->countBytesRequired == 0) {
            SimWarning("stream callout at %s asked for more data with countBytesRequired 0", layer->name);
        }
    } else if (packet->countBytesRequired != 0) {
        SimViolation("stream callout at %s set countBytesRequired to %u without FWPS_STREAM_ACTION_NEED_MORE_DATA: "
                     "it must be 0 then", layer->name, packet->countBytesRequired);
    }
    if (packet->streamAction == FWPS_STREAM_ACTION_NONE && packet->countBytesEnforced == 0 &&
        data->streamData.dataLength != 0 &&
        (after->actionType == FWP_ACTION_PERMIT || after->actionType == FWP_ACTION_BLOCK)) {
        SimViolation("stream callout at %s returned %s for none of the %llu bytes indicated (countBytesEnforced 0): "
                     "WFP indicates them again, and the stream makes no progress", layer->name,
                     SimActionText(after->actionType), (unsigned long long)data->streamData.dataLength);
    }
    if (packet->countBytesEnforced > data->streamData.dataLength) {
        SimViolation("stream callout at %s set countBytesEnforced to %llu, beyond the %llu bytes indicated",
                     layer->name, (unsigned long long)packet->countBytesEnforced,
                     (unsigned long long)data->streamData.dataLength);
    }
}

//
// The rules of FWPS_CLASSIFY_OUT0 at every other layer (Microsoft Learn:
// FWPS_CLASSIFY_OUT0, FWPS_FILTER0, "Using a Callout for Deep Inspection"):
// - without FWPS_RIGHT_ACTION_WRITE a callout writes actionType only to veto
//   the FWP_ACTION_PERMIT of a higher-weight filter, by writing
//   FWP_ACTION_BLOCK;
// - a callout that blocks clears FWPS_RIGHT_ACTION_WRITE, so no
//   lower-priority filter overrides the block, and so does one that permits
//   for a filter with FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT;
// - a callout never gives itself rights.
//
static void SimCheckVerdict(const SIM_LAYER* layer, const FWPS_FILTER0* filter, const FWPS_CLASSIFY_OUT0* before,
                            const FWPS_CLASSIFY_OUT0* after)
{
    if ((after->rights & ~before->rights) != 0) {
        SimViolation("classifyFn at %s gave itself rights it did not have (FWPS_CLASSIFY_OUT0.rights)", layer->name);
    }
    if ((before->rights & FWPS_RIGHT_ACTION_WRITE) == 0) {
        if (after->actionType != before->actionType &&
            !(before->actionType == FWP_ACTION_PERMIT && after->actionType == FWP_ACTION_BLOCK)) {
            SimViolation("classifyFn at %s wrote actionType %s over %s without FWPS_RIGHT_ACTION_WRITE: a filter of "
                         "higher priority decided, and only a veto (FWP_ACTION_BLOCK over FWP_ACTION_PERMIT) is "
                         "allowed", layer->name, SimActionText(after->actionType), SimActionText(before->actionType));
        }
        return;
    }
    if (after->actionType == FWP_ACTION_BLOCK && (after->rights & FWPS_RIGHT_ACTION_WRITE) != 0) {
        SimViolation("classifyFn at %s returned FWP_ACTION_BLOCK and kept FWPS_RIGHT_ACTION_WRITE: a filter of lower "
                     "priority could turn the block into a permit (clear the write right when blocking)", layer->name);
    }
    if (after->actionType == FWP_ACTION_PERMIT && (after->rights & FWPS_RIGHT_ACTION_WRITE) != 0 &&
        (filter->flags & FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT) != 0) {
        SimViolation("classifyFn at %s permitted for a filter with FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT and kept "
                     "FWPS_RIGHT_ACTION_WRITE", layer->name);
    }
}

//
// What the filter engine makes of the callout's answer (Microsoft Learn:
// FWPS_ACTION0): a terminating callout's answer other than PERMIT or BLOCK
// counts as BLOCK (a stream callout asking for more data has not answered
// yet), and an inspection callout's answer counts as CONTINUE. Without the
// write right a higher-priority filter has decided already and stays.
//
static void SimApplyFilterAction(const SIM_LAYER* layer, const FWPS_FILTER0* filter, const SIM_CLASSIFY_DATA* data,
                                 const FWPS_CLASSIFY_OUT0* before, FWPS_CLASSIFY_OUT0* classifyOut)
{
    BOOLEAN stream = SimIsStreamLayer(layer);
    BOOLEAN decides = (BOOLEAN)(stream || (before->rights & FWPS_RIGHT_ACTION_WRITE) != 0);
    FWP_ACTION_TYPE action = classifyOut->actionType;

    if (filter->action.type == FWP_ACTION_CALLOUT_TERMINATING && decides && action != FWP_ACTION_PERMIT &&
        action != FWP_ACTION_BLOCK &&
        !(stream && data->streamPacket.streamAction == FWPS_STREAM_ACTION_NEED_MORE_DATA)) {
        SimWarning("terminating callout at %s returned %s, which counts as FWP_ACTION_BLOCK", layer->name,
                   SimActionText(action));
        classifyOut->actionType = FWP_ACTION_BLOCK;
    } else if (filter->action.type == FWP_ACTION_CALLOUT_INSPECTION && action != before->actionType &&
               action != FWP_ACTION_CONTINUE) {
        SimWarning("inspection callout at %s returned %s, which counts as FWP_ACTION_CONTINUE", layer->name,
                   SimActionText(action));
        classifyOut->actionType = decides ? FWP_ACTION_CONTINUE : before->actionType;
    }
}

static const SIM_TRAFFIC* SimTrafficNow; // the traffic being classified, for SimUserLogic

//
// The spot classify.c leaves for the driver's own logic: the running test
// plays it.
//
void SimUserLogic(FWP_ACTION_TYPE* verdict, FWPS_STREAM_CALLOUT_IO_PACKET0* streamPacket, BOOLEAN* redirect)
{
    const SIM_TRAFFIC* traffic = SimTrafficNow;

    if (traffic == NULL) {
        SimBugCheck("the simulation itself: SimUserLogic outside a classifyFn");
    }
    if (traffic->logicVerdict != 0) {
        *verdict = traffic->logicVerdict;
    }
    if (streamPacket != NULL && traffic->logicMoreBytes != 0) {
        streamPacket->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
        streamPacket->countBytesRequired = traffic->logicMoreBytes;
        streamPacket->countBytesEnforced = 0;
    }
    if (redirect != NULL && traffic->logicRedirect) {
        *redirect = TRUE;
    }
}

static void SimClassifyOne(const SIM_LAYER* layer, SIM_CLASSIFY_DATA* data, SIM_FILTER_ENTRY* filter,
                           UINT64 flowContext, FWPS_CLASSIFY_OUT0* classifyOut, SIM_RESULT* result)
{
    FWPS_CLASSIFY_OUT0 before = *classifyOut;
    FWPS_FILTER0 runtime = filter->runtime;

    if (SimTrafficNow != NULL && SimTrafficNow->clearActionRight) {
        runtime.flags |= FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT;
    }
    classifyOut->filterId = runtime.filterId;
    SimRedirectClassifyBegin(data, layer, &runtime);
    SimCalloutClassify(filter->calloutId, data, &runtime, flowContext, classifyOut);
    result->redirects += SimRedirectClassifyEnd();
    if (SimIsStreamLayer(layer)) {
        SimCheckStream(layer, data, classifyOut);
    } else {
        SimCheckVerdict(layer, &runtime, &before, classifyOut);
    }
    SimApplyFilterAction(layer, &runtime, data, &before, classifyOut);
    result->classifyCount++;
    result->streamAction = data->streamPacket.streamAction;
    result->countBytesRequired = data->streamPacket.countBytesRequired;
}

//
// A request the callout redirected comes back through the layer: the
// connection a local proxy makes to the original destination, or WFP
// classifying the modified request again ("Using Bind or Connect
// Redirection", FWPS_CONNECT_REQUEST0, FwpsQueryConnectionRedirectState0 on
// Microsoft Learn). It carries the change: modifierFilterId is the filter's,
// previousVersion is the request before, and at the connect redirect layers
// the redirect records name the redirect handle the change was made with. A
// callout that redirects it once more would loop.
//
static void SimRedirectComeBack(const SIM_LAYER* layer, SIM_CLASSIFY_DATA* data, SIM_FILTER_ENTRY* filter,
                                UINT64 flowContext)
{
    SIM_CLASSIFY_DATA* again = malloc(sizeof(*again));
    FWPS_CLASSIFY_OUT0 classifyOut;
    SIM_RESULT result;

    if (again == NULL) {
        SimBugCheck("the simulation ran out of memory");
    }
    data->modified = FALSE;
    SimRedirectPrepareComeBack(layer, data, again);
    RtlZeroMemory(&classifyOut, sizeof(classifyOut));
    classifyOut.actionType = FWP_ACTION_NONE;
    classifyOut.rights = FWPS_RIGHT_ACTION_WRITE;
    RtlZeroMemory(&result, sizeof(result));
    SimClassifyOne(layer, again, filter, flowContext, &classifyOut, &result);
    free(again);
    if (result.redirects != 0) {
        SimViolation("redirect loop at %s: classifyFn redirected a request it had redirected itself (check "
                     "FwpsQueryConnectionRedirectState0 for REDIRECTED_BY_SELF, or the modifierFilterId of the "
                     "previousVersion chain, before redirecting)", layer->name);
    }
}

static SIM_RESULT SimRunFilters(const SIM_TRAFFIC* traffic, UINT64 flowId, NET_BUFFER_LIST* packet)
{
    const SIM_LAYER* layer = SimLayerById(traffic->layerId);
    SIM_CLASSIFY_DATA* data;
    FWPS_CLASSIFY_OUT0 classifyOut;
    SIM_RESULT result;
    SIM_FILTER_ENTRY* filter;
    BOOLEAN created = FALSE;
    ULONG offset = 0;

    if (layer == NULL) {
        SimBugCheck("classify at layer %u, which is not one of this driver's layers", (unsigned)traffic->layerId);
    }
    data = calloc(1, sizeof(*data));
    if (data == NULL) {
        SimBugCheck("the simulation ran out of memory");
    }
    if (strcmp(layer->layerData, "nbl") == 0) {
        created = packet == NULL;
        packet = created ? SimNblCreate(layer, traffic) : packet;
        offset = NET_BUFFER_LIST_FIRST_NB(packet)->DataOffset;
    }
    SimClassifyDataInit(data, layer, traffic, flowId, packet);
    RtlZeroMemory(&classifyOut, sizeof(classifyOut));
    classifyOut.actionType = traffic->priorAction;
    classifyOut.rights = traffic->writeRight ? FWPS_RIGHT_ACTION_WRITE : 0;
    classifyOut.flags = traffic->classifyFlags;
    RtlZeroMemory(&result, sizeof(result));
    SimTrafficNow = traffic;
    SimFlowClassifyBegin(flowId);

    for (ULONG i = 0; (filter = SimFilterAt(i)) != NULL; i++) {
        UINT64 flowContext = 0;
        BOOLEAN hasContext = FALSE;

        if (!filter->live || filter->layerId != layer->id ||
            (filter->runtime.action.type & FWP_ACTION_FLAG_CALLOUT) == 0) {
            continue;
        }
        if (traffic->calloutKey != NULL && !RtlEqualMemory(&filter->calloutKey, traffic->calloutKey, sizeof(GUID))) {
            continue; // the test plays traffic only this callout's filters match
        }
        if (filter->calloutId == 0) {
            if (filter->runtime.action.type != FWP_ACTION_CALLOUT_INSPECTION &&
                (classifyOut.rights & FWPS_RIGHT_ACTION_WRITE)) {
                classifyOut.actionType = (filter->runtime.flags & FWPS_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED)
                                             ? FWP_ACTION_PERMIT
                                             : FWP_ACTION_BLOCK;
            }
            continue;
        }
        if (flowId != 0) {
            flowContext = SimFlowContextOf(flowId, layer->id, filter->calloutId, &hasContext);
        }
        if ((SimCalloutFlags(SimCalloutById(filter->calloutId)) & FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW) &&
            !hasContext) {
            continue;
        }
        SimClassifying = data;
        SimClassifyingTraffic = traffic;
        SimClassifyOne(layer, data, filter, flowContext, &classifyOut, &result);
        if (data->modified) {
            SimRedirectComeBack(layer, data, filter, flowContext);
        }
        SimClassifying = NULL;
        SimClassifyingTraffic = NULL;
    }
    SimFlowClassifyEnd(flowId);
    SimTrafficNow = NULL;
    result.actionType = classifyOut.actionType;
    result.rights = classifyOut.rights;
    result.absorbed = (BOOLEAN)((classifyOut.flags & FWPS_CLASSIFY_OUT_FLAG_ABSORB) != 0);
    SimClassifyDataFree(data);
    if (created) {
        SimNblClassifyDone(packet, layer->name);
    } else if (packet != NULL && NET_BUFFER_LIST_FIRST_NB(packet)->DataOffset != offset) {
        SimViolation("classifyFn at %s returned the injected NET_BUFFER_LIST with its data offset moved: every "
                     "retreat needs its advance before classifyFn returns (\"Data Offset Positions\")", layer->name);
    }
    return result;
}

//
// Traffic outside any flow the test tracks. At a layer with flows it still
// belongs to one: a flow that starts here and ends right after.
//
SIM_RESULT SimClassify(const SIM_TRAFFIC* traffic)
{
    const SIM_LAYER* layer = SimLayerById(traffic->layerId);
    UINT64 flowId = (layer != NULL && layer->hasFlows) ? SimFlowNew() : 0;
    SIM_RESULT result = SimRunFilters(traffic, flowId, NULL);

    if (flowId != 0) {
        SimFlowEnd(flowId);
    }
    return result;
}

UINT64 SimFlowStart(const SIM_TRAFFIC* traffic)
{
    const SIM_LAYER* layer = SimLayerById(traffic->layerId);
    const SIM_LAYER* established;
    SIM_TRAFFIC atEstablished;
    UINT64 flowId;

    if (layer == NULL) {
        SimBugCheck("SimFlowStart: layer %u is not one of this driver's layers", (unsigned)traffic->layerId);
    }
    established = SimFlowEstablishedLayer(layer->v6);
    if (established == NULL) {
        SimBugCheck("SimFlowStart: this driver has no ALE_FLOW_ESTABLISHED callout for %s flows", layer->v6 ? "IPv6" : "IPv4");
    }
    atEstablished = *traffic;
    atEstablished.layerId = established->id;
    atEstablished.calloutKey = NULL; // the flow is established for every callout that attaches contexts
    flowId = SimFlowNew();
    (void)SimRunFilters(&atEstablished, flowId, NULL);
    return flowId;
}

SIM_RESULT SimFlowClassify(UINT64 flowId, const SIM_TRAFFIC* traffic)
{
    return SimRunFilters(traffic, flowId, NULL);
}

//
// A packet that exists already (one the driver injected) through its layer.
//
SIM_RESULT SimClassifyPacket(const SIM_TRAFFIC* traffic, NET_BUFFER_LIST* packet)
{
    const SIM_LAYER* layer = SimLayerById(traffic->layerId);
    UINT64 flowId = (layer != NULL && layer->hasFlows) ? SimFlowNew() : 0;
    SIM_RESULT result = SimRunFilters(traffic, flowId, packet);

    if (flowId != 0) {
        SimFlowEnd(flowId);
    }
    return result;
}
