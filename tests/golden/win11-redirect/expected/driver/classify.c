//
// classify.c - the classifyFn of every NorthwindRedirect callout.
//
// Each classifyFn gathers what WFP tells it about the traffic into a
// <CALLOUT>_VALUES structure, runs your filtering logic on it, and returns
// the resulting verdict to WFP by the rules of FWPS_CLASSIFY_OUT0. Your
// logic goes in one function per callout (<Callout>Decide).
//
// Everything here runs at up to DISPATCH_LEVEL: touch only nonpaged memory,
// use spin locks only, never wait, and call no Fwpm* function.
//

#include "driver.h"
#include "flow.h"

//
// The incoming value at fieldIndex if it holds the expected type, else NULL.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
const FWP_VALUE0*
ClassifyGetValue(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ UINT32 fieldIndex,
    _In_ FWP_DATA_TYPE type
    )
{
    const FWP_VALUE0* value;

    //
    // A field newer than the running Windows lies beyond valueCount, and a
    // field the layer could not fill in has type FWP_EMPTY.
    //
    if (fieldIndex >= inFixedValues->valueCount) {
        return NULL;
    }

    value = &inFixedValues->incomingValue[fieldIndex].value;
    return (value->type == type) ? value : NULL;
}

//
// The verdict when your logic decides nothing. FWP_ACTION_CONTINUE hands the
// decision to the next filter, and FWPS_ACTION0 (Microsoft Learn) allows it
// for inspection and "unknown" callout filters. A terminating callout filter
// must permit or block (anything else counts as a block), so it permits.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
ClassifyDefaultVerdict(
    _In_ const FWPS_FILTER3* filter
    )
{
    return (filter->action.type == FWP_ACTION_CALLOUT_TERMINATING) ? FWP_ACTION_PERMIT
                                                                    : FWP_ACTION_CONTINUE;
}

//
// Hands a verdict to WFP at every layer except the stream layers.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ClassifyApplyVerdict(
    _In_ const FWPS_FILTER3* filter,
    _In_ FWP_ACTION_TYPE verdict,
    _Inout_ FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    //
    // WFP treats a terminating callout's CONTINUE as BLOCK, and an inspection
    // callout may not decide at all.
    //
    NT_ASSERT(filter->action.type != FWP_ACTION_CALLOUT_TERMINATING ||
              verdict == FWP_ACTION_PERMIT || verdict == FWP_ACTION_BLOCK);
    NT_ASSERT(filter->action.type != FWP_ACTION_CALLOUT_INSPECTION ||
              verdict == FWP_ACTION_CONTINUE);

    if ((classifyOut->rights & FWPS_RIGHT_ACTION_WRITE) == 0) {
        //
        // A filter of higher priority has decided already. The only thing
        // left to do is to veto its permit.
        //
        if (verdict == FWP_ACTION_BLOCK && classifyOut->actionType == FWP_ACTION_PERMIT) {
            classifyOut->actionType = FWP_ACTION_BLOCK;
        }
        return;
    }

    //
    // Write the verdict even when it looks like the current value: actionType
    // may still hold another sublayer's decision.
    //
    classifyOut->actionType = verdict;

    //
    // A block is final, and so is a permit when the filter demands it.
    // Dropping the write right keeps lower-priority filters from undoing it.
    //
    if (verdict == FWP_ACTION_BLOCK ||
        (verdict == FWP_ACTION_PERMIT &&
         (filter->flags & FWPS_FILTER_FLAG_CLEAR_ACTION_RIGHT) != 0)) {
        classifyOut->rights &= ~(UINT32)FWPS_RIGHT_ACTION_WRITE;
    }
}

//
// Whether this filter modified the request before: every modification leaves
// a version with the modifier's filter id in the previousVersion chain
// (FWPS_BIND_REQUEST0 on Microsoft Learn; WFPSampler's
// ClassifyFunctions_ProxyCallouts.cpp walks the chain the same way).
// Redirecting again would loop.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
BOOLEAN
ClassifyBindRedirectedBySelf(
    _In_opt_ const FWPS_BIND_REQUEST0* request,
    _In_ const FWPS_FILTER3* filter
    )
{
    for (; request != NULL; request = request->previousVersion) {
        if (request->modifierFilterId == filter->filterId) {
            return TRUE;
        }
    }
    return FALSE;
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ConnectRedirectV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ CONNECT_REDIRECT_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_CONNECT_REDIRECT_V4_ALE_APP_ID, FWP_BYTE_BLOB_TYPE);
    values->AppId = (value != NULL) ? value->byteBlob : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_CONNECT_REDIRECT_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_CONNECT_REDIRECT_V4_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_CONNECT_REDIRECT_V4_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_CONNECT_REDIRECT_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_CONNECT_REDIRECT_V4_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
}

