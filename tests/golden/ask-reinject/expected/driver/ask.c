//
// ask.c - the pending decisions of the ask callouts.
//
// What this follows (Microsoft Learn):
// - "Processing Classify Callouts Asynchronously": an ALE classify is pended
//   with FwpsPendOperation0 and completed with FwpsCompleteOperation0. At
//   ALE_AUTH_CONNECT completion triggers a reauthorization classify (the
//   FLAGS field has FWP_CONDITION_FLAG_IS_REAUTHORIZE) that must return the
//   decision, so the driver keeps one entry per pended operation to look it
//   up. At ALE_AUTH_RECV_ACCEPT completion triggers none. Reauthorizations
//   Windows starts on its own (policy change, new interface) cannot be
//   pended; the Microsoft inspect sample pends at both layers.
// - FwpsPendOperation0: completionHandle comes from the classify's metadata;
//   the classify returns FWP_ACTION_BLOCK with FWPS_CLASSIFY_OUT_FLAG_ABSORB;
//   in a reauthorization it fails with STATUS_FWP_CANNOT_PEND. (The page
//   lists only the RESOURCE_ASSIGNMENT, AUTH_LISTEN and AUTH_CONNECT layers
//   for pending; the asynchronous-processing page and the inspect sample
//   pend at ALE_AUTH_RECV_ACCEPT too, and this driver follows them.)
// - FwpsCompleteOperation0: once per pended operation, at up to
//   DISPATCH_LEVEL.
//
// The packet that came with a pended classify (the SYN or first datagram
// at ALE_AUTH_RECV_ACCEPT, a non-TCP first datagram at ALE_AUTH_CONNECT) is
// cloned (reinject.c) and, once the answer lets the connection through,
// injected back: at ALE_AUTH_RECV_ACCEPT the clone goes to
// FwpsCompleteOperation0 and is receive-injected, and permitting it when it
// comes back (injected by this driver) authorizes the connection; at
// ALE_AUTH_CONNECT it is send-injected after the completion. A denied
// connection's clone is freed. When no clone could be made the peer sends
// the packet again, and that classify finds the stored answer.
//
// The table is a fixed array in the driver image (nonpaged), guarded by a
// spin lock. FwpsCompleteOperation0 is never called under it: the
// reauthorization classify it triggers looks the answer up in the table.
//

#include "ask.h"
#include "channel.h"
#include "reinject.h"

#define ASK_TABLE_SIZE 64

//
// The System process has id 4 on every Windows this driver supports; it
// opens connections for the kernel itself and is never asked about.
//
#define ASK_SYSTEM_PROCESS_ID 4

typedef enum _ASK_STATE {
    AskFree = 0,
    AskPending,  // pended; waits for an answer
    AskAnswered, // completed; the answer waits for the classify that takes it
} ASK_STATE;

//
// What identifies a connection while its question is open.
//
typedef struct _ASK_CONNECTION {
    UINT16 LayerId;
    UINT8 Family;          // WOODGROVE_GUARD_FAMILY_*
    UINT8 Protocol;
    UINT16 LocalPort;
    UINT16 RemotePort;
    UINT8 LocalAddress[16];  // network byte order
    UINT8 RemoteAddress[16];
    UINT64 ProcessId;
} ASK_CONNECTION;

typedef struct _ASK_DECISION {
    ASK_STATE State;
    CALLOUT_INDEX Callout;
    UINT64 QuestionId;        // shared by every classify of one connection
    HANDLE CompletionContext; // AskPending only
    FWP_ACTION_TYPE DefaultVerdict;
    FWP_ACTION_TYPE Verdict;  // AskAnswered only
    ULONGLONG Deadline;       // interrupt time: the timeout, or when an unclaimed answer is forgotten
    ASK_CONNECTION Connection;
    REINJECT_PACKET* Packet;  // AskPending only: the clone of the classify's packet, or NULL
} ASK_DECISION;

