//
// LitwareMonitor_ioctl.h - the control channel of LitwareMonitor, shared by the driver and
// the programs that talk to it.
//
// Who may call what: the device lets only SYSTEM and the Administrators group
// open it. Each IOCTL's access bits say what the handle needs: FILE_READ_DATA
// to read (version, statistics, events), FILE_WRITE_DATA to change the
// driver's behaviour (enable or disable a callout).
// A handle opened with GENERIC_READ | GENERIC_WRITE has both.
//
// Every structure has an explicit size and starts, when user mode sends it,
// with Size and Version: the driver rejects a buffer whose Size is not the
// size it knows (STATUS_INVALID_PARAMETER) or whose Version is not
// LITWARE_MONITOR_INTERFACE_VERSION (STATUS_REVISION_MISMATCH). Change a structure
// only together with LITWARE_MONITOR_INTERFACE_VERSION.
//
// Kernel mode includes this after ntddk.h; user mode after windows.h and
// winioctl.h (CTL_CODE).
//

#pragma once

//
// Bump when any code or structure below changes.
//
#define LITWARE_MONITOR_INTERFACE_VERSION 1u

//
// Names of the control device. User mode opens LITWARE_MONITOR_USER_PATH with CreateFileW.
//
#define LITWARE_MONITOR_DEVICE_NAME  L"\\Device\\LitwareMonitor"
#define LITWARE_MONITOR_LINK_NAME    L"\\DosDevices\\Global\\LitwareMonitor"
#define LITWARE_MONITOR_USER_PATH    L"\\\\.\\LitwareMonitor"

//
// Device types 0x8000-0xFFFF and function codes 0x800-0xFFF are for vendors
// (Microsoft Learn, "Defining I/O Control Codes").
//
#define LITWARE_MONITOR_DEVICE_TYPE 0xAB7Fu

//
// Out: LITWARE_MONITOR_VERSION_INFO. In: nothing.
//
#define IOCTL_LITWARE_MONITOR_GET_VERSION \
    CTL_CODE(LITWARE_MONITOR_DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_READ_DATA)

//
// Out: LITWARE_MONITOR_STATISTICS. In: nothing.
//
#define IOCTL_LITWARE_MONITOR_GET_STATISTICS \
    CTL_CODE(LITWARE_MONITOR_DEVICE_TYPE, 0x801, METHOD_BUFFERED, FILE_READ_DATA)

//
// In: LITWARE_MONITOR_SET_CALLOUT. Out: nothing. A disabled callout leaves traffic to
// the other filters: it gives its default verdict and records no event.
//
#define IOCTL_LITWARE_MONITOR_SET_CALLOUT \
    CTL_CODE(LITWARE_MONITOR_DEVICE_TYPE, 0x802, METHOD_BUFFERED, FILE_WRITE_DATA)

//
// Out: LITWARE_MONITOR_EVENTS followed by as many LITWARE_MONITOR_EVENT as fit. In: nothing.
// The request stays pending until there is at least one event: keep one or
// more outstanding (overlapped I/O) so events are not dropped.
//
#define IOCTL_LITWARE_MONITOR_GET_EVENTS \
    CTL_CODE(LITWARE_MONITOR_DEVICE_TYPE, 0x803, METHOD_BUFFERED, FILE_READ_DATA)

//
// Callout numbers, as in IOCTL_LITWARE_MONITOR_SET_CALLOUT and the statistics.
//
#define LITWARE_MONITOR_CALLOUT_CONNECT_V4 0u // ALE_AUTH_CONNECT_V4
#define LITWARE_MONITOR_CALLOUT_CONNECT_V6 1u // ALE_AUTH_CONNECT_V6
#define LITWARE_MONITOR_CALLOUT_TRANSPORT_OUT_V4 2u // OUTBOUND_TRANSPORT_V4
#define LITWARE_MONITOR_CALLOUT_COUNT 3u

//
// Bits of LITWARE_MONITOR_VERSION_INFO.Features.
//
#define LITWARE_MONITOR_FEATURE_EVENTS   0x00000001u
#define LITWARE_MONITOR_FEATURE_ASK      0x00000002u
#define LITWARE_MONITOR_FEATURE_REINJECT 0x00000004u

#define LITWARE_MONITOR_VERDICT_NONE   0u // no verdict (inspection, or the callout decided nothing)
#define LITWARE_MONITOR_VERDICT_PERMIT 1u
#define LITWARE_MONITOR_VERDICT_BLOCK  2u

#define LITWARE_MONITOR_EVENT_CONNECTION 1u // classify saw traffic and decided
#define LITWARE_MONITOR_EVENT_QUESTION   2u // an ask callout waits for IOCTL_LITWARE_MONITOR_ANSWER

