//
// sim.h - what a test can do with the simulated Windows: load and unload the
// driver, run traffic through its callouts, start and end flows, add and
// delete filters as another WFP client would, stop and start the Base
// Filtering Engine, and make the Nth failable call fail.
//
// Every misuse of a kernel, KMDF or WFP API the simulation notices (a leak, a
// double free, a spin lock held too long, a callout left registered, ...)
// stops the test with "BUGCHECK: ..." and a non-zero exit status, the way
// Driver Verifier stops Windows.
//

#pragma once

#include <string.h>
#include <wchar.h>

#include <ntddk.h>
#include <wdf.h>
#include <fwpsk.h>
#include <fwpmk.h>

//
// The driver. SimDriverLoad calls DriverEntry; when DriverEntry fails it
// checks that nothing is left behind (pool, callouts, engine sessions, the
// control device). SimDriverUnload calls EvtDriverUnload and checks the same.
//
NTSTATUS SimDriverLoad(void);
void SimDriverUnload(void);
BOOLEAN SimDriverIsLoaded(void);

//
// The Base Filtering Engine runs unless a test stops it. Every state change
// is told to each FwpmBfeStateSubscribeChanges0 subscriber. Setting it
// STOPPED first ends every session (their handles go stale) and deletes every
// object BFE holds, with FWPS_CALLOUT_NOTIFY_DELETE_FILTER for callout filters.
//
void SimBfeSetState(FWPM_SERVICE_STATE state);

//
// BFE reaches FWPM_SERVICE_RUNNING while the driver is inside its next
// FwpmBfeStateSubscribeChanges0 call: just before the subscription exists
// (the driver is not told) or just after (it is told, before the call
// returns). Both can happen on Windows, where the state changes on another
// thread.
//
typedef enum SIM_BFE_RACE { SIM_BFE_STARTS_BEFORE_SUBSCRIBED, SIM_BFE_STARTS_AFTER_SUBSCRIBED } SIM_BFE_RACE;
void SimBfeStartDuringSubscribe(SIM_BFE_RACE race);

//
// BFE dies and starts again while the driver is inside its next
// FwpmBfeStateUnsubscribeChanges0 call, before the subscription ends: the
// driver hears STOPPED and RUNNING there (at unload, for example).
//
void SimBfeRestartDuringUnsubscribe(void);

//
// The committed objects in the filter engine: does one with this key exist,
// and how many filters the driver or a program added (through a session)
// call a callout.
//
typedef enum SIM_OBJECT_TYPE { SIM_OBJECT_PROVIDER, SIM_OBJECT_SUBLAYER, SIM_OBJECT_CALLOUT, SIM_OBJECT_FILTER } SIM_OBJECT_TYPE;
BOOLEAN SimEngineHasObject(SIM_OBJECT_TYPE type, const GUID* key);
ULONG SimEngineFiltersOfCallout(const GUID* calloutKey);

//
// After a program used the user-mode filter engine API (tests/sim/fwpmu.c):
// VIOLATION if it kept a FwpmFilterEnum0 result (FwpmFreeMemory0 missing).
//
void SimEngineCheckUser(const char* who);

//
// Stops the test with "VIOLATION: <what>", for rules a test checks itself.
//
#if defined(_MSC_VER)
__declspec(noreturn)
#else
__attribute__((noreturn))
#endif
void SimViolation(const char* format, ...);

//
// Filters added or deleted by another WFP client (not the driver), for
// example a filter that uses one of the driver's callouts. rawContext is what
// that client put in FWPM_FILTER0.rawContext. Returns the filter id.
//
UINT64 SimFilterAdd(UINT16 layerId, const GUID* calloutKey, FWP_ACTION_TYPE action, UINT64 rawContext);
void SimFilterDelete(UINT64 filterId);
ULONG SimFilterCount(void);

