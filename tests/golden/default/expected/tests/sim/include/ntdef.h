// ntdef.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/ntdef.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: basic kernel types and helper macros.
 *
 * Declaration-only stand-in for CI compile checks, written from Microsoft
 * Learn, not copied from a Microsoft header:
 *   learn.microsoft.com/windows/win32/winprog/windows-data-types (sizes and
 *     signedness of UINT8..UINT64, ULONG, DWORD, BOOLEAN, SIZE_T, ...)
 *   learn.microsoft.com/windows-hardware/drivers/kernel/using-ntstatus-values (NTSTATUS, NT_SUCCESS)
 *   learn.microsoft.com/windows/win32/api/ntdef/ns-ntdef-_unicode_string
 *   learn.microsoft.com/windows/win32/api/ntdef/ns-ntdef-list_entry
 *   learn.microsoft.com/windows/win32/api/ntdef/nf-ntdef-containing_record
 *   learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nf-wdm-unreferenced_parameter  (UNREFERENCED_PARAMETER)
 * Exact C types matter here: UINT32 is unsigned int while ULONG and DWORD are
 * unsigned long, so mixing their pointers is an error, as with the real kit.
 */
#ifndef WFPGEN_STUB_NTDEF_H
#define WFPGEN_STUB_NTDEF_H

#include <sdkddkver.h>
#include <sal.h>
#include <guiddef.h>

/*
 * The compile check parses these headers as MSVC does (clang in MSVC mode
 * defines _MSC_VER), and every type below is exact there. Built by gcc or
 * clang for Linux or macOS instead, the MS keywords become their nearest
 * portable spelling and the base types keep Windows' LLP64 sizes: LONG and
 * ULONG stay 32 bits although long is 64 bits there (windows-data-types;
 * learn.microsoft.com/cpp/cpp/data-type-ranges).
 */
#if !defined(_MSC_VER)
#include <stddef.h>
#include <stdint.h>
#define __stdcall
#define __cdecl
#define __fastcall
#define __forceinline static inline
#define __declspec(attributes)
#define __int64 long long
#endif

#define NTAPI __stdcall
#define CALLBACK __stdcall
#define FASTCALL __fastcall
#define FORCEINLINE __forceinline
#define DECLSPEC_NOINLINE __declspec(noinline)
#define DECLSPEC_RESTRICT __declspec(restrict)
#define DECLSPEC_DEPRECATED_DDK_WINBLUE(msg) __declspec(deprecated(msg))
/* Drivers import these routines from the kernel; code that defines them (the
   kernel, or a simulation of it) builds with _NTSYSTEM_ and exports nothing. */
#if defined(_NTSYSTEM_)
#define NTSYSAPI
#define NTKERNELAPI
#else
#define NTSYSAPI __declspec(dllimport)
#define NTKERNELAPI __declspec(dllimport)
#endif
#define FAR
#define NEAR
#define CONST const
#define IN
#define OUT
#define OPTIONAL

#ifndef NULL
#define NULL ((void *)0)
#endif
#define FALSE 0
#define TRUE 1

/* Fixed-size and pointer-size integers (windows-data-types) */
typedef void VOID;
typedef void *PVOID;
typedef void *LPVOID;
typedef char CHAR;
typedef unsigned char UCHAR;
typedef short SHORT;
typedef unsigned short USHORT;
#if defined(_MSC_VER)
typedef long LONG;
typedef unsigned long ULONG;
typedef unsigned long DWORD;
#else
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef uint32_t DWORD;
#endif
typedef int INT;
typedef unsigned int UINT;
typedef __int64 LONGLONG;
typedef unsigned __int64 ULONGLONG;
typedef unsigned char BYTE;
typedef unsigned short WORD;
typedef int BOOL;
typedef float FLOAT;
typedef signed char INT8;
typedef unsigned char UINT8;
typedef signed short INT16;
typedef unsigned short UINT16;
typedef signed int INT32;
typedef unsigned int UINT32;
typedef signed __int64 INT64;
typedef unsigned __int64 UINT64;
typedef unsigned int ULONG32;
typedef unsigned __int64 ULONG64;
typedef unsigned __int64 DWORD64;
typedef __int64 LONG64;
typedef __int64 LONG_PTR;
typedef unsigned __int64 ULONG_PTR;
typedef unsigned __int64 UINT_PTR;
typedef __int64 INT_PTR;
typedef ULONG_PTR SIZE_T;
typedef LONG_PTR SSIZE_T;
typedef ULONG_PTR DWORD_PTR;
#if defined(_MSC_VER)
typedef unsigned __int64 size_t;
typedef unsigned short wchar_t;
#endif
typedef UCHAR BOOLEAN;
typedef char CCHAR;
typedef short CSHORT;
typedef wchar_t WCHAR;

