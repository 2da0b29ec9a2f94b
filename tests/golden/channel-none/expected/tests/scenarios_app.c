//
// scenarios_app.c - the companion program's commands (app/ctl.c) run in this
// process against the simulated driver, through a CTL_TRANSPORT over the
// simulation's user-mode side: what tailspinfiltersctl.exe prints and which exit status it
// gives, and that it leaves no request or handle behind.
//
// wfpgen regenerates this file; put tests of your own in user_tests.c.
//

#include "driver.h"
#include <sim.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define APP_OUTPUT_SIZE 16384
#define APP_MAX_ARGUMENTS 8

typedef struct APP_TRANSPORT {
    SIM_HANDLE* Handle;
    BOOLEAN StandardUser;     // open as a user who is not an administrator
    BOOLEAN OtherInterface;   // play a driver of another interface version
    ULONG TrafficRounds;      // IoWait: classifies to run while no request is done, then Ctrl-C
    UINT16 TrafficLayer;      // where IoWait classifies (FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4 when 0)
    const GUID* TrafficKey;   // and for which callout's filters (RecvAcceptV4's when NULL)
    ULONG OpenIos;
    char Out[APP_OUTPUT_SIZE];
    size_t OutLength;
    char Err[APP_OUTPUT_SIZE];
    size_t ErrLength;
} APP_TRANSPORT;

struct CTL_IO {
    SIM_IO* Io;
};

//
// What DeviceIoControl's caller sees of an NTSTATUS: the Win32 error that
// RtlNtStatusToDosError gives for it (Microsoft Learn: RtlNtStatusToDosError).
//
static DWORD AppError(NTSTATUS status)
{
    switch (status) {
    case STATUS_SUCCESS:
        return ERROR_SUCCESS;
    case STATUS_ACCESS_DENIED:
        return ERROR_ACCESS_DENIED;
    case STATUS_OBJECT_NAME_NOT_FOUND:
        return ERROR_FILE_NOT_FOUND;
    case STATUS_INVALID_PARAMETER:
        return ERROR_INVALID_PARAMETER;
    case STATUS_BUFFER_TOO_SMALL:
        return ERROR_INSUFFICIENT_BUFFER;
    case STATUS_CANCELLED:
        return ERROR_OPERATION_ABORTED;
    case STATUS_NOT_FOUND:
        return ERROR_NOT_FOUND;
    case STATUS_REVISION_MISMATCH:
        return ERROR_REVISION_MISMATCH;
    case STATUS_INSUFFICIENT_RESOURCES:
        return ERROR_NO_SYSTEM_RESOURCES;
    default:
        return ERROR_GEN_FAILURE;
    }
}

static DWORD AppOpen(void* context, DWORD access)
{
    APP_TRANSPORT* app = context;

    return AppError(SimOpenDevice(TAILSPIN_FILTERS_USER_PATH, (BOOLEAN)!app->StandardUser, access, &app->Handle));
}

static void AppClose(void* context)
{
    APP_TRANSPORT* app = context;

    SimCloseHandle(app->Handle);
    app->Handle = NULL;
}

static DWORD AppIoctl(void* context, DWORD code, const void* in, DWORD inLength,
                      void* out, DWORD outLength, DWORD* returned)
{
    APP_TRANSPORT* app = context;
    NTSTATUS status;

    status = SimDeviceIoControl(app->Handle, code, in, inLength, out, outLength, returned);
    if (status == STATUS_PENDING) {
        SimViolation("the companion sent IOCTL 0x%08lX synchronously, and the driver kept it pending: "
                     "the program would hang", (unsigned long)code);
    }
    if (NT_SUCCESS(status) && app->OtherInterface && code == (DWORD)IOCTL_TAILSPIN_FILTERS_GET_VERSION) {
        ((TAILSPIN_FILTERS_VERSION_INFO*)out)->InterfaceVersion += 1;
    }
    return AppError(status);
}

