//
// sim_internal.h - how the modules of the simulation talk to each other.
// Tests use sim.h only.
//

#pragma once

#include <sim.h>

//
// wdm.h leaves the driver and device objects opaque to drivers; the
// simulation gives them the members it uses.
//
struct _DRIVER_OBJECT {
    ULONG Size;
    PVOID DriverExtension;
};

struct _DEVICE_OBJECT {
    ULONG Size;
    PVOID DeviceExtension;
};

// wdm.h leaves the MDL opaque too (drivers read packets with NdisGetDataBuffer).
struct _MDL {
    struct _MDL* Next;
    CSHORT Size;
    CSHORT MdlFlags;
    void* Process;
    PVOID MappedSystemVa;
    PVOID StartVa;
    ULONG ByteCount;
    ULONG ByteOffset;
};

#if defined(_MSC_VER)
#define SIM_NORETURN __declspec(noreturn)
#else
#define SIM_NORETURN __attribute__((noreturn))
#endif

#define SIM_COUNT(array) (sizeof(array) / sizeof((array)[0]))

// report.c: stop the test with a message, like a bug check.
SIM_NORETURN void SimBugCheck(const char* format, ...);
SIM_NORETURN void SimViolation(const char* format, ...);
void SimWarning(const char* format, ...);
void SimTrace(const char* format, ...);
const char* SimCurrentTest(void);

// irql.c
void SimIrqlReset(void);
void SimRequireIrql(KIRQL maximum, const char* api);
KIRQL SimRaiseIrql(KIRQL irql);
void SimLowerIrql(KIRQL irql);
ULONG SimSpinLocksHeld(void);
void SimCheckDriverReturn(KIRQL irql, ULONG locks, const char* function);

// layers.c: the minimum Windows of the project, which the simulation runs.
extern const ULONG SimWindowsNtddi;
void SimRequireWindows(ULONG ntddi, const char* api);

// pool.c
void SimPoolReset(void);
void SimPoolCheckEmpty(const char* when);
void SimPoolPageOut(BOOLEAN out); // the IRQL crossed DISPATCH_LEVEL: paged pool goes or comes back

// fault.c: TRUE when this failable call is the one to fail.
BOOLEAN SimFaultShouldFail(const char* what);
const char* SimFaultPoint(void); // "call N, <api>": the call that was made to fail
void SimFaultReset(void);

// kmdf.c
void SimKmdfReset(void);
void SimKmdfCheckClean(const char* when);
PFN_WDF_DRIVER_UNLOAD SimKmdfUnloadCallback(WDFDRIVER* driver);
void SimKmdfDeleteDriver(void);
ULONG SimWaitLocksHeld(void);

// io_open.c: the I/O side of a device, set up through its WDFDEVICE_INIT
// (WdfControlDeviceInitAllocate's SDDL, WdfDeviceInitAssignName, ...).
#define SIM_IO_NAME 64
typedef struct SIM_IO_INIT {
    const UNICODE_STRING* sddl;
    WCHAR name[SIM_IO_NAME];      // the device's name, empty when it has none
    BOOLEAN hasFileConfig;
    WDF_FILEOBJECT_CONFIG fileConfig;
    BOOLEAN hasFileAttributes;
    WDF_OBJECT_ATTRIBUTES fileAttributes; // the context every file object gets
    BOOLEAN exclusive;
    WDF_DEVICE_IO_TYPE ioType;
} SIM_IO_INIT;
SIM_IO_INIT* SimDeviceInitIo(PWDFDEVICE_INIT init, const char* api); // kmdf.c
BOOLEAN SimKmdfDeviceInitialized(WDFDEVICE device);                 // kmdf.c
NTSTATUS SimIoDeviceCreate(WDFDEVICE device, const SIM_IO_INIT* init);
void SimIoDeviceDeleted(WDFDEVICE device);
BOOLEAN SimIoObjectDelete(WDFOBJECT object);
void SimIoAttach(const void* object, const WDF_OBJECT_ATTRIBUTES* attributes, const char* api);
void SimIoDetach(const void* object);
void SimIoReset(void);
void SimIoCheckClean(const char* when);

// layers.c (generated): the layers of this driver.
typedef struct SIM_FIELD {
    FWP_DATA_TYPE type;
    const char* source;
} SIM_FIELD;

typedef struct SIM_LAYER {
    UINT16 id;
    const GUID* key;
    const char* name;
    BOOLEAN v6;
    BOOLEAN outbound;
    BOOLEAN hasFlows;       // classifies carry FWPS_METADATA_FIELD_FLOW_HANDLE
    const char* group;      // the layer family in wfpgen's catalog
    const char* layerData;  // what classifyFn gets as layerData: nbl, stream, connect_request, bind_request, none
    UINT32 fieldCount;      // valueCount on the minimum Windows
    const SIM_FIELD* fields;
} SIM_LAYER;

const SIM_LAYER* SimLayerById(UINT16 id);
const SIM_LAYER* SimLayerByKey(const GUID* key);
const SIM_LAYER* SimFlowEstablishedLayer(BOOLEAN v6);

