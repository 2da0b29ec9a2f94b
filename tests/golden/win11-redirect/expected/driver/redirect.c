//
// redirect.c - the redirect handle of NorthwindRedirect's connect-redirect callouts.
//
// From Windows 8 on, a redirected connection carries redirect records, and
// FwpsQueryConnectionRedirectState0 reads them against a driver's redirect
// handle: was the connection redirected by this driver, by another one, or
// by this one and then another? A connect-redirect callout asks before it
// redirects, so a connection it already redirected, which comes back through
// the same layer, is not redirected again in a loop. The records can name
// this driver only when its redirect carried this handle, so the callouts set
// localRedirectHandle on every redirect, not only on those to a local proxy
// (FWPS_CONNECT_REQUEST0: from Windows 8 on it must be set for a redirect to
// work; WFPSampler sets it for local proxies only and catches its own remote
// redirects through previousVersion instead). The handle is made from the
// provider key at load and destroyed at unload: creating and destroying it
// needs PASSIVE_LEVEL, and classify runs at up to DISPATCH_LEVEL.
// (Microsoft Learn: FwpsRedirectHandleCreate0, FwpsQueryConnectionRedirectState0,
// "Using Bind or Connect Redirection"; WFPSampler: Framework_WFPSamplerCalloutDriver.cpp
// and ClassifyFunctions_ProxyCallouts.cpp.)
//

#include "driver.h"

static HANDLE RedirectHandle;

_Use_decl_annotations_
NTSTATUS
RedirectHandleCreate(
    void
    )
{
    NTSTATUS status;

    NT_ASSERT(RedirectHandle == NULL);

    status = FwpsRedirectHandleCreate0(&NorthwindRedirectProviderKey, 0, &RedirectHandle);
    if (!NT_SUCCESS(status)) {
        RedirectHandle = NULL;
    }
    return status;
}

_Use_decl_annotations_
void
RedirectHandleDestroy(
    void
    )
{
    if (RedirectHandle != NULL) {
        FwpsRedirectHandleDestroy0(RedirectHandle);
        RedirectHandle = NULL;
    }
}

_Use_decl_annotations_
HANDLE
RedirectHandleGet(
    void
    )
{
    return RedirectHandle;
}

_Use_decl_annotations_
BOOLEAN
RedirectConnectionIsOwn(
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues
    )
{
    FWPS_CONNECTION_REDIRECT_STATE state;

    if (!FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_REDIRECT_RECORD_HANDLE)) {
        return FALSE; // nobody has redirected this connection
    }

    state = FwpsQueryConnectionRedirectState0(inMetaValues->redirectRecords, RedirectHandle, NULL);

    //
    // REDIRECTED_BY_SELF: the connection this driver made; let it go.
    // PREVIOUSLY_REDIRECTED_BY_SELF: another driver redirected it after this
    // one did; redirecting it once more could bounce it between the two.
    // NOT_REDIRECTED and REDIRECTED_BY_OTHER may be redirected.
    //
    return state == FWPS_CONNECTION_REDIRECTED_BY_SELF ||
           state == FWPS_CONNECTION_PREVIOUSLY_REDIRECTED_BY_SELF;
}
