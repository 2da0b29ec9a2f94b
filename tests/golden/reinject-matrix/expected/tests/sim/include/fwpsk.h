// fwpsk.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/fwpsk.h): the simulation builds the driver against
// the same declarations, then what the simulation adds.
/*
 * wfpgen test stub: the WFP callout (run-time) API, <fwpsk.h>.
 *
 * Declaration-only stand-in for CI compile checks. Every declaration is
 * transcribed from the documented syntax on Microsoft Learn
 * (learn.microsoft.com/windows-hardware/drivers/ddi/fwpsk/<page>, named per
 * group) and wfp-facts.md sections 1-6; nothing is copied from a Microsoft
 * header. What a compiler can check is kept exact: parameter types and
 * const-ness (notifyFn gets a NON-const FWPS_FILTERn*, classifyFn a const
 * one), pointer typedefs for the callbacks, one distinct struct per version,
 * and the Windows version that introduced each name (NTDDI guards), so a
 * driver using a v3 API with a Windows 7 minimum fails here as with the kit.
 *
 * Version guards follow the real kit where it differs from the docs
 * (wfp-facts.md 1.1): FWPS_CALLOUT3 and the FN3 types need NTDDI_WIN10_RS3
 * while FwpsCalloutRegister3 is declared from NTDDI_WIN10_RS2, so compiling
 * for exactly RS2 fails in both.
 */
#ifndef WFPGEN_STUB_FWPSK_H
#define WFPGEN_STUB_FWPSK_H

#include <ntddk.h>
#include <ndis.h>
#include <ws2ipdef.h>
#include <netioapi.h>
#include <fwptypes.h>

#if (NTDDI_VERSION >= NTDDI_WIN6)

#include <fwpsk_layers.h>

/* ---- Incoming values: ddi/fwpsk/ns-fwpsk-fwps_incoming_value0_,
 *      ns-fwpsk-fwps_incoming_values0_ */
typedef struct FWPS_INCOMING_VALUE0_ {
    FWP_VALUE0 value;
} FWPS_INCOMING_VALUE0;

typedef struct FWPS_INCOMING_VALUES0_ {
    UINT16 layerId;
    UINT32 valueCount;
    FWPS_INCOMING_VALUE0 *incomingValue;
} FWPS_INCOMING_VALUES0;

/* ---- Metadata: network/metadata-field-identifiers (FWPS_METADATA_FIELD_*),
 *      ddi/fwpsk/nf-fwpsk-fwps_is_metadata_field_present (a macro),
 *      ddi/fwpsk/ne-fwpsk-fwps_discard_module0_, ns-fwpsk-fwps_discard_metadata0_,
 *      ns-fwpsk-fwps_inbound_fragment_metadata0_,
 *      ns-fwpsk-fwps_incoming_metadata_values0_ (members after
 *      packetDirection are Windows 7+, the L2/vSwitch block Windows 8+, the
 *      vSwitch port ids only with NDIS 6.30 support) */
#define FWPS_METADATA_FIELD_DISCARD_REASON 0x00000001
#define FWPS_METADATA_FIELD_FLOW_HANDLE 0x00000002
#define FWPS_METADATA_FIELD_IP_HEADER_SIZE 0x00000004
#define FWPS_METADATA_FIELD_PROCESS_PATH 0x00000008
#define FWPS_METADATA_FIELD_TOKEN 0x00000010
#define FWPS_METADATA_FIELD_PROCESS_ID 0x00000020
#define FWPS_METADATA_FIELD_SYSTEM_FLAGS 0x00000040
#define FWPS_METADATA_FIELD_RESERVED 0x00000080
#define FWPS_METADATA_FIELD_SOURCE_INTERFACE_INDEX 0x00000100
#define FWPS_METADATA_FIELD_DESTINATION_INTERFACE_INDEX 0x00000200
#define FWPS_METADATA_FIELD_TRANSPORT_HEADER_SIZE 0x00000400
#define FWPS_METADATA_FIELD_COMPARTMENT_ID 0x00000800
#define FWPS_METADATA_FIELD_FRAGMENT_DATA 0x00001000
#define FWPS_METADATA_FIELD_PATH_MTU 0x00002000
#define FWPS_METADATA_FIELD_COMPLETION_HANDLE 0x00004000
#define FWPS_METADATA_FIELD_TRANSPORT_ENDPOINT_HANDLE 0x00008000
#define FWPS_METADATA_FIELD_TRANSPORT_CONTROL_DATA 0x00010000
#define FWPS_METADATA_FIELD_REMOTE_SCOPE_ID 0x00020000
#define FWPS_METADATA_FIELD_PACKET_DIRECTION 0x00040000
#define FWPS_METADATA_FIELD_PACKET_SYSTEM_CRITICAL 0x00080000
#define FWPS_METADATA_FIELD_FORWARD_LAYER_OUTBOUND_PASS_THRU 0x00100000
#define FWPS_METADATA_FIELD_FORWARD_LAYER_INBOUND_PASS_THRU 0x00200000
#define FWPS_METADATA_FIELD_ALE_CLASSIFY_REQUIRED 0x00400000
#define FWPS_METADATA_FIELD_TRANSPORT_HEADER_INCLUDE_HEADER 0x00800000
#if (NTDDI_VERSION >= NTDDI_WIN7)
#define FWPS_METADATA_FIELD_DESTINATION_PREFIX 0x01000000
#define FWPS_METADATA_FIELD_ETHER_FRAME_LENGTH 0x02000000
#define FWPS_METADATA_FIELD_PARENT_ENDPOINT_HANDLE 0x04000000
#define FWPS_METADATA_FIELD_ICMP_ID_AND_SEQUENCE 0x08000000
#define FWPS_METADATA_FIELD_LOCAL_REDIRECT_TARGET_PID 0x10000000
#define FWPS_METADATA_FIELD_ORIGINAL_DESTINATION 0x20000000
#endif
#if (NTDDI_VERSION >= NTDDI_WIN8)
#define FWPS_METADATA_FIELD_REDIRECT_RECORD_HANDLE 0x40000000
#define FWPS_METADATA_FIELD_SUB_PROCESS_TAG 0x80000000
#endif