// redirect.c: who redirected a connection, with what context.
typedef struct SIM_REDIRECT_RECORD {
    HANDLE redirectHandle;
    void* redirectContext;
} SIM_REDIRECT_RECORD;

// traffic.c: what a classifyFn receives.
typedef struct SIM_VALUE_STORAGE {
    UINT64 uint64;
    FWP_BYTE_ARRAY16 byteArray16;
    FWP_BYTE_ARRAY6 byteArray6;
} SIM_VALUE_STORAGE;

typedef struct SIM_CLASSIFY_DATA {
    FWPS_INCOMING_VALUES0 values;
    FWPS_INCOMING_VALUE0* incoming;   // exactly valueCount entries, a heap block of its own
    SIM_VALUE_STORAGE* storage;       // what the values that are pointers point to
    FWPS_INCOMING_METADATA_VALUES0 metadata;
    FWP_BYTE_ARRAY16 localV6, remoteV6;
    FWP_BYTE_ARRAY6 localMac, remoteMac;
    FWP_BYTE_BLOB appId;
    FWPS_STREAM_DATA0 streamData;
    FWPS_STREAM_CALLOUT_IO_PACKET0 streamPacket;
    FWPS_CONNECT_REQUEST0 connectRequest;
    FWPS_BIND_REQUEST0 bindRequest;
    void* layerData;
    // Redirect layers: the request before the callout's change, and the
    // redirect record the change left (redirect.c).
    FWPS_CONNECT_REQUEST0 previousConnect;
    FWPS_BIND_REQUEST0 previousBind;
    SIM_REDIRECT_RECORD redirectRecord;
    BOOLEAN modified; // a callout applied modified layer data in this classification
    NET_BUFFER_LIST* packet; // packet layers: the packet (nbl.c)
    void* controlData;       // its control data, which dies with the classification
} SIM_CLASSIFY_DATA;

void SimClassifyDataInit(SIM_CLASSIFY_DATA* data, const SIM_LAYER* layer, const SIM_TRAFFIC* traffic,
                         UINT64 flowId, NET_BUFFER_LIST* packet);
void SimClassifyDataFree(SIM_CLASSIFY_DATA* data);

// callouts.c: run-time callouts and calls into them.
typedef struct SIM_CALLOUT SIM_CALLOUT;
SIM_CALLOUT* SimCalloutById(UINT32 id);
BOOLEAN SimCalloutIsFlowCapable(const SIM_CALLOUT* callout);
UINT32 SimCalloutFlags(const SIM_CALLOUT* callout);
BOOLEAN SimCalloutFindByKey(const GUID* key, UINT32* id);
NTSTATUS SimCalloutNotify(UINT32 calloutId, FWPS_CALLOUT_NOTIFY_TYPE type, const GUID* filterKey, FWPS_FILTER0* filter);
void SimCalloutClassify(UINT32 calloutId, SIM_CLASSIFY_DATA* data, const FWPS_FILTER0* filter, UINT64 flowContext,
                        FWPS_CLASSIFY_OUT0* classifyOut);
void SimCalloutFlowDelete(UINT32 calloutId, UINT16 layerId, UINT64 flowContext);
void SimCalloutsReset(void);
void SimCalloutsCheckClean(const char* when);
ULONG SimCalloutsOnDevice(const DEVICE_OBJECT* device);

// engine.c: sessions and transactions.
typedef struct SIM_SESSION SIM_SESSION;
SIM_SESSION* SimSessionOf(HANDLE engineHandle, const char* api);
BOOLEAN SimSessionInTransaction(const SIM_SESSION* session);
BOOLEAN SimSessionIsProgram(const SIM_SESSION* session);
void SimSessionSetProgram(HANDLE engineHandle);
void SimEngineReset(void);
void SimEngineCheckClean(const char* when);
void SimEngineBfeStopped(void);
void SimEngineCheckNoTransaction(const char* when);

// objects.c: providers, sublayers, callouts and the filters the engine
// classifies with.
typedef struct SIM_FILTER_ENTRY {
    BOOLEAN live;
    UINT16 layerId;
    GUID calloutKey;
    UINT32 calloutId;       // 0 until the callout is registered
    FWPS_FILTER0 runtime;   // what classifyFn and notifyFn see
} SIM_FILTER_ENTRY;

SIM_FILTER_ENTRY* SimFilterAt(ULONG index);
void SimEngineCalloutRegistered(const GUID* key, UINT32 id);
void SimEngineCalloutUnregistered(UINT32 id);
void SimObjectsDelete(SIM_SESSION* session, BOOLEAN onlyUncommitted);
void SimObjectsCommit(SIM_SESSION* session);
void SimObjectsSessionEnded(SIM_SESSION* session);
void SimObjectsReset(void);
void SimObjectsCheckClean(const char* when);
void SimObjectsBfeStopped(void);