//
// Traffic. SimTraffic gives a sample for a layer: TCP from 10.0.0.1 (or
// fd00::1) port 49152 to 10.0.0.2 (fd00::2) port 443, outbound at outbound
// layers, by curl.exe. Change what your test needs, then classify.
//
typedef struct SIM_TRAFFIC {
    UINT16 layerId;
    // NULL: every callout filter at the layer classifies the traffic. A
    // callout's key: only that callout's filters do, as if the conditions of
    // the others did not match (SimCalloutTraffic). Scenarios of one callout
    // use it, so that another callout at the same layer does not answer too.
    const GUID* calloutKey;
    UINT8 protocol;             // IPPROTO_TCP, IPPROTO_UDP, ...
    FWP_DIRECTION direction;
    UINT32 localV4, remoteV4;   // IPv4 addresses in host byte order: SimIPv4(10, 0, 0, 1)
    UINT8 localV6[16], remoteV6[16]; // IPv6 addresses in network byte order
    UINT16 localPort, remotePort;
    UINT16 icmpType, icmpCode;
    UINT8 localMac[6], remoteMac[6];
    UINT16 etherType, vlanId;
    UINT32 interfaceIndex;
    UINT64 interfaceLuid;
    const wchar_t* appId;       // device-form path of the process, e.g. L"\\device\\...\\curl.exe"
    UINT64 processId;
    SIZE_T streamLength;        // stream layers: bytes indicated
    UINT32 streamFlags;         // FWPS_STREAM_FLAG_SEND or _RECEIVE
    BOOLEAN aleClassifyRequired; // inbound transport: the packet still needs ALE authorization
    BOOLEAN writeRight;         // classifyOut->rights has FWPS_RIGHT_ACTION_WRITE (default TRUE)
    FWP_ACTION_TYPE priorAction; // classifyOut->actionType before the callout (default FWP_ACTION_NONE)
    UINT32 classifyFlags;       // classifyOut->flags from the engine: FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA, ...
    BOOLEAN clearActionRight;   // the filter demands a hard permit (FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT)
    //
    // What the driver's own filtering logic decides, played by the test at
    // the spot classify.c leaves for that logic (SimUserLogic). Zero: the
    // logic decides nothing and the generated default verdict stands.
    //
    FWP_ACTION_TYPE logicVerdict; // FWP_ACTION_BLOCK, FWP_ACTION_PERMIT, ...
    UINT32 logicMoreBytes;      // stream layers: ask for this many more bytes (FWPS_STREAM_ACTION_NEED_MORE_DATA)
    BOOLEAN logicRedirect;      // connect and bind redirect layers: redirect the request
    //
    // Packet layers: the packet is built from the fields above (IP header,
    // TCP or UDP header, then the payload); an inbound one still has a
    // 14-byte Ethernet header in front. payload NULL: a 32-byte sample.
    //
    const UINT8* payload;
    ULONG payloadLength;
    UINT32 conditionFlags;      // the layer's FLAGS field: FWP_CONDITION_FLAG_IS_IPSEC_SECURED, ...
    BOOLEAN ipsecTunnel;        // inbound: tunnel-mode IPsec, not yet detunneled
    const void* controlData;    // outbound transport: the socket's control data (WSACMSGHDR ...)
    ULONG controlDataLength;
} SIM_TRAFFIC;

#define SimIPv4(a, b, c, d) ((UINT32)(((UINT32)(a) << 24) | ((UINT32)(b) << 16) | ((UINT32)(c) << 8) | (UINT32)(d)))

SIM_TRAFFIC SimTraffic(UINT16 layerId);
SIM_TRAFFIC SimCalloutTraffic(UINT16 layerId, const GUID* calloutKey);

typedef struct SIM_RESULT {
    FWP_ACTION_TYPE actionType; // the verdict after every callout filter of the layer ran
    UINT32 rights;              // classifyOut->rights afterwards
    ULONG classifyCount;        // how many classifyFn calls there were
    FWPS_STREAM_ACTION_TYPE streamAction; // stream layers: what the callout asked for
    UINT32 countBytesRequired;  // stream layers: how many more bytes it asked for
    ULONG redirects;            // redirect layers: requests the callouts modified and applied
    BOOLEAN absorbed;           // a callout blocked with FWPS_CLASSIFY_OUT_FLAG_ABSORB
} SIM_RESULT;

//
// Runs every filter at the traffic's layer that calls one of the registered
// callouts, in the order the filters were added, as the filter engine does:
// classifyFn at DISPATCH_LEVEL with all the layer's fields and metadata.
//
SIM_RESULT SimClassify(const SIM_TRAFFIC* traffic);

