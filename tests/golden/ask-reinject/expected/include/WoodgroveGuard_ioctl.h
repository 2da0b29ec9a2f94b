//
// WoodgroveGuard_ioctl.h - the control channel of WoodgroveGuard, shared by the driver and
// the programs that talk to it.
//
// Who may call what: the device lets only SYSTEM and the Administrators group
// open it. Each IOCTL's access bits say what the handle needs: FILE_READ_DATA
// to read (version, statistics, events), FILE_WRITE_DATA to change the
// driver's behaviour (enable or disable a callout, answer a question).
// A handle opened with GENERIC_READ | GENERIC_WRITE has both.
//
// Every structure has an explicit size and starts, when user mode sends it,
// with Size and Version: the driver rejects a buffer whose Size is not the
// size it knows (STATUS_INVALID_PARAMETER) or whose Version is not
// WOODGROVE_GUARD_INTERFACE_VERSION (STATUS_REVISION_MISMATCH). Change a structure
// only together with WOODGROVE_GUARD_INTERFACE_VERSION.
//
// Kernel mode includes this after ntddk.h; user mode after windows.h and
// winioctl.h (CTL_CODE).
//

#pragma once

//
// Bump when any code or structure below changes.
//
#define WOODGROVE_GUARD_INTERFACE_VERSION 1u

//
// Names of the control device. User mode opens WOODGROVE_GUARD_USER_PATH with CreateFileW.
//
#define WOODGROVE_GUARD_DEVICE_NAME  L"\\Device\\WoodgroveGuard"
#define WOODGROVE_GUARD_LINK_NAME    L"\\DosDevices\\Global\\WoodgroveGuard"
#define WOODGROVE_GUARD_USER_PATH    L"\\\\.\\WoodgroveGuard"

//
// Device types 0x8000-0xFFFF and function codes 0x800-0xFFF are for vendors
// (Microsoft Learn, "Defining I/O Control Codes").
//
#define WOODGROVE_GUARD_DEVICE_TYPE 0xF6B0u

//
// Out: WOODGROVE_GUARD_VERSION_INFO. In: nothing.
//
#define IOCTL_WOODGROVE_GUARD_GET_VERSION \
    CTL_CODE(WOODGROVE_GUARD_DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_READ_DATA)

//
// Out: WOODGROVE_GUARD_STATISTICS. In: nothing.
//
#define IOCTL_WOODGROVE_GUARD_GET_STATISTICS \
    CTL_CODE(WOODGROVE_GUARD_DEVICE_TYPE, 0x801, METHOD_BUFFERED, FILE_READ_DATA)

//
// In: WOODGROVE_GUARD_SET_CALLOUT. Out: nothing. A disabled callout leaves traffic to
// the other filters: it gives its default verdict and records no event.
//
#define IOCTL_WOODGROVE_GUARD_SET_CALLOUT \
    CTL_CODE(WOODGROVE_GUARD_DEVICE_TYPE, 0x802, METHOD_BUFFERED, FILE_WRITE_DATA)

//
// Out: WOODGROVE_GUARD_EVENTS followed by as many WOODGROVE_GUARD_EVENT as fit. In: nothing.
// The request stays pending until there is at least one event: keep one or
// more outstanding (overlapped I/O) so events are not dropped.
//
#define IOCTL_WOODGROVE_GUARD_GET_EVENTS \
    CTL_CODE(WOODGROVE_GUARD_DEVICE_TYPE, 0x803, METHOD_BUFFERED, FILE_READ_DATA)

//
// In: WOODGROVE_GUARD_LISTEN. Out: nothing. Makes this handle the one that answers
// questions; when it is closed, every open question gets the default verdict.
//
#define IOCTL_WOODGROVE_GUARD_LISTEN \
    CTL_CODE(WOODGROVE_GUARD_DEVICE_TYPE, 0x804, METHOD_BUFFERED, FILE_WRITE_DATA)