#define FWPS_IS_METADATA_FIELD_PRESENT(metadataValues, metadataField) \
    (((metadataValues)->currentMetadataValues & (metadataField)) == (metadataField))

typedef enum FWPS_DISCARD_MODULE0_ {
    FWPS_DISCARD_MODULE_NETWORK = 0,
    FWPS_DISCARD_MODULE_TRANSPORT = 1,
    FWPS_DISCARD_MODULE_GENERAL = 2,
    FWPS_DISCARD_MODULE_MAX = 3
} FWPS_DISCARD_MODULE0;

typedef struct FWPS_DISCARD_METADATA0_ {
    FWPS_DISCARD_MODULE0 discardModule;
    UINT32 discardReason;
    UINT64 filterId;
} FWPS_DISCARD_METADATA0;

typedef struct FWPS_INBOUND_FRAGMENT_METADATA0_ {
    UINT32 fragmentIdentification;
    UINT16 fragmentOffset;
    ULONG fragmentLength;
} FWPS_INBOUND_FRAGMENT_METADATA0;

typedef struct FWPS_INCOMING_METADATA_VALUES0_ {
    UINT32 currentMetadataValues;
    UINT32 flags;
    UINT64 reserved;
    FWPS_DISCARD_METADATA0 discardMetadata;
    UINT64 flowHandle;
    UINT32 ipHeaderSize;
    UINT32 transportHeaderSize;
    FWP_BYTE_BLOB *processPath;
    UINT64 token;
    UINT64 processId;
    UINT32 sourceInterfaceIndex;
    UINT32 destinationInterfaceIndex;
    ULONG compartmentId;
    FWPS_INBOUND_FRAGMENT_METADATA0 fragmentMetadata;
    ULONG pathMtu;
    HANDLE completionHandle;
    UINT64 transportEndpointHandle;
    SCOPE_ID remoteScopeId;
    WSACMSGHDR *controlData;
    ULONG controlDataLength;
    FWP_DIRECTION packetDirection;
    PVOID headerIncludeHeader;
    ULONG headerIncludeHeaderLength;
#if (NTDDI_VERSION >= NTDDI_WIN7)
    IP_ADDRESS_PREFIX destinationPrefix;
    UINT16 frameLength;
    UINT64 parentEndpointHandle;
    UINT32 icmpIdAndSequence;
    DWORD localRedirectTargetPID;
    SOCKADDR *originalDestination;
#endif
#if (NTDDI_VERSION >= NTDDI_WIN8)
    HANDLE redirectRecords;
    UINT32 currentL2MetadataValues;
    UINT32 l2Flags;
    UINT32 ethernetMacHeaderSize;
    UINT32 wiFiOperationMode;
#if NDIS_SUPPORT_NDIS630
    NDIS_SWITCH_PORT_ID vSwitchSourcePortId;
    NDIS_SWITCH_NIC_INDEX vSwitchSourceNicIndex;
    NDIS_SWITCH_PORT_ID vSwitchDestinationPortId;
#else
    UINT32 padding0;
    USHORT padding1;
    UINT32 padding2;
#endif
    HANDLE vSwitchPacketContext;
    PVOID subProcessTag;
    UINT64 reserved1;
#endif
} FWPS_INCOMING_METADATA_VALUES0;

/* ---- Filters: ddi/fwpsk/ns-fwpsk-fwps_action0_, ns-fwpsk-fwps_filter_condition0_,
 *      ns-fwpsk-fwps_filter0_, ns-fwpsk-fwps_filter1_, ns-fwpsk-fwps_filter2_,
 *      ns-fwpsk-fwps_filter3 (identical members; only providerContext's type
 *      differs), FWPS_FILTER_FLAG_* from the same pages */
typedef struct FWPS_ACTION0_ {
    FWP_ACTION_TYPE type;
    UINT32 calloutId;
} FWPS_ACTION0;

typedef struct FWPS_FILTER_CONDITION0_ {
    UINT16 fieldId;
    UINT16 reserved;
    FWP_MATCH_TYPE matchType;
    FWP_CONDITION_VALUE0 conditionValue;
} FWPS_FILTER_CONDITION0;

#define FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT 0x00000001
#define FWPS_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED 0x00000002
#if (NTDDI_VERSION >= NTDDI_WIN7)
#define FWPS_FILTER_FLAG_OR_CONDITIONS 0x00000004
#endif

typedef struct FWPS_FILTER0_ {
    UINT64 filterId;
    FWP_VALUE0 weight;
    UINT16 subLayerWeight;
    UINT16 flags;
    UINT32 numFilterConditions;
    FWPS_FILTER_CONDITION0 *filterCondition;
    FWPS_ACTION0 action;
    UINT64 context;
    FWPM_PROVIDER_CONTEXT0 *providerContext;
} FWPS_FILTER0;

