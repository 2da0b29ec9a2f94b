// wdm.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/wdm.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: the WDM kernel routines the templates use.
 *
 * Declaration-only stand-in for CI compile checks. Each group names the
 * Microsoft Learn page its signature was transcribed from
 * (learn.microsoft.com/windows-hardware/drivers/ddi/...); nothing here is
 * copied from a Microsoft header. Inline helpers of the real kit are plain
 * prototypes here: a syntax check needs the signature, not the body.
 */
#ifndef WFPGEN_STUB_WDM_H
#define WFPGEN_STUB_WDM_H

#include <ntdef.h>
#include <ntstatus.h>

/* ---- IRQL: wdm/nf-wdm-kegetcurrentirql, kernel/managing-hardware-priorities */
typedef UCHAR KIRQL;
typedef KIRQL *PKIRQL;
#define PASSIVE_LEVEL 0
#define LOW_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define HIGH_LEVEL 15

_IRQL_requires_max_(HIGH_LEVEL)
KIRQL NTAPI KeGetCurrentIrql(VOID);

/* ---- Spin locks: wdm/nf-wdm-keinitializespinlock, nf-wdm-keacquirespinlock
 *      (a macro storing the previous IRQL through its second argument),
 *      nf-wdm-keacquirespinlockraisetodpc, nf-wdm-kereleasespinlock,
 *      nf-wdm-keacquirespinlockatdpclevel, nf-wdm-kereleasespinlockfromdpclevel,
 *      nf-wdm-keacquireinstackqueuedspinlock, nf-wdm-kereleaseinstackqueuedspinlock */
typedef ULONG_PTR KSPIN_LOCK;
typedef KSPIN_LOCK *PKSPIN_LOCK;

typedef struct _KSPIN_LOCK_QUEUE {
    struct _KSPIN_LOCK_QUEUE *volatile Next;
    PKSPIN_LOCK volatile Lock;
} KSPIN_LOCK_QUEUE, *PKSPIN_LOCK_QUEUE;

typedef struct _KLOCK_QUEUE_HANDLE {
    KSPIN_LOCK_QUEUE LockQueue;
    KIRQL OldIrql;
} KLOCK_QUEUE_HANDLE, *PKLOCK_QUEUE_HANDLE;

NTKERNELAPI VOID NTAPI KeInitializeSpinLock(_Out_ PKSPIN_LOCK SpinLock);
NTKERNELAPI KIRQL NTAPI KeAcquireSpinLockRaiseToDpc(_Inout_ PKSPIN_LOCK SpinLock);
#define KeAcquireSpinLock(SpinLock, OldIrql) \
    (*(OldIrql) = KeAcquireSpinLockRaiseToDpc(SpinLock))
