// wdf.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/wdf.h): the simulation builds the driver against
// the same declarations.
// The KMDF version the driver's project builds against (its .vcxproj).
#ifndef KMDF_VERSION_MAJOR
#define KMDF_VERSION_MAJOR 1
#define KMDF_VERSION_MINOR 9
#endif
/*
 * wfpgen test stub: the KMDF objects and methods a non-PnP callout driver
 * uses.
 *
 * Declaration-only stand-in for CI compile checks. Signatures transcribed
 * from the KMDF reference on Microsoft Learn
 * (learn.microsoft.com/windows-hardware/drivers/ddi/<header>/<page>, named per
 * group); nothing is copied from a Microsoft header. In the real kit the
 * methods are inline wrappers that call through a function table; plain
 * prototypes type-check the same way. Like the real header, this one needs
 * <ntddk.h> (or <wdm.h>) first.
 */
#ifndef WFPGEN_STUB_WDF_H
#define WFPGEN_STUB_WDF_H

#ifndef WFPGEN_STUB_WDM_H
#error "wfpgen stub: include <ntddk.h> or <wdm.h> before <wdf.h>"
#endif
#ifndef KMDF_VERSION_MAJOR
#error "wfpgen stub: KMDF_VERSION_MAJOR/KMDF_VERSION_MINOR must be defined"
#endif

/* wdfdevice.h brings in the SDDL_DEVOBJ_* strings (kernel/sddl-for-device-objects) */
#include <wdmsec.h>

/* ---- Handles: wdf/wdf-object-handles (every object type is a distinct
 *      handle type; WDFOBJECT is the generic one) */
typedef HANDLE WDFOBJECT, *PWDFOBJECT;
typedef struct WDFDRIVER__ *WDFDRIVER;
typedef struct WDFDEVICE__ *WDFDEVICE;
typedef struct WDFDEVICE_INIT *PWDFDEVICE_INIT;

#define WDF_NO_HANDLE NULL
#define WDF_NO_EVENT_CALLBACK NULL
#define WDF_NO_OBJECT_ATTRIBUTES NULL

/* ---- Object attributes and context types:
 *      wdfobject/ns-wdfobject-_wdf_object_attributes,
 *      wdfobject/ne-wdfobject-_wdf_execution_level,
 *      wdfobject/ne-wdfobject-_wdf_synchronization_scope,
 *      wdfobject/nc-wdfobject-evt_wdf_object_context_cleanup,
 *      wdfobject/nc-wdfobject-evt_wdf_object_context_destroy,
 *      wdfobject/ns-wdfobject-_wdf_object_context_type_info,
 *      wdfobject/nf-wdfobject-wdf_object_attributes_init,
 *      wdfobject/nf-wdfobject-wdf_object_attributes_init_context_type,
 *      wdfobject/nf-wdfobject-wdf_declare_context_type_with_name,
 *      wdfobject/nf-wdfobject-wdfobjectgettypedcontextworker.
 *      The real WDF_DECLARE_CONTEXT_TYPE_WITH_NAME also places the type
 *      information in a named section; here it is a plain constant, which is
 *      all a syntax check and the simulation need. */
typedef enum _WDF_EXECUTION_LEVEL {
    WdfExecutionLevelInvalid = 0x00,
    WdfExecutionLevelInheritFromParent,
    WdfExecutionLevelPassive,
    WdfExecutionLevelDispatch,
} WDF_EXECUTION_LEVEL;

typedef enum _WDF_SYNCHRONIZATION_SCOPE {
    WdfSynchronizationScopeInvalid = 0x00,
    WdfSynchronizationScopeInheritFromParent,
    WdfSynchronizationScopeDevice,
    WdfSynchronizationScopeQueue,
    WdfSynchronizationScopeNone,
} WDF_SYNCHRONIZATION_SCOPE;

typedef _Function_class_(EVT_WDF_OBJECT_CONTEXT_CLEANUP) _IRQL_requires_same_
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID EVT_WDF_OBJECT_CONTEXT_CLEANUP(_In_ WDFOBJECT Object);
typedef EVT_WDF_OBJECT_CONTEXT_CLEANUP *PFN_WDF_OBJECT_CONTEXT_CLEANUP;