#if (NTDDI_VERSION >= NTDDI_WIN7)
typedef struct FWPS_FILTER1_ {
    UINT64 filterId;
    FWP_VALUE0 weight;
    UINT16 subLayerWeight;
    UINT16 flags;
    UINT32 numFilterConditions;
    FWPS_FILTER_CONDITION0 *filterCondition;
    FWPS_ACTION0 action;
    UINT64 context;
    FWPM_PROVIDER_CONTEXT1 *providerContext;
} FWPS_FILTER1;
#endif

#if (NTDDI_VERSION >= NTDDI_WIN8)
typedef struct FWPS_FILTER2_ {
    UINT64 filterId;
    FWP_VALUE0 weight;
    UINT16 subLayerWeight;
    UINT16 flags;
    UINT32 numFilterConditions;
    FWPS_FILTER_CONDITION0 *filterCondition;
    FWPS_ACTION0 action;
    UINT64 context;
    FWPM_PROVIDER_CONTEXT2 *providerContext;
} FWPS_FILTER2;
#endif

#if (NTDDI_VERSION >= NTDDI_WIN10_RS3)
typedef struct FWPS_FILTER3_ {
    UINT64 filterId;
    FWP_VALUE0 weight;
    UINT16 subLayerWeight;
    UINT16 flags;
    UINT32 numFilterConditions;
    FWPS_FILTER_CONDITION0 *filterCondition;
    FWPS_ACTION0 action;
    UINT64 context;
    FWPM_PROVIDER_CONTEXT3 *providerContext;
} FWPS_FILTER3;
#endif

/* ---- Classify output: ddi/fwpsk/ns-fwpsk-fwps_classify_out0_ (and
 *      win32 fwpstypes/ns-fwpstypes-fwps_classify_out0), network/classifyfn
 *      rights and flags (wfp-facts.md section 6) */
typedef struct FWPS_CLASSIFY_OUT0_ {
    FWP_ACTION_TYPE actionType;
    UINT64 outContext;
    UINT64 filterId;
    UINT32 rights;
    UINT32 flags;
    UINT32 reserved;
} FWPS_CLASSIFY_OUT0;

#define FWPS_RIGHT_ACTION_WRITE 0x00000001
#define FWPS_CLASSIFY_OUT_FLAG_ABSORB 0x00000001
#define FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED 0x00000002
#define FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA 0x00000004

/* ---- Stream layer data: ddi/fwpsk/ns-fwpsk-fwps_stream_data_offset0_,
 *      ns-fwpsk-fwps_stream_data0_, ns-fwpsk-fwps_stream_callout_io_packet0_,
 *      network/stream-inspection (FWPS_STREAM_FLAG_*, FWPS_STREAM_ACTION_*) */
#define FWPS_STREAM_FLAG_RECEIVE 0x00000001
#define FWPS_STREAM_FLAG_SEND 0x00000002
#define FWPS_STREAM_FLAG_RECEIVE_EXPEDITED 0x00000004
#define FWPS_STREAM_FLAG_SEND_EXPEDITED 0x00000008
#define FWPS_STREAM_FLAG_RECEIVE_DISCONNECT 0x00000010
#define FWPS_STREAM_FLAG_SEND_DISCONNECT 0x00000020
#define FWPS_STREAM_FLAG_RECEIVE_ABORT 0x00000040
#define FWPS_STREAM_FLAG_SEND_ABORT 0x00000080

typedef struct FWPS_STREAM_DATA_OFFSET0_ {
    struct _NET_BUFFER_LIST *netBufferList;
    struct _NET_BUFFER *netBuffer;
    MDL *mdl;
    UINT32 mdlOffset;
    UINT32 netBufferOffset;
    SIZE_T streamDataOffset;
} FWPS_STREAM_DATA_OFFSET0;

typedef struct FWPS_STREAM_DATA0_ {
    UINT32 flags;
    FWPS_STREAM_DATA_OFFSET0 dataOffset;
    SIZE_T dataLength;
    struct _NET_BUFFER_LIST *netBufferListChain;
} FWPS_STREAM_DATA0;

typedef enum FWPS_STREAM_ACTION_TYPE_ {
    FWPS_STREAM_ACTION_NONE,
    FWPS_STREAM_ACTION_ALLOW_CONNECTION,
    FWPS_STREAM_ACTION_NEED_MORE_DATA,
    FWPS_STREAM_ACTION_DROP_CONNECTION,
    FWPS_STREAM_ACTION_DEFER,
    FWPS_STREAM_ACTION_TYPE_MAX
} FWPS_STREAM_ACTION_TYPE;

typedef struct FWPS_STREAM_CALLOUT_IO_PACKET0_ {
    FWPS_STREAM_DATA0 *streamData;
    SIZE_T missedBytes;
    UINT32 countBytesRequired;
    SIZE_T countBytesEnforced;
    FWPS_STREAM_ACTION_TYPE streamAction;
} FWPS_STREAM_CALLOUT_IO_PACKET0;

/* ---- Redirect layer data: ddi/fwpsk/ns-fwpsk-fwps_connect_request0_,
 *      ns-fwpsk-fwps_bind_request0_ (Windows 7; the local-redirect members
 *      of the connect request are Windows 8) */
