//
// channel.h - the control channel: the named control device user mode opens,
// its IOCTLs (TailspinFilters_ioctl.h), statistics, run-time enable/disable
// of callouts and the event ring that GET_EVENTS drains.
//
// Everything here may be called at up to DISPATCH_LEVEL unless it says
// otherwise.
//

#pragma once

#include "../include/TailspinFilters_ioctl.h"

//
// Creates the control device, its symbolic link and queues, and the event
// ring. On failure nothing is left behind and *device is NULL.
//
_IRQL_requires_(PASSIVE_LEVEL)
_Must_inspect_result_
NTSTATUS
ChannelCreate(
    _In_ WDFDRIVER driver,
    _Out_ WDFDEVICE* device
    );

//
// Stops the channel: completes every pending request, accepts no new one and
// frees the ring. Safe to call more than once, and after a failed
// ChannelCreate. Classify may still call the functions below afterwards:
// they then count, drop and return.
//
_IRQL_requires_(PASSIVE_LEVEL)
void
ChannelStop(
    void
    );

//
// FALSE while user mode has disabled the callout (IOCTL_TAILSPIN_FILTERS_SET_CALLOUT):
// classify then gives its default verdict and records nothing.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
BOOLEAN
ChannelCalloutEnabled(
    _In_ CALLOUT_INDEX callout
    );

//
// Counts one classify and its verdict for IOCTL_TAILSPIN_FILTERS_GET_STATISTICS.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
void
ChannelCountClassify(
    _In_ CALLOUT_INDEX callout,
    _In_ FWP_ACTION_TYPE verdict
    );

//
// Hands an event to user mode: completes a pending GET_EVENTS request with it,
// or keeps it in the ring until one comes. Fills in Size and Sequence. Never
// blocks; when the ring is full the event is counted as dropped.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
void
ChannelRecordEvent(
    _In_ const TAILSPIN_FILTERS_EVENT* event
    );
