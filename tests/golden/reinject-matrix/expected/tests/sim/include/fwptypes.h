// fwptypes.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/fwptypes.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: types shared by the WFP run-time (fwpsk.h) and
 * management (fwpmk.h) APIs.
 *
 * Declaration-only stand-in for CI compile checks, transcribed from the WFP
 * reference on Microsoft Learn (learn.microsoft.com/windows/win32/api/fwptypes/
 * and .../windows-hardware/drivers/ddi/fwpsk/; page named per group), not
 * copied from a Microsoft header. Member types are kept exact (UINT16 vs
 * UINT32, pointers where the docs have pointers) so that reading the wrong
 * union member or passing the wrong pointer fails here as it does with the
 * real kit.
 */
#ifndef WFPGEN_STUB_FWPTYPES_H
#define WFPGEN_STUB_FWPTYPES_H

#include <ntdef.h>

/* ---- fwptypes/ne-fwptypes-fwp_direction, ne-fwptypes-fwp_ip_version */
typedef enum FWP_DIRECTION_ {
    FWP_DIRECTION_OUTBOUND,
    FWP_DIRECTION_INBOUND,
    FWP_DIRECTION_MAX
} FWP_DIRECTION;

typedef enum FWP_IP_VERSION_ {
    FWP_IP_VERSION_V4,
    FWP_IP_VERSION_V6,
    FWP_IP_VERSION_NONE,
    FWP_IP_VERSION_MAX
} FWP_IP_VERSION;

/* ---- fwptypes/ne-fwptypes-fwp_data_type */
typedef enum FWP_DATA_TYPE_ {
    FWP_EMPTY = 0,
    FWP_UINT8,
    FWP_UINT16,
    FWP_UINT32,
    FWP_UINT64,
    FWP_INT8,
    FWP_INT16,
    FWP_INT32,
    FWP_INT64,
    FWP_FLOAT,
    FWP_DOUBLE,
    FWP_BYTE_ARRAY16_TYPE,
    FWP_BYTE_BLOB_TYPE,
    FWP_SID,
    FWP_SECURITY_DESCRIPTOR_TYPE,
    FWP_TOKEN_INFORMATION_TYPE,
    FWP_TOKEN_ACCESS_INFORMATION_TYPE,
    FWP_UNICODE_STRING_TYPE,
    FWP_BYTE_ARRAY6_TYPE,
    FWP_SINGLE_DATA_TYPE_MAX = 0xff,
    FWP_V4_ADDR_MASK,
    FWP_V6_ADDR_MASK,
    FWP_RANGE_TYPE,
    FWP_DATA_TYPE_MAX
} FWP_DATA_TYPE;

/* ---- fwptypes/ns-fwptypes-fwp_byte_array16, ns-fwptypes-fwp_byte_array6,
 *      ns-fwptypes-fwp_byte_blob, ns-fwptypes-fwp_token_information */
typedef struct FWP_BYTE_ARRAY16_ {
    UINT8 byteArray16[16];
} FWP_BYTE_ARRAY16;

typedef struct FWP_BYTE_ARRAY6_ {
    UINT8 byteArray6[6];
} FWP_BYTE_ARRAY6;

typedef struct FWP_BYTE_BLOB_ {
    UINT32 size;
    UINT8 *data;
} FWP_BYTE_BLOB;

typedef struct _SID_AND_ATTRIBUTES SID_AND_ATTRIBUTES, *PSID_AND_ATTRIBUTES;

typedef struct FWP_TOKEN_INFORMATION_ {
    ULONG sidCount;
    PSID_AND_ATTRIBUTES sids;
    ULONG restrictedSidCount;
    PSID_AND_ATTRIBUTES restrictedSids;
} FWP_TOKEN_INFORMATION;