#define LITWARE_MONITOR_FAMILY_V4 4u
#define LITWARE_MONITOR_FAMILY_V6 6u

typedef struct _LITWARE_MONITOR_VERSION_INFO {
    UINT32 Size;             // sizeof(LITWARE_MONITOR_VERSION_INFO)
    UINT32 InterfaceVersion; // LITWARE_MONITOR_INTERFACE_VERSION
    UINT16 DriverVersion[4]; // major, minor, build, revision
    UINT32 CalloutCount;     // LITWARE_MONITOR_CALLOUT_COUNT
    UINT32 Features;         // LITWARE_MONITOR_FEATURE_*
} LITWARE_MONITOR_VERSION_INFO;      // 24 bytes

typedef struct _LITWARE_MONITOR_CALLOUT_STATISTICS {
    UINT64 Classifies;    // classifyFn calls
    UINT64 Permits;
    UINT64 Blocks;
    UINT64 EventsDropped; // events lost because the ring was full
    UINT32 Enabled;       // 1 while enabled
    UINT32 Reserved;      // 0
} LITWARE_MONITOR_CALLOUT_STATISTICS; // 40 bytes

typedef struct _LITWARE_MONITOR_STATISTICS {
    UINT32 Size;         // sizeof(LITWARE_MONITOR_STATISTICS)
    UINT32 CalloutCount; // LITWARE_MONITOR_CALLOUT_COUNT
    LITWARE_MONITOR_CALLOUT_STATISTICS Callouts[LITWARE_MONITOR_CALLOUT_COUNT];
} LITWARE_MONITOR_STATISTICS;

typedef struct _LITWARE_MONITOR_SET_CALLOUT {
    UINT32 Size;    // sizeof(LITWARE_MONITOR_SET_CALLOUT)
    UINT32 Version; // LITWARE_MONITOR_INTERFACE_VERSION
    UINT32 Callout; // LITWARE_MONITOR_CALLOUT_*
    UINT32 Enable;  // 1 to enable, 0 to disable
} LITWARE_MONITOR_SET_CALLOUT; // 16 bytes

//
// One event. Addresses are in network byte order (IPv4 in the first four
// bytes, the rest zero); ports in host byte order.
//
typedef struct _LITWARE_MONITOR_EVENT {
    UINT32 Size;          // sizeof(LITWARE_MONITOR_EVENT)
    UINT16 Kind;          // LITWARE_MONITOR_EVENT_*
    UINT16 Callout;       // LITWARE_MONITOR_CALLOUT_*
    UINT64 Sequence;      // counts every event recorded or dropped, from 1
    UINT64 ProcessId;     // 0 when the layer has none
    UINT64 QuestionId;    // LITWARE_MONITOR_EVENT_QUESTION: the id to answer; else 0
    UINT32 LayerId;       // FWPS_LAYER_* run-time id
    UINT32 Verdict;       // LITWARE_MONITOR_VERDICT_*
    UINT8 Family;         // LITWARE_MONITOR_FAMILY_*, 0 at layers without addresses
    UINT8 Protocol;       // IPPROTO_*
    UINT8 Direction;      // FWP_DIRECTION_OUTBOUND (0) or FWP_DIRECTION_INBOUND (1)
    UINT8 Reserved;       // 0
    UINT16 LocalPort;
    UINT16 RemotePort;
    UINT8 LocalAddress[16];
    UINT8 RemoteAddress[16];
} LITWARE_MONITOR_EVENT; // 80 bytes

typedef struct _LITWARE_MONITOR_EVENTS {
    UINT32 Size;  // bytes written: sizeof(LITWARE_MONITOR_EVENTS) + Count * sizeof(LITWARE_MONITOR_EVENT)
    UINT32 Count; // events that follow
} LITWARE_MONITOR_EVENTS; // 8 bytes

//
// The sizes above are part of the interface: both halves must agree on them.
//
C_ASSERT(sizeof(LITWARE_MONITOR_VERSION_INFO) == 24);
C_ASSERT(sizeof(LITWARE_MONITOR_CALLOUT_STATISTICS) == 40);
C_ASSERT(sizeof(LITWARE_MONITOR_STATISTICS) == 8 + 40 * LITWARE_MONITOR_CALLOUT_COUNT);
C_ASSERT(sizeof(LITWARE_MONITOR_SET_CALLOUT) == 16);
C_ASSERT(sizeof(LITWARE_MONITOR_EVENT) == 80);
C_ASSERT(sizeof(LITWARE_MONITOR_EVENTS) == 8);
