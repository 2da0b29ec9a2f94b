//
// reinject.c - clone, inspect out of line, and inject back.
//
// The rules followed, all from Microsoft Learn unless another source is named:
// - "Processing Classify Callouts Asynchronously": at a packet layer the
//   classifyFn returns FWP_ACTION_BLOCK with FWPS_CLASSIFY_OUT_FLAG_ABSORB and
//   keeps a clone; the work ends by injecting the clone or silently dropping
//   it. Packets flagged FWPS_METADATA_FIELD_ALE_CLASSIFY_REQUIRED belong to
//   ALE_AUTH_RECV_ACCEPT and are let through here.
// - FwpsInjectTransportReceiveAsync0: tunnel-mode IPsec packets that are not
//   yet detunneled (FwpsGetPacketListSecurityInformation0: isTunnelMode and
//   not isDeTunneled) must not be intercepted; the injected data must begin
//   with the IP header; interface and subinterface index come from the
//   classify's incoming values.
// - "Data Offset Positions": the inbound transport layers indicate the data
//   after the transport header, the inbound IP packet layers after the IP
//   header; the outbound transport layers at the transport header, the
//   outbound IP packet layers at the IP header. So an inbound clone is taken
//   after retreating by ipHeaderSize (+ transportHeaderSize), and the
//   original is advanced back before classifyFn returns (as the inspect
//   sample's TLInspectCloneReinjectInbound does).
// - FwpsInjectTransportSendAsync0: the endpoint handle and the
//   FWPS_TRANSPORT_SEND_PARAMS0 members come from the classify's metadata.
// - The injection calls: "If the return value is not STATUS_SUCCESS, the
//   completion function will not be called", so the clone is freed at once;
//   otherwise the completion function frees it (FwpsFreeCloneNetBufferList0)
//   and NET_BUFFER_LIST.Status tells whether the injection worked.
// - FwpsQueryPacketInjectionState0: "The injected packet can be indicated to
//   the callout driver again"; packets injected by this driver's handle
//   (INJECTED_BY_SELF, PREVIOUSLY_INJECTED_BY_SELF) pass untouched.
// - FwpsInjectionHandleDestroy0 "will not return to the caller until all
//   pending injections are completed", so unload destroys the handles after
//   the work item is idle: by then every injection has been started, and
//   destroying the handles waits for the last completion.
// - FwpsConstructIpHeaderForTransportPacket0: an IPsec-protected inbound
//   packet keeps its AH/ESP header at these layers and must have its IP
//   header rebuilt before it is injected (the inspect sample).
// - IoFreeWorkItem: "Only free a work item that is not currently queued."
//

#include "driver.h"
#include "reinject.h"
#include "channel.h"

// One pool tag for a captured packet and the control data copied with it.
#define REINJECT_PACKET_TAG 'PooW'

#define REINJECT_NO_FIELD 0xFFFF

//
// Which injection call a captured packet needs.
//
typedef enum _REINJECT_PATH {
    REINJECT_TRANSPORT_SEND,        // FwpsInjectTransportSendAsync0
    REINJECT_TRANSPORT_RECEIVE,     // FwpsInjectTransportReceiveAsync0
    REINJECT_NETWORK_SEND,          // FwpsInjectNetworkSendAsync0
    REINJECT_NETWORK_RECEIVE        // FwpsInjectNetworkReceiveAsync0
} REINJECT_PATH;

//
// One injection handle per address family and injection type in use:
// FwpsQueryPacketInjectionState0 recognises only the packets injected
// through the handle it is given.
//
typedef enum _REINJECT_HANDLE_INDEX {
    REINJECT_HANDLE_TRANSPORT_V4,
    REINJECT_HANDLE_TRANSPORT_V6,
    REINJECT_HANDLE_NETWORK_V4,
    REINJECT_HANDLE_COUNT
} REINJECT_HANDLE_INDEX;

static const struct {
    ADDRESS_FAMILY AddressFamily;
    UINT32 InjectionType;
} ReinjectHandleTypes[REINJECT_HANDLE_COUNT] = {
    { AF_INET, FWPS_INJECTION_TYPE_TRANSPORT },
    { AF_INET6, FWPS_INJECTION_TYPE_TRANSPORT },
    { AF_INET, FWPS_INJECTION_TYPE_NETWORK },
};

