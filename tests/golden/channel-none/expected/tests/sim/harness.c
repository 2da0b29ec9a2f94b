//
// harness.c - runs the tests: each starts from a freshly booted simulated
// Windows, and ends with the checks Driver Verifier makes when a driver
// unloads.
//
// Usage: driver_tests [--list] [NAME | scenarios | user]...
// Without names every scenario and every user test runs. Set SIM_VERBOSE=1
// to see the driver's DbgPrintEx output and the simulation's trace.
//

#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>

const char* SimRunningTest;
ULONG SimCheckFailures;

static BOOLEAN SimLoaded;
static DRIVER_OBJECT SimDriverObject = { sizeof(DRIVER_OBJECT), NULL };
static UNICODE_STRING SimRegistryPath = {
    sizeof(L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\TailspinFilters") - sizeof(wchar_t),
    sizeof(L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\TailspinFilters"),
    (PWSTR)L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\TailspinFilters",
};

//
// What must be true whenever the driver is not loaded.
//
static void SimCheckNothingLeft(const char* when)
{
    if (SimSpinLocksHeld() != 0 || KeGetCurrentIrql() != PASSIVE_LEVEL) {
        SimBugCheck("spin lock held or IRQL raised %s", when);
    }
    SimCalloutsCheckClean(when);
    SimFlowsCheckClean(when);
    SimEngineCheckClean(when);
    SimBfeCheckClean(when);
    SimRedirectCheckClean(when);
    SimNblCheckClean(when);
    SimKmdfCheckClean(when);
    SimIoCheckClean(when);
    SimPoolCheckEmpty(when);
}

BOOLEAN SimDriverIsLoaded(void)
{
    return SimLoaded;
}

NTSTATUS SimDriverLoad(void)
{
    NTSTATUS status;

    if (SimLoaded) {
        SimBugCheck("SimDriverLoad: the driver is already loaded");
    }
    SimKmdfReset();
    status = DriverEntry(&SimDriverObject, &SimRegistryPath);
    SimCheckDriverReturn(PASSIVE_LEVEL, 0, "DriverEntry");
    SimEngineCheckNoTransaction("DriverEntry returned");
    if (SimWaitLocksHeld() != 0) {
        SimBugCheck("DriverEntry returned holding a wait lock");
    }
    if (!NT_SUCCESS(status)) {
        // EvtDriverUnload will not run: DriverEntry must have undone everything.
        SimCheckNothingLeft("after DriverEntry failed");
        SimKmdfDeleteDriver();
        return status;
    }
    SimLoaded = TRUE;
    return status;
}

void SimDriverUnload(void)
{
    WDFDRIVER driver;
    PFN_WDF_DRIVER_UNLOAD unload;

    if (!SimLoaded) {
        SimBugCheck("SimDriverUnload: the driver is not loaded");
    }
    unload = SimKmdfUnloadCallback(&driver);
    if (unload != NULL) {
        unload(driver);
        SimCheckDriverReturn(PASSIVE_LEVEL, 0, "EvtDriverUnload");
        SimEngineCheckNoTransaction("EvtDriverUnload returned");
        if (SimWaitLocksHeld() != 0) {
            SimBugCheck("EvtDriverUnload returned holding a wait lock");
        }
    }
    SimKmdfDeleteDriver();
    SimLoaded = FALSE;
    SimCheckNothingLeft("after unload");
}

static void SimBoot(void)
{
    SimIrqlReset();
    SimPoolReset();
    SimFaultReset();
    SimKmdfReset();
    SimIoReset();
    SimEngineReset();
    SimBfeReset();
    SimRedirectReset();
    SimCalloutsReset();
    SimFlowsReset();
    SimNblReset();
    SimLoaded = FALSE;
}

static BOOLEAN SimRun(const SIM_TEST* test)
{
    ULONG failuresBefore = SimCheckFailures;
    NTSTATUS status;

    SimRunningTest = test->name;
    printf("[ RUN      ] %s\n", test->name);
    fflush(stdout);
    SimBoot();
    if (test->start == SIM_LOADED) {
        status = SimDriverLoad();
        if (!NT_SUCCESS(status)) {
            fprintf(stderr, "FAILED in %s: DriverEntry returned 0x%08lX\n", test->name, (unsigned long)(ULONG)status);
            SimCheckFailures++;
        }
    }
    if (SimCheckFailures == failuresBefore) {
        test->run();
    }
    if (SimLoaded) {
        SimDriverUnload();
    }
    SimCheckNothingLeft("at the end of the test");
    printf("[ %s ] %s\n", SimCheckFailures == failuresBefore ? "      OK" : "  FAILED", test->name);
    SimRunningTest = NULL;
    return (BOOLEAN)(SimCheckFailures == failuresBefore);
}

//
// Every list of tests, generated scenarios first and your own tests last.
//
static const SIM_TEST* const SimTestLists[] = {
    SimScenarios,
    SimChannelScenarios,
    SimAppScenarios,
    UserTests,
};
#define SIM_TEST_LIST_COUNT (sizeof(SimTestLists) / sizeof(SimTestLists[0]))

static ULONG SimRunList(const SIM_TEST* tests, const char* name)
{
    ULONG ran = 0;

    for (const SIM_TEST* test = tests; test->name != NULL; test++) {
        if (name == NULL || strcmp(name, test->name) == 0) {
            (void)SimRun(test);
            ran++;
        }
    }
    return ran;
}

//
// Runs the tests called name, or every test when name is NULL.
//
static ULONG SimRunAll(const char* name)
{
    ULONG ran = 0;

    for (size_t i = 0; i < SIM_TEST_LIST_COUNT; i++) {
        ran += SimRunList(SimTestLists[i], name);
    }
    return ran;
}

int main(int argc, char** argv)
{
    ULONG ran = 0;

    if (argc > 1 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < SIM_TEST_LIST_COUNT; i++) {
            for (const SIM_TEST* test = SimTestLists[i]; test->name != NULL; test++) {
                printf("%s\n", test->name);
            }
        }
        return 0;
    }
    if (argc == 1) {
        ran += SimRunAll(NULL);
    }
    for (int i = 1; i < argc; i++) {
        ULONG found;

        if (strcmp(argv[i], "scenarios") == 0) {
            found = 0;
            for (size_t list = 0; list + 1 < SIM_TEST_LIST_COUNT; list++) {
                found += SimRunList(SimTestLists[list], NULL);
            }
        } else if (strcmp(argv[i], "user") == 0) {
            found = SimRunList(UserTests, NULL);
        } else {
            found = SimRunAll(argv[i]);
        }
        // An empty UserTests list is fine: "user" runs none then.
        if (found == 0 && strcmp(argv[i], "user") != 0) {
            fprintf(stderr, "no test called %s (--list shows them)\n", argv[i]);
            return 2;
        }
        ran += found;
    }
    printf("%lu test(s), %lu failed check(s)\n", (unsigned long)ran, (unsigned long)SimCheckFailures);
    return SimCheckFailures == 0 ? 0 : 1;
}