typedef _Function_class_(EVT_WDF_OBJECT_CONTEXT_DESTROY) _IRQL_requires_same_
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID EVT_WDF_OBJECT_CONTEXT_DESTROY(_In_ WDFOBJECT Object);
typedef EVT_WDF_OBJECT_CONTEXT_DESTROY *PFN_WDF_OBJECT_CONTEXT_DESTROY;

typedef const struct _WDF_OBJECT_CONTEXT_TYPE_INFO *PCWDF_OBJECT_CONTEXT_TYPE_INFO;
typedef PCWDF_OBJECT_CONTEXT_TYPE_INFO(__cdecl *PFN_GET_UNIQUE_CONTEXT_TYPE)(VOID);

typedef struct _WDF_OBJECT_CONTEXT_TYPE_INFO {
    ULONG Size;
    PCHAR ContextName;
    size_t ContextSize;
    PCWDF_OBJECT_CONTEXT_TYPE_INFO UniqueType;
    PFN_GET_UNIQUE_CONTEXT_TYPE EvtDriverGetUniqueContextType;
} WDF_OBJECT_CONTEXT_TYPE_INFO, *PWDF_OBJECT_CONTEXT_TYPE_INFO;

typedef struct _WDF_OBJECT_ATTRIBUTES {
    ULONG Size;
    PFN_WDF_OBJECT_CONTEXT_CLEANUP EvtCleanupCallback;
    PFN_WDF_OBJECT_CONTEXT_DESTROY EvtDestroyCallback;
    WDF_EXECUTION_LEVEL ExecutionLevel;
    WDF_SYNCHRONIZATION_SCOPE SynchronizationScope;
    WDFOBJECT ParentObject;
    size_t ContextSizeOverride;
    PCWDF_OBJECT_CONTEXT_TYPE_INFO ContextTypeInfo;
} WDF_OBJECT_ATTRIBUTES, *PWDF_OBJECT_ATTRIBUTES;

VOID WDF_OBJECT_ATTRIBUTES_INIT(_Out_ PWDF_OBJECT_ATTRIBUTES Attributes);

_IRQL_requires_max_(DISPATCH_LEVEL)
PVOID WdfObjectGetTypedContextWorker(
    _In_ WDFOBJECT Handle, _In_ PCWDF_OBJECT_CONTEXT_TYPE_INFO TypeInfo);

#define WDF_TYPE_NAME_TO_TYPE_INFO(_contexttype) _WDF_##_contexttype##_TYPE_INFO
#define WDF_GET_CONTEXT_TYPE_INFO(_contexttype) (&WDF_TYPE_NAME_TO_TYPE_INFO(_contexttype))

#define WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE(_attributes, _contexttype) \
    (_attributes)->ContextTypeInfo = WDF_GET_CONTEXT_TYPE_INFO(_contexttype)->UniqueType

#define WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(_attributes, _contexttype) \
    WDF_OBJECT_ATTRIBUTES_INIT(_attributes);                               \
    WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE(_attributes, _contexttype)

/* selectany lets MSVC keep one copy of the type information however many
   files declare the type; elsewhere each file gets its own. */
#if defined(_MSC_VER)
#define WDF_TYPE_INFO_STORAGE __declspec(selectany) extern const
#else
#define WDF_TYPE_INFO_STORAGE static const
#endif

#define WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(_contexttype, _castingfunction)              \
    typedef _contexttype *WDF_POINTER_TYPE_##_contexttype;                              \
    WDF_TYPE_INFO_STORAGE WDF_OBJECT_CONTEXT_TYPE_INFO                                  \
        WDF_TYPE_NAME_TO_TYPE_INFO(_contexttype) = {                                    \
            sizeof(WDF_OBJECT_CONTEXT_TYPE_INFO), (PCHAR)#_contexttype,                 \
            sizeof(_contexttype), WDF_GET_CONTEXT_TYPE_INFO(_contexttype), NULL,        \
    };                                                                                  \
    FORCEINLINE WDF_POINTER_TYPE_##_contexttype _castingfunction(_In_ WDFOBJECT Handle) \
    {                                                                                   \
        return (WDF_POINTER_TYPE_##_contexttype)WdfObjectGetTypedContextWorker(         \
            Handle, WDF_GET_CONTEXT_TYPE_INFO(_contexttype)->UniqueType);               \
    }