//
// Rewrites the connection request: WFP hands out a writable copy of the
// layer data against a classify handle, and the change takes effect when it
// is applied (NET:using-bind-or-connect-redirection on Microsoft Learn).
// Only the callout that holds FWPS_RIGHT_ACTION_WRITE may do this.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
ConnectRedirectV4Redirect(
    _In_ const void* classifyContext,
    _In_ const FWPS_FILTER3* filter,
    _Inout_ FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    UINT64 classifyHandle;
    void* writable;
    FWPS_CONNECT_REQUEST0* request;
    NTSTATUS status;

    //
    // The classify handle API takes the context without const; it does not
    // write through it.
    //
    status = FwpsAcquireClassifyHandle0((void*)classifyContext, 0, &classifyHandle);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    status = FwpsAcquireWritableLayerDataPointer0(classifyHandle, filter->filterId, 0, &writable, classifyOut);
    if (NT_SUCCESS(status)) {
        request = writable;

        //
        // Every redirect carries the driver's redirect handle, not only those
        // to a local proxy: FwpsQueryConnectionRedirectState0 can report
        // REDIRECTED_BY_SELF only for redirect records made with this handle,
        // and RedirectConnectionIsOwn relies on it to stop a loop. From
        // Windows 8 on, FWPS_CONNECT_REQUEST0.localRedirectHandle must be set
        // for a redirect to work (Microsoft Learn, FWPS_CONNECT_REQUEST0).
        //
        request->localRedirectHandle = RedirectHandleGet();

        //
        // TODO: Rewrite the request for ConnectRedirectV4 here.
        // request->remoteAddressAndPort (a SOCKADDR_STORAGE) is where the
        // connection goes; the local address cannot be changed at this layer.
        // To hand the connection to a proxy on this machine, also set
        // request->localRedirectTargetPID to the proxy's process id.
        //

        //
        // Applying also gives up the writable copy, changed or not.
        //
        FwpsApplyModifiedLayerData0(classifyHandle, writable, 0);
    }

    FwpsReleaseClassifyHandle0(classifyHandle);
    return status;
}

//
// Your filtering logic for ConnectRedirectV4: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// ConnectRedirectV4Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
ConnectRedirectV4Decide(
    _In_ const CONNECT_REDIRECT_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict,
    _Inout_ BOOLEAN* redirect
    )
{
    UNREFERENCED_PARAMETER(values);
    UNREFERENCED_PARAMETER(redirect);

    //
    // TODO: Your filtering logic for ConnectRedirectV4 (ALE_CONNECT_REDIRECT_V4) goes here.
    //
    // Decide from values and return the verdict.
    // verdict comes in as FWP_ACTION_PERMIT; return FWP_ACTION_BLOCK to block.
    // To redirect, set *redirect to TRUE and write the new address in
    // ConnectRedirectV4Redirect; it runs only when the verdict is a permit and
    // this callout holds the write right.
    //

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests (tests/sim/include/fwpsk.h): a scenario
    // plays your logic's decision here. The WDK never defines this.
    //
    SimUserLogic(&verdict, NULL, redirect);
#endif

    return verdict;
}

_Use_decl_annotations_
void
NTAPI
ConnectRedirectV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    CONNECT_REDIRECT_V4_VALUES values;
    FWP_ACTION_TYPE verdict;
    BOOLEAN redirect = FALSE;

    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    ConnectRedirectV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.ConnectRequest = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_CONNECT_REDIRECT_V4, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // A request this driver already redirected comes back through this
    // layer; redirecting it again would loop.
    //
    if (RedirectConnectionIsOwn(inMetaValues)) {
        ClassifyApplyVerdict(filter, verdict, classifyOut);
        return;
    }

    verdict = ConnectRedirectV4Decide(&values, verdict, &redirect);

    if (redirect && verdict == FWP_ACTION_PERMIT &&
        (classifyOut->rights & FWPS_RIGHT_ACTION_WRITE) != 0 &&
        NT_SUCCESS(ConnectRedirectV4Redirect(classifyContext, filter, classifyOut))) {
        //
        // A redirected request is permitted for good: no lower filter may
        // undo the change.
        //
        classifyOut->actionType = FWP_ACTION_PERMIT;
        classifyOut->rights &= ~(UINT32)FWPS_RIGHT_ACTION_WRITE;
        return;
    }

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
BindRedirectV6ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ BIND_REDIRECT_V6_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_BIND_REDIRECT_V6_ALE_APP_ID, FWP_BYTE_BLOB_TYPE);
    values->AppId = (value != NULL) ? value->byteBlob : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_BIND_REDIRECT_V6_IP_LOCAL_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->LocalAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_BIND_REDIRECT_V6_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_BIND_REDIRECT_V6_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
}