#if (NTDDI_VERSION >= NTDDI_WIN7)
typedef struct _FWPS_CONNECT_REQUEST0 {
    SOCKADDR_STORAGE localAddressAndPort;
    SOCKADDR_STORAGE remoteAddressAndPort;
    UINT64 portReservationToken;
    DWORD localRedirectTargetPID;
    struct _FWPS_CONNECT_REQUEST0 *previousVersion;
    UINT64 modifierFilterId;
#if (NTDDI_VERSION >= NTDDI_WIN8)
    HANDLE localRedirectHandle;
    void *localRedirectContext;
    SIZE_T localRedirectContextSize;
#endif
} FWPS_CONNECT_REQUEST0;

typedef struct _FWPS_BIND_REQUEST0 {
    SOCKADDR_STORAGE localAddressAndPort;
    UINT64 portReservationToken;
    struct _FWPS_BIND_REQUEST0 *previousVersion;
    UINT64 modifierFilterId;
} FWPS_BIND_REQUEST0;
#endif

/* ---- Notify types: ddi/fwpsk/ne-fwpsk-fwps_callout_notify_type_ */
typedef enum FWPS_CALLOUT_NOTIFY_TYPE_ {
    FWPS_CALLOUT_NOTIFY_ADD_FILTER,
    FWPS_CALLOUT_NOTIFY_DELETE_FILTER,
    /* sent only from Windows 7 on, but the kit declares it for every version */
    FWPS_CALLOUT_NOTIFY_ADD_FILTER_POST_COMMIT,
    FWPS_CALLOUT_NOTIFY_TYPE_MAX
} FWPS_CALLOUT_NOTIFY_TYPE;

/* ---- Callout functions (pointer typedefs):
 *      ddi/fwpsk/nc-fwpsk-fwps_callout_classify_fn0 .. _fn3,
 *      ddi/fwpsk/nc-fwpsk-fwps_callout_notify_fn0 .. _fn3,
 *      ddi/fwpsk/nc-fwpsk-fwps_callout_flow_delete_notify_fn0 */
typedef void(NTAPI *FWPS_CALLOUT_CLASSIFY_FN0)(
    _In_ const FWPS_INCOMING_VALUES0 *inFixedValues,
    _In_ const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues,
    _Inout_opt_ void *layerData,
    _In_ const FWPS_FILTER0 *filter,
    _In_ UINT64 flowContext,
    _Inout_ FWPS_CLASSIFY_OUT0 *classifyOut);

typedef NTSTATUS(NTAPI *FWPS_CALLOUT_NOTIFY_FN0)(
    _In_ FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    _In_ const GUID *filterKey,
    _Inout_ FWPS_FILTER0 *filter);

typedef void(NTAPI *FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0)(
    _In_ UINT16 layerId, _In_ UINT32 calloutId, _In_ UINT64 flowContext);

#if (NTDDI_VERSION >= NTDDI_WIN7)
typedef void(NTAPI *FWPS_CALLOUT_CLASSIFY_FN1)(
    _In_ const FWPS_INCOMING_VALUES0 *inFixedValues,
    _In_ const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues,
    _Inout_opt_ void *layerData,
    _In_opt_ const void *classifyContext,
    _In_ const FWPS_FILTER1 *filter,
    _In_ UINT64 flowContext,
    _Inout_ FWPS_CLASSIFY_OUT0 *classifyOut);

typedef NTSTATUS(NTAPI *FWPS_CALLOUT_NOTIFY_FN1)(
    _In_ FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    _In_ const GUID *filterKey,
    _Inout_ FWPS_FILTER1 *filter);
#endif

#if (NTDDI_VERSION >= NTDDI_WIN8)
typedef void(NTAPI *FWPS_CALLOUT_CLASSIFY_FN2)(
    _In_ const FWPS_INCOMING_VALUES0 *inFixedValues,
    _In_ const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues,
    _Inout_opt_ void *layerData,
    _In_opt_ const void *classifyContext,
    _In_ const FWPS_FILTER2 *filter,
    _In_ UINT64 flowContext,
    _Inout_ FWPS_CLASSIFY_OUT0 *classifyOut);

typedef NTSTATUS(NTAPI *FWPS_CALLOUT_NOTIFY_FN2)(
    _In_ FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    _In_ const GUID *filterKey,
    _Inout_ FWPS_FILTER2 *filter);
#endif

#if (NTDDI_VERSION >= NTDDI_WIN10_RS3)
typedef void(NTAPI *FWPS_CALLOUT_CLASSIFY_FN3)(
    _In_ const FWPS_INCOMING_VALUES0 *inFixedValues,
    _In_ const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues,
    _Inout_opt_ void *layerData,
    _In_opt_ const void *classifyContext,
    _In_ const FWPS_FILTER3 *filter,
    _In_ UINT64 flowContext,
    _Inout_ FWPS_CLASSIFY_OUT0 *classifyOut);

typedef NTSTATUS(NTAPI *FWPS_CALLOUT_NOTIFY_FN3)(
    _In_ FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    _In_ const GUID *filterKey,
    _Inout_ FWPS_FILTER3 *filter);
#endif

/* ---- Callout registration records: ddi/fwpsk/ns-fwpsk-fwps_callout0_,
 *      ns-fwpsk-fwps_callout1_, ns-fwpsk-fwps_callout2_, ns-fwpsk-fwps_callout3 */
typedef struct FWPS_CALLOUT0_ {
    GUID calloutKey;
    UINT32 flags;
    FWPS_CALLOUT_CLASSIFY_FN0 classifyFn;
    FWPS_CALLOUT_NOTIFY_FN0 notifyFn;
    FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 flowDeleteFn;
} FWPS_CALLOUT0;