/* ---- Driver object: wdfdriver/nc-wdfdriver-evt_wdf_driver_device_add,
 *      wdfdriver/nc-wdfdriver-evt_wdf_driver_unload,
 *      wdfdriver/ne-wdfdriver-_wdf_driver_init_flags,
 *      wdfdriver/ns-wdfdriver-_wdf_driver_config,
 *      wdfdriver/nf-wdfdriver-wdf_driver_config_init,
 *      wdfdriver/nf-wdfdriver-wdfdrivercreate */
typedef _Function_class_(EVT_WDF_DRIVER_DEVICE_ADD) _IRQL_requires_same_
_IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS EVT_WDF_DRIVER_DEVICE_ADD(_In_ WDFDRIVER Driver, _Inout_ PWDFDEVICE_INIT DeviceInit);
typedef EVT_WDF_DRIVER_DEVICE_ADD *PFN_WDF_DRIVER_DEVICE_ADD;

typedef _Function_class_(EVT_WDF_DRIVER_UNLOAD) _IRQL_requires_same_
_IRQL_requires_max_(PASSIVE_LEVEL)
VOID EVT_WDF_DRIVER_UNLOAD(_In_ WDFDRIVER Driver);
typedef EVT_WDF_DRIVER_UNLOAD *PFN_WDF_DRIVER_UNLOAD;

typedef enum _WDF_DRIVER_INIT_FLAGS {
    WdfDriverInitNonPnpDriver = 0x00000001,
    WdfDriverInitNoDispatchOverride = 0x00000002,
    WdfDriverInitCompanion = 0x00000010,
} WDF_DRIVER_INIT_FLAGS;

typedef struct _WDF_DRIVER_CONFIG {
    ULONG Size;
    PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd;
    PFN_WDF_DRIVER_UNLOAD EvtDriverUnload;
    ULONG DriverInitFlags;
    ULONG DriverPoolTag;
} WDF_DRIVER_CONFIG, *PWDF_DRIVER_CONFIG;

VOID WDF_DRIVER_CONFIG_INIT(
    _Out_ PWDF_DRIVER_CONFIG Config, _In_opt_ PFN_WDF_DRIVER_DEVICE_ADD EvtDriverDeviceAdd);

_Must_inspect_result_ _IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS WdfDriverCreate(
    _In_ PDRIVER_OBJECT DriverObject,
    _In_ PCUNICODE_STRING RegistryPath,
    _In_opt_ PWDF_OBJECT_ATTRIBUTES DriverAttributes,
    _In_ PWDF_DRIVER_CONFIG DriverConfig,
    _Out_opt_ WDFDRIVER *Driver);

/* ---- Control device: wdfcontrol/nf-wdfcontrol-wdfcontroldeviceinitallocate,
 *      wdfcontrol/nf-wdfcontrol-wdfcontrolfinishinitializing,
 *      wdfdevice/nf-wdfdevice-wdfdeviceinitsetdevicetype,
 *      wdfdevice/nf-wdfdevice-wdfdeviceinitsetcharacteristics,
 *      wdfdevice/nf-wdfdevice-wdfdevicecreate,
 *      wdfdevice/nf-wdfdevice-wdfdeviceinitfree,
 *      wdfdevice/nf-wdfdevice-wdfdevicewdmgetdeviceobject */
_Must_inspect_result_ _IRQL_requires_max_(PASSIVE_LEVEL)
PWDFDEVICE_INIT WdfControlDeviceInitAllocate(
    _In_ WDFDRIVER Driver, _In_ CONST UNICODE_STRING *SDDLString);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfControlFinishInitializing(_In_ WDFDEVICE Device);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfDeviceInitSetDeviceType(_In_ PWDFDEVICE_INIT DeviceInit, _In_ DEVICE_TYPE DeviceType);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfDeviceInitSetCharacteristics(
    _In_ PWDFDEVICE_INIT DeviceInit, _In_ ULONG DeviceCharacteristics, _In_ BOOLEAN OrInValues);

_Must_inspect_result_ _IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS WdfDeviceCreate(
    _Inout_ PWDFDEVICE_INIT *DeviceInit,
    _In_opt_ PWDF_OBJECT_ATTRIBUTES DeviceAttributes,
    _Out_ WDFDEVICE *Device);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfDeviceInitFree(_In_ PWDFDEVICE_INIT DeviceInit);