//
// Where each capturing callout finds what its injection needs.
//
typedef struct _REINJECT_LAYER {
    CALLOUT_INDEX Callout;
    UINT16 LayerId;
    REINJECT_HANDLE_INDEX Handle;
    ADDRESS_FAMILY AddressFamily;
    REINJECT_PATH Path;             // at DATAGRAM_DATA: the outbound path
    UINT16 LocalAddressField;
    UINT16 RemoteAddressField;
    UINT16 ProtocolField;           // REINJECT_NO_FIELD at the IP packet layers
    UINT16 InterfaceIndexField;
    UINT16 SubInterfaceIndexField;
    UINT16 FlagsField;
    UINT16 DirectionField;          // DATAGRAM_DATA only
} REINJECT_LAYER;

static const REINJECT_LAYER ReinjectLayers[] = {
    {
        CALLOUT_CONNECT_V4, FWPS_LAYER_ALE_AUTH_CONNECT_V4, REINJECT_HANDLE_TRANSPORT_V4, AF_INET, REINJECT_TRANSPORT_SEND,
        FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_LOCAL_ADDRESS, FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_REMOTE_ADDRESS,
        FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_PROTOCOL,
        FWPS_FIELD_ALE_AUTH_CONNECT_V4_INTERFACE_INDEX, FWPS_FIELD_ALE_AUTH_CONNECT_V4_SUB_INTERFACE_INDEX,
        FWPS_FIELD_ALE_AUTH_CONNECT_V4_FLAGS, REINJECT_NO_FIELD,
    },
    {
        CALLOUT_RECV_ACCEPT_V6, FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V6, REINJECT_HANDLE_TRANSPORT_V6, AF_INET6, REINJECT_TRANSPORT_RECEIVE,
        FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_LOCAL_ADDRESS, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_REMOTE_ADDRESS,
        FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_PROTOCOL,
        FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_INTERFACE_INDEX, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_SUB_INTERFACE_INDEX,
        FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_FLAGS, REINJECT_NO_FIELD,
    },
    {
        CALLOUT_TRANSPORT_OUT_V4, FWPS_LAYER_OUTBOUND_TRANSPORT_V4, REINJECT_HANDLE_TRANSPORT_V4, AF_INET, REINJECT_TRANSPORT_SEND,
        FWPS_FIELD_OUTBOUND_TRANSPORT_V4_IP_LOCAL_ADDRESS, FWPS_FIELD_OUTBOUND_TRANSPORT_V4_IP_REMOTE_ADDRESS,
        FWPS_FIELD_OUTBOUND_TRANSPORT_V4_IP_PROTOCOL,
        FWPS_FIELD_OUTBOUND_TRANSPORT_V4_INTERFACE_INDEX, FWPS_FIELD_OUTBOUND_TRANSPORT_V4_SUB_INTERFACE_INDEX,
        FWPS_FIELD_OUTBOUND_TRANSPORT_V4_FLAGS, REINJECT_NO_FIELD,
    },
    {
        CALLOUT_TRANSPORT_IN_V6, FWPS_LAYER_INBOUND_TRANSPORT_V6, REINJECT_HANDLE_TRANSPORT_V6, AF_INET6, REINJECT_TRANSPORT_RECEIVE,
        FWPS_FIELD_INBOUND_TRANSPORT_V6_IP_LOCAL_ADDRESS, FWPS_FIELD_INBOUND_TRANSPORT_V6_IP_REMOTE_ADDRESS,
        FWPS_FIELD_INBOUND_TRANSPORT_V6_IP_PROTOCOL,
        FWPS_FIELD_INBOUND_TRANSPORT_V6_INTERFACE_INDEX, FWPS_FIELD_INBOUND_TRANSPORT_V6_SUB_INTERFACE_INDEX,
        FWPS_FIELD_INBOUND_TRANSPORT_V6_FLAGS, REINJECT_NO_FIELD,
    },
    {
        CALLOUT_IP_PACKET_OUT_V4, FWPS_LAYER_OUTBOUND_IPPACKET_V4, REINJECT_HANDLE_NETWORK_V4, AF_INET, REINJECT_NETWORK_SEND,
        FWPS_FIELD_OUTBOUND_IPPACKET_V4_IP_LOCAL_ADDRESS, FWPS_FIELD_OUTBOUND_IPPACKET_V4_IP_REMOTE_ADDRESS,
        REINJECT_NO_FIELD,
        FWPS_FIELD_OUTBOUND_IPPACKET_V4_INTERFACE_INDEX, FWPS_FIELD_OUTBOUND_IPPACKET_V4_SUB_INTERFACE_INDEX,
        FWPS_FIELD_OUTBOUND_IPPACKET_V4_FLAGS, REINJECT_NO_FIELD,
    },
};

