//
// engine.c - the Base Filtering Engine's sessions and transactions. The
// objects they add live in objects.c.
//
// Reproduced behaviour:
// - FwpmEngineOpen0 fails while BFE is not running (Microsoft Learn:
//   FwpmBfeStateGet0, "for a callout driver to open a session to the filter
//   engine, the filter engine must be currently running");
// - every Fwpm* function runs at PASSIVE_LEVEL;
// - one transaction at a time per session: "If the caller attempts to begin
//   a second transaction before committing or aborting the first, BFE
//   returns an error" (Microsoft Learn: Object Management; the error is
//   FWP_E_TXN_IN_PROGRESS, WFP Error Codes); a commit that fails rolls back;
// - a session that ends aborts its transaction first, and the objects of a
//   dynamic session are deleted when it ends (Object Management);
// - a session ends when BFE stops: BFE is the RPC server the handle talks to
//   ("Failure to communicate with the remote or local firewall engine",
//   FwpmEngineOpen0; kernel-mode Fwpm* return the NTSTATUS equivalents,
//   "Calling Other Windows Filtering Platform Functions"). The handle then
//   only needs closing; anything else done with it cannot succeed.
// What the simulation reports:
// - VIOLATION: a second FwpmTransactionBegin0 on a session with one open;
// - VIOLATION: any Fwpm* call but FwpmEngineClose0 with a handle whose
//   session BFE ended (stale), and any call with a handle already closed;
// - VIOLATION: a transaction still open when DriverEntry, EvtDriverUnload or
//   the BFE state callback returns. It holds BFE's transaction lock, so
//   every other WFP client (the firewall included) waits for it until BFE
//   aborts it on its lock timeout (Object Management: "Each transaction also
//   has a lock timeout");
// - WARNING: FwpmEngineClose0 with a transaction open (Windows aborts it:
//   "If a transaction is in progress, when a session terminates, it is
//   automatically aborted", Object Management), FwpmEngineClose0(NULL), or
//   a stale handle never closed;
// - BUGCHECK: a session still open when the driver is gone.
//

#include "sim_internal.h"

#define SIM_MAX_SESSIONS 8
#define SIM_HANDLE_BASE 0x5E550000u // engine handles are opaque numbers, never addresses

typedef enum SIM_SESSION_STATE { SimSessionFree, SimSessionOpen, SimSessionStale } SIM_SESSION_STATE;

struct SIM_SESSION {
    SIM_SESSION_STATE state;
    ULONG serial;          // the handle is SIM_HANDLE_BASE + serial
    BOOLEAN dynamic;
    BOOLEAN inTransaction;
    BOOLEAN program;       // opened through the user-mode API (fwpmu.c), not by the driver
};

static SIM_SESSION SimSessions[SIM_MAX_SESSIONS];
static ULONG SimLastSerial;

void SimEngineReset(void)
{
    RtlZeroMemory(SimSessions, sizeof(SimSessions));
    SimLastSerial = 0;
    SimObjectsReset();
}

static HANDLE SimHandleOf(const SIM_SESSION* session)
{
    return (HANDLE)(ULONG_PTR)(SIM_HANDLE_BASE + session->serial);
}

//
// The session behind a handle in any state, or NULL for a handle this
// simulation never gave out or that was closed.
//
static SIM_SESSION* SimFindSession(HANDLE engineHandle)
{
    for (ULONG i = 0; i < SIM_MAX_SESSIONS; i++) {
        if (SimSessions[i].state != SimSessionFree && SimHandleOf(&SimSessions[i]) == engineHandle) {
            return &SimSessions[i];
        }
    }
    return NULL;
}

static SIM_NORETURN void SimBadHandle(HANDLE engineHandle, const char* api)
{
    ULONG_PTR value = (ULONG_PTR)engineHandle;

    if (value > SIM_HANDLE_BASE && value <= SIM_HANDLE_BASE + SimLastSerial) {
        SimViolation("%s with an engine handle that is not open (%p): the driver closed it already with "
                     "FwpmEngineClose0 (closed twice, or kept after closing it)", api, engineHandle);
    }
    SimViolation("%s with an engine handle that FwpmEngineOpen0 never returned (%p)", api, engineHandle);
}

