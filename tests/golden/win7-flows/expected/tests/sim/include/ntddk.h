//
// ntddk.h - the kernel part of the user-mode simulation that runs
// ContosoFlow in tests/. Not the WDK header: it declares only what the
// driver uses, with the documented types and meanings, and routes every call
// to the simulation (sim/*.c), which checks it the way Driver Verifier would.
//

#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#ifdef __cplusplus
#define EXTERN_C extern "C"
#define SIM_DEFINITION extern "C"
#else
#define EXTERN_C extern
#define SIM_DEFINITION
#endif

//
// SAL annotations matter to code analysis only. MSVC's C runtime brings
// sal.h with some of them; the rest are empty here.
//
#ifndef _In_
#define _In_
#endif
#ifndef _In_opt_
#define _In_opt_
#endif
#ifndef _Inout_
#define _Inout_
#endif
#ifndef _Inout_opt_
#define _Inout_opt_
#endif
#ifndef _Out_
#define _Out_
#endif
#ifndef _Out_opt_
#define _Out_opt_
#endif
#ifndef _Must_inspect_result_
#define _Must_inspect_result_
#endif
#ifndef _Use_decl_annotations_
#define _Use_decl_annotations_
#endif
#ifndef _IRQL_requires_
#define _IRQL_requires_(irql)
#endif
#ifndef _IRQL_requires_max_
#define _IRQL_requires_max_(irql)
#endif
#ifndef _IRQL_requires_min_
#define _IRQL_requires_min_(irql)
#endif
#ifndef _IRQL_requires_same_
#define _IRQL_requires_same_
#endif
#ifndef _Post_writable_byte_size_
#define _Post_writable_byte_size_(size)
#endif
#ifndef __drv_allocatesMem
#define __drv_allocatesMem(kind)
#endif

#define NTAPI
#define CALLBACK
#define FORCEINLINE static inline
#define UNREFERENCED_PARAMETER(p) ((void)(p))

//
// Windows is LLP64: LONG and ULONG are 32 bits on every platform.
//
typedef void VOID;
typedef void* PVOID;
typedef void* HANDLE;
typedef uint8_t UINT8, UCHAR, BOOLEAN;
typedef uint16_t UINT16, USHORT;
typedef uint32_t UINT32, ULONG, DWORD;
typedef int32_t LONG, NTSTATUS;
typedef int64_t LONGLONG;
typedef uint64_t UINT64, ULONGLONG;
typedef uintptr_t ULONG_PTR;
typedef size_t SIZE_T;
typedef char CHAR;
typedef wchar_t WCHAR;
typedef WCHAR* PWSTR;
typedef ULONG* PULONG;

#define TRUE 1
#define FALSE 0

//
// Windows versions (sdkddkver.h). NTDDI_VERSION is the Windows the driver is
// built for, as the project's _NT_TARGET_VERSION sets it in the WDK build;
// headers declare only what that Windows has. The simulation runs the
// project's minimum Windows (sim/layers.c).
//
#define NTDDI_WIN7 0x06010000
#define NTDDI_WIN8 0x06020000
#define NTDDI_WINBLUE 0x06030000
#define NTDDI_WINTHRESHOLD 0x0A000000
#define NTDDI_WIN10 0x0A000000
#define NTDDI_WIN10_TH2 0x0A000001
#define NTDDI_WIN10_RS1 0x0A000002
#define NTDDI_WIN10_RS2 0x0A000003
#define NTDDI_WIN10_RS3 0x0A000004
#define NTDDI_WIN10_RS4 0x0A000005
#define NTDDI_WIN10_RS5 0x0A000006
#define NTDDI_WIN10_19H1 0x0A000007
#define NTDDI_WIN10_VB 0x0A000008
#define NTDDI_WIN10_MN 0x0A000009
#define NTDDI_WIN10_FE 0x0A00000A
#define NTDDI_WIN10_CO 0x0A00000B
#define NTDDI_WIN10_NI 0x0A00000C
#define NTDDI_WIN10_CU 0x0A00000D
#ifndef NTDDI_VERSION
#define NTDDI_VERSION 0x06010000
#endif