//
// A decision completed under the lock, to finish outside it.
//
typedef struct _ASK_COMPLETION {
    HANDLE CompletionContext;
    REINJECT_PACKET* Packet;
    UINT16 LayerId;
    FWP_ACTION_TYPE Verdict;
} ASK_COMPLETION;

//
// Field indexes of the layers that ask (fwpsk.h); the FLAGS field carries
// FWP_CONDITION_FLAG_IS_REAUTHORIZE and FWP_CONDITION_FLAG_IS_LOOPBACK.
//
typedef struct _ASK_FIELDS {
    UINT16 LayerId;
    UINT8 Family;
    UINT32 LocalAddress;
    UINT32 RemoteAddress;
    UINT32 LocalPort;
    UINT32 RemotePort;
    UINT32 Protocol;
    UINT32 Flags;
} ASK_FIELDS;

static const ASK_FIELDS AskLayerFields[] = {
    {
        FWPS_LAYER_ALE_AUTH_CONNECT_V4, WOODGROVE_GUARD_FAMILY_V4,
        FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_LOCAL_ADDRESS, FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_REMOTE_ADDRESS,
        FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_LOCAL_PORT, FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_REMOTE_PORT,
        FWPS_FIELD_ALE_AUTH_CONNECT_V4_IP_PROTOCOL, FWPS_FIELD_ALE_AUTH_CONNECT_V4_FLAGS,
    },
    {
        FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V6, WOODGROVE_GUARD_FAMILY_V6,
        FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_LOCAL_ADDRESS, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_REMOTE_ADDRESS,
        FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_LOCAL_PORT, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_REMOTE_PORT,
        FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_IP_PROTOCOL, FWPS_FIELD_ALE_AUTH_RECV_ACCEPT_V6_FLAGS,
    },
};

static ASK_DECISION AskTable[ASK_TABLE_SIZE];
static KSPIN_LOCK AskLock;
static UINT64 AskNextQuestionId;
static BOOLEAN AskStopping;     // unload: no new questions
static KTIMER AskTimer;
static KDPC AskTimerDpc;
static BOOLEAN AskTimerSet;
static ULONGLONG AskTimerDue;

//
// 10000 ms in the 100-nanosecond units of KeQueryInterruptTime.
//
static const ULONGLONG AskTimeout = 10000ULL * 10000ULL;

KDEFERRED_ROUTINE AskTimerExpired;