//
// In: WOODGROVE_GUARD_ANSWER. Out: nothing.
//
#define IOCTL_WOODGROVE_GUARD_ANSWER \
    CTL_CODE(WOODGROVE_GUARD_DEVICE_TYPE, 0x805, METHOD_BUFFERED, FILE_WRITE_DATA)

//
// Callout numbers, as in IOCTL_WOODGROVE_GUARD_SET_CALLOUT and the statistics.
//
#define WOODGROVE_GUARD_CALLOUT_CONNECT_V4 0u // ALE_AUTH_CONNECT_V4
#define WOODGROVE_GUARD_CALLOUT_RECV_ACCEPT_V6 1u // ALE_AUTH_RECV_ACCEPT_V6
#define WOODGROVE_GUARD_CALLOUT_TRANSPORT_OUT_V4 2u // OUTBOUND_TRANSPORT_V4
#define WOODGROVE_GUARD_CALLOUT_TRANSPORT_IN_V6 3u // INBOUND_TRANSPORT_V6
#define WOODGROVE_GUARD_CALLOUT_IP_PACKET_OUT_V4 4u // OUTBOUND_IPPACKET_V4
#define WOODGROVE_GUARD_CALLOUT_COUNT 5u

//
// Bits of WOODGROVE_GUARD_VERSION_INFO.Features.
//
#define WOODGROVE_GUARD_FEATURE_EVENTS   0x00000001u
#define WOODGROVE_GUARD_FEATURE_ASK      0x00000002u
#define WOODGROVE_GUARD_FEATURE_REINJECT 0x00000004u

#define WOODGROVE_GUARD_VERDICT_NONE   0u // no verdict (inspection, or the callout decided nothing)
#define WOODGROVE_GUARD_VERDICT_PERMIT 1u
#define WOODGROVE_GUARD_VERDICT_BLOCK  2u

#define WOODGROVE_GUARD_EVENT_CONNECTION 1u // classify saw traffic and decided
#define WOODGROVE_GUARD_EVENT_QUESTION   2u // an ask callout waits for IOCTL_WOODGROVE_GUARD_ANSWER

#define WOODGROVE_GUARD_FAMILY_V4 4u
#define WOODGROVE_GUARD_FAMILY_V6 6u

typedef struct _WOODGROVE_GUARD_VERSION_INFO {
    UINT32 Size;             // sizeof(WOODGROVE_GUARD_VERSION_INFO)
    UINT32 InterfaceVersion; // WOODGROVE_GUARD_INTERFACE_VERSION
    UINT16 DriverVersion[4]; // major, minor, build, revision
    UINT32 CalloutCount;     // WOODGROVE_GUARD_CALLOUT_COUNT
    UINT32 Features;         // WOODGROVE_GUARD_FEATURE_*
} WOODGROVE_GUARD_VERSION_INFO;      // 24 bytes

typedef struct _WOODGROVE_GUARD_CALLOUT_STATISTICS {
    UINT64 Classifies;    // classifyFn calls
    UINT64 Permits;
    UINT64 Blocks;
    UINT64 EventsDropped; // events lost because the ring was full
    UINT32 Enabled;       // 1 while enabled
    UINT32 Reserved;      // 0
} WOODGROVE_GUARD_CALLOUT_STATISTICS; // 40 bytes

typedef struct _WOODGROVE_GUARD_STATISTICS {
    UINT32 Size;         // sizeof(WOODGROVE_GUARD_STATISTICS)
    UINT32 CalloutCount; // WOODGROVE_GUARD_CALLOUT_COUNT
    WOODGROVE_GUARD_CALLOUT_STATISTICS Callouts[WOODGROVE_GUARD_CALLOUT_COUNT];
} WOODGROVE_GUARD_STATISTICS;