#if (NTDDI_VERSION >= NTDDI_WIN7)
typedef struct FWPS_CALLOUT1_ {
    GUID calloutKey;
    UINT32 flags;
    FWPS_CALLOUT_CLASSIFY_FN1 classifyFn;
    FWPS_CALLOUT_NOTIFY_FN1 notifyFn;
    FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 flowDeleteFn;
} FWPS_CALLOUT1;
#endif

#if (NTDDI_VERSION >= NTDDI_WIN8)
typedef struct FWPS_CALLOUT2_ {
    GUID calloutKey;
    UINT32 flags;
    FWPS_CALLOUT_CLASSIFY_FN2 classifyFn;
    FWPS_CALLOUT_NOTIFY_FN2 notifyFn;
    FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 flowDeleteFn;
} FWPS_CALLOUT2;
#endif

#if (NTDDI_VERSION >= NTDDI_WIN10_RS3)
typedef struct FWPS_CALLOUT3_ {
    GUID calloutKey;
    UINT32 flags;
    FWPS_CALLOUT_CLASSIFY_FN3 classifyFn;
    FWPS_CALLOUT_NOTIFY_FN3 notifyFn;
    FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 flowDeleteFn;
} FWPS_CALLOUT3;
#endif

/* ---- Registration: ddi/fwpsk/nf-fwpsk-fwpscalloutregister0 .. 3,
 *      nf-fwpsk-fwpscalloutunregisterbyid0, nf-fwpsk-fwpscalloutunregisterbykey0 */
_IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS NTAPI FwpsCalloutRegister0(
    _Inout_ void *deviceObject, _In_ const FWPS_CALLOUT0 *callout, _Out_opt_ UINT32 *calloutId);

#if (NTDDI_VERSION >= NTDDI_WIN7)
_IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS NTAPI FwpsCalloutRegister1(
    _Inout_ void *deviceObject, _In_ const FWPS_CALLOUT1 *callout, _Out_opt_ UINT32 *calloutId);
#endif

#if (NTDDI_VERSION >= NTDDI_WIN8)
_IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS NTAPI FwpsCalloutRegister2(
    _Inout_ void *deviceObject, _In_ const FWPS_CALLOUT2 *callout, _Out_opt_ UINT32 *calloutId);
#endif

#if (NTDDI_VERSION >= NTDDI_WIN10_RS2)
_IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS NTAPI FwpsCalloutRegister3(
    _Inout_ void *deviceObject, _In_ const FWPS_CALLOUT3 *callout, _Out_opt_ UINT32 *calloutId);
#endif

_IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS NTAPI FwpsCalloutUnregisterById0(_In_ const UINT32 calloutId);

_IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS NTAPI FwpsCalloutUnregisterByKey0(_In_ const GUID *calloutKey);

/* ---- Flow contexts: ddi/fwpsk/nf-fwpsk-fwpsflowassociatecontext0,
 *      nf-fwpsk-fwpsflowremovecontext0, nf-fwpsk-fwpsflowabort0 (Windows 8) */
_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsFlowAssociateContext0(
    _In_ UINT64 flowId, _In_ UINT16 layerId, _In_ UINT32 calloutId, _In_ UINT64 flowContext);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsFlowRemoveContext0(
    _In_ UINT64 flowId, _In_ UINT16 layerId, _In_ UINT32 calloutId);

#if (NTDDI_VERSION >= NTDDI_WIN8)
_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsFlowAbort0(_In_ UINT64 flowId);
#endif

/* ---- Classify handles and writable layer data: ddi/fwpsk/nf-fwpsk-fwpsacquireclassifyhandle0,
 *      nf-fwpsk-fwpsreleaseclassifyhandle0, nf-fwpsk-fwpsacquirewritablelayerdatapointer0,
 *      nf-fwpsk-fwpsapplymodifiedlayerdata0 (Windows 7, <= DISPATCH_LEVEL) */
#if (NTDDI_VERSION >= NTDDI_WIN7)
#define FWPS_CLASSIFY_FLAG_REAUTHORIZE_IF_MODIFIED_BY_OTHERS 0x00000001

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsAcquireClassifyHandle0(
    _In_ void *classifyContext, _In_ UINT32 flags, _Out_ UINT64 *classifyHandle);

_IRQL_requires_max_(DISPATCH_LEVEL)
void NTAPI FwpsReleaseClassifyHandle0(_In_ UINT64 classifyHandle);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsAcquireWritableLayerDataPointer0(
    _In_ UINT64 classifyHandle, _In_ UINT64 filterId, _In_ UINT32 flags,
    _Out_ PVOID *writableLayerData, _Inout_opt_ FWPS_CLASSIFY_OUT0 *classifyOut);

_IRQL_requires_max_(DISPATCH_LEVEL)
void NTAPI FwpsApplyModifiedLayerData0(
    _In_ UINT64 classifyHandle, _In_ PVOID modifiedLayerData, _In_ UINT32 flags);
#endif

/* ---- Pending ALE classifies: ddi/fwpsk/nf-fwpsk-fwpspendoperation0,
 *      nf-fwpsk-fwpscompleteoperation0 (<= DISPATCH_LEVEL, Windows Vista) */
_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsPendOperation0(
    _In_ HANDLE completionHandle, _Out_ HANDLE *completionContext);