//
// What classify read. After SimExpectValues(CALLOUT_X, check), every
// classifyFn of callout X hands the <CALLOUT>_VALUES it built to check, with
// the traffic being classified; SimValuesChecked counts those calls.
// SimValueIs tells whether a pointer the driver read points at the value of
// field fieldIndex of that classification. SimExpectValues(0, NULL) stops.
//
typedef void SIM_VALUES_CHECK(const void* values, const SIM_TRAFFIC* traffic);
void SimExpectValues(ULONG callout, SIM_VALUES_CHECK* check);
ULONG SimValuesChecked(void);
BOOLEAN SimValueIs(UINT32 fieldIndex, const void* read);

//
// Flows. SimFlowStart classifies the traffic at ALE_FLOW_ESTABLISHED of its
// family with a flow handle, where the driver associates its flow contexts,
// and returns the flow id. SimFlowClassify classifies traffic of that flow
// (with each callout's flowContext; callouts registered with
// FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW only see flows with a context).
// SimFlowEnd ends the flow: flowDeleteFn runs for every context still on it.
//
UINT64 SimFlowStart(const SIM_TRAFFIC* traffic);
SIM_RESULT SimFlowClassify(UINT64 flowId, const SIM_TRAFFIC* traffic);
ULONG SimFlowContextCount(UINT64 flowId);

//
// A classifyFn for the flow is running on another processor: until it
// returns, FwpsFlowRemoveContext0 on the flow answers STATUS_PENDING and its
// flowDeleteFn comes later. It returns while the driver waits for a busy
// callout to unregister, or when the flow ends.
//
void SimFlowClassifyElsewhere(UINT64 flowId);
void SimFlowEnd(UINT64 flowId);
//
// Work items and injections. Work the driver queued (IoQueueWorkItem) runs
// when the test calls SimRunWorkItems, at PASSIVE_LEVEL, or when the driver
// waits for an event. Injections (FwpsInject*Async0) stay pending until
// SimCompleteInjections: each injected packet is classified at its layer
// again (FwpsQueryPacketInjectionState0 tells the driver it is its own),
// then the driver's completion function runs. SimRunPendingWork does both
// until nothing is left. SimInjectCompleteInline(TRUE) completes each
// injection inside the FwpsInject*Async0 call instead (Windows does both);
// SimInjectFailAsync(status) makes the next completions report status in
// NET_BUFFER_LIST.Status (STATUS_SUCCESS again to stop).
//
void SimRunWorkItems(void);
BOOLEAN SimCompleteInjections(void);
void SimRunPendingWork(void);
void SimInjectCompleteInline(BOOLEAN completeInline);
void SimInjectFailAsync(NTSTATUS status);

//
// What was injected, in the order of the calls.
//
#define SIM_INJECTIONS_MAX 2048
#define SIM_PACKET_MAX 256
typedef enum SIM_INJECT_CALL {
    SIM_INJECT_TRANSPORT_SEND = 1,  // FwpsInjectTransportSendAsync0
    SIM_INJECT_TRANSPORT_RECEIVE,   // FwpsInjectTransportReceiveAsync0
    SIM_INJECT_NETWORK_SEND,        // FwpsInjectNetworkSendAsync0
    SIM_INJECT_NETWORK_RECEIVE      // FwpsInjectNetworkReceiveAsync0
} SIM_INJECT_CALL;

typedef struct SIM_INJECTION {
    SIM_INJECT_CALL call;
    UINT16 layerId;             // where the packet was captured
    ULONG length;               // bytes injected, from the data offset
    UINT8 bytes[SIM_PACKET_MAX]; // the first of them
    ULONG payloadOffset;        // where the transport payload starts in bytes
    ADDRESS_FAMILY addressFamily;
    ULONG compartmentId;
    UINT64 endpointHandle;      // transport send
    UINT8 remoteAddress[16];    // transport send, network byte order
    ULONG remoteScopeId;
    UINT8 controlData[64];
    ULONG controlDataLength;
    ULONG interfaceIndex, subInterfaceIndex; // receives
    BOOLEAN ipHeaderRebuilt;    // FwpsConstructIpHeaderForTransportPacket0 ran first
    BOOLEAN delivered;          // classified again at its layer and not blocked
    BOOLEAN completed;          // the completion function ran
    NTSTATUS status;            // what NET_BUFFER_LIST.Status said then
} SIM_INJECTION;

