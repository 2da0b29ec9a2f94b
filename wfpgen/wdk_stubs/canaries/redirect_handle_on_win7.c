// A connection redirect handle with a Windows 7 minimum: FwpsRedirectHandleCreate0
// and the redirect state exist only from Windows 8 (NTDDI_WIN8).
// ntddi: 0x06010000
// defines: NDIS620
// expect: FwpsRedirectHandleCreate0
#include <ntddk.h>
#include <wdf.h>
#include <fwpsk.h>
#include <fwpmk.h>

NTSTATUS Canary(const GUID *providerKey, HANDLE *redirectHandle)
{
    return FwpsRedirectHandleCreate0(providerKey, 0, redirectHandle);
}