struct _REINJECT_PACKET {
    LIST_ENTRY Link;                // in ReinjectQueue while it waits
    const REINJECT_LAYER* Layer;
    REINJECT_PATH Path;
    NET_BUFFER_LIST* Clone;
    COMPARTMENT_ID CompartmentId;
    UINT8 LocalAddress[16];         // network byte order
    UINT8 RemoteAddress[16];        // network byte order
    UINT8 Protocol;
    // Sends
    UINT64 EndpointHandle;
    SCOPE_ID RemoteScopeId;
    WSACMSGHDR* ControlData;        // copied behind this structure
    ULONG ControlDataLength;
    // Receives
    IF_INDEX InterfaceIndex;
    IF_INDEX SubInterfaceIndex;
    BOOLEAN RebuildIpHeader;        // IPsec-protected: AH/ESP still in the packet
    ULONG IpHeaderSize;
};

static KSPIN_LOCK ReinjectLock;             // guards everything below
static REINJECT_COUNTERS ReinjectCount;
static HANDLE ReinjectHandles[REINJECT_HANDLE_COUNT];
static LIST_ENTRY ReinjectQueue;
static ULONG ReinjectQueueLength;
static BOOLEAN ReinjectWorkerQueued;        // the work item is queued or running
static BOOLEAN ReinjectStopping;
static KEVENT ReinjectWorkerIdle;           // signaled while the work item is neither queued nor running
static PIO_WORKITEM ReinjectWorkItem;

static IO_WORKITEM_ROUTINE ReinjectWorker;

_IRQL_requires_max_(DISPATCH_LEVEL)
static
const REINJECT_LAYER*
ReinjectLayerOf(
    _In_ CALLOUT_INDEX callout
    )
{
    for (ULONG i = 0; i < RTL_NUMBER_OF(ReinjectLayers); i++) {
        if (ReinjectLayers[i].Callout == callout) {
            return &ReinjectLayers[i];
        }
    }
    return NULL;
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ReinjectCountAdd(
    _Inout_ UINT64* counter
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;

    KeAcquireInStackQueuedSpinLock(&ReinjectLock, &lockHandle);
    (*counter)++;
    KeReleaseInStackQueuedSpinLock(&lockHandle);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
const FWP_VALUE0*
ReinjectGetValue(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ UINT16 fieldIndex,
    _In_ FWP_DATA_TYPE type
    )
{
    const FWP_VALUE0* value;

    if (fieldIndex == REINJECT_NO_FIELD || fieldIndex >= inFixedValues->valueCount) {
        return NULL;
    }
    value = &inFixedValues->incomingValue[fieldIndex].value;
    return (value->type == type) ? value : NULL;
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
UINT32
ReinjectGetUint32(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ UINT16 fieldIndex
    )
{
    const FWP_VALUE0* value = ReinjectGetValue(inFixedValues, fieldIndex, FWP_UINT32);

    return (value != NULL) ? value->uint32 : 0;
}

//
// An address as the injection calls want it: in network byte order. WFP
// gives IPv4 addresses as host-order UINT32s and IPv6 addresses as bytes.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ReinjectCopyAddress(
    _In_ const REINJECT_LAYER* layer,
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ UINT16 fieldIndex,
    _Out_writes_bytes_(16) UINT8* address
    )
{
    const FWP_VALUE0* value;
    UINT32 networkOrder;

    RtlZeroMemory(address, 16);
    if (layer->AddressFamily == AF_INET6) {
        value = ReinjectGetValue(inFixedValues, fieldIndex, FWP_BYTE_ARRAY16_TYPE);
        if (value != NULL) {
            RtlCopyMemory(address, value->byteArray16->byteArray16, 16);
        }
        return;
    }
    value = ReinjectGetValue(inFixedValues, fieldIndex, FWP_UINT32);
    if (value != NULL) {
        networkOrder = RtlUlongByteSwap(value->uint32);
        RtlCopyMemory(address, &networkOrder, sizeof(networkOrder));
    }
}

//
// At DATAGRAM_DATA one layer carries both directions.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
REINJECT_PATH
ReinjectPathOf(
    _In_ const REINJECT_LAYER* layer,
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues
    )
{
    if (layer->DirectionField != REINJECT_NO_FIELD &&
        ReinjectGetUint32(inFixedValues, layer->DirectionField) == FWP_DIRECTION_INBOUND) {
        return REINJECT_TRANSPORT_RECEIVE;
    }
    return layer->Path;
}

//
// How far in front of the indicated data the injection wants the clone to
// start, or FALSE when the metadata needed to inject is missing.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
BOOLEAN
ReinjectCanInject(
    _In_ REINJECT_PATH path,
    _In_ const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    _Out_ ULONG* retreat
    )
{
    *retreat = 0;
    switch (path) {
    case REINJECT_TRANSPORT_SEND:
        //
        // A raw-socket datagram carries its own IP header (ipHeaderSize
        // above 0) and would have to be injected from it
        // (FwpsInjectTransportSendAsync0); this driver leaves such packets
        // alone.
        //
        if (FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_IP_HEADER_SIZE) &&
            inMetaValues->ipHeaderSize != 0) {
            return FALSE;
        }
        return FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_TRANSPORT_ENDPOINT_HANDLE);
    case REINJECT_TRANSPORT_RECEIVE:
        if (!FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_IP_HEADER_SIZE) ||
            !FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_TRANSPORT_HEADER_SIZE)) {
            return FALSE;
        }
        *retreat = inMetaValues->ipHeaderSize + inMetaValues->transportHeaderSize;
        return TRUE;
    case REINJECT_NETWORK_RECEIVE:
        if (!FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_IP_HEADER_SIZE)) {
            return FALSE;
        }
        *retreat = inMetaValues->ipHeaderSize;
        return TRUE;
    default:
        return TRUE;
    }
}

