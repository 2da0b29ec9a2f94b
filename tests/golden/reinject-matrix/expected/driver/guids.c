//
// guids.c - allocates the GUIDs that guids.h declares.
//
// This file deliberately does not include driver.h: the WFP headers declare
// GUIDs of their own (the FWPM_LAYER_* keys among them) that fwpkclnt.lib and
// uuid.lib already define. Only ContosoReinject's own keys may be
// defined here.
//

#include <ntddk.h>
#include <initguid.h>   // from here on, DEFINE_GUID defines instead of declaring
#include "guids.h"