_IRQL_requires_max_(DISPATCH_LEVEL)
PDEVICE_OBJECT WdfDeviceWdmGetDeviceObject(_In_ WDFDEVICE Device);

/* ---- Wait locks: wdfsync/nf-wdfsync-wdfwaitlockcreate, nf-wdfsync-wdfwaitlockacquire,
 *      nf-wdfsync-wdfwaitlockrelease (Timeout NULL: wait forever, PASSIVE_LEVEL) */
typedef struct WDFWAITLOCK__ *WDFWAITLOCK;

_Must_inspect_result_ _IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS WdfWaitLockCreate(_In_opt_ PWDF_OBJECT_ATTRIBUTES LockAttributes, _Out_ WDFWAITLOCK *Lock);

_When_(Timeout == NULL, _IRQL_requires_max_(PASSIVE_LEVEL))
_When_(Timeout != NULL, _Must_inspect_result_)
NTSTATUS WdfWaitLockAcquire(_In_ WDFWAITLOCK Lock, _In_opt_ PLONGLONG Timeout);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfWaitLockRelease(_In_ WDFWAITLOCK Lock);

/* ---- Tri-state values: wdftypes/ne-wdftypes-_wdf_tri_state */
typedef enum _WDF_TRI_STATE {
    WdfFalse = FALSE,
    WdfTrue = TRUE,
    WdfUseDefault = 2,
} WDF_TRI_STATE, *PWDF_TRI_STATE;

/* ---- I/O objects: wdf/wdf-object-handles */
typedef struct WDFQUEUE__ *WDFQUEUE;
typedef struct WDFREQUEST__ *WDFREQUEST;
typedef struct WDFFILEOBJECT__ *WDFFILEOBJECT;
typedef struct WDFSPINLOCK__ *WDFSPINLOCK;

/* ---- Device names and file objects: wdfdevice/nf-wdfdevice-wdfdeviceinitassignname,
 *      wdfdevice/nf-wdfdevice-wdfdevicecreatesymboliclink,
 *      wdfdevice/nf-wdfdevice-wdfdeviceinitsetiotype,
 *      wdfdevice/ne-wdfdevice-_wdf_device_io_type,
 *      wdfdevice/nf-wdfdevice-wdfdeviceinitsetexclusive,
 *      wdfdevice/nc-wdfdevice-evt_wdf_device_file_create,
 *      wdfdevice/nc-wdfdevice-evt_wdf_file_close,
 *      wdfdevice/nc-wdfdevice-evt_wdf_file_cleanup,
 *      wdfdevice/ne-wdfdevice-_wdf_fileobject_class,
 *      wdfdevice/ns-wdfdevice-_wdf_fileobject_config,
 *      wdfdevice/nf-wdfdevice-wdf_fileobject_config_init,
 *      wdfdevice/nf-wdfdevice-wdfdeviceinitsetfileobjectconfig */
_Must_inspect_result_ _IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS WdfDeviceInitAssignName(_In_ PWDFDEVICE_INIT DeviceInit, _In_opt_ PCUNICODE_STRING DeviceName);

_Must_inspect_result_ _IRQL_requires_max_(PASSIVE_LEVEL)
NTSTATUS WdfDeviceCreateSymbolicLink(_In_ WDFDEVICE Device, _In_ PCUNICODE_STRING SymbolicLinkName);

typedef enum _WDF_DEVICE_IO_TYPE {
    WdfDeviceIoUndefined = 0,
    WdfDeviceIoNeither,
    WdfDeviceIoBuffered,
    WdfDeviceIoDirect,
    WdfDeviceIoBufferedOrDirect = 4,
} WDF_DEVICE_IO_TYPE, *PWDF_DEVICE_IO_TYPE;

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfDeviceInitSetIoType(_In_ PWDFDEVICE_INIT DeviceInit, _In_ WDF_DEVICE_IO_TYPE IoType);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfDeviceInitSetExclusive(_In_ PWDFDEVICE_INIT DeviceInit, _In_ BOOLEAN IsExclusive);