//
// Clones the packet starting retreat bytes before the indicated data. The
// clone keeps the offset it was made at; the original goes back to where
// WFP indicated it before classifyFn returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
ReinjectCloneAt(
    _Inout_ NET_BUFFER_LIST* packet,
    _In_ ULONG retreat,
    _Outptr_ NET_BUFFER_LIST** clone
    )
{
    NET_BUFFER* first = NET_BUFFER_LIST_FIRST_NB(packet);
    NTSTATUS status;

    *clone = NULL;
    if (retreat != 0 && NdisRetreatNetBufferDataStart(first, retreat, 0, NULL) != NDIS_STATUS_SUCCESS) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    status = FwpsAllocateCloneNetBufferList0(packet, NULL, NULL, 0, clone);
    if (retreat != 0) {
        NdisAdvanceNetBufferDataStart(first, retreat, FALSE, NULL);
    }
    return status;
}

//
// Copies what a send needs: the endpoint, the remote scope and the control
// data all die with the classify.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ReinjectCopySendMetadata(
    _Inout_ REINJECT_PACKET* captured,
    _In_ const FWPS_INCOMING_METADATA_VALUES0* inMetaValues
    )
{
    captured->EndpointHandle = inMetaValues->transportEndpointHandle;
    if (FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_REMOTE_SCOPE_ID)) {
        captured->RemoteScopeId = inMetaValues->remoteScopeId;
    }
    if (captured->ControlDataLength != 0) {
        captured->ControlData = (WSACMSGHDR*)(captured + 1);
        RtlCopyMemory(captured->ControlData, inMetaValues->controlData, captured->ControlDataLength);
    }
}

