// guiddef.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/guiddef.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: GUID and DEFINE_GUID.
 *
 * From learn.microsoft.com/windows/win32/api/guiddef/ns-guiddef-guid (GUID
 * layout) and learn.microsoft.com/windows-hardware/drivers/kernel/defining-and-exporting-new-guids
 * (DEFINE_GUID declares an extern GUID unless INITGUID is defined first, in
 * which case it defines it). Like the real header, the DEFINE_GUID part is
 * evaluated again on every inclusion, so `#define INITGUID` followed by
 * `#include <guiddef.h>` (or <initguid.h>) switches it to definitions.
 */
#ifndef WFPGEN_STUB_GUIDDEF_TYPES
#define WFPGEN_STUB_GUIDDEF_TYPES

typedef struct _GUID {
    unsigned long Data1;
    unsigned short Data2;
    unsigned short Data3;
    unsigned char Data4[8];
} GUID;
typedef GUID *LPGUID;
typedef const GUID *LPCGUID;
typedef GUID IID;
typedef const GUID *REFGUID;

#ifndef EXTERN_C
#ifdef __cplusplus
#define EXTERN_C extern "C"
#else
#define EXTERN_C extern
#endif
#endif

#ifndef DECLSPEC_SELECTANY
#define DECLSPEC_SELECTANY __declspec(selectany)
#endif

#endif /* WFPGEN_STUB_GUIDDEF_TYPES */

#ifdef DEFINE_GUID
#undef DEFINE_GUID
#endif

#if defined(INITGUID) && (defined(_MSC_VER) || defined(__cplusplus))
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    EXTERN_C const GUID DECLSPEC_SELECTANY name                        \
        = { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
#elif defined(INITGUID)
/* gcc warns about an initialized extern; in C a file-scope const is external anyway. */
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    const GUID name = { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
#else
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    EXTERN_C const GUID name
#endif
