//
// engine.c - the Base Filtering Engine's sessions and transactions. The
// objects they add live in objects.c.
//
// Reproduced behaviour (Microsoft Learn: FwpmEngineOpen0, FwpmEngineClose0,
// FWPM_SESSION0, FwpmTransactionBegin0/Commit0/Abort0):
// - FwpmEngineOpen0 fails while BFE is not running (bfe.c);
// - every Fwpm* function runs at PASSIVE_LEVEL;
// - one transaction at a time per session; a commit that fails rolls back;
// - objects of a dynamic session are deleted when the session closes;
//   closing with a transaction open aborts it; aborting undoes its adds.
//

#include "sim_internal.h"

#define SIM_MAX_SESSIONS 8

struct SIM_SESSION {
    BOOLEAN open;
    BOOLEAN dynamic;
    BOOLEAN inTransaction;
};

static SIM_SESSION SimSessions[SIM_MAX_SESSIONS];

void SimEngineReset(void)
{
    RtlZeroMemory(SimSessions, sizeof(SimSessions));
    SimObjectsReset();
}

SIM_SESSION* SimSessionOf(HANDLE engineHandle, const char* api)
{
    SimRequireIrql(PASSIVE_LEVEL, api);
    for (ULONG i = 0; i < SIM_MAX_SESSIONS; i++) {
        if (engineHandle == (HANDLE)&SimSessions[i] && SimSessions[i].open) {
            return &SimSessions[i];
        }
    }
    SimBugCheck("%s with an engine handle that is not open (%p)", api, engineHandle);
}

BOOLEAN SimSessionInTransaction(const SIM_SESSION* session)
{
    return session->inTransaction;
}

NTSTATUS FwpmEngineOpen0(const wchar_t* serverName, UINT32 authnService, void* authIdentity,
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
        if (!SimSessions[i].open) {
            RtlZeroMemory(&SimSessions[i], sizeof(SimSessions[i]));
            SimSessions[i].open = TRUE;
            SimSessions[i].dynamic = (session != NULL && (session->flags & FWPM_SESSION_FLAG_DYNAMIC)) ? TRUE : FALSE;
            *engineHandle = (HANDLE)&SimSessions[i];
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
        return STATUS_FWP_TXN_IN_PROGRESS;
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

NTSTATUS FwpmEngineClose0(HANDLE engineHandle)
{
    SIM_SESSION* session = SimSessionOf(engineHandle, "FwpmEngineClose0");

    if (session->inTransaction) {
        SimAbort(session);
    }
    if (session->dynamic) {
        SimObjectsDelete(session, FALSE);
    }
    session->open = FALSE;
    return STATUS_SUCCESS;
}

void SimEngineCheckClean(const char* when)
{
    for (ULONG i = 0; i < SIM_MAX_SESSIONS; i++) {
        if (SimSessions[i].open) {
            SimBugCheck("engine session left open %s: FwpmEngineOpen0 without FwpmEngineClose0", when);
        }
    }
    SimObjectsCheckClean(when);
}