_Use_decl_annotations_
NTSTATUS
ReinjectCapture(
    CALLOUT_INDEX callout,
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    NET_BUFFER_LIST* packet,
    REINJECT_PACKET** captured
    )
{
    const REINJECT_LAYER* layer = ReinjectLayerOf(callout);
    REINJECT_PACKET* result;
    REINJECT_PATH path;
    ULONG controlDataLength = 0;
    ULONG retreat;
    NTSTATUS status;

    *captured = NULL;
    if (layer == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    path = ReinjectPathOf(layer, inFixedValues);
    if (!ReinjectCanInject(path, inMetaValues, &retreat)) {
        return STATUS_NOT_SUPPORTED;
    }
    if (path == REINJECT_TRANSPORT_SEND &&
        FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_TRANSPORT_CONTROL_DATA)) {
        controlDataLength = inMetaValues->controlDataLength;
    }

    result = PoolAllocateNonPaged(sizeof(*result) + controlDataLength, REINJECT_PACKET_TAG);
    if (result == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    result->Layer = layer;
    result->Path = path;
    result->ControlDataLength = controlDataLength;
    result->CompartmentId = FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_COMPARTMENT_ID)
                                ? (COMPARTMENT_ID)inMetaValues->compartmentId
                                : UNSPECIFIED_COMPARTMENT_ID;
    ReinjectCopyAddress(layer, inFixedValues, layer->LocalAddressField, result->LocalAddress);
    ReinjectCopyAddress(layer, inFixedValues, layer->RemoteAddressField, result->RemoteAddress);
    if (layer->ProtocolField != REINJECT_NO_FIELD) {
        const FWP_VALUE0* protocol = ReinjectGetValue(inFixedValues, layer->ProtocolField, FWP_UINT8);

        result->Protocol = (protocol != NULL) ? protocol->uint8 : 0;
    }
    if (path == REINJECT_TRANSPORT_SEND) {
        ReinjectCopySendMetadata(result, inMetaValues);
    } else if (path == REINJECT_TRANSPORT_RECEIVE || path == REINJECT_NETWORK_RECEIVE) {
        result->InterfaceIndex = ReinjectGetUint32(inFixedValues, layer->InterfaceIndexField);
        result->SubInterfaceIndex = ReinjectGetUint32(inFixedValues, layer->SubInterfaceIndexField);
        result->RebuildIpHeader = (BOOLEAN)(path == REINJECT_TRANSPORT_RECEIVE &&
            (ReinjectGetUint32(inFixedValues, layer->FlagsField) & FWP_CONDITION_FLAG_IS_IPSEC_SECURED) != 0);
        result->IpHeaderSize = inMetaValues->ipHeaderSize;
    }

    status = ReinjectCloneAt(packet, retreat, &result->Clone);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(result, REINJECT_PACKET_TAG);
        return status;
    }
    *captured = result;
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
NET_BUFFER_LIST*
ReinjectClone(
    const REINJECT_PACKET* captured
    )
{
    return captured->Clone;
}

_Use_decl_annotations_
void
ReinjectDiscard(
    REINJECT_PACKET* captured
    )
{
    FwpsFreeCloneNetBufferList0(captured->Clone, 0);
    ExFreePoolWithTag(captured, REINJECT_PACKET_TAG);
}

//
// The end of every injection that started: the clone is freed here, and
// only here.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
NTAPI
ReinjectInjectComplete(
    _In_ void* context,
    _Inout_ NET_BUFFER_LIST* netBufferList,
    _In_ BOOLEAN dispatchLevel
    )
{
    REINJECT_PACKET* captured = context;

    UNREFERENCED_PARAMETER(dispatchLevel);
    NT_ASSERT(netBufferList == captured->Clone);

    if (NT_SUCCESS(NET_BUFFER_LIST_STATUS(netBufferList))) {
        ReinjectCountAdd(&ReinjectCount.Injected);
    } else {
        ReinjectCountAdd(&ReinjectCount.InjectFailed);
        DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_WARNING_LEVEL,
                   "WoodgroveGuard: injection completed with 0x%08lX\n",
                   (ULONG)NET_BUFFER_LIST_STATUS(netBufferList));
    }
    ReinjectDiscard(captured);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
ReinjectStartInjection(
    _Inout_ REINJECT_PACKET* captured
    )
{
    const REINJECT_LAYER* layer = captured->Layer;
    HANDLE injectionHandle = ReinjectHandles[layer->Handle];
    FWPS_TRANSPORT_SEND_PARAMS0 sendArgs;

    switch (captured->Path) {
    case REINJECT_TRANSPORT_SEND:
        RtlZeroMemory(&sendArgs, sizeof(sendArgs));
        sendArgs.remoteAddress = captured->RemoteAddress;
        sendArgs.remoteScopeId = captured->RemoteScopeId;
        sendArgs.controlData = captured->ControlData;
        sendArgs.controlDataLength = captured->ControlDataLength;
        return FwpsInjectTransportSendAsync0(injectionHandle, NULL, captured->EndpointHandle, 0, &sendArgs,
                                             layer->AddressFamily, captured->CompartmentId, captured->Clone,
                                             ReinjectInjectComplete, captured);
    case REINJECT_TRANSPORT_RECEIVE:
        return FwpsInjectTransportReceiveAsync0(injectionHandle, NULL, NULL, 0, layer->AddressFamily,
                                                captured->CompartmentId, captured->InterfaceIndex,
                                                captured->SubInterfaceIndex, captured->Clone,
                                                ReinjectInjectComplete, captured);
    case REINJECT_NETWORK_SEND:
        return FwpsInjectNetworkSendAsync0(injectionHandle, NULL, 0, captured->CompartmentId, captured->Clone,
                                           ReinjectInjectComplete, captured);
    default:
        return FwpsInjectNetworkReceiveAsync0(injectionHandle, NULL, 0, captured->CompartmentId,
                                              captured->InterfaceIndex, captured->SubInterfaceIndex,
                                              captured->Clone, ReinjectInjectComplete, captured);
    }
}