_IRQL_requires_max_(DISPATCH_LEVEL)
void NTAPI FwpsCompleteOperation0(
    _In_ HANDLE completionContext, _In_opt_ PNET_BUFFER_LIST netBufferList);

/* ---- Connection redirect state: ddi/fwpsk/ne-fwpsk-fwps_connection_redirect_state_,
 *      nf-fwpsk-fwpsredirecthandlecreate0, nf-fwpsk-fwpsredirecthandledestroy0 (PASSIVE_LEVEL),
 *      nf-fwpsk-fwpsqueryconnectionredirectstate0 (<= DISPATCH_LEVEL); Windows 8 */
#if (NTDDI_VERSION >= NTDDI_WIN8)
typedef enum FWPS_CONNECTION_REDIRECT_STATE_ {
    FWPS_CONNECTION_NOT_REDIRECTED,
    FWPS_CONNECTION_REDIRECTED_BY_SELF,
    FWPS_CONNECTION_REDIRECTED_BY_OTHER,
    FWPS_CONNECTION_PREVIOUSLY_REDIRECTED_BY_SELF,
    FWPS_CONNECTION_REDIRECT_STATE_MAX
} FWPS_CONNECTION_REDIRECT_STATE;

_IRQL_requires_(PASSIVE_LEVEL)
NTSTATUS NTAPI FwpsRedirectHandleCreate0(
    _In_ const GUID *providerGuid, _Reserved_ UINT32 flags, _Out_ HANDLE *redirectHandle);

_IRQL_requires_(PASSIVE_LEVEL)
void NTAPI FwpsRedirectHandleDestroy0(_In_ HANDLE redirectHandle);

_IRQL_requires_min_(PASSIVE_LEVEL) _IRQL_requires_max_(DISPATCH_LEVEL)
FWPS_CONNECTION_REDIRECT_STATE NTAPI FwpsQueryConnectionRedirectState0(
    _In_ HANDLE redirectRecords, _In_ HANDLE redirectHandle,
    _Outptr_opt_result_maybenull_ void **redirectContext);
#endif

/* ---- Packet injection: ddi/fwpsk/nf-fwpsk-fwpsinjectionhandlecreate0,
 *      nf-fwpsk-fwpsinjectionhandledestroy0, nc-fwpsk-fwps_inject_complete0,
 *      nf-fwpsk-fwpsallocateclonenetbufferlist0, nf-fwpsk-fwpsfreeclonenetbufferlist0,
 *      nf-fwpsk-fwpsreferencenetbufferlist0, nf-fwpsk-fwpsdereferencenetbufferlist0,
 *      ns-fwpsk-fwps_transport_send_params0_, nf-fwpsk-fwpsinjecttransportsendasync0,
 *      nf-fwpsk-fwpsinjecttransportreceiveasync0, nf-fwpsk-fwpsinjectnetworksendasync0,
 *      nf-fwpsk-fwpsinjectnetworkreceiveasync0,
 *      nf-fwpsk-fwpsconstructipheaderfortransportpacket0 (Vista SP1),
 *      ne-fwpsk-fwps_packet_injection_state_, nf-fwpsk-fwpsquerypacketinjectionstate0,
 *      ns-fwpsk-fwps_packet_list_*_information0_,
 *      nf-fwpsk-fwpsgetpacketlistsecurityinformation0; COMPARTMENT_ID
 *      (ntdef/ne-ntdef-compartment_id), IF_INDEX (ifdef.h: a ULONG);
 *      FWP_CONDITION_FLAG_IS_IPSEC_SECURED (fwptypes.h, "Filtering Condition
 *      Flags") */
#ifndef __COMPARTMENT_ID_DEFINED__
#define __COMPARTMENT_ID_DEFINED__
typedef enum {
    UNSPECIFIED_COMPARTMENT_ID = 0,
    DEFAULT_COMPARTMENT_ID
} COMPARTMENT_ID, *PCOMPARTMENT_ID;
#endif
typedef ULONG NET_IFINDEX, *PNET_IFINDEX;
typedef NET_IFINDEX IF_INDEX, *PIF_INDEX;
#ifndef FWP_CONDITION_FLAG_IS_IPSEC_SECURED
#define FWP_CONDITION_FLAG_IS_IPSEC_SECURED 0x00000002
#endif

typedef struct FWPS_TRANSPORT_SEND_PARAMS0_ {
    UCHAR *remoteAddress;
    SCOPE_ID remoteScopeId;
    WSACMSGHDR *controlData;
    ULONG controlDataLength;
} FWPS_TRANSPORT_SEND_PARAMS0;

#define FWPS_INJECTION_TYPE_STREAM 0x00000001
#define FWPS_INJECTION_TYPE_TRANSPORT 0x00000002
#define FWPS_INJECTION_TYPE_NETWORK 0x00000004
#define FWPS_INJECTION_TYPE_FORWARD 0x00000008
#define FWPS_INJECTION_TYPE_L2 0x00000010
#define FWPS_INJECTION_TYPE_VSWITCH_TRANSPORT 0x00000020

_IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS NTAPI FwpsInjectionHandleCreate0(
    _In_opt_ ADDRESS_FAMILY addressFamily, _In_ UINT32 flags, _Out_ HANDLE *injectionHandle);

_IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS NTAPI FwpsInjectionHandleDestroy0(_In_ HANDLE injectionHandle);

