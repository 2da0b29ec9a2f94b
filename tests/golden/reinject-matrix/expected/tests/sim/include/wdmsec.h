// wdmsec.h - the WDK stand-in that wfpgen's compile check uses too (its
// template's templates/wdk/wdmsec.h): the simulation builds the driver against
// the same declarations.
/*
 * wfpgen test stub: SDDL strings for device objects.
 *
 * learn.microsoft.com/windows-hardware/drivers/kernel/sddl-for-device-objects:
 * wdmsec.h declares the SDDL_DEVOBJ_* constants as UNICODE_STRING values
 * defined in wdmsec.lib.
 */
#ifndef WFPGEN_STUB_WDMSEC_H
#define WFPGEN_STUB_WDMSEC_H
#include <wdm.h>

extern const UNICODE_STRING SDDL_DEVOBJ_KERNEL_ONLY;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_ALL;
extern const UNICODE_STRING SDDL_DEVOBJ_SYS_ALL_ADM_RX_WORLD_RW_RES_R;

#endif /* WFPGEN_STUB_WDMSEC_H */