_Use_decl_annotations_
NTSTATUS
ReinjectSend(
    REINJECT_PACKET* captured
    )
{
    NTSTATUS status = STATUS_SUCCESS;

    if (captured->RebuildIpHeader) {
        //
        // The stack leaves AH/ESP in an IPsec-protected packet at these
        // layers; it cannot be received again until the IP header is
        // rebuilt without them. The packet came in, so its source is the
        // remote address.
        //
        status = FwpsConstructIpHeaderForTransportPacket0(captured->Clone, captured->IpHeaderSize,
                                                          captured->Layer->AddressFamily,
                                                          captured->RemoteAddress, captured->LocalAddress,
                                                          (IPPROTO)captured->Protocol, 0, NULL, 0, 0, NULL, 0, 0);
    }
    if (NT_SUCCESS(status)) {
        status = ReinjectStartInjection(captured);
    }
    if (!NT_SUCCESS(status)) {
        //
        // No completion comes for an injection that did not start.
        //
        ReinjectCountAdd(&ReinjectCount.InjectFailed);
        DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_WARNING_LEVEL,
                   "WoodgroveGuard: injection failed, 0x%08lX\n", (ULONG)status);
        ReinjectDiscard(captured);
    }
    return status;
}

_Use_decl_annotations_
BOOLEAN
ReinjectIsOwnPacket(
    CALLOUT_INDEX callout,
    const NET_BUFFER_LIST* packet
    )
{
    const REINJECT_LAYER* layer = ReinjectLayerOf(callout);
    FWPS_PACKET_INJECTION_STATE state;

    if (layer == NULL) {
        return FALSE;
    }
    state = FwpsQueryPacketInjectionState0(ReinjectHandles[layer->Handle], packet, NULL);
    return (BOOLEAN)(state == FWPS_PACKET_INJECTED_BY_SELF || state == FWPS_PACKET_PREVIOUSLY_INJECTED_BY_SELF);
}
//
// Packets that are not this driver's to hold: the asynchronous-processing
// page leaves packets that still need ALE authorization to
// ALE_AUTH_RECV_ACCEPT, and FwpsInjectTransportReceiveAsync0 forbids
// intercepting tunnel-mode IPsec packets before they are detunneled.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
BOOLEAN
ReinjectMustPass(
    _In_ const REINJECT_LAYER* layer,
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    _In_ NET_BUFFER_LIST* packet
    )
{
    FWPS_PACKET_LIST_INFORMATION0 information;
    REINJECT_PATH path = ReinjectPathOf(layer, inFixedValues);
    ULONG retreat;

    if (FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_ALE_CLASSIFY_REQUIRED) ||
        !ReinjectCanInject(path, inMetaValues, &retreat)) {
        return TRUE;
    }
    if (path != REINJECT_TRANSPORT_RECEIVE && path != REINJECT_NETWORK_RECEIVE) {
        return FALSE;
    }
    RtlZeroMemory(&information, sizeof(information));
    if (!NT_SUCCESS(FwpsGetPacketListSecurityInformation0(
            packet, FWPS_PACKET_LIST_INFORMATION_QUERY_IPSEC | FWPS_PACKET_LIST_INFORMATION_QUERY_INBOUND,
            &information))) {
        return FALSE;
    }
    return (BOOLEAN)(information.ipsecInformation.inbound.isTunnelMode &&
                     !information.ipsecInformation.inbound.isDeTunneled);
}