typedef void (NTAPI *FWPS_INJECT_COMPLETE0)(
    _In_ void *context, _Inout_ NET_BUFFER_LIST *netBufferList, _In_ BOOLEAN dispatchLevel);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsAllocateCloneNetBufferList0(
    _Inout_ NET_BUFFER_LIST *originalNetBufferList, _In_opt_ NDIS_HANDLE netBufferListPoolHandle,
    _In_opt_ NDIS_HANDLE netBufferPoolHandle, _In_ ULONG allocateCloneFlags,
    _Outptr_ NET_BUFFER_LIST **netBufferList);

_IRQL_requires_max_(DISPATCH_LEVEL)
void NTAPI FwpsFreeCloneNetBufferList0(_In_ NET_BUFFER_LIST *netBufferList, _In_ ULONG freeCloneFlags);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsInjectNetworkSendAsync0(
    _In_ HANDLE injectionHandle, _In_opt_ HANDLE injectionContext, _In_ UINT32 flags,
    _In_ COMPARTMENT_ID compartmentId, _Inout_ NET_BUFFER_LIST *netBufferList,
    _In_ FWPS_INJECT_COMPLETE0 completionFn, _In_opt_ HANDLE completionContext);

#if (NTDDI_VERSION >= NTDDI_WIN6SP1)
_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsConstructIpHeaderForTransportPacket0(
    _Inout_ NET_BUFFER_LIST *netBufferList, _In_ ULONG headerIncludeHeaderLength,
    _In_ ADDRESS_FAMILY addressFamily, _In_ const UCHAR *sourceAddress,
    _In_ const UCHAR *remoteAddress, _In_ IPPROTO nextProtocol, _In_opt_ UINT64 endpointHandle,
    _In_opt_ const WSACMSGHDR *controlData, _In_ ULONG controlDataLength, _In_ UINT32 flags,
    _Reserved_ PVOID reserved, _In_opt_ IF_INDEX interfaceIndex, _In_opt_ IF_INDEX subInterfaceIndex);
#endif

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsInjectTransportSendAsync0(
    _In_ HANDLE injectionHandle, _In_opt_ HANDLE injectionContext, _In_ UINT64 endpointHandle,
    _In_ UINT32 flags, _In_opt_ FWPS_TRANSPORT_SEND_PARAMS0 *sendArgs,
    _In_ ADDRESS_FAMILY addressFamily, _In_ COMPARTMENT_ID compartmentId,
    _Inout_ NET_BUFFER_LIST *netBufferList, _In_ FWPS_INJECT_COMPLETE0 completionFn,
    _In_opt_ HANDLE completionContext);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsInjectTransportReceiveAsync0(
    _In_ HANDLE injectionHandle, _In_opt_ HANDLE injectionContext, _Reserved_ PVOID reserved,
    _In_ UINT32 flags, _In_ ADDRESS_FAMILY addressFamily, _In_ COMPARTMENT_ID compartmentId,
    _In_ IF_INDEX interfaceIndex, _In_ IF_INDEX subInterfaceIndex,
    _Inout_ NET_BUFFER_LIST *netBufferList, _In_ FWPS_INJECT_COMPLETE0 completionFn,
    _In_opt_ HANDLE completionContext);

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsInjectNetworkReceiveAsync0(
    _In_ HANDLE injectionHandle, _In_opt_ HANDLE injectionContext, _In_ UINT32 flags,
    _In_ COMPARTMENT_ID compartmentId, _In_ IF_INDEX interfaceIndex, _In_ IF_INDEX subInterfaceIndex,
    _Inout_ NET_BUFFER_LIST *netBufferList, _In_ FWPS_INJECT_COMPLETE0 completionFn,
    _In_opt_ HANDLE completionContext);

_IRQL_requires_max_(DISPATCH_LEVEL)
void NTAPI FwpsReferenceNetBufferList0(_Inout_ NET_BUFFER_LIST *netBufferList, _In_ BOOLEAN intendToModify);

_IRQL_requires_max_(DISPATCH_LEVEL)
void NTAPI FwpsDereferenceNetBufferList0(_Inout_ NET_BUFFER_LIST *netBufferList, _In_ BOOLEAN dispatchLevel);

typedef enum FWPS_PACKET_INJECTION_STATE_ {
    FWPS_PACKET_NOT_INJECTED,
    FWPS_PACKET_INJECTED_BY_SELF,
    FWPS_PACKET_INJECTED_BY_OTHER,
    FWPS_PACKET_PREVIOUSLY_INJECTED_BY_SELF,
    FWPS_PACKET_INJECTION_STATE_MAX
} FWPS_PACKET_INJECTION_STATE;

_IRQL_requires_max_(DISPATCH_LEVEL)
FWPS_PACKET_INJECTION_STATE NTAPI FwpsQueryPacketInjectionState0(
    _In_ HANDLE injectionHandle, _In_ const NET_BUFFER_LIST *netBufferList,
    _Out_opt_ HANDLE *injectionContext);

typedef struct FWPS_PACKET_LIST_INBOUND_IPSEC_INFORMATION0_ {
    unsigned isSecure : 1;
    unsigned isTransportMode : 1;
    unsigned isTunnelMode : 1;
    unsigned isTransportModeVerified : 1;
    unsigned isTunnelModeVerified : 1;
    unsigned isDeTunneled : 1;
} FWPS_PACKET_LIST_INBOUND_IPSEC_INFORMATION0;

