//
// nbl.c - packets: NET_BUFFER_LISTs with real bytes (IP header, transport
// header, payload), their data offsets, clones and references.
//
// Reproduced rules (Microsoft Learn unless named otherwise):
// - "Packet Indication Format" and "Data Offset Positions": WFP indicates one
//   NET_BUFFER_LIST whose first NET_BUFFER holds the IP and transport headers;
//   its DataOffset is at the IP header at the outbound IP packet layers, at
//   the transport header at the inbound IP packet and outbound transport
//   layers, after the transport header (the data) at the inbound transport
//   and ALE receive layers; FWPS_INCOMING_METADATA_VALUES0.ipHeaderSize and
//   transportHeaderSize say how far back the headers start. A callout that
//   retreats or advances undoes it before classifyFn returns (the same page;
//   basil00/WinDivert#90 shows the crashes otherwise): a packet handed back
//   with its offset moved is a VIOLATION.
// - NdisRetreatNetBufferDataStart: moves DataOffset back into the space in
//   front of the data; more than there is needs new buffer space, which the
//   simulation does not model: it answers NDIS_STATUS_RESOURCES, as NDIS
//   does when it cannot allocate. NdisAdvanceNetBufferDataStart: moving past
//   the end of the data is a BUGCHECK.
// - NdisGetDataBuffer: NULL when fewer than BytesNeeded bytes follow the
//   offset; the buffers here are contiguous, so it never needs Storage.
// - FwpsAllocateCloneNetBufferList0: the clone describes the same data (no
//   copy), ParentNetBufferList points to the original, whose ChildRefCount
//   counts its clones; flags are zero. FwpsFreeCloneNetBufferList0 frees a
//   clone, once, and only a clone; the parent of an outstanding clone stays
//   alive (NDIS completes a parent only when ChildRefCount is zero), so a
//   clone freed while clones of its own are outstanding is a VIOLATION.
// - FwpsReferenceNetBufferList0 / FwpsDereferenceNetBufferList0: balanced.
// - Every clone is freed by the time the driver unloads (leak: BUGCHECK).
//

#include "sim_internal.h"

#include <stdlib.h>

#define SIM_NBL_MAGIC 0x4E424C21u
#define SIM_ETHERNET_HEADER 14

static const UINT8 SimSamplePayload[] = "wfpgen sample payload 0123456789";

static SIM_NBL** SimNbls;
static ULONG SimNblCount;
static ULONG SimNblCapacity;

void SimNblReset(void)
{
    for (ULONG i = 0; i < SimNblCount; i++) {
        SIM_NBL* nbl = SimNbls[i];

        if (--nbl->data->users == 0) {
            free(nbl->data->bytes);
            free(nbl->data);
        }
        free(nbl);
    }
    free(SimNbls);
    SimNbls = NULL;
    SimNblCount = SimNblCapacity = 0;
}

SIM_NBL* SimNblOf(const NET_BUFFER_LIST* netBufferList, const char* api)
{
    SIM_NBL* nbl = (SIM_NBL*)(ULONG_PTR)netBufferList;

    for (ULONG i = 0; i < SimNblCount; i++) {
        if (SimNbls[i] == nbl) {
            if (nbl->freed) {
                SimBugCheck("%s on a NET_BUFFER_LIST that was already freed (%p)", api, (const void*)netBufferList);
            }
            return nbl;
        }
    }
    SimBugCheck("%s on %p, which is no NET_BUFFER_LIST WFP indicated or the driver allocated", api,
                (const void*)netBufferList);
}

static SIM_NBL* SimNblNew(SIM_PACKET_DATA* data, SIM_NBL_KIND kind)
{
    SIM_NBL* nbl = calloc(1, sizeof(*nbl));

    if (nbl == NULL) {
        SimBugCheck("the simulation ran out of memory");
    }
    if (SimNblCount == SimNblCapacity) {
        SimNblCapacity = SimNblCapacity == 0 ? 32 : SimNblCapacity * 2;
        SimNbls = realloc(SimNbls, SimNblCapacity * sizeof(*SimNbls));
        if (SimNbls == NULL) {
            SimBugCheck("the simulation ran out of memory");
        }
    }
    SimNbls[SimNblCount++] = nbl;
    nbl->magic = SIM_NBL_MAGIC;
    nbl->kind = kind;
    nbl->data = data;
    data->users++;
    nbl->mdl.ByteCount = data->length;
    nbl->mdl.MappedSystemVa = data->bytes;
    nbl->mdl.StartVa = data->bytes;
    nbl->nb.MdlChain = &nbl->mdl;
    nbl->nb.CurrentMdl = &nbl->mdl;
    nbl->nbl.FirstNetBuffer = &nbl->nb;
    return nbl;
}