//
// Hands a clone to the work item. FALSE when it cannot wait: the queue is
// full or the driver is unloading.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
BOOLEAN
ReinjectEnqueue(
    _Inout_ REINJECT_PACKET* captured
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;
    BOOLEAN queued = FALSE;

    KeAcquireInStackQueuedSpinLock(&ReinjectLock, &lockHandle);
    if (!ReinjectStopping && ReinjectQueueLength < REINJECT_QUEUE_LIMIT) {
        InsertTailList(&ReinjectQueue, &captured->Link);
        ReinjectQueueLength++;
        ReinjectCount.Queued++;
        queued = TRUE;
        if (!ReinjectWorkerQueued) {
            //
            // The work item is neither queued nor running (IoQueueWorkItem
            // must not be given a work item that is still queued).
            //
            ReinjectWorkerQueued = TRUE;
            KeClearEvent(&ReinjectWorkerIdle);
            IoQueueWorkItem(ReinjectWorkItem, ReinjectWorker, DelayedWorkQueue, NULL);
        }
    }
    KeReleaseInStackQueuedSpinLock(&lockHandle);
    return queued;
}

//
// A packet held back and then dropped, without its inspection: no memory, the
// queue full or the driver unloading.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ReinjectDropped(
    _In_ CALLOUT_INDEX callout
    )
{
    ReinjectCountAdd(&ReinjectCount.Dropped);
    ChannelCountClassify(callout, FWP_ACTION_BLOCK);
}

_Use_decl_annotations_
BOOLEAN
ReinjectClassify(
    CALLOUT_INDEX callout,
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    NET_BUFFER_LIST* packet,
    FWP_ACTION_TYPE filterAction,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    const REINJECT_LAYER* layer = ReinjectLayerOf(callout);
    REINJECT_PACKET* captured;

    //
    // Absorbing is a block: it needs the write right, and an inspection
    // filter may not block at all.
    //
    if (layer == NULL || packet == NULL || (classifyOut->rights & FWPS_RIGHT_ACTION_WRITE) == 0 ||
        filterAction == FWP_ACTION_CALLOUT_INSPECTION) {
        return FALSE;
    }
    if (ReinjectIsOwnPacket(callout, packet) || ReinjectMustPass(layer, inFixedValues, inMetaValues, packet)) {
        return FALSE;
    }

    //
    // From here the original is absorbed, whatever becomes of its clone. A
    // packet that cannot wait (no memory, the queue full, unloading) is
    // dropped rather than let through uninspected: dropping silently is one
    // of the two ways the asynchronous-processing page lets the work end,
    // and TCP sends a dropped segment again. Letting it pass instead would
    // mean a packet <Callout>Inspect never saw.
    //
    if (!NT_SUCCESS(ReinjectCapture(callout, inFixedValues, inMetaValues, packet, &captured))) {
        ReinjectDropped(callout);
    } else if (!ReinjectEnqueue(captured)) {
        ReinjectDiscard(captured);
        ReinjectDropped(callout);
    }
    classifyOut->actionType = FWP_ACTION_BLOCK;
    classifyOut->rights &= ~(UINT32)FWPS_RIGHT_ACTION_WRITE;
    classifyOut->flags |= FWPS_CLASSIFY_OUT_FLAG_ABSORB;
    return TRUE;
}

_IRQL_requires_(PASSIVE_LEVEL)
static
FWP_ACTION_TYPE
ReinjectInspect(
    _In_ const REINJECT_INSPECTION* inspection
    )
{
    switch (inspection->Callout) {
    case CALLOUT_TRANSPORT_OUT_V4:
        return TransportOutV4Inspect(inspection);
    case CALLOUT_TRANSPORT_IN_V6:
        return TransportInV6Inspect(inspection);
    case CALLOUT_IP_PACKET_OUT_V4:
        return IpPacketOutV4Inspect(inspection);
    default:
        return FWP_ACTION_BLOCK;
    }
}

