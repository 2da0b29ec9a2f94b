//
// reinject.h - clone, inspect out of line, and inject back: the packets of
// the "reinject" callouts of WoodgroveGuard.
//
// A classifyFn clones the packet, absorbs the original and queues the clone;
// a work item runs <Callout>Inspect on it at PASSIVE_LEVEL and injects it
// back, or drops it. This is the asynchronous packet classify of Microsoft
// Learn's "Processing Classify Callouts Asynchronously", shaped like the
// inspect sample (network/trans/inspect in Windows-driver-samples).
//
// The capture and injection calls below are usable on their own, for example
// to hold the packet of a pended ALE classify and inject it afterwards.
//

#pragma once
//
// How many clones may wait for inspection. When the queue is full a packet
// is dropped (see ReinjectClassify): the driver never holds more than this.
//
#define REINJECT_QUEUE_LIMIT 64

//
// A captured packet: the clone and everything its injection needs that dies
// when classifyFn returns (addresses, control data, interface indexes).
//
typedef struct _REINJECT_PACKET REINJECT_PACKET;
//
// What <Callout>Inspect sees: the clone as it will be injected. At the
// inbound transport and IP packet layers it starts at the IP header, at the
// outbound transport layers at the transport header, at the outbound IP
// packet layers at the IP header. The clone shares its data with the
// original packet: read it (NdisGetDataBuffer), do not write to it.
//
typedef struct _REINJECT_INSPECTION {
    CALLOUT_INDEX Callout;
    UINT16 LayerId;
    FWP_DIRECTION Direction;
    ADDRESS_FAMILY AddressFamily;
    NET_BUFFER_LIST* Packet;
} REINJECT_INSPECTION;

//
// What happened to the packets so far, for diagnostics and the tests.
//
typedef struct _REINJECT_COUNTERS {
    UINT64 Queued;          // clones waiting for or past inspection
    UINT64 Injected;        // injections that completed successfully
    UINT64 InjectFailed;    // injections refused or completed with an error
    UINT64 Dropped;         // packets dropped: inspection blocked, queue full, no memory, unloading
} REINJECT_COUNTERS;

//
// Load and unload (driver.c). ReinjectStart runs before the callouts are
// registered: classify needs the injection handles. ReinjectStop runs after
// they are unregistered, so no classify queues anything any more.
//
_IRQL_requires_(PASSIVE_LEVEL)
_Must_inspect_result_
NTSTATUS
ReinjectStart(
    _In_ DEVICE_OBJECT* deviceObject
    );

_IRQL_requires_(PASSIVE_LEVEL)
void
ReinjectStop(
    void
    );

//
// TRUE for a packet this driver injected itself (now, or before someone
// else cloned and injected it again): it must pass untouched, or it loops.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
BOOLEAN
ReinjectIsOwnPacket(
    _In_ CALLOUT_INDEX callout,
    _In_ const NET_BUFFER_LIST* packet
    );

//
// Clones the packet of this classify, with its data offset moved where the
// injection call wants it, and copies what the injection needs.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
_Must_inspect_result_
NTSTATUS
ReinjectCapture(
    _In_ CALLOUT_INDEX callout,
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    _Inout_ NET_BUFFER_LIST* packet,
    _Outptr_ REINJECT_PACKET** captured
    );

_IRQL_requires_max_(DISPATCH_LEVEL)
NET_BUFFER_LIST*
ReinjectClone(
    _In_ const REINJECT_PACKET* captured
    );

//
// Injects the clone back with the call its layer and direction need. The
// packet belongs to the injection from here on, even when this fails.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS
ReinjectSend(
    _In_ __drv_freesMem(Mem) REINJECT_PACKET* captured
    );

_IRQL_requires_max_(DISPATCH_LEVEL)
void
ReinjectDiscard(
    _In_ __drv_freesMem(Mem) REINJECT_PACKET* captured
    );
//
// The "reinject" behaviour, called by the classifyFn: TRUE when the packet
// was absorbed (its clone queued for inspection, or dropped), FALSE when it
// passes untouched and the classifyFn applies its default verdict.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
BOOLEAN
ReinjectClassify(
    _In_ CALLOUT_INDEX callout,
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    _Inout_opt_ NET_BUFFER_LIST* packet,
    _In_ FWP_ACTION_TYPE filterAction,
    _Inout_ FWPS_CLASSIFY_OUT0* classifyOut
    );

_IRQL_requires_max_(DISPATCH_LEVEL)
void
ReinjectQueryCounters(
    _Out_ REINJECT_COUNTERS* counters
    );

//
// classify.c: your inspection of TransportOutV4's packets (OUTBOUND_TRANSPORT_V4), at
// PASSIVE_LEVEL in a work item. Return FWP_ACTION_PERMIT to inject the
// packet back, FWP_ACTION_BLOCK to drop it.
//
_IRQL_requires_(PASSIVE_LEVEL)
FWP_ACTION_TYPE
TransportOutV4Inspect(
    _In_ const REINJECT_INSPECTION* inspection
    );

//
// classify.c: your inspection of TransportInV6's packets (INBOUND_TRANSPORT_V6), at
// PASSIVE_LEVEL in a work item. Return FWP_ACTION_PERMIT to inject the
// packet back, FWP_ACTION_BLOCK to drop it.
//
_IRQL_requires_(PASSIVE_LEVEL)
FWP_ACTION_TYPE
TransportInV6Inspect(
    _In_ const REINJECT_INSPECTION* inspection
    );

//
// classify.c: your inspection of IpPacketOutV4's packets (OUTBOUND_IPPACKET_V4), at
// PASSIVE_LEVEL in a work item. Return FWP_ACTION_PERMIT to inject the
// packet back, FWP_ACTION_BLOCK to drop it.
//
_IRQL_requires_(PASSIVE_LEVEL)
FWP_ACTION_TYPE
IpPacketOutV4Inspect(
    _In_ const REINJECT_INSPECTION* inspection
    );