/* ---- fwptypes/ns-fwptypes-fwp_value0 */
typedef struct FWP_VALUE0_ {
    FWP_DATA_TYPE type;
    union {
        UINT8 uint8;
        UINT16 uint16;
        UINT32 uint32;
        UINT64 *uint64;
        INT8 int8;
        INT16 int16;
        INT32 int32;
        INT64 *int64;
        float float32;
        double *double64;
        FWP_BYTE_ARRAY16 *byteArray16;
        FWP_BYTE_BLOB *byteBlob;
        SID *sid;
        FWP_BYTE_BLOB *sd;
        FWP_TOKEN_INFORMATION *tokenInformation;
        FWP_BYTE_BLOB *tokenAccessInformation;
        LPWSTR unicodeString;
        FWP_BYTE_ARRAY6 *byteArray6;
    };
} FWP_VALUE0;

/* ---- fwptypes/ns-fwptypes-fwp_v4_addr_and_mask, ns-fwptypes-fwp_v6_addr_and_mask,
 *      ns-fwptypes-fwp_range0, ns-fwptypes-fwp_condition_value0 */
typedef struct FWP_V4_ADDR_AND_MASK_ {
    UINT32 addr;
    UINT32 mask;
} FWP_V4_ADDR_AND_MASK;

typedef struct FWP_V6_ADDR_AND_MASK_ {
    UINT8 addr[16];
    UINT8 prefixLength;
} FWP_V6_ADDR_AND_MASK;

typedef struct FWP_RANGE0_ {
    FWP_VALUE0 valueLow;
    FWP_VALUE0 valueHigh;
} FWP_RANGE0;

typedef struct FWP_CONDITION_VALUE0_ {
    FWP_DATA_TYPE type;
    union {
        UINT8 uint8;
        UINT16 uint16;
        UINT32 uint32;
        UINT64 *uint64;
        INT8 int8;
        INT16 int16;
        INT32 int32;
        INT64 *int64;
        float float32;
        double *double64;
        FWP_BYTE_ARRAY16 *byteArray16;
        FWP_BYTE_BLOB *byteBlob;
        SID *sid;
        FWP_BYTE_BLOB *sd;
        FWP_TOKEN_INFORMATION *tokenInformation;
        FWP_BYTE_BLOB *tokenAccessInformation;
        LPWSTR unicodeString;
        FWP_BYTE_ARRAY6 *byteArray6;
        FWP_V4_ADDR_AND_MASK *v4AddrMask;
        FWP_V6_ADDR_AND_MASK *v6AddrMask;
        FWP_RANGE0 *rangeValue;
    };
} FWP_CONDITION_VALUE0;

/* ---- fwptypes/ne-fwptypes-fwp_match_type */
typedef enum FWP_MATCH_TYPE_ {
    FWP_MATCH_EQUAL,
    FWP_MATCH_GREATER,
    FWP_MATCH_LESS,
    FWP_MATCH_GREATER_OR_EQUAL,
    FWP_MATCH_LESS_OR_EQUAL,
    FWP_MATCH_RANGE,
    FWP_MATCH_FLAGS_ALL_SET,
    FWP_MATCH_FLAGS_ANY_SET,
    FWP_MATCH_FLAGS_NONE_SET,
    FWP_MATCH_EQUAL_CASE_INSENSITIVE,
    FWP_MATCH_NOT_EQUAL,
    FWP_MATCH_PREFIX,
    FWP_MATCH_NOT_PREFIX,
    FWP_MATCH_TYPE_MAX
} FWP_MATCH_TYPE;

/* ---- Filter actions: fwpmtypes/ns-fwpmtypes-fwpm_action0 and
 *      ddi/fwpsk/ns-fwpsk-fwps_action0_ (action types), fwpstypes/ns-fwpstypes-fwps_classify_out0
 *      (FWP_ACTION_CONTINUE, FWP_ACTION_NONE, FWP_ACTION_NONE_NO_MATCH) */
typedef UINT32 FWP_ACTION_TYPE;
#define FWP_ACTION_FLAG_TERMINATING     0x00001000
#define FWP_ACTION_FLAG_NON_TERMINATING 0x00002000
#define FWP_ACTION_FLAG_CALLOUT         0x00004000
#define FWP_ACTION_BLOCK               (0x00000001 | FWP_ACTION_FLAG_TERMINATING)
#define FWP_ACTION_PERMIT              (0x00000002 | FWP_ACTION_FLAG_TERMINATING)
#define FWP_ACTION_CALLOUT_TERMINATING \
    (0x00000003 | FWP_ACTION_FLAG_CALLOUT | FWP_ACTION_FLAG_TERMINATING)
