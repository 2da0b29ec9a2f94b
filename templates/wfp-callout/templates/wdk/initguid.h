/*
 * wfpgen test stub: <initguid.h> turns DEFINE_GUID into definitions
 * (learn.microsoft.com/windows-hardware/drivers/kernel/defining-and-exporting-new-guids).
 */
#define INITGUID
#include <guiddef.h>
