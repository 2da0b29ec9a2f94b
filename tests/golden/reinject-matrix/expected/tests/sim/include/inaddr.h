// inaddr.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/inaddr.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: IN_ADDR (learn.microsoft.com/windows/win32/api/inaddr/ns-inaddr-in_addr).
 */
#ifndef WFPGEN_STUB_INADDR_H
#define WFPGEN_STUB_INADDR_H
#include <ntdef.h>

typedef struct in_addr {
    union {
        struct {
            UCHAR s_b1, s_b2, s_b3, s_b4;
        } S_un_b;
        struct {
            USHORT s_w1, s_w2;
        } S_un_w;
        ULONG S_addr;
    } S_un;
} IN_ADDR, *PIN_ADDR;

#endif /* WFPGEN_STUB_INADDR_H */
