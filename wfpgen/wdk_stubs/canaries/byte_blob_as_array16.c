// An app id (byteBlob, FWP_BYTE_BLOB*) read through the IPv6 member
// (byteArray16, FWP_BYTE_ARRAY16*).
// expect: incompatible-pointer-types
#include <ntddk.h>
#include <wdf.h>
#include <fwpsk.h>
#include <fwpmk.h>

UINT32 Canary(const FWPS_INCOMING_VALUES0 *inFixedValues)
{
    const FWP_BYTE_BLOB *appId =
        inFixedValues->incomingValue[FWPS_FIELD_ALE_AUTH_CONNECT_V4_ALE_APP_ID].value.byteArray16;
    return appId->size;
}
