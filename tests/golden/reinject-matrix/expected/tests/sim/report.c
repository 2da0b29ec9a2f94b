//
// report.c - how the simulation reports: bug checks that stop the test,
// checks that fail it at the end, and the driver's debugger output.
//

#include "sim_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

extern const char* SimRunningTest;
extern ULONG SimCheckFailures;

//
// Driver Verifier stops the machine at the first violation; the simulation
// stops the test, so the message is the last thing printed.
//
void SimBugCheck(const char* format, ...)
{
    va_list arguments;

    fflush(stdout);
    fprintf(stderr, "BUGCHECK in %s: ", SimCurrentTest());
    va_start(arguments, format);
    vfprintf(stderr, format, arguments);
    va_end(arguments);
    if (SimFaultFired()) {
        fprintf(stderr, " (fault injection failed %s)", SimFaultPoint());
    }
    fprintf(stderr, "\n");
    fflush(stderr);
    exit(1);
}

//
// A broken rule of a documented contract (FWPS_CLASSIFY_OUT0, the stream
// packet, the classify handle life cycle, ...): Windows may not stop at once,
// but the driver misbehaves, so the test stops here with the rule named.
//
void SimViolation(const char* format, ...)
{
    va_list arguments;

    fflush(stdout);
    fprintf(stderr, "VIOLATION: ");
    va_start(arguments, format);
    vfprintf(stderr, format, arguments);
    va_end(arguments);
    fprintf(stderr, " (in %s)\n", SimCurrentTest());
    fflush(stderr);
    exit(1);
}

//
// Something Windows allows but that is usually a mistake: reported, and the
// test goes on.
//
void SimWarning(const char* format, ...)
{
    va_list arguments;

    fflush(stdout);
    fprintf(stderr, "WARNING: ");
    va_start(arguments, format);
    vfprintf(stderr, format, arguments);
    va_end(arguments);
    fprintf(stderr, " (in %s)\n", SimCurrentTest());
    fflush(stderr);
}

void SimTrace(const char* format, ...)
{
    va_list arguments;

    if (getenv("SIM_VERBOSE") == NULL) {
        return;
    }
    va_start(arguments, format);
    vfprintf(stdout, format, arguments);
    va_end(arguments);
}

const char* SimCurrentTest(void)
{
    return SimRunningTest != NULL ? SimRunningTest : "(no test)";
}

void SimAssertFailed(const char* expression, const char* file, int line)
{
    SimBugCheck("NT_ASSERT(%s) failed at %s:%d", expression, file, line);
}

void SimCheck(BOOLEAN ok, const char* what, const char* file, int line)
{
    if (!ok) {
        fprintf(stderr, "FAILED in %s: %s (%s:%d)\n", SimCurrentTest(), what, file, line);
        SimCheckFailures++;
    }
}

static const char* SimActionName(FWP_ACTION_TYPE action)
{
    switch (action) {
    case FWP_ACTION_BLOCK: return "FWP_ACTION_BLOCK";
    case FWP_ACTION_PERMIT: return "FWP_ACTION_PERMIT";
    case FWP_ACTION_CONTINUE: return "FWP_ACTION_CONTINUE";
    case FWP_ACTION_NONE: return "FWP_ACTION_NONE";
    case FWP_ACTION_NONE_NO_MATCH: return "FWP_ACTION_NONE_NO_MATCH";
    default: return "an invalid action";
    }
}

void SimCheckAction(FWP_ACTION_TYPE actual, FWP_ACTION_TYPE expected, const char* file, int line)
{
    if (actual != expected) {
        fprintf(stderr, "FAILED in %s: verdict %s, expected %s (%s:%d)\n", SimCurrentTest(),
                SimActionName(actual), SimActionName(expected), file, line);
        SimCheckFailures++;
    }
}

//
// Windows is LLP64, so the driver prints a ULONG with %lu. Here ULONG is 32
// bits on every platform, so a single "l" is dropped before formatting.
//
ULONG DbgPrintEx(ULONG componentId, ULONG level, const char* format, ...)
{
    char converted[512];
    size_t in = 0;
    size_t out = 0;
    va_list arguments;

    UNREFERENCED_PARAMETER(componentId);
    UNREFERENCED_PARAMETER(level);

    while (format[in] != '\0' && out + 1 < sizeof(converted)) {
        converted[out++] = format[in++];
        if (format[in - 1] == '%') {
            while (format[in] != '\0' && strchr("-+ #0123456789.", format[in]) != NULL && out + 1 < sizeof(converted)) {
                converted[out++] = format[in++];
            }
            if (format[in] == 'l' && format[in + 1] != 'l') {
                in++;
            }
        }
    }
    converted[out] = '\0';

    if (getenv("SIM_VERBOSE") != NULL) {
        va_start(arguments, format);
        vfprintf(stdout, converted, arguments);
        va_end(arguments);
    }
    return 0;
}
