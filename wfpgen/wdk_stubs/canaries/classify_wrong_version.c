// A version-1 classifyFn (FWPS_FILTER1) in a version-3 callout record.
// expect: incompatible-function-pointer-types
#include <ntddk.h>
#include <wdf.h>
#include <fwpsk.h>
#include <fwpmk.h>

static void NTAPI OldClassify(const FWPS_INCOMING_VALUES0 *inFixedValues,
                              const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues,
                              void *layerData, const void *classifyContext,
                              const FWPS_FILTER1 *filter, UINT64 flowContext,
                              FWPS_CLASSIFY_OUT0 *classifyOut)
{
    UNREFERENCED_PARAMETER(inFixedValues);
    UNREFERENCED_PARAMETER(inMetaValues);
    UNREFERENCED_PARAMETER(layerData);
    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(filter);
    UNREFERENCED_PARAMETER(flowContext);
    UNREFERENCED_PARAMETER(classifyOut);
}

void Canary(FWPS_CALLOUT3 *callout)
{
    callout->classifyFn = OldClassify;
}