typedef struct FWPS_PACKET_LIST_OUTBOUND_IPSEC_INFORMATION0_ {
    unsigned isIPsecPolicyMatch : 1;
    unsigned isTransportPolicyMatch : 1;
    unsigned isTunnelPolicyMatch : 1;
    unsigned isTunnelIPinIP : 1;
} FWPS_PACKET_LIST_OUTBOUND_IPSEC_INFORMATION0;

typedef struct FWPS_PACKET_LIST_IPSEC_INFORMATION0_ {
    union {
        FWPS_PACKET_LIST_INBOUND_IPSEC_INFORMATION0 inbound;
        FWPS_PACKET_LIST_OUTBOUND_IPSEC_INFORMATION0 outbound;
        UINT32 flags;
    };
} FWPS_PACKET_LIST_IPSEC_INFORMATION0;

typedef struct FWPS_PACKET_LIST_FWP_INFORMATION0_ {
    unsigned isReinjected : 1;
} FWPS_PACKET_LIST_FWP_INFORMATION0;

#define FWPS_PACKET_LIST_INFORMATION_QUERY_INBOUND 0x00000001
#define FWPS_PACKET_LIST_INFORMATION_QUERY_OUTBOUND 0x00000002
#define FWPS_PACKET_LIST_INFORMATION_QUERY_IPSEC 0x00000004
#define FWPS_PACKET_LIST_INFORMATION_QUERY_FWP 0x00000008

typedef struct FWPS_PACKET_LIST_INFORMATION0_ {
    FWPS_PACKET_LIST_IPSEC_INFORMATION0 ipsecInformation;
    FWPS_PACKET_LIST_FWP_INFORMATION0 fwpInformation;
} FWPS_PACKET_LIST_INFORMATION0;

_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS NTAPI FwpsGetPacketListSecurityInformation0(
    _In_ NET_BUFFER_LIST *packetList, _In_ UINT32 queryFlags,
    _Inout_ FWPS_PACKET_LIST_INFORMATION0 *packetInformation);

/* ---- Version-independent names: network/wfp-version-independent-names-and-targeting-specific-versions-of-windows
 *      (wfp-facts.md 1.4) */
#if (NTDDI_VERSION >= NTDDI_WIN10_RS3)
#define FWPS_CALLOUT FWPS_CALLOUT3
#define FWPS_CALLOUT_CLASSIFY_FN FWPS_CALLOUT_CLASSIFY_FN3
#define FWPS_CALLOUT_NOTIFY_FN FWPS_CALLOUT_NOTIFY_FN3
#define FWPS_FILTER FWPS_FILTER3
#define FwpsCalloutRegister FwpsCalloutRegister3
#elif (NTDDI_VERSION >= NTDDI_WIN8)
#define FWPS_CALLOUT FWPS_CALLOUT2
#define FWPS_CALLOUT_CLASSIFY_FN FWPS_CALLOUT_CLASSIFY_FN2
#define FWPS_CALLOUT_NOTIFY_FN FWPS_CALLOUT_NOTIFY_FN2
#define FWPS_FILTER FWPS_FILTER2
#define FwpsCalloutRegister FwpsCalloutRegister2
#elif (NTDDI_VERSION >= NTDDI_WIN7)
#define FWPS_CALLOUT FWPS_CALLOUT1
#define FWPS_CALLOUT_CLASSIFY_FN FWPS_CALLOUT_CLASSIFY_FN1
#define FWPS_CALLOUT_NOTIFY_FN FWPS_CALLOUT_NOTIFY_FN1
#define FWPS_FILTER FWPS_FILTER1
#define FwpsCalloutRegister FwpsCalloutRegister1
#else
#define FWPS_CALLOUT FWPS_CALLOUT0
#define FWPS_CALLOUT_CLASSIFY_FN FWPS_CALLOUT_CLASSIFY_FN0
#define FWPS_CALLOUT_NOTIFY_FN FWPS_CALLOUT_NOTIFY_FN0
#define FWPS_FILTER FWPS_FILTER0
#define FwpsCalloutRegister FwpsCalloutRegister0
#endif
#define FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0
#define FWPS_INCOMING_VALUES FWPS_INCOMING_VALUES0
#define FWPS_INCOMING_METADATA_VALUES FWPS_INCOMING_METADATA_VALUES0
#define FWPS_CLASSIFY_OUT FWPS_CLASSIFY_OUT0
#define FwpsCalloutUnregisterById FwpsCalloutUnregisterById0
#define FwpsCalloutUnregisterByKey FwpsCalloutUnregisterByKey0
#define FwpsFlowAssociateContext FwpsFlowAssociateContext0
#define FwpsFlowRemoveContext FwpsFlowRemoveContext0

#endif /* NTDDI_VERSION >= NTDDI_WIN6 */
#endif /* WFPGEN_STUB_FWPSK_H */

//
// The test seam: classify.c calls this where the driver's own filtering
// logic goes, so a scenario can play that logic's decision (SIM_TRAFFIC's
// logic* members). The WDK's headers never define SIM_USER_LOGIC_HOOK.
//
#ifndef SIM_USER_LOGIC_HOOK
#define SIM_USER_LOGIC_HOOK 1
EXTERN_C void SimUserLogic(FWP_ACTION_TYPE* verdict, FWPS_STREAM_CALLOUT_IO_PACKET0* streamPacket, BOOLEAN* redirect);
// The same for <Callout>Inspect of a reinject callout (inject.c).
EXTERN_C void SimInspectLogic(const void* inspection, FWP_ACTION_TYPE* verdict);
#endif