// redirect.c
void SimRedirectReset(void);
void SimRedirectCheckClassifyReturn(void);
void SimRedirectCheckClean(const char* when);
void SimRedirectClassifyBegin(SIM_CLASSIFY_DATA* data, const SIM_LAYER* layer, const FWPS_FILTER0* filter);
ULONG SimRedirectClassifyEnd(void);
void SimRedirectPrepareComeBack(const SIM_LAYER* layer, const SIM_CLASSIFY_DATA* data, SIM_CLASSIFY_DATA* again);

// pend.c
void SimPendReset(void);
void SimPendCheckClean(const char* when);
void SimPendPrepare(SIM_CLASSIFY_DATA* data, const SIM_LAYER* layer, const SIM_TRAFFIC* traffic);
void SimPendClassifyBegin(const SIM_CLASSIFY_DATA* data, const SIM_LAYER* layer, UINT32 calloutId,
                          const SIM_TRAFFIC* traffic);
ULONG SimPendClassifyEnd(const FWPS_CLASSIFY_OUT0* classifyOut, ULONG* operation);
void SimPendRunDeferred(void);
BOOLEAN SimPendHasPacket(const SIM_LAYER* layer, const SIM_TRAFFIC* traffic);

// clock.c
void SimClockReset(void);
void SimClockCheckClean(const char* when);

// bfe.c
void SimBfeReset(void);
void SimBfeCheckClean(const char* when);

// flows.c
void SimFlowsReset(void);
ULONG SimFlowContextsOfCallout(UINT32 calloutId);
void SimFlowsCheckClean(const char* when);
UINT64 SimFlowContextOf(UINT64 flowId, UINT16 layerId, UINT32 calloutId, BOOLEAN* found);
UINT64 SimFlowNew(void);
void SimFlowClassifyBegin(UINT64 flowId);
void SimFlowClassifyEnd(UINT64 flowId);
void SimFlowsElsewhereReturn(void);
// nbl.c: packets with data, their clones and references.
#define SIM_ENDPOINT_HANDLE 0x00E1D9017E57ULL // transportEndpointHandle of the sample traffic
#define SIM_REMOTE_SCOPE_ID 0x11u            // remoteScopeId of IPv6 sample traffic

typedef struct SIM_PACKET_DATA {    // the bytes an original and its clones share
    UINT8* bytes;
    ULONG length;
    ULONG ipOffset, transportOffset, payloadOffset;
    ULONG users;                    // SIM_NBLs describing it
    SIM_TRAFFIC traffic;            // what it was made from, to classify it again
    UINT16 layerId;                 // where WFP first indicated it
    FWP_DIRECTION direction;
    BOOLEAN v6;
} SIM_PACKET_DATA;

typedef enum SIM_NBL_KIND { SIM_NBL_ORIGINAL = 1, SIM_NBL_CLONE } SIM_NBL_KIND;

typedef struct SIM_NBL {
    NET_BUFFER_LIST nbl;            // first: a NET_BUFFER_LIST* is a SIM_NBL*
    NET_BUFFER nb;
    MDL mdl;
    UINT32 magic;
    SIM_NBL_KIND kind;
    SIM_PACKET_DATA* data;
    ULONG indicatedOffset;          // originals: the DataOffset WFP indicated
    BOOLEAN indicationOver;         // originals: every classifyFn of the indication returned
    BOOLEAN freed;
    LONG references;                // FwpsReferenceNetBufferList0
    HANDLE injectedBy;              // clones: the injection handle that injected it
    BOOLEAN injectionPending;       // injected, completion not called yet
    BOOLEAN ipHeaderRebuilt;        // FwpsConstructIpHeaderForTransportPacket0 ran on it
} SIM_NBL;

void SimNblReset(void);
void SimNblCheckClean(const char* when);
SIM_NBL* SimNblOf(const NET_BUFFER_LIST* netBufferList, const char* api);
NET_BUFFER_LIST* SimNblCreate(const SIM_LAYER* layer, const SIM_TRAFFIC* traffic);
void SimNblMetadata(const SIM_LAYER* layer, NET_BUFFER_LIST* packet, FWPS_INCOMING_METADATA_VALUES0* metadata,
                    WSACMSGHDR* controlData, ULONG controlDataLength);
void SimNblClassifyDone(NET_BUFFER_LIST* packet, const char* layerName);
void SimNblRelease(SIM_NBL* nbl);
ULONG SimIndicatedOffset(const SIM_LAYER* layer, const SIM_PACKET_DATA* data);
ULONG SimTransportHeaderSize(UINT8 protocol);

// worker.c: work items and events.
void SimWorkerReset(void);
void SimWorkerCheckClean(const char* when);
BOOLEAN SimWorkItemsQueued(void);

// traffic.c: classify a packet that already exists (an injected one).
SIM_RESULT SimClassifyPacket(const SIM_TRAFFIC* traffic, NET_BUFFER_LIST* packet);

// inject.c: injection handles and injections.
void SimInjectReset(void);
void SimInjectCheckClean(const char* when);
BOOLEAN SimInjectionsPending(void);
