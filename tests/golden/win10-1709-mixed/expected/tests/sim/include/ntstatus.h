// ntstatus.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/ntstatus.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: the NTSTATUS values the templates use.
 *
 * Values from [MS-ERREF] 2.3.1 NTSTATUS Values
 * (learn.microsoft.com/openspecs/windows_protocols/ms-erref/596a1078-e883-4972-9bbc-49e60bebca55)
 * and the WFP return codes on the FwpsCalloutRegister0..3 /
 * FwpsCalloutUnregisterById0 pages (learn.microsoft.com/windows-hardware/drivers/ddi/fwpsk/).
 */
#ifndef WFPGEN_STUB_NTSTATUS_H
#define WFPGEN_STUB_NTSTATUS_H

#define STATUS_SUCCESS                  ((NTSTATUS)0x00000000L)
#define STATUS_OBJECT_NAME_EXISTS       ((NTSTATUS)0x40000000L)
#define STATUS_TIMEOUT                  ((NTSTATUS)0x00000102L)
#define STATUS_PENDING                  ((NTSTATUS)0x00000103L)
#define STATUS_UNSUCCESSFUL             ((NTSTATUS)0xC0000001L)
#define STATUS_NOT_IMPLEMENTED          ((NTSTATUS)0xC0000002L)
#define STATUS_INVALID_HANDLE           ((NTSTATUS)0xC0000008L)
#define STATUS_INVALID_PARAMETER        ((NTSTATUS)0xC000000DL)
#define STATUS_NO_MEMORY                ((NTSTATUS)0xC0000017L)
#define STATUS_ACCESS_DENIED            ((NTSTATUS)0xC0000022L)
#define STATUS_INSUFFICIENT_RESOURCES   ((NTSTATUS)0xC000009AL)
#define STATUS_NOT_SUPPORTED            ((NTSTATUS)0xC00000BBL)
#define STATUS_DEVICE_BUSY              ((NTSTATUS)0x80000011L)
#define STATUS_SHUTDOWN_IN_PROGRESS    ((NTSTATUS)0xC00002FEL)
#define STATUS_INVALID_DEVICE_STATE     ((NTSTATUS)0xC0000184L)
#define STATUS_NOT_FOUND                ((NTSTATUS)0xC0000225L)
#define STATUS_BUFFER_OVERFLOW          ((NTSTATUS)0x80000005L)
#define STATUS_NO_MORE_ENTRIES          ((NTSTATUS)0x8000001AL)
#define STATUS_NO_SUCH_DEVICE           ((NTSTATUS)0xC000000EL)
#define STATUS_INVALID_DEVICE_REQUEST   ((NTSTATUS)0xC0000010L)
#define STATUS_BUFFER_TOO_SMALL         ((NTSTATUS)0xC0000023L)
#define STATUS_OBJECT_NAME_NOT_FOUND    ((NTSTATUS)0xC0000034L)
#define STATUS_OBJECT_NAME_COLLISION    ((NTSTATUS)0xC0000035L)
#define STATUS_DELETE_PENDING           ((NTSTATUS)0xC0000056L)
#define STATUS_REVISION_MISMATCH        ((NTSTATUS)0xC0000059L)
#define STATUS_CANCELLED                ((NTSTATUS)0xC0000120L)
/* KMDF's own codes (wdfstatus.h; the WdfIoQueue* and WdfRequestForwardToIoQueue pages). */
#define STATUS_WDF_PAUSED               ((NTSTATUS)0xC0200203L)
#define STATUS_WDF_BUSY                 ((NTSTATUS)0xC0200204L)
/* What FwpmEngineOpen0 returns while the Base Filtering Engine is not running
   (the RPC endpoint is not registered). */
#define EPT_NT_NOT_REGISTERED           ((NTSTATUS)0xC0020030L)
/* The filter engine's codes: FWP_E_* of winerror.h as NTSTATUS, facility 0x22. */
#define STATUS_FWP_CALLOUT_NOT_FOUND    ((NTSTATUS)0xC0220001L)
#define STATUS_FWP_FILTER_NOT_FOUND     ((NTSTATUS)0xC0220003L)
#define STATUS_FWP_LAYER_NOT_FOUND      ((NTSTATUS)0xC0220004L)
#define STATUS_FWP_PROVIDER_NOT_FOUND   ((NTSTATUS)0xC0220005L)
#define STATUS_FWP_SUBLAYER_NOT_FOUND   ((NTSTATUS)0xC0220007L)
#define STATUS_FWP_NOT_FOUND            ((NTSTATUS)0xC0220008L)
#define STATUS_FWP_ALREADY_EXISTS       ((NTSTATUS)0xC0220009L)
#define STATUS_FWP_IN_USE               ((NTSTATUS)0xC022000AL)
#define STATUS_FWP_NO_TXN_IN_PROGRESS   ((NTSTATUS)0xC022000DL)
#define STATUS_FWP_TXN_IN_PROGRESS      ((NTSTATUS)0xC022000EL)
#define STATUS_FWP_INCOMPATIBLE_LAYER   ((NTSTATUS)0xC0220014L)
#define STATUS_FWP_NULL_POINTER         ((NTSTATUS)0xC022001CL)
#define STATUS_FWP_NULL_DISPLAY_NAME    ((NTSTATUS)0xC0220023L)
#define STATUS_FWP_CALLOUT_NOTIFICATION_FAILED ((NTSTATUS)0xC0220037L)
#define STATUS_FWP_TCPIP_NOT_READY      ((NTSTATUS)0xC0220100L)
#define STATUS_FWP_CANNOT_PEND          ((NTSTATUS)0xC0220103L)
#define STATUS_FWP_INJECT_HANDLE_CLOSING ((NTSTATUS)0xC0220101L)
#define STATUS_FWP_INJECT_HANDLE_STALE  ((NTSTATUS)0xC0220102L)

#endif /* WFPGEN_STUB_NTSTATUS_H */