//
// Rewrites the bind request: WFP hands out a writable copy of the
// layer data against a classify handle, and the change takes effect when it
// is applied (NET:using-bind-or-connect-redirection on Microsoft Learn).
// Only the callout that holds FWPS_RIGHT_ACTION_WRITE may do this.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
BindRedirectV6Redirect(
    _In_ const void* classifyContext,
    _In_ const FWPS_FILTER3* filter,
    _Inout_ FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    UINT64 classifyHandle;
    void* writable;
    FWPS_BIND_REQUEST0* request;
    NTSTATUS status;

    //
    // The classify handle API takes the context without const; it does not
    // write through it.
    //
    status = FwpsAcquireClassifyHandle0((void*)classifyContext, 0, &classifyHandle);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    status = FwpsAcquireWritableLayerDataPointer0(classifyHandle, filter->filterId, 0, &writable, classifyOut);
    if (NT_SUCCESS(status)) {
        request = writable;

        //
        // TODO: Rewrite the request for BindRedirectV6 here.
        // request->localAddressAndPort (a SOCKADDR_STORAGE) is the address
        // and port the socket binds to.
        //
        UNREFERENCED_PARAMETER(request);

        //
        // Applying also gives up the writable copy, changed or not.
        //
        FwpsApplyModifiedLayerData0(classifyHandle, writable, 0);
    }

    FwpsReleaseClassifyHandle0(classifyHandle);
    return status;
}

//
// Your filtering logic for BindRedirectV6: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// BindRedirectV6Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
BindRedirectV6Decide(
    _In_ const BIND_REDIRECT_V6_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict,
    _Inout_ BOOLEAN* redirect
    )
{
    UNREFERENCED_PARAMETER(values);
    UNREFERENCED_PARAMETER(redirect);

    //
    // TODO: Your filtering logic for BindRedirectV6 (ALE_BIND_REDIRECT_V6) goes here.
    //
    // Decide from values and return the verdict.
    // verdict comes in as FWP_ACTION_PERMIT; return FWP_ACTION_BLOCK to block.
    // To redirect, set *redirect to TRUE and write the new address in
    // BindRedirectV6Redirect; it runs only when the verdict is a permit and
    // this callout holds the write right.
    //

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests (tests/sim/include/fwpsk.h): a scenario
    // plays your logic's decision here. The WDK never defines this.
    //
    SimUserLogic(&verdict, NULL, redirect);
#endif

    return verdict;
}

_Use_decl_annotations_
void
NTAPI
BindRedirectV6Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    BIND_REDIRECT_V6_VALUES values;
    FWP_ACTION_TYPE verdict;
    BOOLEAN redirect = FALSE;

    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    BindRedirectV6ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.BindRequest = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_BIND_REDIRECT_V6, &values);

    verdict = ClassifyDefaultVerdict(filter);

    //
    // A request this driver already redirected comes back through this
    // layer; redirecting it again would loop.
    //
    if (ClassifyBindRedirectedBySelf(values.BindRequest, filter)) {
        ClassifyApplyVerdict(filter, verdict, classifyOut);
        return;
    }

    verdict = BindRedirectV6Decide(&values, verdict, &redirect);

    if (redirect && verdict == FWP_ACTION_PERMIT &&
        (classifyOut->rights & FWPS_RIGHT_ACTION_WRITE) != 0 &&
        NT_SUCCESS(BindRedirectV6Redirect(classifyContext, filter, classifyOut))) {
        //
        // A redirected request is permitted for good: no lower filter may
        // undo the change.
        //
        classifyOut->actionType = FWP_ACTION_PERMIT;
        classifyOut->rights &= ~(UINT32)FWPS_RIGHT_ACTION_WRITE;
        return;
    }

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
IpPacketInV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ IP_PACKET_IN_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_IPPACKET_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_IPPACKET_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
}

//
// Your filtering logic for IpPacketInV4: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// IpPacketInV4Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
IpPacketInV4Decide(
    _In_ const IP_PACKET_IN_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for IpPacketInV4 (INBOUND_IPPACKET_V4) goes here.
    //
    // This callout's filter is an inspection filter: it observes and returns
    // verdict unchanged (FWP_ACTION_CONTINUE).
    //

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests (tests/sim/include/fwpsk.h): a scenario
    // plays your logic's decision here. The WDK never defines this.
    //
    SimUserLogic(&verdict, NULL, NULL);
#endif

    return verdict;
}

