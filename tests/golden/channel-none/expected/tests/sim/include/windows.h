//
// windows.h - what the companion's logic (app/ctl.c) needs of Windows when the
// tests run it in-process against the simulated driver: the Win32 error codes
// its transport returns. The types (DWORD, UINT32, BOOLEAN, ...) and
// winioctl.h's CTL_CODE and access bits come from the kernel stand-ins, which
// spell them as the SDK does.
//
// Values: winerror.h of the Windows SDK (Microsoft Learn: System Error Codes
// (0-499), (500-999), (1000-1299)).
//

#pragma once

#include <ntddk.h>

#define ERROR_SUCCESS             0L
#define ERROR_FILE_NOT_FOUND      2L
#define ERROR_PATH_NOT_FOUND      3L
#define ERROR_ACCESS_DENIED       5L
#define ERROR_NOT_ENOUGH_MEMORY   8L
#define ERROR_GEN_FAILURE         31L
#define ERROR_NOT_SUPPORTED       50L
#define ERROR_INVALID_PARAMETER   87L
#define ERROR_INSUFFICIENT_BUFFER 122L
#define ERROR_OPERATION_ABORTED   995L
#define ERROR_IO_PENDING          997L
#define ERROR_NOT_FOUND           1168L
#define ERROR_CANCELLED           1223L
#define ERROR_REVISION_MISMATCH   1306L
#define ERROR_NO_SYSTEM_RESOURCES 1450L