typedef BOOLEAN *PBOOLEAN;
typedef CHAR *PCHAR;
typedef UCHAR *PUCHAR;
typedef USHORT *PUSHORT;
typedef LONG *PLONG;
typedef ULONG *PULONG;
typedef ULONG64 *PULONG64;
typedef LONGLONG *PLONGLONG;
typedef ULONGLONG *PULONGLONG;
typedef SIZE_T *PSIZE_T;
typedef UINT8 *PUINT8;
typedef UINT16 *PUINT16;
typedef UINT32 *PUINT32;
typedef UINT64 *PUINT64;
typedef DWORD *PDWORD;
typedef CHAR *PSTR;
typedef const CHAR *PCSTR;
typedef CHAR *PSZ;
typedef const CHAR *PCSZ;
typedef WCHAR *PWCH;
typedef const WCHAR *PCWCH;
typedef WCHAR *PWSTR;
typedef WCHAR *LPWSTR;
typedef const WCHAR *PCWSTR;
typedef const WCHAR *LPCWSTR;

typedef void *HANDLE;
typedef HANDLE *PHANDLE;

/* NTSTATUS (kernel/using-ntstatus-values) */
typedef LONG NTSTATUS;
typedef NTSTATUS *PNTSTATUS;
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define NT_INFORMATION(Status) ((((ULONG)(Status)) >> 30) == 1)
#define NT_WARNING(Status) ((((ULONG)(Status)) >> 30) == 2)
#define NT_ERROR(Status) ((((ULONG)(Status)) >> 30) == 3)

typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef struct _LUID {
    ULONG LowPart;
    LONG HighPart;
} LUID, *PLUID;

/* UNICODE_STRING (ntdef/ns-ntdef-_unicode_string) */
typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWCH Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

/* LIST_ENTRY (ntdef/ns-ntdef-list_entry) */
typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

/* Security identifiers are opaque here (winnt/ns-winnt-sid). */
typedef struct _SID SID;
typedef PVOID PSID;
typedef PVOID PSECURITY_DESCRIPTOR;

/* Helper macros (ntdef/nf-ntdef-containing_record, wdm/nf-wdm-unreferenced_parameter) */
/*
 * As the WDK does, FIELD_OFFSET uses the compiler's offsetof builtin where there
 * is one. CONTAINING_RECORD uses it too (the WDK takes the member address of a
 * null pointer, which clang's UndefinedBehaviorSanitizer stops on; the value is
 * the same).
 */
#if defined(__has_builtin)
#if __has_builtin(__builtin_offsetof)
#define FIELD_OFFSET(type, field) ((LONG)__builtin_offsetof(type, field))
#endif
#endif
#ifndef FIELD_OFFSET
#define FIELD_OFFSET(type, field) ((LONG)(LONG_PTR) & (((type *)0)->field))
#endif
#define CONTAINING_RECORD(address, type, field) \
    ((type *)((PCHAR)(address) - (ULONG_PTR)FIELD_OFFSET(type, field)))
#define RTL_NUMBER_OF(A) (sizeof(A) / sizeof((A)[0]))
#define ARRAYSIZE(A) RTL_NUMBER_OF(A)
#if defined(_MSC_VER)
#define UNREFERENCED_PARAMETER(P) (P)
#define UNREFERENCED_LOCAL_VARIABLE(V) (V)
#else
/* gcc and clang warn about a bare expression statement; a void cast says the same. */
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))
#endif

/* Compile-time assertion (ntdef.h's C_ASSERT, a typedef that fails to
 * compile when the condition is false). */
#define C_ASSERT(e) typedef char __C_ASSERT__[(e) ? 1 : -1]

#endif /* WFPGEN_STUB_NTDEF_H */