_Use_decl_annotations_
void
NTAPI
IpPacketInV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    IP_PACKET_IN_V4_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    IpPacketInV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_IP_PACKET_IN_V4, &values);

    verdict = IpPacketInV4Decide(&values, ClassifyDefaultVerdict(filter));

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ForwardV6ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ FORWARD_V6_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_IPFORWARD_V6_IP_SOURCE_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->SourceAddress = (value != NULL) ? value->byteArray16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_IPFORWARD_V6_IP_DESTINATION_ADDRESS, FWP_BYTE_ARRAY16_TYPE);
    values->DestinationAddress = (value != NULL) ? value->byteArray16 : NULL;
}

//
// Your filtering logic for ForwardV6: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// ForwardV6Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
ForwardV6Decide(
    _In_ const FORWARD_V6_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for ForwardV6 (IPFORWARD_V6) goes here.
    //
    // Decide from values and return the verdict.
    // verdict comes in as FWP_ACTION_PERMIT; return FWP_ACTION_BLOCK to block.
    //

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests (tests/sim/include/fwpsk.h): a scenario
    // plays your logic's decision here. The WDK never defines this.
    //
    SimUserLogic(&verdict, NULL, NULL);
#endif

    return verdict;
}

_Use_decl_annotations_
void
NTAPI
ForwardV6Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    FORWARD_V6_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    ForwardV6ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_FORWARD_V6, &values);

    verdict = ForwardV6Decide(&values, ClassifyDefaultVerdict(filter));

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
IcmpErrorInV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ ICMP_ERROR_IN_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_ICMP_ERROR_V4_EMBEDDED_PROTOCOL, FWP_UINT8);
    values->EmbeddedProtocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_ICMP_ERROR_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_ICMP_ERROR_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_ICMP_ERROR_V4_EMBEDDED_REMOTE_ADDRESS, FWP_UINT32);
    values->EmbeddedRemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_ICMP_ERROR_V4_EMBEDDED_LOCAL_PORT, FWP_UINT16);
    values->EmbeddedLocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_ICMP_ERROR_V4_EMBEDDED_REMOTE_PORT, FWP_UINT16);
    values->EmbeddedRemotePort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_ICMP_ERROR_V4_ICMP_TYPE, FWP_UINT16);
    values->IcmpType = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_INBOUND_ICMP_ERROR_V4_ICMP_CODE, FWP_UINT16);
    values->IcmpCode = (value != NULL) ? &value->uint16 : NULL;
}

//
// Your filtering logic for IcmpErrorInV4: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// IcmpErrorInV4Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
IcmpErrorInV4Decide(
    _In_ const ICMP_ERROR_IN_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for IcmpErrorInV4 (INBOUND_ICMP_ERROR_V4) goes here.
    //
    // Decide from values and return the verdict.
    // verdict comes in as FWP_ACTION_PERMIT; return FWP_ACTION_BLOCK to block.
    //

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests (tests/sim/include/fwpsk.h): a scenario
    // plays your logic's decision here. The WDK never defines this.
    //
    SimUserLogic(&verdict, NULL, NULL);
#endif

    return verdict;
}

_Use_decl_annotations_
void
NTAPI
IcmpErrorInV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    ICMP_ERROR_IN_V4_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    IcmpErrorInV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_ICMP_ERROR_IN_V4, &values);

    verdict = IcmpErrorInV4Decide(&values, ClassifyDefaultVerdict(filter));

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
ClosureV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ CLOSURE_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_ENDPOINT_CLOSURE_V4_ALE_APP_ID, FWP_BYTE_BLOB_TYPE);
    values->AppId = (value != NULL) ? value->byteBlob : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_ENDPOINT_CLOSURE_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_ENDPOINT_CLOSURE_V4_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_ENDPOINT_CLOSURE_V4_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_ENDPOINT_CLOSURE_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_ENDPOINT_CLOSURE_V4_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
}

//
// Your filtering logic for ClosureV4: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// ClosureV4Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
ClosureV4Decide(
    _In_ const CLOSURE_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    UNREFERENCED_PARAMETER(values);

    //
    // TODO: Your filtering logic for ClosureV4 (ALE_ENDPOINT_CLOSURE_V4) goes here.
    //
    // ALE_ENDPOINT_CLOSURE_V4 reports that an endpoint is closing:
    // there is nothing left to permit or block. Release what you keep for
    // the endpoint here (FWPS_METADATA_FIELD_TRANSPORT_ENDPOINT_HANDLE
    // matches it with the earlier layers).
    // This callout's filter is an inspection filter: it observes and returns
    // verdict unchanged (FWP_ACTION_CONTINUE).
    //

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests (tests/sim/include/fwpsk.h): a scenario
    // plays your logic's decision here. The WDK never defines this.
    //
    SimUserLogic(&verdict, NULL, NULL);
#endif

    return verdict;
}