typedef _Function_class_(EVT_WDF_DEVICE_FILE_CREATE) _IRQL_requires_same_
_IRQL_requires_max_(PASSIVE_LEVEL)
VOID EVT_WDF_DEVICE_FILE_CREATE(_In_ WDFDEVICE Device, _In_ WDFREQUEST Request, _In_ WDFFILEOBJECT FileObject);
typedef EVT_WDF_DEVICE_FILE_CREATE *PFN_WDF_DEVICE_FILE_CREATE;

typedef _Function_class_(EVT_WDF_FILE_CLOSE) _IRQL_requires_same_
_IRQL_requires_max_(PASSIVE_LEVEL)
VOID EVT_WDF_FILE_CLOSE(_In_ WDFFILEOBJECT FileObject);
typedef EVT_WDF_FILE_CLOSE *PFN_WDF_FILE_CLOSE;

typedef _Function_class_(EVT_WDF_FILE_CLEANUP) _IRQL_requires_same_
_IRQL_requires_max_(PASSIVE_LEVEL)
VOID EVT_WDF_FILE_CLEANUP(_In_ WDFFILEOBJECT FileObject);
typedef EVT_WDF_FILE_CLEANUP *PFN_WDF_FILE_CLEANUP;

typedef enum _WDF_FILEOBJECT_CLASS {
    WdfFileObjectInvalid = 0,
    WdfFileObjectNotRequired = 1,
    WdfFileObjectWdfCanUseFsContext = 2,
    WdfFileObjectWdfCanUseFsContext2 = 3,
    WdfFileObjectWdfCannotUseFsContexts = 4,
    WdfFileObjectCanBeOptional = (int)0x80000000, /* the real value; the cast keeps ISO C's int range */
} WDF_FILEOBJECT_CLASS, *PWDF_FILEOBJECT_CLASS;

typedef struct _WDF_FILEOBJECT_CONFIG {
    ULONG Size;
    PFN_WDF_DEVICE_FILE_CREATE EvtDeviceFileCreate;
    PFN_WDF_FILE_CLOSE EvtFileClose;
    PFN_WDF_FILE_CLEANUP EvtFileCleanup;
    WDF_TRI_STATE AutoForwardCleanupClose;
    WDF_FILEOBJECT_CLASS FileObjectClass;
} WDF_FILEOBJECT_CONFIG, *PWDF_FILEOBJECT_CONFIG;

VOID WDF_FILEOBJECT_CONFIG_INIT(
    _Out_ PWDF_FILEOBJECT_CONFIG FileEventCallbacks,
    _In_opt_ PFN_WDF_DEVICE_FILE_CREATE EvtDeviceFileCreate,
    _In_opt_ PFN_WDF_FILE_CLOSE EvtFileClose,
    _In_opt_ PFN_WDF_FILE_CLEANUP EvtFileCleanup);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfDeviceInitSetFileObjectConfig(
    _In_ PWDFDEVICE_INIT DeviceInit,
    _In_ PWDF_FILEOBJECT_CONFIG FileObjectConfig,
    _In_opt_ PWDF_OBJECT_ATTRIBUTES FileObjectAttributes);

/* ---- Queues: wdfio/ne-wdfio-_wdf_io_queue_dispatch_type,
 *      wdfio/nc-wdfio-evt_wdf_io_queue_io_default (and _read, _write,
 *      _device_control, _internal_device_control, _stop, _resume,
 *      _canceled_on_queue), wdfio/ns-wdfio-_wdf_io_queue_config,
 *      wdfio/nf-wdfio-wdf_io_queue_config_init,
 *      wdfio/nf-wdfio-wdf_io_queue_config_init_default_queue,
 *      wdfio/nf-wdfio-wdfioqueuecreate,
 *      wdfio/nf-wdfio-wdfioqueueretrievenextrequest,
 *      wdfio/nf-wdfio-wdfioqueueretrieverequestbyfileobject,
 *      wdfio/nf-wdfio-wdfioqueuepurgesynchronously,
 *      wdfio/nf-wdfio-wdfioqueuestart */
typedef enum _WDF_IO_QUEUE_DISPATCH_TYPE {
    WdfIoQueueDispatchInvalid = 0,
    WdfIoQueueDispatchSequential,
    WdfIoQueueDispatchParallel,
    WdfIoQueueDispatchManual,
    WdfIoQueueDispatchMax,
} WDF_IO_QUEUE_DISPATCH_TYPE;

typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_DEFAULT) _IRQL_requires_same_
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID EVT_WDF_IO_QUEUE_IO_DEFAULT(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request);
typedef EVT_WDF_IO_QUEUE_IO_DEFAULT *PFN_WDF_IO_QUEUE_IO_DEFAULT;

typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_READ) _IRQL_requires_same_
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID EVT_WDF_IO_QUEUE_IO_READ(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request, _In_ size_t Length);
typedef EVT_WDF_IO_QUEUE_IO_READ *PFN_WDF_IO_QUEUE_IO_READ;

typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_WRITE) _IRQL_requires_same_
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID EVT_WDF_IO_QUEUE_IO_WRITE(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request, _In_ size_t Length);
typedef EVT_WDF_IO_QUEUE_IO_WRITE *PFN_WDF_IO_QUEUE_IO_WRITE;

typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL) _IRQL_requires_same_
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL(
    _In_ WDFQUEUE Queue,
    _In_ WDFREQUEST Request,
    _In_ size_t OutputBufferLength,
    _In_ size_t InputBufferLength,
    _In_ ULONG IoControlCode);
typedef EVT_WDF_IO_QUEUE_IO_DEVICE_CONTROL *PFN_WDF_IO_QUEUE_IO_DEVICE_CONTROL;

typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL) _IRQL_requires_same_
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL(
    _In_ WDFQUEUE Queue,
    _In_ WDFREQUEST Request,
    _In_ size_t OutputBufferLength,
    _In_ size_t InputBufferLength,
    _In_ ULONG IoControlCode);
typedef EVT_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL *PFN_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL;

typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_STOP) _IRQL_requires_same_
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID EVT_WDF_IO_QUEUE_IO_STOP(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request, _In_ ULONG ActionFlags);
typedef EVT_WDF_IO_QUEUE_IO_STOP *PFN_WDF_IO_QUEUE_IO_STOP;

typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_RESUME) _IRQL_requires_same_
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID EVT_WDF_IO_QUEUE_IO_RESUME(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request);
typedef EVT_WDF_IO_QUEUE_IO_RESUME *PFN_WDF_IO_QUEUE_IO_RESUME;

typedef _Function_class_(EVT_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE) _IRQL_requires_same_
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID EVT_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE(_In_ WDFQUEUE Queue, _In_ WDFREQUEST Request);
typedef EVT_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE *PFN_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE;

typedef struct _WDF_IO_QUEUE_CONFIG {
    ULONG Size;
    WDF_IO_QUEUE_DISPATCH_TYPE DispatchType;
    WDF_TRI_STATE PowerManaged;
    BOOLEAN AllowZeroLengthRequests;
    BOOLEAN DefaultQueue;
    PFN_WDF_IO_QUEUE_IO_DEFAULT EvtIoDefault;
    PFN_WDF_IO_QUEUE_IO_READ EvtIoRead;
    PFN_WDF_IO_QUEUE_IO_WRITE EvtIoWrite;
    PFN_WDF_IO_QUEUE_IO_DEVICE_CONTROL EvtIoDeviceControl;
    PFN_WDF_IO_QUEUE_IO_INTERNAL_DEVICE_CONTROL EvtIoInternalDeviceControl;
    PFN_WDF_IO_QUEUE_IO_STOP EvtIoStop;
    PFN_WDF_IO_QUEUE_IO_RESUME EvtIoResume;
    PFN_WDF_IO_QUEUE_IO_CANCELED_ON_QUEUE EvtIoCanceledOnQueue;
    union {
        struct {
            ULONG NumberOfPresentedRequests;
        } Parallel;
    } Settings;
    WDFDRIVER Driver;
} WDF_IO_QUEUE_CONFIG, *PWDF_IO_QUEUE_CONFIG;

VOID WDF_IO_QUEUE_CONFIG_INIT(_Out_ PWDF_IO_QUEUE_CONFIG Config, _In_ WDF_IO_QUEUE_DISPATCH_TYPE DispatchType);
VOID WDF_IO_QUEUE_CONFIG_INIT_DEFAULT_QUEUE(
    _Out_ PWDF_IO_QUEUE_CONFIG Config, _In_ WDF_IO_QUEUE_DISPATCH_TYPE DispatchType);