#define FWP_ACTION_CALLOUT_INSPECTION \
    (0x00000004 | FWP_ACTION_FLAG_CALLOUT | FWP_ACTION_FLAG_NON_TERMINATING)
#define FWP_ACTION_CALLOUT_UNKNOWN     (0x00000005 | FWP_ACTION_FLAG_CALLOUT)
#define FWP_ACTION_CONTINUE            (0x00000006 | FWP_ACTION_FLAG_NON_TERMINATING)
#define FWP_ACTION_NONE                (0x00000007)
#define FWP_ACTION_NONE_NO_MATCH       (0x00000008)

/* ---- Condition flags (the FLAGS field of a layer): fwptypes.h,
 *      network/filtering-condition-flags */
#define FWP_CONDITION_FLAG_IS_LOOPBACK 0x00000001
#define FWP_CONDITION_FLAG_IS_REAUTHORIZE 0x00000004

/* ---- Callout flags: ddi/fwpsk/ns-fwpsk-fwps_callout0_, ns-fwpsk-fwps_callout1_,
 *      ns-fwpsk-fwps_callout2_, ns-fwpsk-fwps_callout3 (flag values and the
 *      Windows version each appeared in; wfp-facts.md section 2) */
#define FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW 0x00000001
#define FWP_CALLOUT_FLAG_ALLOW_OFFLOAD 0x00000002
#if (NTDDI_VERSION >= NTDDI_WIN7)
#define FWP_CALLOUT_FLAG_ENABLE_COMMIT_ADD_NOTIFY 0x00000004
#define FWP_CALLOUT_FLAG_ALLOW_MID_STREAM_INSPECTION 0x00000008
#define FWP_CALLOUT_FLAG_ALLOW_RECLASSIFY 0x00000010
#endif
#if (NTDDI_VERSION >= NTDDI_WIN8)
#define FWP_CALLOUT_FLAG_RESERVED1 0x00000020
#define FWP_CALLOUT_FLAG_ALLOW_RSC 0x00000040
#define FWP_CALLOUT_FLAG_ALLOW_L2_BATCH_CLASSIFY 0x00000080
#endif
#if (NTDDI_VERSION >= NTDDI_WIN10_19H1)
#define FWP_CALLOUT_FLAG_ALLOW_USO 0x00000100
#endif
#if (NTDDI_VERSION >= NTDDI_WIN10_VB)
#define FWP_CALLOUT_FLAG_ALLOW_URO 0x00000200
#endif
#if (NTDDI_VERSION >= NTDDI_WIN10_CO)
#define FWP_CALLOUT_FLAG_RESERVED2 0x00000400
#endif

/* ---- fwptypes/ns-fwptypes-fwpm_display_data0 */
typedef struct FWPM_DISPLAY_DATA0_ {
    wchar_t *name;
    wchar_t *description;
} FWPM_DISPLAY_DATA0;

/* Provider contexts are only pointed to by FWPS_FILTERn here: one distinct
   incomplete type per version (fwpmtypes/ns-fwpmtypes-fwpm_provider_context0..3). */
typedef struct FWPM_PROVIDER_CONTEXT0_ FWPM_PROVIDER_CONTEXT0;
#if (NTDDI_VERSION >= NTDDI_WIN7)
typedef struct FWPM_PROVIDER_CONTEXT1_ FWPM_PROVIDER_CONTEXT1;
#endif
#if (NTDDI_VERSION >= NTDDI_WIN8)
typedef struct FWPM_PROVIDER_CONTEXT2_ FWPM_PROVIDER_CONTEXT2;
#endif
#if (NTDDI_VERSION >= NTDDI_WIN10_RS3)
typedef struct FWPM_PROVIDER_CONTEXT3_ FWPM_PROVIDER_CONTEXT3;
#endif

#endif /* WFPGEN_STUB_FWPTYPES_H */