_Use_decl_annotations_
void
NTAPI
ClosureV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    CLOSURE_V4_VALUES values;
    FWP_ACTION_TYPE verdict;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(layerData); // this layer has no packet

    RtlZeroMemory(&values, sizeof(values));
    ClosureV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Flow = (FLOW_CONTEXT*)(ULONG_PTR)flowContext;
    CLASSIFY_VALUES_READ(CALLOUT_CLOSURE_V4, &values);

    verdict = ClosureV4Decide(&values, ClassifyDefaultVerdict(filter));

    ClassifyApplyVerdict(filter, verdict, classifyOut);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
FlowEstablishedV4ReadFields(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _Inout_ FLOW_ESTABLISHED_V4_VALUES* values
    )
{
    const FWP_VALUE0* value;

    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_ALE_APP_ID, FWP_BYTE_BLOB_TYPE);
    values->AppId = (value != NULL) ? value->byteBlob : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_LOCAL_ADDRESS, FWP_UINT32);
    values->LocalAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_LOCAL_PORT, FWP_UINT16);
    values->LocalPort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_PROTOCOL, FWP_UINT8);
    values->Protocol = (value != NULL) ? &value->uint8 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_REMOTE_ADDRESS, FWP_UINT32);
    values->RemoteAddress = (value != NULL) ? &value->uint32 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_REMOTE_PORT, FWP_UINT16);
    values->RemotePort = (value != NULL) ? &value->uint16 : NULL;
    value = ClassifyGetValue(inFixedValues, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_DIRECTION, FWP_UINT32);
    values->Direction = (value != NULL) ? &value->uint32 : NULL;
}

//
// Your filtering logic for FlowEstablishedV4: the verdict for one classify,
// decided from values. verdict comes in as the filter's default verdict;
// FlowEstablishedV4Classify applies what this returns.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FWP_ACTION_TYPE
FlowEstablishedV4Decide(
    _In_ const FLOW_ESTABLISHED_V4_VALUES* values,
    _In_ FWP_ACTION_TYPE verdict,
    _Inout_ BOOLEAN* attachFlowContexts
    )
{
    UNREFERENCED_PARAMETER(values);
    UNREFERENCED_PARAMETER(attachFlowContexts);

    //
    // TODO: Your filtering logic for FlowEstablishedV4 (ALE_FLOW_ESTABLISHED_V4) goes here.
    //
    // This callout's filter is an inspection filter: it observes and returns
    // verdict unchanged (FWP_ACTION_CONTINUE).
    // Set *attachFlowContexts to FALSE for flows that the callouts
    // ClosureV4 do not need to see.
    //

#ifdef SIM_USER_LOGIC_HOOK
    //
    // Only in the user-mode tests (tests/sim/include/fwpsk.h): a scenario
    // plays your logic's decision here. The WDK never defines this.
    //
    SimUserLogic(&verdict, NULL, NULL);
#endif

    return verdict;
}

_Use_decl_annotations_
void
NTAPI
FlowEstablishedV4Classify(
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    void* layerData,
    const void* classifyContext,
    const FWPS_FILTER3* filter,
    UINT64 flowContext,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    FLOW_ESTABLISHED_V4_VALUES values;
    FWP_ACTION_TYPE verdict;
    BOOLEAN attachFlowContexts = TRUE;

    UNREFERENCED_PARAMETER(classifyContext);
    UNREFERENCED_PARAMETER(flowContext);

    RtlZeroMemory(&values, sizeof(values));
    FlowEstablishedV4ReadFields(inFixedValues, &values);
    values.Metadata = inMetaValues;
    values.Packet = layerData;
    CLASSIFY_VALUES_READ(CALLOUT_FLOW_ESTABLISHED_V4, &values);

    verdict = FlowEstablishedV4Decide(&values, ClassifyDefaultVerdict(filter), &attachFlowContexts);

    ClassifyApplyVerdict(filter, verdict, classifyOut);

    if (attachFlowContexts && verdict != FWP_ACTION_BLOCK) {
        FlowAttach(inMetaValues, CALLOUT_CLOSURE_V4, FWPS_LAYER_ALE_ENDPOINT_CLOSURE_V4);
    }
}
