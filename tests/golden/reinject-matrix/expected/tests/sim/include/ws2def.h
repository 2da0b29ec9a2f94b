// ws2def.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/ws2def.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: socket address types the WFP structures refer to.
 *
 * From learn.microsoft.com/windows/win32/api/ws2def/ (ns-ws2def-sockaddr,
 * ns-ws2def-sockaddr_storage_lh, ns-ws2def-scope_id, ns-ws2def-wsacmsghdr)
 * and learn.microsoft.com/windows/win32/winsock/address-families (AF_*).
 */
#ifndef WFPGEN_STUB_WS2DEF_H
#define WFPGEN_STUB_WS2DEF_H

#include <ntdef.h>

typedef USHORT ADDRESS_FAMILY;
#define AF_UNSPEC 0
#define AF_INET 2
#define AF_INET6 23

/* IP protocol numbers (win32/api/winsock2/nf-winsock2-socket, "protocol";
   the IANA assigned numbers) */
typedef enum {
    IPPROTO_HOPOPTS = 0,
    IPPROTO_ICMP = 1,
    IPPROTO_IGMP = 2,
    IPPROTO_IPV4 = 4,
    IPPROTO_TCP = 6,
    IPPROTO_UDP = 17,
    IPPROTO_IPV6 = 41,
    IPPROTO_ICMPV6 = 58,
    IPPROTO_RAW = 255,
} IPPROTO, *PIPPROTO;

typedef struct sockaddr {
    ADDRESS_FAMILY sa_family;
    CHAR sa_data[14];
} SOCKADDR, *PSOCKADDR;

typedef struct sockaddr_storage {
    ADDRESS_FAMILY ss_family;
    CHAR __ss_pad1[6];
    __int64 __ss_align;
    CHAR __ss_pad2[112];
} SOCKADDR_STORAGE, *PSOCKADDR_STORAGE;

typedef struct {
    union {
        struct {
            ULONG Zone : 28;
            ULONG Level : 4;
        };
        ULONG Value;
    };
} SCOPE_ID, *PSCOPE_ID;

typedef struct cmsghdr {
    SIZE_T cmsg_len;
    INT cmsg_level;
    INT cmsg_type;
} WSACMSGHDR, *PWSACMSGHDR;

#endif /* WFPGEN_STUB_WS2DEF_H */