typedef struct _WOODGROVE_GUARD_SET_CALLOUT {
    UINT32 Size;    // sizeof(WOODGROVE_GUARD_SET_CALLOUT)
    UINT32 Version; // WOODGROVE_GUARD_INTERFACE_VERSION
    UINT32 Callout; // WOODGROVE_GUARD_CALLOUT_*
    UINT32 Enable;  // 1 to enable, 0 to disable
} WOODGROVE_GUARD_SET_CALLOUT; // 16 bytes

//
// One event. Addresses are in network byte order (IPv4 in the first four
// bytes, the rest zero); ports in host byte order.
//
typedef struct _WOODGROVE_GUARD_EVENT {
    UINT32 Size;          // sizeof(WOODGROVE_GUARD_EVENT)
    UINT16 Kind;          // WOODGROVE_GUARD_EVENT_*
    UINT16 Callout;       // WOODGROVE_GUARD_CALLOUT_*
    UINT64 Sequence;      // counts every event recorded or dropped, from 1
    UINT64 ProcessId;     // 0 when the layer has none
    UINT64 QuestionId;    // WOODGROVE_GUARD_EVENT_QUESTION: the id to answer; else 0
    UINT32 LayerId;       // FWPS_LAYER_* run-time id
    UINT32 Verdict;       // WOODGROVE_GUARD_VERDICT_*
    UINT8 Family;         // WOODGROVE_GUARD_FAMILY_*, 0 at layers without addresses
    UINT8 Protocol;       // IPPROTO_*
    UINT8 Direction;      // FWP_DIRECTION_OUTBOUND (0) or FWP_DIRECTION_INBOUND (1)
    UINT8 Reserved;       // 0
    UINT16 LocalPort;
    UINT16 RemotePort;
    UINT8 LocalAddress[16];
    UINT8 RemoteAddress[16];
} WOODGROVE_GUARD_EVENT; // 80 bytes

typedef struct _WOODGROVE_GUARD_EVENTS {
    UINT32 Size;  // bytes written: sizeof(WOODGROVE_GUARD_EVENTS) + Count * sizeof(WOODGROVE_GUARD_EVENT)
    UINT32 Count; // events that follow
} WOODGROVE_GUARD_EVENTS; // 8 bytes

typedef struct _WOODGROVE_GUARD_LISTEN {
    UINT32 Size;    // sizeof(WOODGROVE_GUARD_LISTEN)
    UINT32 Version; // WOODGROVE_GUARD_INTERFACE_VERSION
} WOODGROVE_GUARD_LISTEN; // 8 bytes

typedef struct _WOODGROVE_GUARD_ANSWER {
    UINT32 Size;       // sizeof(WOODGROVE_GUARD_ANSWER)
    UINT32 Version;    // WOODGROVE_GUARD_INTERFACE_VERSION
    UINT64 QuestionId; // from the WOODGROVE_GUARD_EVENT_QUESTION event
    UINT32 Verdict;    // WOODGROVE_GUARD_VERDICT_PERMIT or WOODGROVE_GUARD_VERDICT_BLOCK
    UINT32 Reserved;   // 0
} WOODGROVE_GUARD_ANSWER; // 24 bytes

//
// The sizes above are part of the interface: both halves must agree on them.
//
C_ASSERT(sizeof(WOODGROVE_GUARD_VERSION_INFO) == 24);
C_ASSERT(sizeof(WOODGROVE_GUARD_CALLOUT_STATISTICS) == 40);
C_ASSERT(sizeof(WOODGROVE_GUARD_STATISTICS) == 8 + 40 * WOODGROVE_GUARD_CALLOUT_COUNT);
C_ASSERT(sizeof(WOODGROVE_GUARD_SET_CALLOUT) == 16);
C_ASSERT(sizeof(WOODGROVE_GUARD_EVENT) == 80);
C_ASSERT(sizeof(WOODGROVE_GUARD_EVENTS) == 8);
C_ASSERT(sizeof(WOODGROVE_GUARD_LISTEN) == 8);
C_ASSERT(sizeof(WOODGROVE_GUARD_ANSWER) == 24);
