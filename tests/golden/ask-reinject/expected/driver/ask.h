//
// ask.h - callouts that ask user mode before deciding.
//
// An ask callout pends the ALE authorization of a connection
// (FwpsPendOperation0), sends a question to the program listening on the
// control channel, and completes the authorization (FwpsCompleteOperation0)
// when the answer comes, when the question times out
// (10000 ms), when the listener goes away, when the Base Filtering Engine
// stops, or at unload. Microsoft Learn, "Processing Classify Callouts
// Asynchronously", describes the mechanism; ask.c says which rules it follows.
//

#pragma once

#include "driver.h"

//
// What a callout's Ask function (classify.c) decides about a connection.
//
typedef enum _ASK_CHOICE {
    ASK_PERMIT = 1, // decide now: permit
    ASK_BLOCK,      // decide now: block
    ASK_USER,       // ask the program listening on the control channel
} ASK_CHOICE;

_IRQL_requires_(PASSIVE_LEVEL)
void
AskInitialize(
    void
    );

//
// Completes every pending decision with its default verdict and stops the
// timeout timer. Called at unload before the filters and callouts go, since
// completing an operation makes WFP classify the connection again.
//
_IRQL_requires_(PASSIVE_LEVEL)
void
AskStop(
    void
    );

//
// Every pending decision gets its default verdict now: the Base Filtering
// Engine stopped.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
void
AskCompleteAll(
    void
    );

//
// TRUE, with the verdict in *verdict, for a classify whose question was
// answered: a packet this driver injected back after the answer (permitted),
// or the reauthorization that completing the question triggered (the stored
// answer, removed from the table). FALSE, with *verdict unchanged, for a
// classify nothing was asked about, or a reauthorization Windows started on
// its own.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
BOOLEAN
AskFindAnswer(
    _In_ CALLOUT_INDEX callout,
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    _In_opt_ const NET_BUFFER_LIST* packet,
    _Inout_ FWP_ACTION_TYPE* verdict
    );

//
// Asks user mode: pends the classification (keeping a clone of packet, if
// there is one) and sends the question. TRUE when it did; classifyOut then
// holds the block-and-absorb that pending requires.
// FALSE when the connection is not asked about (no listener, the listener's
// own process, the System process, loopback, a reauthorization, no write
// right, a full table): the caller applies defaultVerdict.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
BOOLEAN
AskUser(
    _In_ CALLOUT_INDEX callout,
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    _Inout_opt_ NET_BUFFER_LIST* packet,
    _In_ FWP_ACTION_TYPE defaultVerdict,
    _Inout_ FWPS_CLASSIFY_OUT0* classifyOut
    );

//
// AskAnswer (IOCTL_WOODGROVE_GUARD_ANSWER) and AskListenerGone (the listening handle
// closed), which the control channel calls, are declared in driver.h.
//

#ifdef SIM_USER_LOGIC_HOOK
//
// Only in the user-mode tests: a scenario plays the Ask functions' choice.
//
EXTERN_C void SimUserAsk(ASK_CHOICE* choice);
#endif
