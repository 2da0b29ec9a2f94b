// initguid.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/initguid.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: <initguid.h> turns DEFINE_GUID into definitions
 * (learn.microsoft.com/windows-hardware/drivers/kernel/defining-and-exporting-new-guids).
 */
#define INITGUID
#include <guiddef.h>
