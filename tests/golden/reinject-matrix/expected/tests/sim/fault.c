//
// fault.c - fault injection, in the spirit of Driver Verifier's "Systematic
// low resources simulation": every call that can fail on Windows asks here
// first, and the nth such call after SimFaultArm(n) fails as Windows would
// (NULL from an allocator, an error status from everything else).
//

#include "sim_internal.h"

#include <stdio.h>

static ULONG SimFaultTarget; // 0: disarmed
static ULONG SimFaultCalls;
static BOOLEAN SimFaultHasFired;
static const char* SimFaultWhat;  // the call that was made to fail

void SimFaultReset(void)
{
    SimFaultTarget = 0;
    SimFaultCalls = 0;
    SimFaultHasFired = FALSE;
    SimFaultWhat = NULL;
}

void SimFaultArm(ULONG n)
{
    SimFaultReset();
    SimFaultTarget = n;
}

void SimFaultDisarm(void)
{
    SimFaultTarget = 0;
}

ULONG SimFaultHits(void)
{
    return SimFaultCalls;
}

BOOLEAN SimFaultFired(void)
{
    return SimFaultHasFired;
}

const char* SimFaultPoint(void)
{
    static char description[128];

    snprintf(description, sizeof(description), "call %lu, %s", (unsigned long)SimFaultTarget,
             SimFaultWhat != NULL ? SimFaultWhat : "nothing");
    return description;
}

BOOLEAN SimFaultShouldFail(const char* what)
{
    if (SimFaultTarget == 0) {
        return FALSE;
    }
    SimFaultCalls++;
    if (SimFaultCalls != SimFaultTarget) {
        return FALSE;
    }
    SimFaultHasFired = TRUE;
    SimFaultWhat = what;
    SimTrace("fault injection: failing call %lu, %s\n", (unsigned long)SimFaultCalls, what);
    return TRUE;
}
