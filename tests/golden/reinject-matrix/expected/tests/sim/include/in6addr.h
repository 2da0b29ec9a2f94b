// in6addr.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/in6addr.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: IN6_ADDR (learn.microsoft.com/windows/win32/api/in6addr/ns-in6addr-in6_addr).
 */
#ifndef WFPGEN_STUB_IN6ADDR_H
#define WFPGEN_STUB_IN6ADDR_H
#include <ntdef.h>

typedef struct in6_addr {
    union {
        UCHAR Byte[16];
        USHORT Word[8];
    } u;
} IN6_ADDR, *PIN6_ADDR;

#endif /* WFPGEN_STUB_IN6ADDR_H */
