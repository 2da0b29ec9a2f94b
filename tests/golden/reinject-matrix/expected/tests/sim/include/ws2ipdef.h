// ws2ipdef.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/ws2ipdef.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: IPv4/IPv6 socket addresses.
 *
 * From learn.microsoft.com/windows/win32/api/ws2ipdef/ (ns-ws2ipdef-sockaddr_in6_lh,
 * ns-ws2ipdef-sockaddr_inet) and learn.microsoft.com/windows/win32/api/ws2def/ns-ws2def-sockaddr_in.
 */
#ifndef WFPGEN_STUB_WS2IPDEF_H
#define WFPGEN_STUB_WS2IPDEF_H

#include <ws2def.h>
#include <inaddr.h>
#include <in6addr.h>

typedef struct sockaddr_in {
    ADDRESS_FAMILY sin_family;
    USHORT sin_port;
    IN_ADDR sin_addr;
    CHAR sin_zero[8];
} SOCKADDR_IN, *PSOCKADDR_IN;

typedef struct sockaddr_in6 {
    ADDRESS_FAMILY sin6_family;
    USHORT sin6_port;
    ULONG sin6_flowinfo;
    IN6_ADDR sin6_addr;
    union {
        ULONG sin6_scope_id;
        SCOPE_ID sin6_scope_struct;
    };
} SOCKADDR_IN6, *PSOCKADDR_IN6;

typedef union _SOCKADDR_INET {
    SOCKADDR_IN Ipv4;
    SOCKADDR_IN6 Ipv6;
    ADDRESS_FAMILY si_family;
} SOCKADDR_INET, *PSOCKADDR_INET;

#endif /* WFPGEN_STUB_WS2IPDEF_H */