//
// Inspects one clone, then injects it back or drops it.
//
_IRQL_requires_(PASSIVE_LEVEL)
static
void
ReinjectProcess(
    _In_ REINJECT_PACKET* captured
    )
{
    REINJECT_INSPECTION inspection;
    FWP_ACTION_TYPE verdict;

    inspection.Callout = captured->Layer->Callout;
    inspection.LayerId = captured->Layer->LayerId;
    inspection.Direction = (captured->Path == REINJECT_TRANSPORT_SEND || captured->Path == REINJECT_NETWORK_SEND)
                               ? FWP_DIRECTION_OUTBOUND
                               : FWP_DIRECTION_INBOUND;
    inspection.AddressFamily = captured->Layer->AddressFamily;
    inspection.Packet = captured->Clone;

    verdict = ReinjectInspect(&inspection);

    //
    // The channel's statistics count a held packet once its inspection has
    // decided, with that verdict.
    //
    ChannelCountClassify(inspection.Callout, verdict);
    if (verdict == FWP_ACTION_PERMIT) {
        (void)ReinjectSend(captured);
    } else {
        ReinjectCountAdd(&ReinjectCount.Dropped);
        ReinjectDiscard(captured);
    }
}

//
// The work item: empties the queue, then marks itself idle. Classify queues
// it again for the next packet.
//
_Use_decl_annotations_
static
void
ReinjectWorker(
    DEVICE_OBJECT* deviceObject,
    void* context
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;
    LIST_ENTRY* entry;

    UNREFERENCED_PARAMETER(deviceObject);
    UNREFERENCED_PARAMETER(context);

    for (;;) {
        KeAcquireInStackQueuedSpinLock(&ReinjectLock, &lockHandle);
        if (IsListEmpty(&ReinjectQueue)) {
            ReinjectWorkerQueued = FALSE;
            KeSetEvent(&ReinjectWorkerIdle, IO_NO_INCREMENT, FALSE);
            KeReleaseInStackQueuedSpinLock(&lockHandle);
            return;
        }
        entry = RemoveHeadList(&ReinjectQueue);
        ReinjectQueueLength--;
        KeReleaseInStackQueuedSpinLock(&lockHandle);

        ReinjectProcess(CONTAINING_RECORD(entry, REINJECT_PACKET, Link));
    }
}

_Use_decl_annotations_
NTSTATUS
ReinjectStart(
    DEVICE_OBJECT* deviceObject
    )
{
    NTSTATUS status;

    KeInitializeSpinLock(&ReinjectLock);
    RtlZeroMemory(&ReinjectCount, sizeof(ReinjectCount));
    RtlZeroMemory(ReinjectHandles, sizeof(ReinjectHandles));
    InitializeListHead(&ReinjectQueue);
    ReinjectQueueLength = 0;
    ReinjectWorkerQueued = FALSE;
    ReinjectStopping = FALSE;
    KeInitializeEvent(&ReinjectWorkerIdle, NotificationEvent, TRUE);

    ReinjectWorkItem = IoAllocateWorkItem(deviceObject);
    if (ReinjectWorkItem == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (ULONG i = 0; i < REINJECT_HANDLE_COUNT; i++) {
        status = FwpsInjectionHandleCreate0(ReinjectHandleTypes[i].AddressFamily,
                                            ReinjectHandleTypes[i].InjectionType, &ReinjectHandles[i]);
        if (!NT_SUCCESS(status)) {
            ReinjectHandles[i] = NULL;
            return status;
        }
    }
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
void
ReinjectStop(
    void
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;

    //
    // No new clone is queued from here on; the work item empties the queue
    // (inspecting and injecting what is left) and goes idle.
    //
    KeAcquireInStackQueuedSpinLock(&ReinjectLock, &lockHandle);
    ReinjectStopping = TRUE;
    KeReleaseInStackQueuedSpinLock(&lockHandle);
    (void)KeWaitForSingleObject(&ReinjectWorkerIdle, Executive, KernelMode, FALSE, NULL);

    if (ReinjectWorkItem != NULL) {
        IoFreeWorkItem(ReinjectWorkItem);
        ReinjectWorkItem = NULL;
    }

    //
    // Each destroy waits until the injections started through its handle
    // have completed, so every clone is freed when this returns.
    //
    for (ULONG i = 0; i < REINJECT_HANDLE_COUNT; i++) {
        if (ReinjectHandles[i] != NULL) {
            (void)FwpsInjectionHandleDestroy0(ReinjectHandles[i]);
            ReinjectHandles[i] = NULL;
        }
    }
}

_Use_decl_annotations_
void
ReinjectQueryCounters(
    REINJECT_COUNTERS* counters
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;

    KeAcquireInStackQueuedSpinLock(&ReinjectLock, &lockHandle);
    *counters = ReinjectCount;
    KeReleaseInStackQueuedSpinLock(&lockHandle);
}