SIM_SESSION* SimSessionOf(HANDLE engineHandle, const char* api)
{
    SIM_SESSION* session;

    SimRequireIrql(PASSIVE_LEVEL, api);
    session = SimFindSession(engineHandle);
    if (session == NULL) {
        SimBadHandle(engineHandle, api);
    }
    if (session->state == SimSessionStale) {
        SimViolation("stale engine handle: %s(%p) after the Base Filtering Engine stopped. BFE ended the session "
                     "and deleted its objects, so the call fails on Windows; close the handle when BFE stops "
                     "(FWPM_SERVICE_STOP_PENDING or FWPM_SERVICE_STOPPED) and open a new session when it runs "
                     "again", api, engineHandle);
    }
    return session;
}

BOOLEAN SimSessionInTransaction(const SIM_SESSION* session)
{
    return session->inTransaction;
}

BOOLEAN SimSessionIsProgram(const SIM_SESSION* session)
{
    return session->program;
}

void SimSessionSetProgram(HANDLE engineHandle)
{
    SimSessionOf(engineHandle, "FwpmEngineOpen0")->program = TRUE;
}

NTSTATUS FwpmEngineOpen0(const wchar_t* serverName, UINT32 authnService, SEC_WINNT_AUTH_IDENTITY_W* authIdentity,
                         const FWPM_SESSION0* session, HANDLE* engineHandle)
{
    UNREFERENCED_PARAMETER(authIdentity);

    SimRequireIrql(PASSIVE_LEVEL, "FwpmEngineOpen0");
    *engineHandle = NULL;
    if (serverName != NULL || (authnService != RPC_C_AUTHN_WINNT && authnService != RPC_C_AUTHN_DEFAULT)) {
        return STATUS_INVALID_PARAMETER;
    }
    if (FwpmBfeStateGet0() != FWPM_SERVICE_RUNNING) {
        return EPT_NT_NOT_REGISTERED;
    }
    if (SimFaultShouldFail("FwpmEngineOpen0")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (ULONG i = 0; i < SIM_MAX_SESSIONS; i++) {
        if (SimSessions[i].state == SimSessionFree) {
            RtlZeroMemory(&SimSessions[i], sizeof(SimSessions[i]));
            SimSessions[i].state = SimSessionOpen;
            SimSessions[i].serial = ++SimLastSerial;
            SimSessions[i].dynamic = (session != NULL && (session->flags & FWPM_SESSION_FLAG_DYNAMIC)) ? TRUE : FALSE;
            *engineHandle = SimHandleOf(&SimSessions[i]);
            return STATUS_SUCCESS;
        }
    }
    SimBugCheck("more than %d engine sessions open at once: is FwpmEngineClose0 missing?", SIM_MAX_SESSIONS);
}

NTSTATUS FwpmTransactionBegin0(HANDLE engineHandle, UINT32 flags)
{
    SIM_SESSION* session = SimSessionOf(engineHandle, "FwpmTransactionBegin0");

    UNREFERENCED_PARAMETER(flags);
    if (session->inTransaction) {
        // Windows returns STATUS_FWP_TXN_IN_PROGRESS (Object Management: one
        // transaction at a time per session); the first one stays open.
        SimViolation("FwpmTransactionBegin0 on a session that already has a transaction in progress "
                     "(STATUS_FWP_TXN_IN_PROGRESS): commit or abort the first one before beginning another");
    }
    if (SimFaultShouldFail("FwpmTransactionBegin0")) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    session->inTransaction = TRUE;
    return STATUS_SUCCESS;
}

static void SimAbort(SIM_SESSION* session)
{
    SimObjectsDelete(session, TRUE);
    session->inTransaction = FALSE;
}

NTSTATUS FwpmTransactionAbort0(HANDLE engineHandle)
{
    SIM_SESSION* session = SimSessionOf(engineHandle, "FwpmTransactionAbort0");

    if (!session->inTransaction) {
        return STATUS_FWP_NO_TXN_IN_PROGRESS;
    }
    SimAbort(session);
    return STATUS_SUCCESS;
}

NTSTATUS FwpmTransactionCommit0(HANDLE engineHandle)
{
    SIM_SESSION* session = SimSessionOf(engineHandle, "FwpmTransactionCommit0");

    if (!session->inTransaction) {
        return STATUS_FWP_NO_TXN_IN_PROGRESS;
    }
    if (SimFaultShouldFail("FwpmTransactionCommit0")) {
        // A transaction that cannot commit is rolled back.
        SimAbort(session);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    session->inTransaction = FALSE;
    SimObjectsCommit(session);
    return STATUS_SUCCESS;
}

//
// A session ends: its transaction is aborted first, then the objects of a
// dynamic session go (Object Management).
//
static void SimEndSession(SIM_SESSION* session)
{
    if (session->inTransaction) {
        SimAbort(session);
    }
    if (session->dynamic) {
        SimObjectsDelete(session, FALSE);
    }
    SimObjectsSessionEnded(session);
}

NTSTATUS FwpmEngineClose0(HANDLE engineHandle)
{
    SIM_SESSION* session;

    SimRequireIrql(PASSIVE_LEVEL, "FwpmEngineClose0");
    if (engineHandle == NULL) {
        // Nothing to free; the docs do not say what Windows returns.
        SimWarning("FwpmEngineClose0(NULL): no session was open");
        return STATUS_INVALID_PARAMETER;
    }
    session = SimFindSession(engineHandle);
    if (session == NULL) {
        SimBadHandle(engineHandle, "FwpmEngineClose0");
    }
    if (session->state == SimSessionOpen) {
        if (session->inTransaction) {
            SimWarning("FwpmEngineClose0 with a transaction in progress: Windows aborts it, but an error path "
                       "that forgets FwpmTransactionAbort0 is easy to get wrong elsewhere");
        }
        SimEndSession(session);
    }
    // A stale handle (BFE ended the session) only frees the driver's side.
    session->state = SimSessionFree;
    return STATUS_SUCCESS;
}

//
// BFE stopped: every session ends as if closed, and its handle goes stale
// until the driver closes it.
//
void SimEngineBfeStopped(void)
{
    for (ULONG i = 0; i < SIM_MAX_SESSIONS; i++) {
        if (SimSessions[i].state == SimSessionOpen) {
            SimEndSession(&SimSessions[i]);
            SimSessions[i].state = SimSessionStale;
        }
    }
    SimObjectsBfeStopped();
}

//
// Called when control returns from the driver (DriverEntry, unload, the BFE
// state callback): no transaction may stay open past it.
//
void SimEngineCheckNoTransaction(const char* when)
{
    for (ULONG i = 0; i < SIM_MAX_SESSIONS; i++) {
        if (SimSessions[i].state == SimSessionOpen && SimSessions[i].inTransaction) {
            SimViolation("transaction left open when %s: FwpmTransactionBegin0 without FwpmTransactionCommit0 "
                         "or FwpmTransactionAbort0 on some path. It holds BFE's transaction lock, and every "
                         "other WFP client waits for it", when);
        }
    }
}

void SimEngineCheckClean(const char* when)
{
    for (ULONG i = 0; i < SIM_MAX_SESSIONS; i++) {
        if (SimSessions[i].state == SimSessionOpen) {
            SimBugCheck("engine session left open %s%s: FwpmEngineOpen0 without FwpmEngineClose0", when,
                        SimSessions[i].inTransaction ? ", with a transaction in progress" : "");
        }
        if (SimSessions[i].state == SimSessionStale) {
            SimWarning("an engine handle whose session ended when BFE stopped was never closed %s: "
                       "FwpmEngineClose0 frees the driver's side of it", when);
            SimSessions[i].state = SimSessionFree;
        }
    }
    SimObjectsCheckClean(when);
}
