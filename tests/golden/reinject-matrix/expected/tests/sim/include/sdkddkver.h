// sdkddkver.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/sdkddkver.h): the simulation builds the driver against
// the same declarations, after the simulation's default.
// The simulation builds for the project's minimum Windows unless the build
// says otherwise, as _NT_TARGET_VERSION does in the WDK build.
#ifndef NTDDI_VERSION
#define NTDDI_VERSION 0x06010000
#endif
/*
 * wfpgen test stub: NTDDI_* version constants.
 *
 * Values from the "Using the Windows Headers" page
 * (learn.microsoft.com/windows/win32/winprog/using-the-windows-headers, table
 * of NTDDI_VERSION values) and wfp-facts.md section 0; not from a Microsoft
 * header. NTDDI_VERSION itself comes from the compiler command line.
 */
#ifndef WFPGEN_STUB_SDKDDKVER_H
#define WFPGEN_STUB_SDKDDKVER_H

#define NTDDI_WIN6          0x06000000
#define NTDDI_VISTA         NTDDI_WIN6
#define NTDDI_WIN6SP1       0x06000100
#define NTDDI_VISTASP1      NTDDI_WIN6SP1
#define NTDDI_WS08          NTDDI_WIN6SP1
#define NTDDI_WIN7          0x06010000
#define NTDDI_WIN8          0x06020000
#define NTDDI_WINBLUE       0x06030000
#define NTDDI_WINTHRESHOLD  0x0A000000
#define NTDDI_WIN10         0x0A000000
#define NTDDI_WIN10_TH2     0x0A000001
#define NTDDI_WIN10_RS1     0x0A000002
#define NTDDI_WIN10_RS2     0x0A000003
#define NTDDI_WIN10_RS3     0x0A000004
#define NTDDI_WIN10_RS4     0x0A000005
#define NTDDI_WIN10_RS5     0x0A000006
#define NTDDI_WIN10_19H1    0x0A000007
#define NTDDI_WIN10_VB      0x0A000008
#define NTDDI_WIN10_MN      0x0A000009
#define NTDDI_WIN10_FE      0x0A00000A
#define NTDDI_WIN10_CO      0x0A00000B
#define NTDDI_WIN10_NI      0x0A00000C
#define NTDDI_WIN10_CU      0x0A00000D

#ifndef NTDDI_VERSION
#error "wfpgen stub: NTDDI_VERSION must be defined on the command line"
#endif

/* Using the Windows Headers: NTDDI_VERSION and _WIN32_WINNT must agree. The
   kit enforces it for the Vista family (a 0x0600xxxx NTDDI_VERSION needs
   _WIN32_WINNT 0x0600), so a 0x0A00 _WIN32_WINNT cannot check a Vista build. */
#if defined(_WIN32_WINNT) && ((NTDDI_VERSION & 0xFFFF0000) == NTDDI_WIN6) && \
    (_WIN32_WINNT != 0x0600)
#error "wfpgen stub: NTDDI_VERSION (Windows Vista) conflicts with _WIN32_WINNT"
#endif

#endif /* WFPGEN_STUB_SDKDDKVER_H */
