//
// notify.c - filter notifications and per-filter contexts.
//
// When a filter that uses one of the callouts is added, the callout's
// notifyFn gives it a FILTER_CONTEXT on this driver's list, found again by
// the filter's id. All callouts share one implementation.
//
// The filters belong to whoever added them, and filter->context carries what
// that owner put in FWPM_FILTER0.rawContext. Writing our own pointer there
// would throw that value away; and since such filters usually outlive a stop
// and start of this driver (which sees no ADD_FILTER for them again), a
// pointer left there would later be read as the owner's value. So
// filter->context stays the owner's, and classify reads it as
// FilterRawContext.
//

#include "driver.h"

#define FILTER_CONTEXT_TAG 'FnoC' // "ConF" in pool tools

typedef struct _FILTER_CONTEXT {
    LIST_ENTRY Link; // in FilterContexts
    UINT64 FilterId;
} FILTER_CONTEXT;

static LIST_ENTRY FilterContexts;   // every FILTER_CONTEXT not yet freed
static KSPIN_LOCK FilterContextsLock;

_Use_decl_annotations_
void
NotifyInitialize(
    void
    )
{
    InitializeListHead(&FilterContexts);
    KeInitializeSpinLock(&FilterContextsLock);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
NotifyAddFilter(
    _Inout_ FWPS_FILTER1* filter
    )
{
    FILTER_CONTEXT* context;
    KLOCK_QUEUE_HANDLE lockHandle;

    context = PoolAllocateNonPaged(sizeof(*context), FILTER_CONTEXT_TAG);
    if (context == NULL) {
        //
        // Failing the notification fails the filter add, so there is never
        // a filter of ours without its context.
        //
        return STATUS_INSUFFICIENT_RESOURCES;
    }

    context->FilterId = filter->filterId;

    KeAcquireInStackQueuedSpinLock(&FilterContextsLock, &lockHandle);
    InsertTailList(&FilterContexts, &context->Link);
    KeReleaseInStackQueuedSpinLock(&lockHandle);
    return STATUS_SUCCESS;
}

//
// Takes the context of a filter being deleted off the list. NULL when the
// filter's context is not one this driver created.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
FILTER_CONTEXT*
NotifyTakeFilterContext(
    _In_ const FWPS_FILTER1* filter
    )
{
    FILTER_CONTEXT* found = NULL;
    LIST_ENTRY* entry;
    KLOCK_QUEUE_HANDLE lockHandle;

    KeAcquireInStackQueuedSpinLock(&FilterContextsLock, &lockHandle);

    for (entry = FilterContexts.Flink; entry != &FilterContexts; entry = entry->Flink) {
        FILTER_CONTEXT* context = CONTAINING_RECORD(entry, FILTER_CONTEXT, Link);
        if (context->FilterId == filter->filterId) {
            RemoveEntryList(entry);
            found = context;
            break;
        }
    }

    KeReleaseInStackQueuedSpinLock(&lockHandle);
    return found;
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
NTSTATUS
NotifyFilterChange(
    _In_ FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    _Inout_ FWPS_FILTER1* filter
    )
{
    FILTER_CONTEXT* context;

    switch (notifyType) {
    case FWPS_CALLOUT_NOTIFY_ADD_FILTER:
        return NotifyAddFilter(filter);

    case FWPS_CALLOUT_NOTIFY_DELETE_FILTER:
        //
        // The filter goes away whatever this returns; filterKey is NULL.
        //
        context = NotifyTakeFilterContext(filter);
        if (context != NULL) {
            ExFreePoolWithTag(context, FILTER_CONTEXT_TAG);
        }
        return STATUS_SUCCESS;

    case FWPS_CALLOUT_NOTIFY_ADD_FILTER_POST_COMMIT:
        //
        // Sent after the transaction that added the filter has committed, to
        // callouts registered with FWP_CALLOUT_FLAG_ENABLE_COMMIT_ADD_NOTIFY.
        // The context was attached at ADD_FILTER already.
        //
    default:
        return STATUS_SUCCESS;
    }
}

//
// Runs once every callout is unregistered, when no notification can arrive
// any more. Whatever is left belongs to filters that outlive the callouts
// (filters other sessions added).
//
_Use_decl_annotations_
void
NotifyFreeFilterContexts(
    void
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;
    LIST_ENTRY leftover;

    //
    // Detach the list under the lock (a late notification would take it
    // too), then free outside it.
    //
    InitializeListHead(&leftover);
    KeAcquireInStackQueuedSpinLock(&FilterContextsLock, &lockHandle);
    while (!IsListEmpty(&FilterContexts)) {
        InsertTailList(&leftover, RemoveHeadList(&FilterContexts));
    }
    KeReleaseInStackQueuedSpinLock(&lockHandle);

    while (!IsListEmpty(&leftover)) {
        LIST_ENTRY* entry = RemoveHeadList(&leftover);

        ExFreePoolWithTag(CONTAINING_RECORD(entry, FILTER_CONTEXT, Link), FILTER_CONTEXT_TAG);
    }
}

_Use_decl_annotations_
NTSTATUS
NTAPI
DgramV4Notify(
    FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    const GUID* filterKey,
    FWPS_FILTER1* filter
    )
{
    UNREFERENCED_PARAMETER(filterKey);

    return NotifyFilterChange(notifyType, filter);
}

_Use_decl_annotations_
NTSTATUS
NTAPI
PacketInV6Notify(
    FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    const GUID* filterKey,
    FWPS_FILTER1* filter
    )
{
    UNREFERENCED_PARAMETER(filterKey);

    return NotifyFilterChange(notifyType, filter);
}

_Use_decl_annotations_
NTSTATUS
NTAPI
SendV6Notify(
    FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    const GUID* filterKey,
    FWPS_FILTER1* filter
    )
{
    UNREFERENCED_PARAMETER(filterKey);

    return NotifyFilterChange(notifyType, filter);
}

_Use_decl_annotations_
NTSTATUS
NTAPI
RecvV4Notify(
    FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    const GUID* filterKey,
    FWPS_FILTER1* filter
    )
{
    UNREFERENCED_PARAMETER(filterKey);

    return NotifyFilterChange(notifyType, filter);
}

_Use_decl_annotations_
NTSTATUS
NTAPI
PacketOutV6Notify(
    FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    const GUID* filterKey,
    FWPS_FILTER1* filter
    )
{
    UNREFERENCED_PARAMETER(filterKey);

    return NotifyFilterChange(notifyType, filter);
}

_Use_decl_annotations_
NTSTATUS
NTAPI
DgramV6Notify(
    FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    const GUID* filterKey,
    FWPS_FILTER1* filter
    )
{
    UNREFERENCED_PARAMETER(filterKey);

    return NotifyFilterChange(notifyType, filter);
}