static void SimPut16(UINT8* at, UINT16 value)
{
    at[0] = (UINT8)(value >> 8);
    at[1] = (UINT8)value;
}

static void SimPut32(UINT8* at, UINT32 value)
{
    SimPut16(at, (UINT16)(value >> 16));
    SimPut16(at + 2, (UINT16)value);
}

static UINT16 SimIpv4Checksum(const UINT8* header)
{
    UINT32 sum = 0;

    for (int i = 0; i < 20; i += 2) {
        sum += (UINT32)((header[i] << 8) | header[i + 1]);
    }
    while (sum >> 16) {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return (UINT16)~sum;
}

ULONG SimTransportHeaderSize(UINT8 protocol)
{
    return protocol == IPPROTO_TCP ? 20 : 8;
}

//
// The IP and transport headers of the traffic, as they travel: an inbound
// packet comes from the remote end, an outbound one from the local end.
//
static void SimWriteHeaders(UINT8* ip, const SIM_TRAFFIC* traffic, BOOLEAN v6, BOOLEAN outbound, ULONG payloadLength)
{
    ULONG transportLength = SimTransportHeaderSize(traffic->protocol);
    UINT8* transport = ip + (v6 ? 40 : 20);
    UINT16 sourcePort = outbound ? traffic->localPort : traffic->remotePort;
    UINT16 destinationPort = outbound ? traffic->remotePort : traffic->localPort;

    if (v6) {
        ip[0] = 0x60;
        SimPut16(ip + 4, (UINT16)(transportLength + payloadLength));
        ip[6] = traffic->protocol;
        ip[7] = 128;
        memcpy(ip + 8, outbound ? traffic->localV6 : traffic->remoteV6, 16);
        memcpy(ip + 24, outbound ? traffic->remoteV6 : traffic->localV6, 16);
    } else {
        ip[0] = 0x45;
        SimPut16(ip + 2, (UINT16)(20 + transportLength + payloadLength));
        SimPut16(ip + 4, 0x1234);
        SimPut16(ip + 6, 0x4000);
        ip[8] = 128;
        ip[9] = traffic->protocol;
        SimPut32(ip + 12, outbound ? traffic->localV4 : traffic->remoteV4);
        SimPut32(ip + 16, outbound ? traffic->remoteV4 : traffic->localV4);
        SimPut16(ip + 10, SimIpv4Checksum(ip));
    }
    if (traffic->protocol == IPPROTO_TCP || traffic->protocol == IPPROTO_UDP) {
        SimPut16(transport, sourcePort);
        SimPut16(transport + 2, destinationPort);
    }
    if (traffic->protocol == IPPROTO_TCP) {
        SimPut32(transport + 4, 0x1000);
        SimPut32(transport + 8, 0x2000);
        transport[12] = 0x50;
        transport[13] = 0x18; // PSH, ACK
        SimPut16(transport + 14, 0xFFFF);
    } else if (traffic->protocol == IPPROTO_UDP) {
        SimPut16(transport + 4, (UINT16)(8 + payloadLength));
    }
}

//
// Where WFP indicates the data at a layer ("Data Offset Positions").
//
ULONG SimIndicatedOffset(const SIM_LAYER* layer, const SIM_PACKET_DATA* data)
{
    BOOLEAN inbound = (BOOLEAN)(data->direction == FWP_DIRECTION_INBOUND);

    if (strcmp(layer->group, "ip_packet") == 0) {
        return inbound ? data->transportOffset : data->ipOffset;
    }
    if (strcmp(layer->group, "transport") == 0 || strcmp(layer->group, "datagram_data") == 0 ||
        strncmp(layer->group, "ale_", 4) == 0) {
        return inbound ? data->payloadOffset : data->transportOffset;
    }
    return data->ipOffset;
}

NET_BUFFER_LIST* SimNblCreate(const SIM_LAYER* layer, const SIM_TRAFFIC* traffic)
{
    SIM_PACKET_DATA* data = calloc(1, sizeof(*data));
    const UINT8* payload = traffic->payload != NULL ? traffic->payload : SimSamplePayload;
    ULONG payloadLength = traffic->payload != NULL ? traffic->payloadLength : (ULONG)(sizeof(SimSamplePayload) - 1);
    BOOLEAN inbound = (BOOLEAN)(traffic->direction == FWP_DIRECTION_INBOUND);
    SIM_NBL* nbl;

    if (data == NULL) {
        SimBugCheck("the simulation ran out of memory");
    }
    data->traffic = *traffic;
    data->layerId = layer->id;
    data->direction = traffic->direction;
    data->v6 = layer->v6;
    // An inbound frame still has its Ethernet header in front.
    data->ipOffset = inbound ? SIM_ETHERNET_HEADER : 0;
    data->transportOffset = data->ipOffset + (layer->v6 ? 40 : 20);
    data->payloadOffset = data->transportOffset + SimTransportHeaderSize(traffic->protocol);
    data->length = data->payloadOffset + payloadLength;
    data->bytes = calloc(1, data->length);
    if (data->bytes == NULL) {
        SimBugCheck("the simulation ran out of memory");
    }
    SimWriteHeaders(data->bytes + data->ipOffset, traffic, layer->v6, (BOOLEAN)!inbound, payloadLength);
    memcpy(data->bytes + data->payloadOffset, payload, payloadLength);

    nbl = SimNblNew(data, SIM_NBL_ORIGINAL);
    nbl->nb.DataOffset = SimIndicatedOffset(layer, data);
    nbl->nb.DataLength = data->length - nbl->nb.DataOffset;
    nbl->nb.CurrentMdlOffset = nbl->nb.DataOffset;
    nbl->indicatedOffset = nbl->nb.DataOffset;
    return &nbl->nbl;
}

//
// The packet metadata of the layers that carry a packet ("Metadata Fields at
// Each Filtering Layer"): header sizes inbound, the endpoint, remote scope
// and control data outbound at the transport layers.
//
void SimNblMetadata(const SIM_LAYER* layer, NET_BUFFER_LIST* packet, FWPS_INCOMING_METADATA_VALUES0* metadata,
                    WSACMSGHDR* controlData, ULONG controlDataLength)
{
    const SIM_NBL* nbl = SimNblOf(packet, "classify");
    const SIM_PACKET_DATA* data = nbl->data;
    BOOLEAN inbound = (BOOLEAN)(data->direction == FWP_DIRECTION_INBOUND);
    BOOLEAN transport = (BOOLEAN)(strcmp(layer->group, "transport") == 0 ||
                                  strcmp(layer->group, "datagram_data") == 0 || strncmp(layer->group, "ale_", 4) == 0);

    if (inbound) {
        metadata->currentMetadataValues |= FWPS_METADATA_FIELD_IP_HEADER_SIZE;
        metadata->ipHeaderSize = data->transportOffset - data->ipOffset;
        if (transport) {
            metadata->currentMetadataValues |= FWPS_METADATA_FIELD_TRANSPORT_HEADER_SIZE;
            metadata->transportHeaderSize = data->payloadOffset - data->transportOffset;
        }
    } else if (transport) {
        metadata->currentMetadataValues |= FWPS_METADATA_FIELD_TRANSPORT_ENDPOINT_HANDLE;
        metadata->transportEndpointHandle = SIM_ENDPOINT_HANDLE;
        if (layer->v6) {
            metadata->currentMetadataValues |= FWPS_METADATA_FIELD_REMOTE_SCOPE_ID;
            metadata->remoteScopeId.Value = SIM_REMOTE_SCOPE_ID;
        }
        if (controlData != NULL) {
            metadata->currentMetadataValues |= FWPS_METADATA_FIELD_TRANSPORT_CONTROL_DATA;
            metadata->controlData = controlData;
            metadata->controlDataLength = controlDataLength;
        }
    }
}

//
// After the last classifyFn of an indication: the packet goes back to the
// stack as WFP indicated it.
//
void SimNblClassifyDone(NET_BUFFER_LIST* packet, const char* layerName)
{
    SIM_NBL* nbl = SimNblOf(packet, "classify");

    if (nbl->nb.DataOffset != nbl->indicatedOffset) {
        SimViolation("classifyFn at %s returned the NET_BUFFER_LIST with its data offset moved by %ld bytes: "
                     "every NdisRetreatNetBufferDataStart needs its NdisAdvanceNetBufferDataStart before classifyFn "
                     "returns (\"Data Offset Positions\")",
                     layerName, (long)nbl->nb.DataOffset - (long)nbl->indicatedOffset);
    }
    nbl->indicationOver = TRUE;
    SimNblRelease(nbl);
}

//
// An original the stack is done with is completed when nobody references it
// and no clone of it is outstanding.
//
void SimNblRelease(SIM_NBL* nbl)
{
    if (nbl->kind == SIM_NBL_ORIGINAL && nbl->indicationOver && nbl->references == 0 &&
        nbl->nbl.ChildRefCount == 0) {
        nbl->freed = TRUE;
    }
}

NDIS_STATUS NdisRetreatNetBufferDataStart(NET_BUFFER* netBuffer, ULONG dataOffsetDelta, ULONG dataBackFill,
                                          NET_BUFFER_ALLOCATE_MDL* allocateMdlHandler)
{
    UNREFERENCED_PARAMETER(dataBackFill);
    UNREFERENCED_PARAMETER(allocateMdlHandler);

    SimRequireIrql(DISPATCH_LEVEL, "NdisRetreatNetBufferDataStart");
    if (dataOffsetDelta > netBuffer->DataOffset) {
        SimWarning("NdisRetreatNetBufferDataStart by %lu bytes with only %lu in front of the data: NDIS would "
                   "allocate new buffer space, which the simulation answers with NDIS_STATUS_RESOURCES",
                   (unsigned long)dataOffsetDelta, (unsigned long)netBuffer->DataOffset);
        return NDIS_STATUS_RESOURCES;
    }
    netBuffer->DataOffset -= dataOffsetDelta;
    netBuffer->CurrentMdlOffset = netBuffer->DataOffset;
    netBuffer->DataLength += dataOffsetDelta;
    return NDIS_STATUS_SUCCESS;
}

void NdisAdvanceNetBufferDataStart(NET_BUFFER* netBuffer, ULONG dataOffsetDelta, BOOLEAN freeMdl,
                                   NET_BUFFER_FREE_MDL* freeMdlHandler)
{
    UNREFERENCED_PARAMETER(freeMdl);
    UNREFERENCED_PARAMETER(freeMdlHandler);

    SimRequireIrql(DISPATCH_LEVEL, "NdisAdvanceNetBufferDataStart");
    if (dataOffsetDelta > netBuffer->DataLength) {
        SimBugCheck("NdisAdvanceNetBufferDataStart by %lu bytes past the %lu bytes of data in the NET_BUFFER",
                    (unsigned long)dataOffsetDelta, (unsigned long)netBuffer->DataLength);
    }
    netBuffer->DataOffset += dataOffsetDelta;
    netBuffer->CurrentMdlOffset = netBuffer->DataOffset;
    netBuffer->DataLength -= dataOffsetDelta;
}

PVOID NdisGetDataBuffer(NET_BUFFER* netBuffer, ULONG bytesNeeded, PVOID storage, ULONG alignMultiple,
                        ULONG alignOffset)
{
    UNREFERENCED_PARAMETER(storage);
    UNREFERENCED_PARAMETER(alignMultiple);
    UNREFERENCED_PARAMETER(alignOffset);

    SimRequireIrql(DISPATCH_LEVEL, "NdisGetDataBuffer");
    if (netBuffer->CurrentMdl == NULL || bytesNeeded > netBuffer->DataLength) {
        return NULL;
    }
    return (UINT8*)netBuffer->CurrentMdl->MappedSystemVa + netBuffer->DataOffset;
}

NTSTATUS NTAPI FwpsAllocateCloneNetBufferList0(NET_BUFFER_LIST* originalNetBufferList,
                                               NDIS_HANDLE netBufferListPoolHandle, NDIS_HANDLE netBufferPoolHandle,
                                               ULONG allocateCloneFlags, NET_BUFFER_LIST** netBufferList)
{
    SIM_NBL* original = SimNblOf(originalNetBufferList, "FwpsAllocateCloneNetBufferList0");
    SIM_NBL* clone;

    UNREFERENCED_PARAMETER(netBufferListPoolHandle);
    UNREFERENCED_PARAMETER(netBufferPoolHandle);

    SimRequireIrql(DISPATCH_LEVEL, "FwpsAllocateCloneNetBufferList0");
    *netBufferList = NULL;
    if (allocateCloneFlags != 0) {
        SimWarning("FwpsAllocateCloneNetBufferList0 with allocateCloneFlags 0x%lx: no flags are defined, callout "
                   "drivers should pass zero", (unsigned long)allocateCloneFlags);
    }
    if (SimFaultShouldFail("FwpsAllocateCloneNetBufferList0")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    clone = SimNblNew(original->data, SIM_NBL_CLONE);
    clone->nb.DataOffset = original->nb.DataOffset;
    clone->nb.DataLength = original->nb.DataLength;
    clone->nb.CurrentMdlOffset = original->nb.DataOffset;
    clone->nbl.ParentNetBufferList = &original->nbl;
    original->nbl.ChildRefCount++;
    *netBufferList = &clone->nbl;
    return STATUS_SUCCESS;
}

void NTAPI FwpsFreeCloneNetBufferList0(NET_BUFFER_LIST* netBufferList, ULONG freeCloneFlags)
{
    SIM_NBL* clone = SimNblOf(netBufferList, "FwpsFreeCloneNetBufferList0");
    SIM_NBL* parent;

    UNREFERENCED_PARAMETER(freeCloneFlags);

    SimRequireIrql(DISPATCH_LEVEL, "FwpsFreeCloneNetBufferList0");
    if (clone->kind != SIM_NBL_CLONE) {
        SimBugCheck("FwpsFreeCloneNetBufferList0 on a NET_BUFFER_LIST that is not a clone: WFP owns the packets it "
                    "indicates");
    }
    if (clone->injectionPending) {
        SimBugCheck("FwpsFreeCloneNetBufferList0 on a clone whose injection has not completed: free it in the "
                    "completion function (or at once only when the FwpsInject* call failed)");
    }
    if (clone->nbl.ChildRefCount != 0) {
        SimViolation("FwpsFreeCloneNetBufferList0 on a clone that still has %ld clone(s) of its own outstanding: "
                     "they describe its data (ChildRefCount, FwpsAllocateCloneNetBufferList0)",
                     (long)clone->nbl.ChildRefCount);
    }
    clone->freed = TRUE;
    parent = SimNblOf(clone->nbl.ParentNetBufferList, "FwpsFreeCloneNetBufferList0 (the parent)");
    parent->nbl.ChildRefCount--;
    SimNblRelease(parent);
}

void NTAPI FwpsReferenceNetBufferList0(NET_BUFFER_LIST* netBufferList, BOOLEAN intendToModify)
{
    UNREFERENCED_PARAMETER(intendToModify);

    SimRequireIrql(DISPATCH_LEVEL, "FwpsReferenceNetBufferList0");
    SimNblOf(netBufferList, "FwpsReferenceNetBufferList0")->references++;
}

void NTAPI FwpsDereferenceNetBufferList0(NET_BUFFER_LIST* netBufferList, BOOLEAN dispatchLevel)
{
    SIM_NBL* nbl = SimNblOf(netBufferList, "FwpsDereferenceNetBufferList0");

    UNREFERENCED_PARAMETER(dispatchLevel);

    SimRequireIrql(DISPATCH_LEVEL, "FwpsDereferenceNetBufferList0");
    if (nbl->references == 0) {
        SimBugCheck("FwpsDereferenceNetBufferList0 without a FwpsReferenceNetBufferList0 to match");
    }
    nbl->references--;
    SimNblRelease(nbl);
}

void SimNblCheckClean(const char* when)
{
    for (ULONG i = 0; i < SimNblCount; i++) {
        const SIM_NBL* nbl = SimNbls[i];

        if (nbl->kind == SIM_NBL_CLONE && !nbl->freed) {
            SimBugCheck("clone leak %s: a NET_BUFFER_LIST from FwpsAllocateCloneNetBufferList0 was never freed "
                        "with FwpsFreeCloneNetBufferList0", when);
        }
        if (nbl->kind == SIM_NBL_ORIGINAL && nbl->references != 0) {
            SimBugCheck("packet reference leak %s: FwpsReferenceNetBufferList0 without "
                        "FwpsDereferenceNetBufferList0", when);
        }
    }
}

//
// Kernel byte-order routines (wdm.h, RtlUlongByteSwap and RtlUshortByteSwap).
//
ULONG FASTCALL RtlUlongByteSwap(ULONG source)
{
    return (source >> 24) | ((source >> 8) & 0xFF00u) | ((source << 8) & 0xFF0000u) | (source << 24);
}

USHORT FASTCALL RtlUshortByteSwap(USHORT source)
{
    return (USHORT)((source >> 8) | (source << 8));
}
