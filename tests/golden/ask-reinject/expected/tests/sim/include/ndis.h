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

#ifdef WFPGEN_STUB_NDIS6
typedef struct _NET_BUFFER NET_BUFFER, *PNET_BUFFER;
typedef struct _NET_BUFFER_LIST NET_BUFFER_LIST, *PNET_BUFFER_LIST;
#endif

/* Hyper-V extensible switch port and NIC ids, NDIS 6.30 and later
   (network/hyper-v-extensible-switch-port-and-network-adapter-states;
   ntddndis.h types NDIS_SWITCH_PORT_ID, NDIS_SWITCH_NIC_INDEX) */
#if NDIS_SUPPORT_NDIS630
typedef UINT32 NDIS_SWITCH_PORT_ID;
typedef USHORT NDIS_SWITCH_NIC_INDEX;
#endif

#endif /* WFPGEN_STUB_NDIS_H */
