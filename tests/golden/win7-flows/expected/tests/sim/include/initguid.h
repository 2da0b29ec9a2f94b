//
// initguid.h - from here on DEFINE_GUID defines its GUID instead of declaring it.
//

#ifndef INITGUID
#define INITGUID
#endif

#include <ntddk.h>

#undef DEFINE_GUID
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    SIM_DEFINITION const GUID name = { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