ULONG SimInjectedCount(void);
const SIM_INJECTION* SimInjected(ULONG index);

//
// What <Callout>Inspect of a reinject callout decides in the tests (0: the
// generated default, FWP_ACTION_PERMIT), and how often it ran.
//
void SimSetInspectVerdict(FWP_ACTION_TYPE verdict);
ULONG SimInspectCount(void);

//
// Pool blocks outstanding with a tag (0: all tags).
//
ULONG SimPoolBlocks(ULONG tag);

//
// Fault injection: after SimFaultArm(n), the nth failable call from then on
// fails (allocations, KMDF object creation, callout registration, engine
// open, transaction begin and commit, each object add, flow association).
// SimFaultHits counts the failable calls made since arming.
//
void SimFaultArm(ULONG n);
void SimFaultDisarm(void);
ULONG SimFaultHits(void);
BOOLEAN SimFaultFired(void);

//
// User mode: a program that opens the driver's control device and sends it
// IOCTLs, as through CreateFileW, DeviceIoControl, CancelIoEx and
// CloseHandle. SimOpenDevice opens a \\.\NAME path as an elevated
// administrator or as a standard user, asking for FILE_READ_DATA and/or
// FILE_WRITE_DATA (GENERIC_READ and GENERIC_WRITE map to them); the
// device's security decides. Buffers are copied in and out as the I/O
// manager copies them: the driver never sees the test's pointers.
//
// SimDeviceIoControl waits for the answer; when the driver keeps the
// request pending it returns STATUS_PENDING (the request stays with the
// simulation): use SimDeviceIoControlAsync for requests that wait, poll
// SimIoDone, cancel with SimIoCancel and free with SimIoFree once done.
// SimCloseHandle is CloseHandle of the last handle: cleanup, then close.
//
typedef struct SIM_HANDLE SIM_HANDLE;
typedef struct SIM_IO SIM_IO;

NTSTATUS SimOpenDevice(const WCHAR* userPath, BOOLEAN administrator, ULONG desiredAccess, SIM_HANDLE** handle);
NTSTATUS SimDeviceIoControl(SIM_HANDLE* h, ULONG code, const void* in, ULONG inLength, void* out, ULONG outLength,
                            ULONG* returned);
NTSTATUS SimDeviceIoControlAsync(SIM_HANDLE* h, ULONG code, const void* in, ULONG inLength, ULONG outLength,
                                 SIM_IO** io);
BOOLEAN SimIoDone(SIM_IO* io, NTSTATUS* status, const void** out, ULONG* returned);
void SimIoCancel(SIM_IO* io);
void SimIoFree(SIM_IO* io);
void SimCloseHandle(SIM_HANDLE* h);

//
// The process the test plays from now on (4242 until set): the caller of
// the user-mode calls above, as PsGetCurrentProcessId tells the driver.
//
void SimSetCurrentProcessId(UINT64 processId);

//
// Checks that do not stop the test: a failed one is reported and the test
// fails at the end.
//
void SimCheck(BOOLEAN ok, const char* what, const char* file, int line);
void SimCheckAction(FWP_ACTION_TYPE actual, FWP_ACTION_TYPE expected, const char* file, int line);
#define SIM_CHECK(condition) SimCheck((BOOLEAN)((condition) ? TRUE : FALSE), #condition, __FILE__, __LINE__)
#define SIM_CHECK_ACTION(actual, expected) SimCheckAction((actual), (expected), __FILE__, __LINE__)

//
// Tests. A SIM_LOADED test runs with the driver loaded (and unloaded and
// checked afterwards); a SIM_UNLOADED test loads it itself.
//
typedef enum SIM_START { SIM_UNLOADED, SIM_LOADED } SIM_START;

typedef struct SIM_TEST {
    const char* name;
    void (*run)(void);
    SIM_START start;
} SIM_TEST;

extern const SIM_TEST SimScenarios[]; // scenarios.c, ends with a NULL name
extern const SIM_TEST SimReinjectScenarios[]; // scenarios_reinject.c
extern const SIM_TEST UserTests[];    // user_tests.c, ends with a NULL name

//
// The driver under test.
//
EXTERN_C DRIVER_INITIALIZE DriverEntry;