_IRQL_requires_max_(DISPATCH_LEVEL)
static
const FWP_VALUE0*
AskValue(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ UINT32 index,
    _In_ FWP_DATA_TYPE type
    )
{
    const FWP_VALUE0* value;

    if (index >= inFixedValues->valueCount) {
        return NULL;
    }
    value = &inFixedValues->incomingValue[index].value;
    return (value->type == type) ? value : NULL;
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
AskReadAddress(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ const ASK_FIELDS* fields,
    _In_ UINT32 index,
    _Out_writes_bytes_(16) UINT8* address
    )
{
    const FWP_VALUE0* value;
    UINT32 v4;

    RtlZeroMemory(address, 16);
    if (fields->Family == WOODGROVE_GUARD_FAMILY_V6) {
        value = AskValue(inFixedValues, index, FWP_BYTE_ARRAY16_TYPE);
        if (value != NULL) {
            RtlCopyMemory(address, value->byteArray16->byteArray16, 16);
        }
        return;
    }

    //
    // IPv4 addresses come in host byte order; the event carries them in
    // network byte order.
    //
    value = AskValue(inFixedValues, index, FWP_UINT32);
    if (value != NULL) {
        v4 = value->uint32;
        address[0] = (UINT8)(v4 >> 24);
        address[1] = (UINT8)(v4 >> 16);
        address[2] = (UINT8)(v4 >> 8);
        address[3] = (UINT8)v4;
    }
}

//
// The connection a classify is about, and its FLAGS field. FALSE at a layer
// this file does not know.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
BOOLEAN
AskReadConnection(
    _In_ const FWPS_INCOMING_VALUES0* inFixedValues,
    _In_ const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    _Out_ ASK_CONNECTION* connection,
    _Out_ UINT32* flags
    )
{
    const ASK_FIELDS* fields = NULL;
    const FWP_VALUE0* value;

    RtlZeroMemory(connection, sizeof(*connection));
    *flags = 0;
    for (ULONG i = 0; i < RTL_NUMBER_OF(AskLayerFields); i++) {
        if (AskLayerFields[i].LayerId == inFixedValues->layerId) {
            fields = &AskLayerFields[i];
        }
    }
    if (fields == NULL) {
        return FALSE;
    }

    connection->LayerId = fields->LayerId;
    connection->Family = fields->Family;
    AskReadAddress(inFixedValues, fields, fields->LocalAddress, connection->LocalAddress);
    AskReadAddress(inFixedValues, fields, fields->RemoteAddress, connection->RemoteAddress);
    value = AskValue(inFixedValues, fields->LocalPort, FWP_UINT16);
    connection->LocalPort = (value != NULL) ? value->uint16 : 0;
    value = AskValue(inFixedValues, fields->RemotePort, FWP_UINT16);
    connection->RemotePort = (value != NULL) ? value->uint16 : 0;
    value = AskValue(inFixedValues, fields->Protocol, FWP_UINT8);
    connection->Protocol = (value != NULL) ? value->uint8 : 0;
    value = AskValue(inFixedValues, fields->Flags, FWP_UINT32);
    *flags = (value != NULL) ? value->uint32 : 0;
    if (FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_PROCESS_ID)) {
        connection->ProcessId = inMetaValues->processId;
    }
    return TRUE;
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
BOOLEAN
AskSameConnection(
    _In_ const ASK_DECISION* decision,
    _In_ CALLOUT_INDEX callout,
    _In_ const ASK_CONNECTION* connection
    )
{
    return (BOOLEAN)(decision->Callout == callout &&
                     RtlEqualMemory(&decision->Connection, connection, sizeof(*connection)));
}

//
// Runs the timer for the earliest deadline in the table. Called with AskLock held.
//
_IRQL_requires_(DISPATCH_LEVEL)
static
void
AskArmTimer(
    _In_ ULONGLONG now
    )
{
    ULONGLONG earliest = ~(ULONGLONG)0;
    LARGE_INTEGER dueTime;

    for (ULONG i = 0; i < ASK_TABLE_SIZE; i++) {
        if (AskTable[i].State != AskFree && AskTable[i].Deadline < earliest) {
            earliest = AskTable[i].Deadline;
        }
    }
    if (earliest == ~(ULONGLONG)0 || AskStopping) {
        return;
    }
    if (AskTimerSet && AskTimerDue <= earliest) {
        return;
    }

    //
    // A negative due time is relative, in 100-nanosecond units (KeSetTimer).
    //
    dueTime.QuadPart = -(LONGLONG)((earliest > now) ? (earliest - now) : 1);
    AskTimerSet = TRUE;
    AskTimerDue = earliest;
    KeSetTimer(&AskTimer, dueTime, &AskTimerDpc);
}

typedef BOOLEAN ASK_MATCH(_In_ const ASK_DECISION* decision, _In_ UINT64 key);

static
BOOLEAN
AskMatchQuestion(
    _In_ const ASK_DECISION* decision,
    _In_ UINT64 questionId
    )
{
    return (BOOLEAN)(decision->QuestionId == questionId);
}

static
BOOLEAN
AskMatchAll(
    _In_ const ASK_DECISION* decision,
    _In_ UINT64 unused
    )
{
    UNREFERENCED_PARAMETER(decision);
    UNREFERENCED_PARAMETER(unused);
    return TRUE;
}

static
BOOLEAN
AskMatchExpired(
    _In_ const ASK_DECISION* decision,
    _In_ UINT64 now
    )
{
    return (BOOLEAN)(decision->Deadline <= now);
}

//
// Completes one pended operation and settles its packet. At
// ALE_AUTH_RECV_ACCEPT no reauthorization follows: a connection let through
// gets its clone to FwpsCompleteOperation0 and injected back, as the
// inspect sample does. At ALE_AUTH_CONNECT the reauthorization that the
// completion triggers takes the answer, and the data that came with the
// classify is sent after it.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
AskFinish(
    _In_ const ASK_COMPLETION* completion
    )
{
    BOOLEAN pass = (BOOLEAN)(completion->Verdict != FWP_ACTION_BLOCK);
    BOOLEAN recvAccept = (BOOLEAN)(completion->LayerId == FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4 ||
                                   completion->LayerId == FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V6);

    if (recvAccept && pass && completion->Packet != NULL) {
        FwpsCompleteOperation0(completion->CompletionContext, ReinjectClone(completion->Packet));
    } else {
        FwpsCompleteOperation0(completion->CompletionContext, NULL);
    }
    if (completion->Packet == NULL) {
        return;
    }
    if (pass) {
        //
        // A failed injection has freed the packet; the peer or the
        // application sends it again.
        //
        (void)ReinjectSend(completion->Packet);
    } else {
        ReinjectDiscard(completion->Packet);
    }
}

//
// Completes the pending decisions that match, with verdict (or each one's
// default verdict when useDefault), and returns how many there were. The
// answers stay in the table for the reauthorization classify to take.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
ULONG
AskCompleteMatching(
    _In_ ASK_MATCH* match,
    _In_ UINT64 key,
    _In_ BOOLEAN useDefault,
    _In_ FWP_ACTION_TYPE verdict
    )
{
    ASK_COMPLETION completions[ASK_TABLE_SIZE];
    ULONG count = 0;
    ULONGLONG now = KeQueryInterruptTime();
    KLOCK_QUEUE_HANDLE lockHandle;

    KeAcquireInStackQueuedSpinLock(&AskLock, &lockHandle);
    for (ULONG i = 0; i < ASK_TABLE_SIZE; i++) {
        ASK_DECISION* decision = &AskTable[i];

        if (decision->State != AskPending || !match(decision, key)) {
            continue;
        }
        decision->State = AskAnswered;
        decision->Verdict = useDefault ? decision->DefaultVerdict : verdict;
        decision->Deadline = now + AskTimeout; // forgotten if no classify takes it
        completions[count].CompletionContext = decision->CompletionContext;
        completions[count].Packet = decision->Packet;
        completions[count].LayerId = decision->Connection.LayerId;
        completions[count].Verdict = decision->Verdict;
        count++;
        decision->CompletionContext = NULL;
        decision->Packet = NULL;
    }
    if (count != 0) {
        AskArmTimer(now);
    }
    KeReleaseInStackQueuedSpinLock(&lockHandle);

    //
    // Completing makes WFP classify the connection again, and that classify
    // takes AskLock: complete outside it.
    //
    for (ULONG i = 0; i < count; i++) {
        AskFinish(&completions[i]);
    }
    return count;
}

_Use_decl_annotations_
void
AskTimerExpired(
    KDPC* dpc,
    PVOID deferredContext,
    PVOID systemArgument1,
    PVOID systemArgument2
    )
{
    ULONGLONG now = KeQueryInterruptTime();
    KLOCK_QUEUE_HANDLE lockHandle;

    UNREFERENCED_PARAMETER(dpc);
    UNREFERENCED_PARAMETER(deferredContext);
    UNREFERENCED_PARAMETER(systemArgument1);
    UNREFERENCED_PARAMETER(systemArgument2);

    //
    // Unclaimed answers are forgotten first, so that the questions timing
    // out now keep theirs.
    //
    KeAcquireInStackQueuedSpinLock(&AskLock, &lockHandle);
    AskTimerSet = FALSE;
    for (ULONG i = 0; i < ASK_TABLE_SIZE; i++) {
        if (AskTable[i].State == AskAnswered && AskTable[i].Deadline <= now) {
            RtlZeroMemory(&AskTable[i], sizeof(AskTable[i]));
        }
    }
    AskArmTimer(now);
    KeReleaseInStackQueuedSpinLock(&lockHandle);

    (void)AskCompleteMatching(AskMatchExpired, now, TRUE, FWP_ACTION_NONE);
}

_Use_decl_annotations_
void
AskInitialize(
    void
    )
{
    RtlZeroMemory(AskTable, sizeof(AskTable));
    KeInitializeSpinLock(&AskLock);
    KeInitializeTimer(&AskTimer);
    KeInitializeDpc(&AskTimerDpc, AskTimerExpired, NULL);
    AskNextQuestionId = 1;
    AskStopping = FALSE;
    AskTimerSet = FALSE;
}

_Use_decl_annotations_
void
AskStop(
    void
    )
{
    KLOCK_QUEUE_HANDLE lockHandle;

    KeAcquireInStackQueuedSpinLock(&AskLock, &lockHandle);
    AskStopping = TRUE;
    AskTimerSet = FALSE;
    KeReleaseInStackQueuedSpinLock(&lockHandle);

    //
    // A DPC already queued or running may still complete decisions; wait for
    // it, so that none runs after the driver is gone.
    //
    KeCancelTimer(&AskTimer);
    KeFlushQueuedDpcs();

    (void)AskCompleteMatching(AskMatchAll, 0, TRUE, FWP_ACTION_NONE);
}

_Use_decl_annotations_
void
AskCompleteAll(
    void
    )
{
    (void)AskCompleteMatching(AskMatchAll, 0, TRUE, FWP_ACTION_NONE);
}

_Use_decl_annotations_
void
AskListenerGone(
    void
    )
{
    (void)AskCompleteMatching(AskMatchAll, 0, TRUE, FWP_ACTION_NONE);
}

_Use_decl_annotations_
NTSTATUS
AskAnswer(
    UINT64 questionId,
    UINT32 verdict
    )
{
    FWP_ACTION_TYPE action;

    if (verdict == WOODGROVE_GUARD_VERDICT_PERMIT) {
        action = FWP_ACTION_PERMIT;
    } else if (verdict == WOODGROVE_GUARD_VERDICT_BLOCK) {
        action = FWP_ACTION_BLOCK;
    } else {
        return STATUS_INVALID_PARAMETER;
    }
    if (questionId == 0 ||
        AskCompleteMatching(AskMatchQuestion, questionId, FALSE, action) == 0) {
        return STATUS_NOT_FOUND;
    }
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
BOOLEAN
AskFindAnswer(
    CALLOUT_INDEX callout,
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    const NET_BUFFER_LIST* packet,
    FWP_ACTION_TYPE* verdict
    )
{
    ASK_CONNECTION connection;
    UINT32 flags;
    BOOLEAN found = FALSE;
    KLOCK_QUEUE_HANDLE lockHandle;

    //
    // The clone of a packet whose connection was let through, injected back
    // by this driver: permitting it is what authorizes an inbound connection
    // ("Processing Classify Callouts Asynchronously").
    //
    if (packet != NULL && ReinjectIsOwnPacket(callout, packet)) {
        *verdict = FWP_ACTION_PERMIT;
        return TRUE;
    }

    if (!AskReadConnection(inFixedValues, inMetaValues, &connection, &flags)) {
        return FALSE;
    }

    //
    // At ALE_AUTH_CONNECT the answer belongs to the reauthorization that
    // completing triggers; at ALE_AUTH_RECV_ACCEPT, where none comes, to the
    // next classify of the connection.
    //
    if ((flags & FWP_CONDITION_FLAG_IS_REAUTHORIZE) == 0 &&
        (inFixedValues->layerId == FWPS_LAYER_ALE_AUTH_CONNECT_V4 ||
         inFixedValues->layerId == FWPS_LAYER_ALE_AUTH_CONNECT_V6)) {
        return FALSE;
    }

    KeAcquireInStackQueuedSpinLock(&AskLock, &lockHandle);
    for (ULONG i = 0; i < ASK_TABLE_SIZE && !found; i++) {
        ASK_DECISION* decision = &AskTable[i];

        if (decision->State == AskAnswered && AskSameConnection(decision, callout, &connection)) {
            *verdict = decision->Verdict;
            RtlZeroMemory(decision, sizeof(*decision));
            found = TRUE;
        }
    }
    KeReleaseInStackQueuedSpinLock(&lockHandle);
    return found;
}

//
// Whether this connection may be asked about at all.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
BOOLEAN
AskAllowed(
    _In_ const ASK_CONNECTION* connection,
    _In_ UINT32 flags
    )
{
    UINT64 listenerProcessId = 0;

    if ((flags & FWP_CONDITION_FLAG_IS_LOOPBACK) != 0 ||
        connection->ProcessId == ASK_SYSTEM_PROCESS_ID) {
        return FALSE;
    }

    //
    // Nobody to ask; and the listener is never asked about its own
    // connections, which it may need to answer at all.
    //
    if (!ChannelListenerPresent(&listenerProcessId)) {
        return FALSE;
    }
    return (BOOLEAN)(connection->ProcessId != listenerProcessId);
}

_IRQL_requires_max_(DISPATCH_LEVEL)
static
void
AskSendQuestion(
    _In_ CALLOUT_INDEX callout,
    _In_ UINT64 questionId,
    _In_ const ASK_CONNECTION* connection
    )
{
    WOODGROVE_GUARD_EVENT event;

    RtlZeroMemory(&event, sizeof(event));
    event.Kind = WOODGROVE_GUARD_EVENT_QUESTION;
    event.Callout = (UINT16)callout;
    event.ProcessId = connection->ProcessId;
    event.QuestionId = questionId;
    event.LayerId = connection->LayerId;
    event.Verdict = WOODGROVE_GUARD_VERDICT_NONE;
    event.Family = connection->Family;
    event.Protocol = connection->Protocol;
    event.Direction = (UINT8)((connection->LayerId == FWPS_LAYER_ALE_AUTH_CONNECT_V4 ||
                               connection->LayerId == FWPS_LAYER_ALE_AUTH_CONNECT_V6)
                                  ? FWP_DIRECTION_OUTBOUND
                                  : FWP_DIRECTION_INBOUND);
    event.LocalPort = connection->LocalPort;
    event.RemotePort = connection->RemotePort;
    RtlCopyMemory(event.LocalAddress, connection->LocalAddress, sizeof(event.LocalAddress));
    RtlCopyMemory(event.RemoteAddress, connection->RemoteAddress, sizeof(event.RemoteAddress));
    ChannelRecordEvent(&event);
}

//
// Pends the classify into a free entry, which joins the question already open
// for this connection if there is one. FALSE when it could not be pended.
// *newQuestionId is the id of a question to send, 0 when it was sent before.
//
_IRQL_requires_max_(DISPATCH_LEVEL)
static
BOOLEAN
AskPend(
    _In_ CALLOUT_INDEX callout,
    _In_ const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    _In_ const ASK_CONNECTION* connection,
    _In_ FWP_ACTION_TYPE defaultVerdict,
    _In_opt_ REINJECT_PACKET* packet,
    _Out_ UINT64* newQuestionId
    )
{
    ASK_DECISION* slot = NULL;
    const ASK_DECISION* open = NULL;
    ULONGLONG now = KeQueryInterruptTime();
    KLOCK_QUEUE_HANDLE lockHandle;
    NTSTATUS status;

    *newQuestionId = 0;
    KeAcquireInStackQueuedSpinLock(&AskLock, &lockHandle);
    for (ULONG i = 0; i < ASK_TABLE_SIZE; i++) {
        if (AskTable[i].State == AskFree && slot == NULL) {
            slot = &AskTable[i];
        } else if (AskTable[i].State == AskPending && AskSameConnection(&AskTable[i], callout, connection)) {
            open = &AskTable[i];
        }
    }
    if (slot == NULL || AskStopping) {
        KeReleaseInStackQueuedSpinLock(&lockHandle);
        return FALSE;
    }

    //
    // Fails with STATUS_FWP_CANNOT_PEND in a reauthorization: then the
    // connection gets the default verdict.
    //
    status = FwpsPendOperation0(inMetaValues->completionHandle, &slot->CompletionContext);
    if (!NT_SUCCESS(status)) {
        slot->CompletionContext = NULL;
        KeReleaseInStackQueuedSpinLock(&lockHandle);
        return FALSE;
    }

    slot->State = AskPending;
    slot->Callout = callout;
    slot->DefaultVerdict = defaultVerdict;
    slot->Connection = *connection;
    slot->Packet = packet;
    if (open != NULL) {
        //
        // Another classify of this connection (a retransmitted SYN, the next
        // datagram) shares the open question and its deadline.
        //
        slot->QuestionId = open->QuestionId;
        slot->Deadline = open->Deadline;
    } else {
        slot->QuestionId = AskNextQuestionId++;
        slot->Deadline = now + AskTimeout;
        *newQuestionId = slot->QuestionId;
    }
    AskArmTimer(now);
    KeReleaseInStackQueuedSpinLock(&lockHandle);
    return TRUE;
}

_Use_decl_annotations_
BOOLEAN
AskUser(
    CALLOUT_INDEX callout,
    const FWPS_INCOMING_VALUES0* inFixedValues,
    const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    NET_BUFFER_LIST* packet,
    FWP_ACTION_TYPE defaultVerdict,
    FWPS_CLASSIFY_OUT0* classifyOut
    )
{
    ASK_CONNECTION connection;
    REINJECT_PACKET* captured = NULL;
    UINT32 flags;
    UINT64 questionId;

    //
    // Pending returns a block, which a callout without the write right may
    // not give; and only a classify with a completion handle can be pended.
    //
    if ((classifyOut->rights & FWPS_RIGHT_ACTION_WRITE) == 0 ||
        !FWPS_IS_METADATA_FIELD_PRESENT(inMetaValues, FWPS_METADATA_FIELD_COMPLETION_HANDLE) ||
        !AskReadConnection(inFixedValues, inMetaValues, &connection, &flags) ||
        !AskAllowed(&connection, flags)) {
        return FALSE;
    }

    //
    // Keep a clone of the packet while the question is open: the original
    // is absorbed. Without one the connection still waits for its answer;
    // the packet is sent again later.
    //
    if (packet != NULL && !NT_SUCCESS(ReinjectCapture(callout, inFixedValues, inMetaValues, packet, &captured))) {
        captured = NULL;
    }
    if (!AskPend(callout, inMetaValues, &connection, defaultVerdict, captured, &questionId)) {
        if (captured != NULL) {
            ReinjectDiscard(captured);
        }
        return FALSE;
    }
    if (questionId != 0) {
        AskSendQuestion(callout, questionId, &connection);
    }

    //
    // What a pended classify returns (FwpsPendOperation0): block and absorb.
    // The real verdict comes with the completion.
    //
    classifyOut->actionType = FWP_ACTION_BLOCK;
    classifyOut->rights &= ~(UINT32)FWPS_RIGHT_ACTION_WRITE;
    classifyOut->flags |= FWPS_CLASSIFY_OUT_FLAG_ABSORB;
    return TRUE;
}
