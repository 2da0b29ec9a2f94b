// netioapi.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/netioapi.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: IP_ADDRESS_PREFIX
 * (learn.microsoft.com/windows/win32/api/netioapi/ns-netioapi-ip_address_prefix).
 */
#ifndef WFPGEN_STUB_NETIOAPI_H
#define WFPGEN_STUB_NETIOAPI_H
#include <ws2ipdef.h>

typedef struct _IP_ADDRESS_PREFIX {
    SOCKADDR_INET Prefix;
    UINT8 PrefixLength;
} IP_ADDRESS_PREFIX, *PIP_ADDRESS_PREFIX;

#endif /* WFPGEN_STUB_NETIOAPI_H */
