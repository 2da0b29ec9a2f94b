// ndis.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/ndis.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: the NDIS names WFP callouts see.
 *
 * learn.microsoft.com/windows-hardware/drivers/network/compiling-an-ndis-6-0-driver
 * (a driver must define an NDISxy version macro before including ndis.h; the
 * NDIS 6 data structures such as NET_BUFFER_LIST exist only then) and
 * learn.microsoft.com/windows-hardware/drivers/ddi/nbl/ns-nbl-net_buffer_list
 * (opaque here). NDIS_SUPPORT_NDIS630 is derived from the version macro as
 * the NDIS version-support page describes; the vSwitch metadata members of
 * FWPS_INCOMING_METADATA_VALUES0 depend on it.
 */
#ifndef WFPGEN_STUB_NDIS_H
#define WFPGEN_STUB_NDIS_H

#include <wdm.h>

#if defined(NDIS60) || defined(NDIS61) || defined(NDIS620) || defined(NDIS630) ||   \
    defined(NDIS640) || defined(NDIS650) || defined(NDIS651) || defined(NDIS660) || \
    defined(NDIS670) || defined(NDIS680) || defined(NDIS681) || defined(NDIS682) || \
    defined(NDIS683) || defined(NDIS684) || defined(NDIS685) || defined(NDIS686) || \
    defined(NDIS687) || defined(NDIS_SUPPORT_NDIS6)
#define WFPGEN_STUB_NDIS6 1
#endif

#ifndef NDIS_SUPPORT_NDIS630
#if defined(NDIS630) || defined(NDIS640) || defined(NDIS650) || defined(NDIS651) || \
    defined(NDIS660) || defined(NDIS670) || defined(NDIS680) || defined(NDIS681) || \
    defined(NDIS682) || defined(NDIS683) || defined(NDIS684) || defined(NDIS685) || \
    defined(NDIS686) || defined(NDIS687)
#define NDIS_SUPPORT_NDIS630 1
#else
#define NDIS_SUPPORT_NDIS630 0
#endif
#endif

/* ndis/types.h and ndis/status.h (learn.microsoft.com/windows-hardware/drivers/network/ndis-status-codes) */
typedef PVOID NDIS_HANDLE, *PNDIS_HANDLE;
typedef int NDIS_STATUS, *PNDIS_STATUS;
#define NDIS_STATUS_SUCCESS ((NDIS_STATUS)STATUS_SUCCESS)
#define NDIS_STATUS_RESOURCES ((NDIS_STATUS)STATUS_INSUFFICIENT_RESOURCES)

#ifdef WFPGEN_STUB_NDIS6
/* NET_BUFFER and NET_BUFFER_LIST (ddi/nbl/ns-nbl-net_buffer,
   ns-nbl-net_buffer_list): the members drivers use, with their real names
   and types; the reserved areas of the real structures are left out. The
   accessor macros are those of ddi/nbl (NET_BUFFER_LIST_FIRST_NB,
   NET_BUFFER_DATA_LENGTH, ...). */
typedef struct _NET_BUFFER NET_BUFFER, *PNET_BUFFER;
typedef struct _NET_BUFFER_LIST NET_BUFFER_LIST, *PNET_BUFFER_LIST;

struct _NET_BUFFER {
    NET_BUFFER *Next;
    MDL *CurrentMdl;
    ULONG CurrentMdlOffset;
    union {
        ULONG DataLength;
        SIZE_T stDataLength;
    };
    MDL *MdlChain;
    ULONG DataOffset;
    USHORT ChecksumBias;
    USHORT Reserved;
    NDIS_HANDLE NdisPoolHandle;
};

struct _NET_BUFFER_LIST {
    NET_BUFFER_LIST *Next;
    NET_BUFFER *FirstNetBuffer;
    PVOID Context;
    NET_BUFFER_LIST *ParentNetBufferList;
    NDIS_HANDLE NdisPoolHandle;
    PVOID Scratch;
    NDIS_HANDLE SourceHandle;
    ULONG NblFlags;
    LONG ChildRefCount;
    ULONG Flags;
    NDIS_STATUS Status;
};

#define NET_BUFFER_NEXT_NB(_NB) ((_NB)->Next)
#define NET_BUFFER_FIRST_MDL(_NB) ((_NB)->MdlChain)
#define NET_BUFFER_DATA_LENGTH(_NB) ((_NB)->DataLength)
#define NET_BUFFER_DATA_OFFSET(_NB) ((_NB)->DataOffset)
#define NET_BUFFER_CURRENT_MDL(_NB) ((_NB)->CurrentMdl)
#define NET_BUFFER_CURRENT_MDL_OFFSET(_NB) ((_NB)->CurrentMdlOffset)
#define NET_BUFFER_LIST_NEXT_NBL(_NBL) ((_NBL)->Next)
#define NET_BUFFER_LIST_FIRST_NB(_NBL) ((_NBL)->FirstNetBuffer)
#define NET_BUFFER_LIST_STATUS(_NBL) ((_NBL)->Status)

/* ddi/nblapi: nc-nblapi-net_buffer_allocate_mdl, nc-nblapi-net_buffer_free_mdl,
   nf-nblapi-ndisretreatnetbufferdatastart, nf-nblapi-ndisadvancenetbufferdatastart,
   nf-nblapi-ndisgetdatabuffer */
typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(NET_BUFFER_ALLOCATE_MDL)
MDL *NET_BUFFER_ALLOCATE_MDL(_Inout_ ULONG *BufferSize);
typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(NET_BUFFER_FREE_MDL)
VOID NET_BUFFER_FREE_MDL(_In_ MDL *Mdl);

_Must_inspect_result_
_IRQL_requires_max_(DISPATCH_LEVEL)
NDIS_STATUS NdisRetreatNetBufferDataStart(_In_ NET_BUFFER *NetBuffer, _In_ ULONG DataOffsetDelta,
                                          _In_ ULONG DataBackFill,
                                          _In_opt_ NET_BUFFER_ALLOCATE_MDL *AllocateMdlHandler);
_IRQL_requires_max_(DISPATCH_LEVEL)
VOID NdisAdvanceNetBufferDataStart(_In_ NET_BUFFER *NetBuffer, _In_ ULONG DataOffsetDelta,
                                   _In_ BOOLEAN FreeMdl, _In_opt_ NET_BUFFER_FREE_MDL *FreeMdlHandler);
_IRQL_requires_max_(DISPATCH_LEVEL)
_Must_inspect_result_
PVOID NdisGetDataBuffer(_In_ NET_BUFFER *NetBuffer, _In_ ULONG BytesNeeded,
                        _Out_writes_bytes_opt_(BytesNeeded) PVOID Storage, _In_ ULONG AlignMultiple,
                        _In_ ULONG AlignOffset);
#endif

/* Hyper-V extensible switch port and NIC ids, NDIS 6.30 and later
   (network/hyper-v-extensible-switch-port-and-network-adapter-states;
   ntddndis.h types NDIS_SWITCH_PORT_ID, NDIS_SWITCH_NIC_INDEX) */
#if NDIS_SUPPORT_NDIS630
typedef UINT32 NDIS_SWITCH_PORT_ID;
typedef USHORT NDIS_SWITCH_NIC_INDEX;
#endif

#endif /* WFPGEN_STUB_NDIS_H */