NTKERNELAPI VOID NTAPI KeReleaseSpinLock(_Inout_ PKSPIN_LOCK SpinLock, _In_ KIRQL NewIrql);
NTKERNELAPI VOID NTAPI KeAcquireSpinLockAtDpcLevel(_Inout_ PKSPIN_LOCK SpinLock);
NTKERNELAPI VOID NTAPI KeReleaseSpinLockFromDpcLevel(_Inout_ PKSPIN_LOCK SpinLock);
NTKERNELAPI VOID FASTCALL KeAcquireInStackQueuedSpinLock(
    _Inout_ PKSPIN_LOCK SpinLock, _Out_ PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI VOID FASTCALL KeReleaseInStackQueuedSpinLock(_In_ PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI VOID FASTCALL KeAcquireInStackQueuedSpinLockAtDpcLevel(
    _Inout_ PKSPIN_LOCK SpinLock, _Out_ PKLOCK_QUEUE_HANDLE LockHandle);
NTKERNELAPI VOID FASTCALL KeReleaseInStackQueuedSpinLockFromDpcLevel(
    _In_ PKLOCK_QUEUE_HANDLE LockHandle);

/* ---- Interlocked operations: wdm/nf-wdm-interlockedincrement64,
 *      wdm/nf-wdm-interlockedcompareexchange64, wdm/nf-wdm-interlockedexchange
 *      (compiler intrinsics in the real kit; plain prototypes here) */
LONG64 InterlockedIncrement64(_Inout_ _Interlocked_operand_ LONG64 volatile *Addend);
LONG64 InterlockedCompareExchange64(
    _Inout_ _Interlocked_operand_ LONG64 volatile *Destination, _In_ LONG64 ExChange, _In_ LONG64 Comperand);
LONG __cdecl InterlockedExchange(_Inout_ _Interlocked_operand_ LONG volatile *Target, _In_ LONG Value);

/* ---- Doubly linked lists: wdm/nf-wdm-initializelisthead, nf-wdm-islistempty,
 *      nf-wdm-inserttaillist, nf-wdm-insertheadlist, nf-wdm-removeentrylist,
 *      nf-wdm-removeheadlist, nf-wdm-removetaillist */
VOID InitializeListHead(_Out_ PLIST_ENTRY ListHead);
BOOLEAN IsListEmpty(_In_ const LIST_ENTRY *ListHead);
VOID InsertTailList(_Inout_ PLIST_ENTRY ListHead, _Inout_ PLIST_ENTRY Entry);
VOID InsertHeadList(_Inout_ PLIST_ENTRY ListHead, _Inout_ PLIST_ENTRY Entry);
BOOLEAN RemoveEntryList(_In_ PLIST_ENTRY Entry);
PLIST_ENTRY RemoveHeadList(_Inout_ PLIST_ENTRY ListHead);
PLIST_ENTRY RemoveTailList(_Inout_ PLIST_ENTRY ListHead);

/* ---- Timers, DPCs and time: wdm/nf-wdm-keinitializetimer, nf-wdm-kesettimer,
 *      nf-wdm-kesettimerex, nf-wdm-kecanceltimer, nf-wdm-keinitializedpc,
 *      nf-wdm-keflushqueueddpcs, nc-wdm-kdeferred_routine,
 *      nf-wdm-kequeryinterrupttime, nf-wdm-kequerysystemtime (on x64 and
 *      ARM64 the kit makes the last two macros; prototypes here). The
 *      objects are opaque storage the caller provides. */
typedef struct _KDPC {
    ULONG_PTR Reserved[8];
} KDPC, *PKDPC, *PRKDPC;

typedef struct _KTIMER {
    ULONG_PTR Reserved[8];
} KTIMER, *PKTIMER;

typedef
_Function_class_(KDEFERRED_ROUTINE)
_IRQL_requires_(DISPATCH_LEVEL)
_IRQL_requires_same_
VOID
KDEFERRED_ROUTINE(
    _In_ struct _KDPC *Dpc, _In_opt_ PVOID DeferredContext,
    _In_opt_ PVOID SystemArgument1, _In_opt_ PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE *PKDEFERRED_ROUTINE;

NTKERNELAPI VOID KeInitializeDpc(
    _Out_ PRKDPC Dpc, _In_ PKDEFERRED_ROUTINE DeferredRoutine, _In_opt_ PVOID DeferredContext);
_IRQL_requires_max_(APC_LEVEL)
NTKERNELAPI VOID KeFlushQueuedDpcs(VOID);
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI VOID KeInitializeTimer(_Out_ PKTIMER Timer);
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI BOOLEAN KeCancelTimer(_Inout_ PKTIMER Timer);
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI BOOLEAN KeSetTimer(_Inout_ PKTIMER Timer, _In_ LARGE_INTEGER DueTime, _In_opt_ PKDPC Dpc);
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI BOOLEAN KeSetTimerEx(
    _Inout_ PKTIMER Timer, _In_ LARGE_INTEGER DueTime, _In_ LONG Period, _In_opt_ PKDPC Dpc);
NTKERNELAPI ULONGLONG KeQueryInterruptTime(VOID);
NTKERNELAPI VOID KeQuerySystemTime(_Out_ PLARGE_INTEGER CurrentTime);

/* ---- Pool: wdm/ne-wdm-_pool_type, kernel/pool_flags (POOL_FLAGS values),
 *      wdm/nf-wdm-exallocatepool2 (Windows 10 2004: NTDDI_WIN10_VB),
 *      wdm/nf-wdm-exallocatepoolzero, wdm/nf-wdm-exallocatepooluninitialized,
 *      wdm/nf-wdm-exallocatepoolwithtag (deprecated since 2004),
 *      wdm/nf-wdm-exfreepoolwithtag, wdm/nf-wdm-exfreepool,
 *      wdm/nf-wdm-exinitializedriverruntime (DrvRtPoolNxOptIn) */
typedef enum _POOL_TYPE {
    NonPagedPool = 0,
    NonPagedPoolExecute = NonPagedPool,
    PagedPool = 1,
    NonPagedPoolMustSucceed = 2,
    DontUseThisType = 3,
    NonPagedPoolCacheAligned = 4,
    PagedPoolCacheAligned = 5,
    NonPagedPoolCacheAlignedMustS = 6,
    MaxPoolType = 7,
    NonPagedPoolBase = 0,
    NonPagedPoolNx = 512,
    NonPagedPoolNxCacheAligned = NonPagedPoolNx + 4,
    NonPagedPoolSessionNx = NonPagedPoolNx + 32,
} POOL_TYPE;

/* NX opt-in (kernel/single-binary-opt-in-pool-nx-optin,
   kernel/no-execute-nonpaged-pool): POOL_NX_OPTIN_AUTO turns NonPagedPool
   into NonPagedPoolNx at compile time; POOL_NX_OPTIN makes it a variable that
   ExInitializeDriverRuntime(DrvRtPoolNxOptIn) sets, so it is no longer a
   constant expression. */
#if defined(POOL_NX_OPTIN_AUTO) && POOL_NX_OPTIN_AUTO
#define NonPagedPool NonPagedPoolNx
#define NonPagedPoolCacheAligned NonPagedPoolNxCacheAligned
#elif defined(POOL_NX_OPTIN) && POOL_NX_OPTIN
extern POOL_TYPE ExDefaultNonPagedPoolType;
extern ULONG ExDefaultMdlProtection;
#define NonPagedPool ExDefaultNonPagedPoolType
#endif

typedef ULONG64 POOL_FLAGS;
#define POOL_FLAG_USE_QUOTA          0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED      0x0000000000000002ULL
#define POOL_FLAG_SESSION            0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED      0x0000000000000008ULL
#define POOL_FLAG_RAISE_ON_FAILURE   0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED          0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE  0x0000000000000080ULL
#define POOL_FLAG_PAGED              0x0000000000000100ULL

#if (NTDDI_VERSION >= NTDDI_WIN10_VB)
_Must_inspect_result_
NTKERNELAPI DECLSPEC_RESTRICT PVOID NTAPI ExAllocatePool2(
    _In_ POOL_FLAGS Flags, _In_ SIZE_T NumberOfBytes, _In_ ULONG Tag);
#endif

_Must_inspect_result_
PVOID ExAllocatePoolZero(_In_ POOL_TYPE PoolType, _In_ SIZE_T NumberOfBytes, _In_ ULONG Tag);
_Must_inspect_result_
PVOID ExAllocatePoolUninitialized(
    _In_ POOL_TYPE PoolType, _In_ SIZE_T NumberOfBytes, _In_ ULONG Tag);

__declspec(deprecated("deprecated since Windows 10, version 2004 (wfpgen stub): allocate with ExAllocatePool2 or ExAllocatePoolZero"))
NTKERNELAPI PVOID NTAPI ExAllocatePoolWithTag(
    _In_ POOL_TYPE PoolType, _In_ SIZE_T NumberOfBytes, _In_ ULONG Tag);

NTKERNELAPI VOID NTAPI ExFreePoolWithTag(_Pre_notnull_ PVOID P, _In_ ULONG Tag);
NTKERNELAPI VOID NTAPI ExFreePool(_Pre_notnull_ PVOID P);

#define DrvRtPoolNxOptIn 0x00000001
VOID ExInitializeDriverRuntime(_In_ ULONG RuntimeFlags);

/* ---- Memory and byte order: wdm/nf-wdm-rtlzeromemory, nf-wdm-rtlcopymemory,
 *      nf-wdm-rtlcomparememory, nf-wdm-rtlequalmemory, nf-wdm-rtlulongbyteswap,
 *      nf-wdm-rtlushortbyteswap, nf-wdm-rtlulonglongbyteswap */
void *memset(void *Dest, int Value, size_t Size);
void *memcpy(void *Dest, const void *Source, size_t Size);
int memcmp(const void *Buf1, const void *Buf2, size_t Size);
#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define RtlFillMemory(Destination, Length, Fill) memset((Destination), (Fill), (Length))
#define RtlCopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#define RtlEqualMemory(Source1, Source2, Length) \
    (!memcmp((Source1), (Source2), (Length)))
NTSYSAPI SIZE_T NTAPI RtlCompareMemory(
    _In_ const VOID *Source1, _In_ const VOID *Source2, _In_ SIZE_T Length);
NTSYSAPI USHORT FASTCALL RtlUshortByteSwap(_In_ USHORT Source);
NTSYSAPI ULONG FASTCALL RtlUlongByteSwap(_In_ ULONG Source);
NTSYSAPI ULONGLONG FASTCALL RtlUlonglongByteSwap(_In_ ULONGLONG Source);

/* ---- Strings: wdm/nf-wdm-rtlinitunicodestring */
NTSYSAPI VOID NTAPI RtlInitUnicodeString(
    _Out_ PUNICODE_STRING DestinationString, _In_opt_ PCWSTR SourceString);

/* ---- Debug output: wdm/nf-wdm-dbgprintex, wdm/nf-wdm-kdprintex (a macro
 *      that compiles to nothing unless DBG is set), kernel/reading-and-filtering-debugging-messages
 *      (DPFLTR_ levels and the IHV component ids; the ids' numeric values
 *      are placeholders). */
typedef enum _DPFLTR_TYPE {
    DPFLTR_DEFAULT_ID = 101,
    DPFLTR_IHVVIDEO_ID = 76,
    DPFLTR_IHVAUDIO_ID = 77,
    DPFLTR_IHVNETWORK_ID = 78,
    DPFLTR_IHVSTREAMING_ID = 79,
    DPFLTR_IHVBUS_ID = 80,
    DPFLTR_IHVDRIVER_ID = 81,
} DPFLTR_TYPE;
#define DPFLTR_ERROR_LEVEL 0
#define DPFLTR_WARNING_LEVEL 1
#define DPFLTR_TRACE_LEVEL 2
#define DPFLTR_INFO_LEVEL 3
#define DPFLTR_MASK 0x80000000

ULONG __cdecl DbgPrint(_In_z_ _Printf_format_string_ PCSTR Format, ...);
NTSYSAPI ULONG __cdecl DbgPrintEx(
    _In_ ULONG ComponentId, _In_ ULONG Level, _In_z_ _Printf_format_string_ PCSTR Format, ...);
#if DBG
#define KdPrint(_x_) DbgPrint _x_
#define KdPrintEx(_x_) DbgPrintEx _x_
#else
#define KdPrint(_x_)
#define KdPrintEx(_x_)
#endif

/* ---- Assertions: previous-versions ff961903 (NT_ASSERT) and ff961904
 *      (NT_ASSERTMSG): compiled in only for a debug configuration (DBG);
 *      otherwise the expression is not even evaluated. */
NTSYSAPI VOID NTAPI RtlAssert(_In_ PVOID VoidFailedAssertion, _In_ PVOID VoidFileName,
                              _In_ ULONG LineNumber, _In_opt_ PSTR MutableMessage);
#if DBG
#define ASSERT(exp) ((!(exp)) ? (RtlAssert((PVOID)#exp, (PVOID)__FILE__, __LINE__, NULL), FALSE) : TRUE)
#define ASSERTMSG(msg, exp) ((!(exp)) ? (RtlAssert((PVOID)#exp, (PVOID)__FILE__, __LINE__, (PSTR)(msg)), FALSE) : TRUE)
#define NT_ASSERT(exp) ((void)ASSERT(exp))
#define NT_ASSERTMSG(msg, exp) ((void)ASSERTMSG(msg, exp))
#define NT_ASSERTMSGW(msg, exp) ((void)ASSERT(exp))
#else
#define ASSERT(exp) ((void)0)
#define ASSERTMSG(msg, exp) ((void)0)
#define NT_ASSERT(exp) ((void)0)
#define NT_ASSERTMSG(msg, exp) ((void)0)
#define NT_ASSERTMSGW(msg, exp) ((void)0)
#endif

/* ---- Waiting: wdm/nf-wdm-kedelayexecutionthread, wdm/ne-wdm-_mode
 *      (KPROCESSOR_MODE values) */
typedef CCHAR KPROCESSOR_MODE;
typedef enum _MODE {
    KernelMode,
    UserMode,
    MaximumMode
} MODE;

_IRQL_requires_max_(APC_LEVEL)
NTKERNELAPI NTSTATUS NTAPI KeDelayExecutionThread(
    _In_ KPROCESSOR_MODE WaitMode, _In_ BOOLEAN Alertable, _In_ PLARGE_INTEGER Interval);

/* ---- Paging: kernel/paged_code (a no-op outside checked builds) */
#if DBG
#define PAGED_CODE() ((void)KeGetCurrentIrql())
#else
#define PAGED_CODE() ((void)0)
#endif

/* ---- Driver and device objects: wdm/ns-wdm-_driver_object,
 *      wdm/ns-wdm-_device_object (opaque here), wdm/nc-wdm-driver_initialize,
 *      wdm/nc-wdm-driver_unload, kernel/specifying-device-types (FILE_DEVICE_*),
 *      kernel/specifying-device-characteristics */
typedef struct _DRIVER_OBJECT DRIVER_OBJECT, *PDRIVER_OBJECT;
typedef struct _DEVICE_OBJECT DEVICE_OBJECT, *PDEVICE_OBJECT;

typedef _Function_class_(DRIVER_INITIALIZE) _IRQL_requires_same_
NTSTATUS DRIVER_INITIALIZE(_In_ struct _DRIVER_OBJECT *DriverObject,
                           _In_ PUNICODE_STRING RegistryPath);
typedef DRIVER_INITIALIZE *PDRIVER_INITIALIZE;

typedef _Function_class_(DRIVER_UNLOAD) _IRQL_requires_(PASSIVE_LEVEL) _IRQL_requires_same_
VOID DRIVER_UNLOAD(_In_ struct _DRIVER_OBJECT *DriverObject);
typedef DRIVER_UNLOAD *PDRIVER_UNLOAD;

typedef ULONG DEVICE_TYPE;
#define FILE_DEVICE_NETWORK 0x00000012
#define FILE_DEVICE_UNKNOWN 0x00000022
#define FILE_REMOVABLE_MEDIA 0x00000001
#define FILE_AUTOGENERATED_DEVICE_NAME 0x00000080
#define FILE_DEVICE_SECURE_OPEN 0x00000100

/* ---- I/O control codes: kernel/defining-i-o-control-codes (CTL_CODE and its
 *      fields: device type, required access, function, transfer type),
 *      wdm/ns-wdm-_file_object access rights (FILE_READ_DATA, FILE_WRITE_DATA) */
#define CTL_CODE(DeviceType, Function, Method, Access) \
    (((DeviceType) << 16) | ((Access) << 14) | ((Function) << 2) | (Method))
#define DEVICE_TYPE_FROM_CTL_CODE(ctrlCode) (((ULONG)((ctrlCode) & 0xffff0000)) >> 16)
#define METHOD_FROM_CTL_CODE(ctrlCode) ((ULONG)((ctrlCode) & 3))
#define METHOD_BUFFERED 0
#define METHOD_IN_DIRECT 1
#define METHOD_OUT_DIRECT 2
#define METHOD_NEITHER 3
#define FILE_ANY_ACCESS 0
#define FILE_READ_ACCESS 0x0001
#define FILE_WRITE_ACCESS 0x0002
#define FILE_READ_DATA 0x0001
#define FILE_WRITE_DATA 0x0002

/* ---- Work items: wdm/nf-wdm-ioallocateworkitem, nf-wdm-ioqueueworkitem,
 *      nf-wdm-iofreeworkitem, nc-wdm-io_workitem_routine,
 *      wdm/ne-wdm-_work_queue_type */
typedef struct _IO_WORKITEM *PIO_WORKITEM;
typedef enum _WORK_QUEUE_TYPE {
    CriticalWorkQueue,
    DelayedWorkQueue,
    HyperCriticalWorkQueue,
    NormalWorkQueue,
    BackgroundWorkQueue,
    RealTimeWorkQueue,
    SuperCriticalWorkQueue,
    MaximumWorkQueue,
    CustomPriorityWorkQueue = 32
} WORK_QUEUE_TYPE;

typedef _Function_class_(IO_WORKITEM_ROUTINE) _IRQL_requires_(PASSIVE_LEVEL) _IRQL_requires_same_
VOID IO_WORKITEM_ROUTINE(_In_ PDEVICE_OBJECT DeviceObject, _In_opt_ PVOID Context);
typedef IO_WORKITEM_ROUTINE *PIO_WORKITEM_ROUTINE;

_IRQL_requires_max_(DISPATCH_LEVEL)
_Must_inspect_result_
NTKERNELAPI PIO_WORKITEM IoAllocateWorkItem(_In_ PDEVICE_OBJECT DeviceObject);
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI VOID IoFreeWorkItem(_In_ __drv_freesMem(Mem) PIO_WORKITEM IoWorkItem);
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI VOID IoQueueWorkItem(_Inout_ __drv_aliasesMem PIO_WORKITEM IoWorkItem,
                                 _In_ PIO_WORKITEM_ROUTINE WorkerRoutine,
                                 _In_ WORK_QUEUE_TYPE QueueType,
                                 _In_opt_ __drv_aliasesMem PVOID Context);

/* ---- Events: wdm/nf-wdm-keinitializeevent, nf-wdm-kesetevent,
 *      nf-wdm-keclearevent, nf-wdm-kereadstateevent,
 *      nf-wdm-kewaitforsingleobject, wdm/ne-wdm-_kwait_reason,
 *      ntdef EVENT_TYPE. The dispatcher header is opaque storage here. */
typedef LONG KPRIORITY;
typedef enum _EVENT_TYPE {
    NotificationEvent,
    SynchronizationEvent
} EVENT_TYPE;
typedef enum _KWAIT_REASON {
    Executive,
    FreePage,
    PageIn,
    PoolAllocation,
    DelayExecution,
    Suspended,
    UserRequest
} KWAIT_REASON;
typedef struct _KEVENT {
    LONG Header[6];
} KEVENT, *PKEVENT, *PRKEVENT;
#define IO_NO_INCREMENT 0

NTKERNELAPI VOID KeInitializeEvent(_Out_ PRKEVENT Event, _In_ EVENT_TYPE Type, _In_ BOOLEAN State);
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI VOID KeClearEvent(_Inout_ PRKEVENT Event);
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI LONG KeReadStateEvent(_In_ PRKEVENT Event);
_IRQL_requires_max_(DISPATCH_LEVEL)
NTKERNELAPI LONG KeSetEvent(_Inout_ PRKEVENT Event, _In_ KPRIORITY Increment, _In_ BOOLEAN Wait);
_IRQL_requires_min_(PASSIVE_LEVEL)
NTKERNELAPI NTSTATUS KeWaitForSingleObject(_In_ PVOID Object, _In_ KWAIT_REASON WaitReason,
                                           _In_ KPROCESSOR_MODE WaitMode, _In_ BOOLEAN Alertable,
                                           _In_opt_ PLARGE_INTEGER Timeout);

/* ---- Memory descriptor lists: wdm/ns-wdm-_mdl (opaque here: drivers read
 *      packet data through NdisGetDataBuffer) */
typedef struct _MDL MDL, *PMDL;

#endif /* WFPGEN_STUB_WDM_H */
