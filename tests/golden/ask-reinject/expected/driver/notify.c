//
// notify.c - filter notifications and per-filter contexts.
//
// When a filter that uses one of the callouts is added, the callout's
// notifyFn attaches a FILTER_CONTEXT to it; classifyFn receives that pointer
// as filter->context. All callouts share one implementation.
//
// Filters added before a callout was registered never announce themselves,
// yet their deletion is notified, and their context is whatever their owner
// put in rawContext. So a context is freed only if it is on this driver's
// list, never because of what it appears to point to.
//

#include "driver.h"

#define FILTER_CONTEXT_TAG 'FooW' // "WooF" in pool tools

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
    _Inout_ FWPS_FILTER3* filter
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

    filter->context = (UINT64)(ULONG_PTR)context;
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
    _In_ const FWPS_FILTER3* filter
    )
{
    FILTER_CONTEXT* found = NULL;
    LIST_ENTRY* entry;
    KLOCK_QUEUE_HANDLE lockHandle;

    KeAcquireInStackQueuedSpinLock(&FilterContextsLock, &lockHandle);

    for (entry = FilterContexts.Flink; entry != &FilterContexts; entry = entry->Flink) {
        FILTER_CONTEXT* context = CONTAINING_RECORD(entry, FILTER_CONTEXT, Link);
        if ((UINT64)(ULONG_PTR)context == filter->context &&
            context->FilterId == filter->filterId) {
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
    _Inout_ FWPS_FILTER3* filter
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
            filter->context = 0;
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
// (filters other sessions added). Their filter->context still holds the
// freed pointer, and a later load of this driver gets no ADD_FILTER for them:
// never dereference filter->context without first finding it on this
// driver's list, as NotifyTakeFilterContext does.
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
ConnectV4Notify(
    FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    const GUID* filterKey,
    FWPS_FILTER3* filter
    )
{
    UNREFERENCED_PARAMETER(filterKey);

    return NotifyFilterChange(notifyType, filter);
}

_Use_decl_annotations_
NTSTATUS
NTAPI
RecvAcceptV6Notify(
    FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    const GUID* filterKey,
    FWPS_FILTER3* filter
    )
{
    UNREFERENCED_PARAMETER(filterKey);

    return NotifyFilterChange(notifyType, filter);
}

_Use_decl_annotations_
NTSTATUS
NTAPI
TransportOutV4Notify(
    FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    const GUID* filterKey,
    FWPS_FILTER3* filter
    )
{
    UNREFERENCED_PARAMETER(filterKey);

    return NotifyFilterChange(notifyType, filter);
}

_Use_decl_annotations_
NTSTATUS
NTAPI
TransportInV6Notify(
    FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    const GUID* filterKey,
    FWPS_FILTER3* filter
    )
{
    UNREFERENCED_PARAMETER(filterKey);

    return NotifyFilterChange(notifyType, filter);
}

_Use_decl_annotations_
NTSTATUS
NTAPI
IpPacketOutV4Notify(
    FWPS_CALLOUT_NOTIFY_TYPE notifyType,
    const GUID* filterKey,
    FWPS_FILTER3* filter
    )
{
    UNREFERENCED_PARAMETER(filterKey);

    return NotifyFilterChange(notifyType, filter);
}