typedef union _LARGE_INTEGER {
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING* PCUNICODE_STRING;

typedef struct _GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID;

//
// DEFINE_GUID declares a GUID; after initguid.h it defines it.
//
#ifdef INITGUID
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    SIM_DEFINITION const GUID name = { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
#else
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) EXTERN_C const GUID name
#endif

//
// NTSTATUS values (ntstatus.h).
//
#define NT_SUCCESS(status) (((NTSTATUS)(status)) >= 0)
#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_TIMEOUT ((NTSTATUS)0x00000102L)
#define STATUS_PENDING ((NTSTATUS)0x00000103L)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001L)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define STATUS_NO_MEMORY ((NTSTATUS)0xC0000017L)
#define STATUS_OBJECT_NAME_EXISTS ((NTSTATUS)0x40000000L)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#define STATUS_DEVICE_BUSY ((NTSTATUS)0x80000011L)
#define STATUS_SHUTDOWN_IN_PROGRESS ((NTSTATUS)0xC00002FEL)
#define STATUS_INVALID_DEVICE_STATE ((NTSTATUS)0xC0000184L)
#define STATUS_NOT_FOUND ((NTSTATUS)0xC0000225L)
// What FwpmEngineOpen0 returns while the Base Filtering Engine is not running
// (the RPC endpoint is not registered).
#define EPT_NT_NOT_REGISTERED ((NTSTATUS)0xC0020030L)

//
// Checked in every build of the simulation: a failed NT_ASSERT fails the test.
//
EXTERN_C void SimAssertFailed(const char* expression, const char* file, int line);
#define NT_ASSERT(expression) \
    ((expression) ? (void)0 : SimAssertFailed(#expression, __FILE__, __LINE__))

#define RtlZeroMemory(destination, length) memset((destination), 0, (length))
#define RtlCopyMemory(destination, source, length) memcpy((destination), (source), (length))
#define RtlEqualMemory(a, b, length) (memcmp((a), (b), (length)) == 0)

//
// Debugger output: printed when the test runs with SIM_VERBOSE set.
//
#define DPFLTR_IHVNETWORK_ID 0
#define DPFLTR_ERROR_LEVEL 0
#define DPFLTR_WARNING_LEVEL 1
#define DPFLTR_TRACE_LEVEL 2
#define DPFLTR_INFO_LEVEL 3
EXTERN_C ULONG DbgPrintEx(ULONG componentId, ULONG level, const char* format, ...);

//
// Doubly linked lists (the inline functions of wdm.h, same semantics).
//
typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY* Flink;
    struct _LIST_ENTRY* Blink;
} LIST_ENTRY, *PLIST_ENTRY;

#define CONTAINING_RECORD(address, type, field) \
    ((type*)((char*)(address) - offsetof(type, field)))

FORCEINLINE void InitializeListHead(LIST_ENTRY* head)
{
    head->Flink = head->Blink = head;
}

FORCEINLINE BOOLEAN IsListEmpty(const LIST_ENTRY* head)
{
    return (BOOLEAN)(head->Flink == head);
}

FORCEINLINE BOOLEAN RemoveEntryList(LIST_ENTRY* entry)
{
    LIST_ENTRY* next = entry->Flink;
    LIST_ENTRY* previous = entry->Blink;

    // The checked list functions of Windows fail fast on a corrupt list.
    NT_ASSERT(next->Blink == entry && previous->Flink == entry);
    previous->Flink = next;
    next->Blink = previous;
    return (BOOLEAN)(previous == next);
}

FORCEINLINE LIST_ENTRY* RemoveHeadList(LIST_ENTRY* head)
{
    LIST_ENTRY* entry = head->Flink;

    RemoveEntryList(entry);
    return entry;
}

FORCEINLINE void InsertTailList(LIST_ENTRY* head, LIST_ENTRY* entry)
{
    LIST_ENTRY* last = head->Blink;

    NT_ASSERT(last->Flink == head);
    entry->Flink = head;
    entry->Blink = last;
    last->Flink = entry;
    head->Blink = entry;
}

FORCEINLINE void InsertHeadList(LIST_ENTRY* head, LIST_ENTRY* entry)
{
    LIST_ENTRY* first = head->Flink;

    NT_ASSERT(first->Blink == head);
    entry->Flink = first;
    entry->Blink = head;
    first->Blink = entry;
    head->Flink = entry;
}

//
// IRQL and spin locks (sim/irql.c).
//
typedef UCHAR KIRQL;
#define PASSIVE_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2

typedef ULONG_PTR KSPIN_LOCK, *PKSPIN_LOCK;

typedef struct _KLOCK_QUEUE_HANDLE {
    KSPIN_LOCK* Lock;
    KIRQL OldIrql;
} KLOCK_QUEUE_HANDLE, *PKLOCK_QUEUE_HANDLE;

EXTERN_C KIRQL KeGetCurrentIrql(void);
EXTERN_C void KeInitializeSpinLock(KSPIN_LOCK* spinLock);
EXTERN_C void KeAcquireInStackQueuedSpinLock(KSPIN_LOCK* spinLock, KLOCK_QUEUE_HANDLE* lockHandle);
EXTERN_C void KeReleaseInStackQueuedSpinLock(KLOCK_QUEUE_HANDLE* lockHandle);
EXTERN_C void KeAcquireSpinLock(KSPIN_LOCK* spinLock, KIRQL* oldIrql);
EXTERN_C void KeReleaseSpinLock(KSPIN_LOCK* spinLock, KIRQL newIrql);

typedef enum _KPROCESSOR_MODE { KernelMode, UserMode } KPROCESSOR_MODE;
EXTERN_C NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE waitMode, BOOLEAN alertable, LARGE_INTEGER* interval);

//
// driver.h's hook: the scenarios look at what each classifyFn read
// (sim/traffic.c).
//
EXTERN_C void SimClassifyValuesRead(ULONG callout, const void* values);
#define CLASSIFY_VALUES_READ(callout, values) SimClassifyValuesRead((ULONG)(callout), (values))

//
// PAGED_CODE() marks a function that may be paged out: it must never run
// above APC_LEVEL (sim/irql.c checks it in every build).
//
EXTERN_C void SimPagedCode(const char* function);
#define PAGED_CODE() SimPagedCode(__func__)

//
// Pool (sim/pool.c).
//
typedef enum _POOL_TYPE {
    NonPagedPool = 0,
    PagedPool = 1,
    NonPagedPoolNx = 512,
} POOL_TYPE;

typedef UINT64 POOL_FLAGS;
#define POOL_FLAG_UNINITIALIZED 0x0000000000000002ULL
#define POOL_FLAG_NON_PAGED 0x0000000000000040ULL
#define POOL_FLAG_PAGED 0x0000000000000100ULL

EXTERN_C PVOID ExAllocatePool2(POOL_FLAGS flags, SIZE_T numberOfBytes, ULONG tag);
EXTERN_C PVOID ExAllocatePoolZero(POOL_TYPE poolType, SIZE_T numberOfBytes, ULONG tag);
EXTERN_C PVOID ExAllocatePoolWithTag(POOL_TYPE poolType, SIZE_T numberOfBytes, ULONG tag);
EXTERN_C void ExFreePoolWithTag(PVOID p, ULONG tag);

typedef enum _DRIVER_RUNTIME_INIT_FLAGS { DrvRtPoolNxOptIn = 1 } DRIVER_RUNTIME_INIT_FLAGS;
EXTERN_C void ExInitializeDriverRuntime(ULONG runtimeFlags);

//
// WDM objects the driver only passes along.
//
typedef struct _DEVICE_OBJECT {
    ULONG Size;
    PVOID DeviceExtension;
} DEVICE_OBJECT, *PDEVICE_OBJECT;

typedef struct _DRIVER_OBJECT {
    ULONG Size;
    PVOID DriverExtension;
} DRIVER_OBJECT, *PDRIVER_OBJECT;

typedef NTSTATUS DRIVER_INITIALIZE(DRIVER_OBJECT* driverObject, UNICODE_STRING* registryPath);

#define FILE_DEVICE_NETWORK 0x00000012
#define FILE_DEVICE_SECURE_OPEN 0x00000100
#define FILE_AUTOGENERATED_DEVICE_NAME 0x00000080