_Must_inspect_result_ _IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS WdfIoQueueCreate(
    _In_ WDFDEVICE Device,
    _In_ PWDF_IO_QUEUE_CONFIG Config,
    _In_opt_ PWDF_OBJECT_ATTRIBUTES QueueAttributes,
    _Out_opt_ WDFQUEUE *Queue);

_Must_inspect_result_ _IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS WdfIoQueueRetrieveNextRequest(_In_ WDFQUEUE Queue, _Out_ WDFREQUEST *OutRequest);

_Must_inspect_result_ _IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS WdfIoQueueRetrieveRequestByFileObject(
    _In_ WDFQUEUE Queue, _In_ WDFFILEOBJECT FileObject, _Out_ WDFREQUEST *OutRequest);

_IRQL_requires_max_(PASSIVE_LEVEL)
VOID WdfIoQueuePurgeSynchronously(_In_ WDFQUEUE Queue);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfIoQueueStart(_In_ WDFQUEUE Queue);

/* ---- Requests: wdfrequest/nf-wdfrequest-wdfrequestretrieveinputbuffer,
 *      nf-wdfrequest-wdfrequestretrieveoutputbuffer, nf-wdfrequest-wdfrequestcomplete,
 *      nf-wdfrequest-wdfrequestcompletewithinformation,
 *      nf-wdfrequest-wdfrequestsetinformation,
 *      nf-wdfrequest-wdfrequestforwardtoioqueue,
 *      nf-wdfrequest-wdfrequestgetfileobject */
_Must_inspect_result_ _IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS WdfRequestRetrieveInputBuffer(
    _In_ WDFREQUEST Request,
    _In_ size_t MinimumRequiredLength,
    _Outptr_result_bytebuffer_(*Length) PVOID *Buffer,
    _Out_opt_ size_t *Length);

_Must_inspect_result_ _IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS WdfRequestRetrieveOutputBuffer(
    _In_ WDFREQUEST Request,
    _In_ size_t MinimumRequiredSize,
    _Outptr_result_bytebuffer_(*Length) PVOID *Buffer,
    _Out_opt_ size_t *Length);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfRequestComplete(_In_ WDFREQUEST Request, _In_ NTSTATUS Status);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfRequestCompleteWithInformation(_In_ WDFREQUEST Request, _In_ NTSTATUS Status, _In_ ULONG_PTR Information);

_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfRequestSetInformation(_In_ WDFREQUEST Request, _In_ ULONG_PTR Information);

_Must_inspect_result_ _IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS WdfRequestForwardToIoQueue(_In_ WDFREQUEST Request, _In_ WDFQUEUE DestinationQueue);

_IRQL_requires_max_(DISPATCH_LEVEL)
WDFFILEOBJECT WdfRequestGetFileObject(_In_ WDFREQUEST Request);

/* ---- Spin locks: wdfsync/nf-wdfsync-wdfspinlockcreate,
 *      nf-wdfsync-wdfspinlockacquire, nf-wdfsync-wdfspinlockrelease */
_Must_inspect_result_ _IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS WdfSpinLockCreate(_In_opt_ PWDF_OBJECT_ATTRIBUTES SpinLockAttributes, _Out_ WDFSPINLOCK *SpinLock);

_IRQL_requires_max_(DISPATCH_LEVEL) _IRQL_raises_(DISPATCH_LEVEL)
VOID WdfSpinLockAcquire(_In_ _Requires_lock_not_held_(_Curr_) _Acquires_lock_(_Curr_) _IRQL_saves_ WDFSPINLOCK SpinLock);

_IRQL_requires_max_(DISPATCH_LEVEL) _IRQL_requires_min_(DISPATCH_LEVEL)
VOID WdfSpinLockRelease(_In_ _Requires_lock_held_(_Curr_) _Releases_lock_(_Curr_) _IRQL_restores_ WDFSPINLOCK SpinLock);

/* ---- Objects: wdfobject/nf-wdfobject-wdfobjectdelete */
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID WdfObjectDelete(_In_ WDFOBJECT Object);

#endif /* WFPGEN_STUB_WDF_H */