static DWORD AppIoStart(void* context, DWORD code, DWORD outLength, CTL_IO** io)
{
    APP_TRANSPORT* app = context;
    CTL_IO* started;
    NTSTATUS status;

    started = calloc(1, sizeof(*started));
    if (started == NULL) {
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    status = SimDeviceIoControlAsync(app->Handle, code, NULL, 0, outLength, &started->Io);
    if (started->Io == NULL) {
        free(started);
        return AppError(status);
    }
    app->OpenIos++;
    *io = started;
    return ERROR_SUCCESS;
}

//
// Nothing happens in the simulation unless the test makes it: while no
// request is done, each round classifies the sample traffic at TrafficLayer;
// when the rounds are used up, the user presses Ctrl-C.
//
static DWORD AppIoWait(void* context, CTL_IO** ios, DWORD count, DWORD* index)
{
    APP_TRANSPORT* app = context;
    SIM_TRAFFIC traffic;

    for (;;) {
        for (DWORD i = 0; i < count; i++) {
            if (SimIoDone(ios[i]->Io, NULL, NULL, NULL)) {
                *index = i;
                return ERROR_SUCCESS;
            }
        }
        if (app->TrafficRounds == 0) {
            return ERROR_CANCELLED;
        }
        app->TrafficRounds--;
        traffic = (app->TrafficLayer != 0) ? SimCalloutTraffic(app->TrafficLayer, app->TrafficKey)
                                           : SimCalloutTraffic(FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4, &RecvAcceptV4CalloutKey);
        (void)SimClassify(&traffic);
    }
}

static DWORD AppIoResult(void* context, CTL_IO* io, const void** out, DWORD* returned)
{
    NTSTATUS status;
    ULONG length;

    (void)context;
    if (!SimIoDone(io->Io, &status, out, &length)) {
        SimViolation("the companion waits for a request the driver never completes: the program would hang");
    }
    *returned = length;
    return AppError(status);
}

static void AppIoCancel(void* context, CTL_IO* io)
{
    (void)context;
    SimIoCancel(io->Io);
}

static void AppIoFree(void* context, CTL_IO* io)
{
    APP_TRANSPORT* app = context;

    SimIoFree(io->Io);
    free(io);
    app->OpenIos--;
}

static void AppWrite(void* context, CTL_STREAM stream, const char* text)
{
    APP_TRANSPORT* app = context;
    char* buffer = stream == CTL_ERR ? app->Err : app->Out;
    size_t* length = stream == CTL_ERR ? &app->ErrLength : &app->OutLength;
    size_t add = strlen(text);

    //
    // Shown in the test's log as well, for whoever reads a failure.
    //
    printf("%s", text);
    if (*length + add >= APP_OUTPUT_SIZE) {
        SimViolation("the companion printed more than the test keeps (%u bytes)", (unsigned)APP_OUTPUT_SIZE);
    }
    memcpy(buffer + *length, text, add + 1);
    *length += add;
}

static CTL_TRANSPORT AppTransport(APP_TRANSPORT* app)
{
    CTL_TRANSPORT transport;

    memset(&transport, 0, sizeof(transport));
    transport.Context = app;
    transport.Open = AppOpen;
    transport.Close = AppClose;
    transport.Ioctl = AppIoctl;
    transport.IoStart = AppIoStart;
    transport.IoWait = AppIoWait;
    transport.IoResult = AppIoResult;
    transport.IoCancel = AppIoCancel;
    transport.IoFree = AppIoFree;
    transport.Write = AppWrite;
    return transport;
}

//
// Runs "tailspinfiltersctl <commandLine>" (words separated by single spaces) and
// checks that it closed its handle and left no request behind.
//
static int AppRun(APP_TRANSPORT* app, const char* commandLine)
{
    CTL_TRANSPORT transport = AppTransport(app);
    char words[256];
    char* argv[APP_MAX_ARGUMENTS + 1];
    int argc = 0;
    int exitCode;

    printf("> tailspinfiltersctl %s\n", commandLine);
    (void)snprintf(words, sizeof(words), "%s", commandLine);
    argv[argc++] = "tailspinfiltersctl";
    for (char* word = strtok(words, " "); word != NULL && argc < APP_MAX_ARGUMENTS; word = strtok(NULL, " ")) {
        argv[argc++] = word;
    }
    argv[argc] = NULL;
    app->Out[0] = app->Err[0] = '\0';
    app->OutLength = app->ErrLength = 0;

    exitCode = CtlRun(&transport, argc, argv);

    SIM_CHECK(app->Handle == NULL);
    SIM_CHECK(app->OpenIos == 0);
    return exitCode;
}

//
// The numbers of a callout's line in the status table.
//
typedef struct APP_STATUS_LINE {
    char State[16];
    unsigned long long Classifies, Permits, Blocks, Dropped;
} APP_STATUS_LINE;

static BOOLEAN AppStatusLine(const APP_TRANSPORT* app, const char* callout, APP_STATUS_LINE* line)
{
    char name[64];
    const char* at = app->Out;

    while (at != NULL && *at != '\0') {
        if (sscanf(at, "%63s %*s %15s %llu %llu %llu %llu", name, line->State, &line->Classifies,
                   &line->Permits, &line->Blocks, &line->Dropped) == 6 && strcmp(name, callout) == 0) {
            return TRUE;
        }
        at = strchr(at, '\n');
        at = at != NULL ? at + 1 : NULL;
    }
    return FALSE;
}

//
// filters = "none": the program that owns the filters adds them (here, as
// another WFP client would).
//
static UINT64 AppFilterIds[CALLOUT_COUNT];

static void AppAddFilters(void)
{
    AppFilterIds[CALLOUT_RECV_ACCEPT_V4] = SimFilterAdd(FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4, &RecvAcceptV4CalloutKey, FWP_ACTION_CALLOUT_TERMINATING, 0);
    AppFilterIds[CALLOUT_CONNECT_V6] = SimFilterAdd(FWPS_LAYER_ALE_AUTH_CONNECT_V6, &ConnectV6CalloutKey, FWP_ACTION_CALLOUT_TERMINATING, 0);
}

static void AppDeleteFilters(void)
{
    for (ULONG i = 0; i < CALLOUT_COUNT; i++) {
        SimFilterDelete(AppFilterIds[i]);
        AppFilterIds[i] = 0;
    }
}

static void AppClassifyAt(UINT16 layerId, const GUID* calloutKey)
{
    SIM_TRAFFIC traffic = SimCalloutTraffic(layerId, calloutKey);

    (void)SimClassify(&traffic);
}

static void AppClassifyOnce(void)
{
    AppClassifyAt(FWPS_LAYER_ALE_AUTH_RECV_ACCEPT_V4, &RecvAcceptV4CalloutKey);
}

//
// status: the driver's version, and one line per callout with what it saw.
//
static void AppStatus(void)
{
    APP_TRANSPORT app;
    APP_STATUS_LINE line;

    memset(&app, 0, sizeof(app));
    AppAddFilters();
    AppClassifyOnce();
    SIM_CHECK(AppRun(&app, "status") == CTL_EXIT_OK);
    SIM_CHECK(strstr(app.Out, "TailspinFilters 1.0.0.0, interface version 1") != NULL);
    SIM_CHECK(AppStatusLine(&app, "RecvAcceptV4", &line) && strcmp(line.State, "enabled") == 0);
    SIM_CHECK(AppStatusLine(&app, "ConnectV6", &line) && strcmp(line.State, "enabled") == 0);
    SIM_CHECK(AppStatusLine(&app, "RecvAcceptV4", &line) && line.Classifies == 1 &&
              line.Permits + line.Blocks <= 1 && line.Dropped == 0);
    SIM_CHECK(app.ErrLength == 0);
    AppDeleteFilters();
}

//
// disable and enable: a disabled callout is shown so, and counts nothing.
//
static void AppDisableEnable(void)
{
    APP_TRANSPORT app;
    APP_STATUS_LINE line;

    memset(&app, 0, sizeof(app));
    AppAddFilters();
    SIM_CHECK(AppRun(&app, "disable RecvAcceptV4") == CTL_EXIT_OK);
    SIM_CHECK(strstr(app.Out, "RecvAcceptV4 disabled") != NULL);
    AppClassifyOnce();
    SIM_CHECK(AppRun(&app, "status") == CTL_EXIT_OK);
    SIM_CHECK(AppStatusLine(&app, "RecvAcceptV4", &line) && strcmp(line.State, "disabled") == 0 &&
              line.Classifies == 0);

    SIM_CHECK(AppRun(&app, "enable recvacceptv4") == CTL_EXIT_OK); // names match in any case
    SIM_CHECK(strstr(app.Out, "RecvAcceptV4 enabled") != NULL);
    AppClassifyOnce();
    SIM_CHECK(AppRun(&app, "status") == CTL_EXIT_OK);
    SIM_CHECK(AppStatusLine(&app, "RecvAcceptV4", &line) && strcmp(line.State, "enabled") == 0 &&
              line.Classifies == 1);
    AppDeleteFilters();
}

//
// A mistyped command line: the usage, with the callout names, and status 2.
//
static void AppUsage(void)
{
    APP_TRANSPORT app;

    memset(&app, 0, sizeof(app));
    SIM_CHECK(AppRun(&app, "disable NoSuchCallout") == CTL_EXIT_USAGE);
    SIM_CHECK(strstr(app.Err, "no callout named 'NoSuchCallout'") != NULL);
    SIM_CHECK(strstr(app.Err, "RecvAcceptV4") != NULL);
    SIM_CHECK(AppRun(&app, "") == CTL_EXIT_USAGE);
    SIM_CHECK(AppRun(&app, "status now") == CTL_EXIT_USAGE);
}

//
// Not elevated: the device's security refuses the open.
//
static void AppNotAdministrator(void)
{
    APP_TRANSPORT app;

    memset(&app, 0, sizeof(app));
    app.StandardUser = TRUE;
    SIM_CHECK(AppRun(&app, "status") == CTL_EXIT_FAILED);
    SIM_CHECK(strstr(app.Err, "run as administrator") != NULL);
    SIM_CHECK(AppRun(&app, "disable RecvAcceptV4") == CTL_EXIT_FAILED);
    SIM_CHECK(strstr(app.Err, "run as administrator") != NULL);
}

//
// No driver, no device: "driver not loaded".
//
static void AppDriverNotLoaded(void)
{
    APP_TRANSPORT app;

    memset(&app, 0, sizeof(app));
    SIM_CHECK(AppRun(&app, "status") == CTL_EXIT_FAILED);
    SIM_CHECK(strstr(app.Err, "driver not loaded") != NULL);
}

//
// A driver of another interface version: refused before anything else.
//
static void AppVersionMismatch(void)
{
    APP_TRANSPORT app;

    memset(&app, 0, sizeof(app));
    app.OtherInterface = TRUE;
    SIM_CHECK(AppRun(&app, "status") == CTL_EXIT_FAILED);
    SIM_CHECK(strstr(app.Err, "version mismatch") != NULL);
    SIM_CHECK(strstr(app.Out, "classifies") == NULL);
}

static BOOLEAN AppPrinted(const APP_TRANSPORT* app, const char* text)
{
    return (BOOLEAN)(strstr(app->Out, text) != NULL);
}

//
// events --count 3: three events, in order, with the sample traffic's
// addresses; the requests still pending are cancelled at the end.
//
static void AppEvents(void)
{
    APP_TRANSPORT app;
    const char* second;
    const char* third;

    memset(&app, 0, sizeof(app));
    AppAddFilters();
    app.TrafficRounds = 10;
    SIM_CHECK(AppRun(&app, "events --count 3") == CTL_EXIT_OK);
    second = strstr(app.Out, "#2 RecvAcceptV4 ");
    third = strstr(app.Out, "#3 RecvAcceptV4 ");
    SIM_CHECK(strncmp(app.Out, "#1 RecvAcceptV4 ", strlen("#1 RecvAcceptV4 ")) == 0);
    SIM_CHECK(second != NULL && third != NULL && second < third);
    SIM_CHECK(!AppPrinted(&app, "#4 "));
    SIM_CHECK(AppPrinted(&app, "10.0.0.1:") && AppPrinted(&app, "10.0.0.2:"));
    SIM_CHECK(app.ErrLength == 0);
    AppDeleteFilters();
}

//
// events until Ctrl-C: the program stops cleanly, with status 0.
//
static void AppEventsCtrlC(void)
{
    APP_TRANSPORT app;

    memset(&app, 0, sizeof(app));
    AppAddFilters();
    app.TrafficRounds = 2;
    SIM_CHECK(AppRun(&app, "events") == CTL_EXIT_OK);
    SIM_CHECK(AppPrinted(&app, "#1 RecvAcceptV4 ") && AppPrinted(&app, "#2 RecvAcceptV4 "));
    SIM_CHECK(app.ErrLength == 0);
    AppDeleteFilters();
}

//
// filters add|list|remove (app/filters.c) through the user-mode filter engine
// API, against the simulated engine the driver uses (sim/fwpmu.c); each run
// must give back what the enumeration handed it.
//
static int AppFiltersRun(APP_TRANSPORT* app, const char* commandLine)
{
    int exitCode = AppRun(app, commandLine);

    SimEngineCheckUser("tailspinfiltersctl filters");
    return exitCode;
}

static void AppCheckFiltersAdded(BOOLEAN added)
{
    SIM_CHECK(SimEngineHasObject(SIM_OBJECT_PROVIDER, &TailspinFiltersProviderKey) == added);
    SIM_CHECK(SimEngineHasObject(SIM_OBJECT_SUBLAYER, &TailspinFiltersSublayerKey) == added);
    SIM_CHECK(SimEngineHasObject(SIM_OBJECT_CALLOUT, &RecvAcceptV4CalloutKey) == added);
    SIM_CHECK(SimEngineFiltersOfCallout(&RecvAcceptV4CalloutKey) == (added ? 1u : 0u));
    SIM_CHECK(SimEngineHasObject(SIM_OBJECT_CALLOUT, &ConnectV6CalloutKey) == added);
    SIM_CHECK(SimEngineFiltersOfCallout(&ConnectV6CalloutKey) == (added ? 1u : 0u));
}

//
// How many classifies status shows for RecvAcceptV4.
//
static unsigned long long AppClassifies(APP_TRANSPORT* app)
{
    APP_STATUS_LINE line;

    SIM_CHECK(AppRun(app, "status") == CTL_EXIT_OK);
    SIM_CHECK(AppStatusLine(app, "RecvAcceptV4", &line));
    return line.Classifies;
}

//
// add puts the provider, the sublayer, the callouts and their filters in the
// engine and traffic reaches the driver; list names the filters; add again
// is refused and changes nothing; remove takes everything away; add works
// again after it.
//
static void AppFilters(void)
{
    APP_TRANSPORT app;

    memset(&app, 0, sizeof(app));
    SIM_CHECK(AppFiltersRun(&app, "filters list") == CTL_EXIT_OK);
    SIM_CHECK(strstr(app.Out, "no filters use the callouts") != NULL);

    SIM_CHECK(AppFiltersRun(&app, "filters add") == CTL_EXIT_OK);
    AppCheckFiltersAdded(TRUE);
    AppClassifyOnce();
    SIM_CHECK(AppClassifies(&app) == 1);

    SIM_CHECK(AppFiltersRun(&app, "filters list") == CTL_EXIT_OK);
    SIM_CHECK(strstr(app.Out, ": RecvAcceptV4 at ALE_AUTH_RECV_ACCEPT_V4\n") != NULL);
    SIM_CHECK(strstr(app.Out, ": ConnectV6 at ALE_AUTH_CONNECT_V6\n") != NULL);
    SIM_CHECK(strstr(app.Out, "added by another program") == NULL);

    SIM_CHECK(AppFiltersRun(&app, "filters add") == CTL_EXIT_FAILED);
    SIM_CHECK(strstr(app.Err, "the filters are there already ('filters remove' first)") != NULL);
    AppCheckFiltersAdded(TRUE);

    SIM_CHECK(AppFiltersRun(&app, "filters remove") == CTL_EXIT_OK);
    SIM_CHECK(strstr(app.Out, "removed 2 filters") != NULL);
    AppCheckFiltersAdded(FALSE);
    AppClassifyOnce(); // no filter: the callout is not called
    SIM_CHECK(AppClassifies(&app) == 1);

    SIM_CHECK(AppFiltersRun(&app, "filters add") == CTL_EXIT_OK);
    AppCheckFiltersAdded(TRUE);
    SIM_CHECK(AppFiltersRun(&app, "filters remove") == CTL_EXIT_OK);
    AppCheckFiltersAdded(FALSE);
    SIM_CHECK(AppFiltersRun(&app, "filters") == CTL_EXIT_USAGE);
}

const SIM_TEST SimAppScenarios[] = {
    { "app_status", AppStatus, SIM_LOADED },
    { "app_disable_enable", AppDisableEnable, SIM_LOADED },
    { "app_usage", AppUsage, SIM_LOADED },
    { "app_not_administrator", AppNotAdministrator, SIM_LOADED },
    { "app_driver_not_loaded", AppDriverNotLoaded, SIM_UNLOADED },
    { "app_version_mismatch", AppVersionMismatch, SIM_LOADED },
    { "app_filters", AppFilters, SIM_LOADED },
    { "app_events", AppEvents, SIM_LOADED },
    { "app_events_ctrl_c", AppEventsCtrlC, SIM_LOADED },
    { NULL, NULL, SIM_LOADED },
};
