//
// ctl.c - the commands of woodgroveguardctl.exe: status, events, enable, disable, ask.
//
// Everything here goes through the CTL_TRANSPORT it is given (see ctl.h), so
// the tests run it against the simulated driver.
//

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

#define CTL_NAME "woodgroveguardctl"

//
// How many GET_EVENTS requests stay outstanding, and how many events each can
// carry: while one is being printed, the driver can complete the other.
//
#define CTL_EVENT_REQUESTS 2
#define CTL_EVENTS_PER_REQUEST 32
#define CTL_EVENTS_LENGTH ((DWORD)(sizeof(WOODGROVE_GUARD_EVENTS) + CTL_EVENTS_PER_REQUEST * sizeof(WOODGROVE_GUARD_EVENT)))

#define CTL_MAX_RULES 16

typedef struct CTL_CALLOUT {
    const char* Name;  // as in the spec
    UINT32 Number;     // WOODGROVE_GUARD_CALLOUT_*
    const char* Layer;
} CTL_CALLOUT;

static const CTL_CALLOUT CtlCallouts[WOODGROVE_GUARD_CALLOUT_COUNT] = {
    { "ConnectV4", WOODGROVE_GUARD_CALLOUT_CONNECT_V4, "ALE_AUTH_CONNECT_V4" },
    { "RecvAcceptV6", WOODGROVE_GUARD_CALLOUT_RECV_ACCEPT_V6, "ALE_AUTH_RECV_ACCEPT_V6" },
    { "TransportOutV4", WOODGROVE_GUARD_CALLOUT_TRANSPORT_OUT_V4, "OUTBOUND_TRANSPORT_V4" },
    { "TransportInV6", WOODGROVE_GUARD_CALLOUT_TRANSPORT_IN_V6, "INBOUND_TRANSPORT_V6" },
    { "IpPacketOutV4", WOODGROVE_GUARD_CALLOUT_IP_PACKET_OUT_V4, "OUTBOUND_IPPACKET_V4" },
};

typedef struct CTL_SESSION {
    const CTL_TRANSPORT* Transport;
    BOOLEAN Open;
    ULONG EventLimit;   // stop after this many events; 0: until Ctrl-C
    ULONG EventCount;
    BOOLEAN Failed;     // the event loop stopped on an error it reported
    BOOLEAN Answering;  // ask: answer the questions among the events
    ULONG RuleCount;    // 0: ask the user
    UINT16 AllowedPorts[CTL_MAX_RULES];
} CTL_SESSION;

CTL_PRINTF(3, 4)
static void CtlPrint(const CTL_SESSION* session, CTL_STREAM stream, const char* format, ...)
{
    char text[512];
    va_list arguments;

    va_start(arguments, format);
    (void)vsnprintf(text, sizeof(text), format, arguments);
    va_end(arguments);
    session->Transport->Write(session->Transport->Context, stream, text);
}

#define CtlOut(session, ...) CtlPrint((session), CTL_OUT, __VA_ARGS__)
#define CtlErr(session, ...) CtlPrint((session), CTL_ERR, CTL_NAME ": " __VA_ARGS__)

static int CtlUsage(const CTL_SESSION* session)
{
    ULONG i;

    CtlPrint(session, CTL_ERR, "usage: " CTL_NAME " COMMAND\n"
             "  status                 driver version, features and statistics per callout\n"
             "  events [--count N]     print events as they come (Ctrl-C stops)\n"
             "  enable CALLOUT         let the callout decide again\n"
             "  disable CALLOUT        the callout gives its default verdict and records no event\n"
             "  ask [--allow-port PORT]...\n"
             "                         answer the driver's questions: permit connections to the\n"
             "                         ports given and block the rest, or ask at the keyboard\n"
             "callouts:");
    for (i = 0; i < WOODGROVE_GUARD_CALLOUT_COUNT; i++) {
        CtlPrint(session, CTL_ERR, " %s", CtlCallouts[i].Name);
    }
    CtlPrint(session, CTL_ERR, "\n");
    return CTL_EXIT_USAGE;
}

//
// The device refuses whom its security descriptor does not name, and an IOCTL
// whose access bits the handle lacks, with ERROR_ACCESS_DENIED; a device that
// does not exist reads as ERROR_FILE_NOT_FOUND. A request the driver cancels
// (STATUS_CANCELLED, when it stops) reads as ERROR_OPERATION_ABORTED.
//
static int CtlFailed(const CTL_SESSION* session, const char* what, DWORD error)
{
    switch (error) {
    case ERROR_ACCESS_DENIED:
        CtlErr(session, "%s: access denied: run as administrator\n", what);
        break;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
        CtlErr(session, "%s: driver not loaded (start it: sc.exe start WoodgroveGuard)\n", what);
        break;
    case ERROR_OPERATION_ABORTED:
        CtlErr(session, "%s: the driver cancelled the request (is it stopping?)\n", what);
        break;
    default:
        CtlErr(session, "%s: error %lu\n", what, (unsigned long)error);
        break;
    }
    return CTL_EXIT_FAILED;
}

static DWORD CtlIoctl(const CTL_SESSION* session, DWORD code, const void* in, DWORD inLength,
                      void* out, DWORD outLength, DWORD* returned)
{
    const CTL_TRANSPORT* transport = session->Transport;

    *returned = 0;
    return transport->Ioctl(transport->Context, code, in, inLength, out, outLength, returned);
}

//
// Opens the device and checks that the driver speaks this program's interface:
// every structure's layout depends on it.
//
static int CtlOpen(CTL_SESSION* session, DWORD access, WOODGROVE_GUARD_VERSION_INFO* version)
{
    const CTL_TRANSPORT* transport = session->Transport;
    DWORD returned;
    DWORD error;

    error = transport->Open(transport->Context, access);
    if (error != ERROR_SUCCESS) {
        return CtlFailed(session, "cannot open the driver", error);
    }
    session->Open = TRUE;

    memset(version, 0, sizeof(*version));
    error = CtlIoctl(session, IOCTL_WOODGROVE_GUARD_GET_VERSION, NULL, 0, version, (DWORD)sizeof(*version), &returned);
    if (error != ERROR_SUCCESS) {
        return CtlFailed(session, "cannot read the driver's version", error);
    }
    if (returned != sizeof(*version) || version->Size != sizeof(*version) ||
        version->InterfaceVersion != WOODGROVE_GUARD_INTERFACE_VERSION ||
        version->CalloutCount != WOODGROVE_GUARD_CALLOUT_COUNT) {
        CtlErr(session, "version mismatch: the driver speaks interface version %u with %u callouts, "
               "this program version %u with %u: install both from the same build\n",
               (unsigned)version->InterfaceVersion, (unsigned)version->CalloutCount,
               (unsigned)WOODGROVE_GUARD_INTERFACE_VERSION, (unsigned)WOODGROVE_GUARD_CALLOUT_COUNT);
        return CTL_EXIT_FAILED;
    }
    return CTL_EXIT_OK;
}

static const CTL_CALLOUT* CtlFindCallout(const char* name)
{
    ULONG i;
    size_t c;

    for (i = 0; i < WOODGROVE_GUARD_CALLOUT_COUNT; i++) {
        const char* known = CtlCallouts[i].Name;
        for (c = 0; known[c] != '\0' && name[c] != '\0'; c++) {
            if ((known[c] | 0x20) != (name[c] | 0x20)) {
                break;
            }
        }
        if (known[c] == '\0' && name[c] == '\0') {
            return &CtlCallouts[i];
        }
    }
    return NULL;
}

static void CtlPrintFeatures(const CTL_SESSION* session, UINT32 features)
{
    CtlOut(session, "features:%s%s%s%s\n",
           (features & WOODGROVE_GUARD_FEATURE_EVENTS) != 0 ? " events" : "",
           (features & WOODGROVE_GUARD_FEATURE_ASK) != 0 ? " ask" : "",
           (features & WOODGROVE_GUARD_FEATURE_REINJECT) != 0 ? " reinject" : "",
           (features & (WOODGROVE_GUARD_FEATURE_EVENTS | WOODGROVE_GUARD_FEATURE_ASK | WOODGROVE_GUARD_FEATURE_REINJECT)) == 0 ? " none" : "");
}

static int CtlStatus(CTL_SESSION* session)
{
    WOODGROVE_GUARD_VERSION_INFO version;
    WOODGROVE_GUARD_STATISTICS statistics;
    DWORD returned;
    DWORD error;
    ULONG i;
    int exitCode;

    exitCode = CtlOpen(session, FILE_READ_DATA, &version);
    if (exitCode != CTL_EXIT_OK) {
        return exitCode;
    }

    memset(&statistics, 0, sizeof(statistics));
    error = CtlIoctl(session, IOCTL_WOODGROVE_GUARD_GET_STATISTICS, NULL, 0, &statistics, (DWORD)sizeof(statistics), &returned);
    if (error != ERROR_SUCCESS) {
        return CtlFailed(session, "cannot read the statistics", error);
    }
    if (returned != sizeof(statistics) || statistics.Size != sizeof(statistics) ||
        statistics.CalloutCount != WOODGROVE_GUARD_CALLOUT_COUNT) {
        CtlErr(session, "the driver returned %lu bytes of statistics, expected %lu\n",
               (unsigned long)returned, (unsigned long)sizeof(statistics));
        return CTL_EXIT_FAILED;
    }

    CtlOut(session, "WoodgroveGuard %u.%u.%u.%u, interface version %u\n",
           (unsigned)version.DriverVersion[0], (unsigned)version.DriverVersion[1],
           (unsigned)version.DriverVersion[2], (unsigned)version.DriverVersion[3],
           (unsigned)version.InterfaceVersion);
    CtlPrintFeatures(session, version.Features);
    CtlOut(session, "%-20s %-32s %-8s %12s %12s %12s %12s\n",
           "callout", "layer", "state", "classifies", "permits", "blocks", "dropped");
    for (i = 0; i < WOODGROVE_GUARD_CALLOUT_COUNT; i++) {
        const WOODGROVE_GUARD_CALLOUT_STATISTICS* s = &statistics.Callouts[CtlCallouts[i].Number];
        CtlOut(session, "%-20s %-32s %-8s %12llu %12llu %12llu %12llu\n",
               CtlCallouts[i].Name, CtlCallouts[i].Layer, s->Enabled != 0 ? "enabled" : "disabled",
               (unsigned long long)s->Classifies, (unsigned long long)s->Permits,
               (unsigned long long)s->Blocks, (unsigned long long)s->EventsDropped);
    }
    return CTL_EXIT_OK;
}

static int CtlSetCallout(CTL_SESSION* session, const char* name, BOOLEAN enable)
{
    WOODGROVE_GUARD_VERSION_INFO version;
    WOODGROVE_GUARD_SET_CALLOUT request;
    const CTL_CALLOUT* callout;
    DWORD returned;
    DWORD error;
    int exitCode;

    callout = CtlFindCallout(name);
    if (callout == NULL) {
        CtlErr(session, "no callout named '%s'\n", name);
        return CtlUsage(session);
    }

    exitCode = CtlOpen(session, FILE_READ_DATA | FILE_WRITE_DATA, &version);
    if (exitCode != CTL_EXIT_OK) {
        return exitCode;
    }

    memset(&request, 0, sizeof(request));
    request.Size = sizeof(request);
    request.Version = WOODGROVE_GUARD_INTERFACE_VERSION;
    request.Callout = callout->Number;
    request.Enable = enable ? 1u : 0u;
    error = CtlIoctl(session, IOCTL_WOODGROVE_GUARD_SET_CALLOUT, &request, (DWORD)sizeof(request), NULL, 0, &returned);
    if (error != ERROR_SUCCESS) {
        return CtlFailed(session, enable ? "cannot enable the callout" : "cannot disable the callout", error);
    }
    CtlOut(session, "%s %s\n", callout->Name, enable ? "enabled" : "disabled");
    return CTL_EXIT_OK;
}

static const char* CtlVerdictName(UINT32 verdict)
{
    switch (verdict) {
    case WOODGROVE_GUARD_VERDICT_PERMIT:
        return "permit";
    case WOODGROVE_GUARD_VERDICT_BLOCK:
        return "block";
    default:
        return "none";
    }
}

//
// Formats an address of the event: IPv4 dotted, IPv6 as eight hexadecimal
// groups (not shortened).
//
static void CtlFormatAddress(char* text, size_t length, UINT8 family, const UINT8* address)
{
    if (family == WOODGROVE_GUARD_FAMILY_V4) {
        (void)snprintf(text, length, "%u.%u.%u.%u", address[0], address[1], address[2], address[3]);
    } else {
        (void)snprintf(text, length, "[%x:%x:%x:%x:%x:%x:%x:%x]",
                       (unsigned)(address[0] << 8 | address[1]), (unsigned)(address[2] << 8 | address[3]),
                       (unsigned)(address[4] << 8 | address[5]), (unsigned)(address[6] << 8 | address[7]),
                       (unsigned)(address[8] << 8 | address[9]), (unsigned)(address[10] << 8 | address[11]),
                       (unsigned)(address[12] << 8 | address[13]), (unsigned)(address[14] << 8 | address[15]));
    }
}

static void CtlFormatProtocol(char* text, size_t length, UINT8 protocol)
{
    switch (protocol) {
    case 6:
        (void)snprintf(text, length, "TCP");
        break;
    case 17:
        (void)snprintf(text, length, "UDP");
        break;
    case 1:
        (void)snprintf(text, length, "ICMP");
        break;
    case 58:
        (void)snprintf(text, length, "ICMPv6");
        break;
    default:
        (void)snprintf(text, length, "protocol %u", (unsigned)protocol);
        break;
    }
}

//
// One line per event:
//   #12 ConnectV4 permit TCP out 10.0.0.1:49152 -> 10.0.0.2:443 pid 1234
//
static void CtlPrintEvent(const CTL_SESSION* session, const WOODGROVE_GUARD_EVENT* event)
{
    const char* callout = event->Callout < WOODGROVE_GUARD_CALLOUT_COUNT ? CtlCallouts[event->Callout].Name : "?";
    char what[48];
    char protocol[16];
    char local[48];
    char remote[48];

    if (event->Kind == WOODGROVE_GUARD_EVENT_QUESTION) {
        (void)snprintf(what, sizeof(what), "question %llu:", (unsigned long long)event->QuestionId);
    } else {
        (void)snprintf(what, sizeof(what), "%s", CtlVerdictName(event->Verdict));
    }
    if (event->Family == 0) {
        CtlOut(session, "#%llu %s %s layer %u pid %llu\n", (unsigned long long)event->Sequence, callout,
               what, (unsigned)event->LayerId, (unsigned long long)event->ProcessId);
        return;
    }
    CtlFormatProtocol(protocol, sizeof(protocol), event->Protocol);
    CtlFormatAddress(local, sizeof(local), event->Family, event->LocalAddress);
    CtlFormatAddress(remote, sizeof(remote), event->Family, event->RemoteAddress);
    CtlOut(session, "#%llu %s %s %s %s %s:%u -> %s:%u pid %llu\n", (unsigned long long)event->Sequence,
           callout, what, protocol, event->Direction == 0 ? "out" : "in", local, (unsigned)event->LocalPort,
           remote, (unsigned)event->RemotePort, (unsigned long long)event->ProcessId);
}

static UINT32 CtlDecide(const CTL_SESSION* session, const WOODGROVE_GUARD_EVENT* question)
{
    const CTL_TRANSPORT* transport = session->Transport;
    ULONG i;
    int answer;

    if (session->RuleCount > 0) {
        for (i = 0; i < session->RuleCount; i++) {
            if (question->RemotePort == session->AllowedPorts[i]) {
                return WOODGROVE_GUARD_VERDICT_PERMIT;
            }
        }
        return WOODGROVE_GUARD_VERDICT_BLOCK;
    }
    for (;;) {
        CtlOut(session, "allow? [y/n] ");
        answer = transport->ReadAnswer(transport->Context);
        if (answer == 'y' || answer == 'Y') {
            return WOODGROVE_GUARD_VERDICT_PERMIT;
        }
        if (answer == 'n' || answer == 'N') {
            return WOODGROVE_GUARD_VERDICT_BLOCK;
        }
        if (answer == 0) {
            return WOODGROVE_GUARD_VERDICT_NONE;
        }
    }
}

//
// Answers a question. An answer that comes too late finds the question gone
// (the driver gave the default verdict when it timed out): not an error.
//
static BOOLEAN CtlAnswer(CTL_SESSION* session, const WOODGROVE_GUARD_EVENT* question)
{
    WOODGROVE_GUARD_ANSWER answer;
    DWORD returned;
    DWORD error;
    UINT32 verdict;

    verdict = CtlDecide(session, question);
    if (verdict == WOODGROVE_GUARD_VERDICT_NONE) {
        return FALSE;
    }
    memset(&answer, 0, sizeof(answer));
    answer.Size = sizeof(answer);
    answer.Version = WOODGROVE_GUARD_INTERFACE_VERSION;
    answer.QuestionId = question->QuestionId;
    answer.Verdict = verdict;
    error = CtlIoctl(session, IOCTL_WOODGROVE_GUARD_ANSWER, &answer, (DWORD)sizeof(answer), NULL, 0, &returned);
    if (error == ERROR_SUCCESS) {
        CtlOut(session, "answered %llu: %s\n", (unsigned long long)question->QuestionId, CtlVerdictName(verdict));
    } else if (error == ERROR_NOT_FOUND) {
        CtlOut(session, "question %llu is gone (it timed out)\n", (unsigned long long)question->QuestionId);
    } else {
        (void)CtlFailed(session, "cannot answer", error);
        session->Failed = TRUE;
        return FALSE;
    }
    return TRUE;
}

//
// Prints the events of one completed GET_EVENTS request. Returns FALSE when
// the program should stop.
//
static BOOLEAN CtlTakeEvents(CTL_SESSION* session, const void* out, DWORD returned)
{
    const WOODGROVE_GUARD_EVENTS* header = (const WOODGROVE_GUARD_EVENTS*)out;
    const WOODGROVE_GUARD_EVENT* events = (const WOODGROVE_GUARD_EVENT*)(header + 1);
    ULONG i;

    //
    // Trust no count the buffer does not hold.
    //
    if (returned < sizeof(*header) || header->Size != returned ||
        header->Count > (returned - sizeof(*header)) / sizeof(WOODGROVE_GUARD_EVENT)) {
        CtlErr(session, "the driver returned a malformed event buffer (%lu bytes)\n", (unsigned long)returned);
        session->Failed = TRUE;
        return FALSE;
    }
    for (i = 0; i < header->Count; i++) {
        CtlPrintEvent(session, &events[i]);
        if (session->Answering && events[i].Kind == WOODGROVE_GUARD_EVENT_QUESTION && !CtlAnswer(session, &events[i])) {
            return FALSE;
        }
        session->EventCount++;
        if (session->EventLimit != 0 && session->EventCount >= session->EventLimit) {
            return FALSE;
        }
    }
    return TRUE;
}

//
// Cancels the requests still pending and waits for each to complete before
// its buffer is freed: the driver may be writing into it until then.
//
static void CtlEndRequests(const CTL_SESSION* session, CTL_IO** ios, ULONG count)
{
    const CTL_TRANSPORT* transport = session->Transport;
    const void* out;
    DWORD returned;
    ULONG i;

    for (i = 0; i < count; i++) {
        transport->IoCancel(transport->Context, ios[i]);
    }
    for (i = 0; i < count; i++) {
        (void)transport->IoResult(transport->Context, ios[i], &out, &returned);
        transport->IoFree(transport->Context, ios[i]);
    }
}

//
// The inverted call: CTL_EVENT_REQUESTS requests stay pending in the driver,
// which completes one when it has events; each is started again once printed.
//
static int CtlEventLoop(CTL_SESSION* session)
{
    const CTL_TRANSPORT* transport = session->Transport;
    CTL_IO* ios[CTL_EVENT_REQUESTS];
    ULONG count = 0;
    DWORD index;
    DWORD error = ERROR_SUCCESS;
    DWORD returned;
    const void* out;
    BOOLEAN more = TRUE;

    while (count < CTL_EVENT_REQUESTS && error == ERROR_SUCCESS) {
        error = transport->IoStart(transport->Context, IOCTL_WOODGROVE_GUARD_GET_EVENTS, CTL_EVENTS_LENGTH, &ios[count]);
        count += error == ERROR_SUCCESS ? 1 : 0;
    }
    while (more && error == ERROR_SUCCESS) {
        error = transport->IoWait(transport->Context, ios, count, &index);
        if (error != ERROR_SUCCESS) {
            break;
        }
        error = transport->IoResult(transport->Context, ios[index], &out, &returned);
        if (error == ERROR_SUCCESS) {
            more = CtlTakeEvents(session, out, returned);
        }
        transport->IoFree(transport->Context, ios[index]);
        ios[index] = ios[--count];
        if (more && error == ERROR_SUCCESS) {
            error = transport->IoStart(transport->Context, IOCTL_WOODGROVE_GUARD_GET_EVENTS, CTL_EVENTS_LENGTH, &ios[count]);
            count += error == ERROR_SUCCESS ? 1 : 0;
        }
    }
    CtlEndRequests(session, ios, count);

    if (error == ERROR_CANCELLED) {
        return CTL_EXIT_OK; // Ctrl-C
    }
    if (error != ERROR_SUCCESS) {
        return CtlFailed(session, "cannot read events", error);
    }
    return session->Failed ? CTL_EXIT_FAILED : CTL_EXIT_OK;
}

static BOOLEAN CtlParseNumber(const char* text, ULONG maximum, ULONG* value)
{
    char* end;
    unsigned long parsed;

    if (text == NULL || text[0] < '0' || text[0] > '9') {
        return FALSE;
    }
    parsed = strtoul(text, &end, 10);
    if (*end != '\0' || parsed > maximum) {
        return FALSE;
    }
    *value = (ULONG)parsed;
    return TRUE;
}

static int CtlEvents(CTL_SESSION* session, int argc, char** argv)
{
    WOODGROVE_GUARD_VERSION_INFO version;
    int exitCode;

    if (argc == 2 && strcmp(argv[0], "--count") == 0 && CtlParseNumber(argv[1], 0xFFFFFFFFul, &session->EventLimit)) {
        argc -= 2;
    }
    if (argc != 0) {
        return CtlUsage(session);
    }
    exitCode = CtlOpen(session, FILE_READ_DATA, &version);
    if (exitCode != CTL_EXIT_OK) {
        return exitCode;
    }
    return CtlEventLoop(session);
}

static int CtlAsk(CTL_SESSION* session, int argc, char** argv)
{
    WOODGROVE_GUARD_VERSION_INFO version;
    WOODGROVE_GUARD_LISTEN listen;
    DWORD returned;
    DWORD error;
    ULONG port;
    int exitCode;
    int i;

    for (i = 0; i < argc; i += 2) {
        if (strcmp(argv[i], "--allow-port") != 0 || i + 1 >= argc || session->RuleCount == CTL_MAX_RULES ||
            !CtlParseNumber(argv[i + 1], 0xFFFF, &port)) {
            return CtlUsage(session);
        }
        session->AllowedPorts[session->RuleCount++] = (UINT16)port;
    }

    exitCode = CtlOpen(session, FILE_READ_DATA | FILE_WRITE_DATA, &version);
    if (exitCode != CTL_EXIT_OK) {
        return exitCode;
    }
    if ((version.Features & WOODGROVE_GUARD_FEATURE_ASK) == 0) {
        CtlErr(session, "the driver asks no questions (built without ask callouts)\n");
        return CTL_EXIT_FAILED;
    }

    //
    // Questions come only while a handle listens, and go to the default
    // verdict when it is closed.
    //
    memset(&listen, 0, sizeof(listen));
    listen.Size = sizeof(listen);
    listen.Version = WOODGROVE_GUARD_INTERFACE_VERSION;
    error = CtlIoctl(session, IOCTL_WOODGROVE_GUARD_LISTEN, &listen, (DWORD)sizeof(listen), NULL, 0, &returned);
    if (error != ERROR_SUCCESS) {
        return CtlFailed(session, "cannot listen for questions", error);
    }
    session->Answering = TRUE;
    return CtlEventLoop(session);
}

int CtlRun(const CTL_TRANSPORT* transport, int argc, char** argv)
{
    CTL_SESSION session;
    const char* command;
    int exitCode;

    memset(&session, 0, sizeof(session));
    session.Transport = transport;
    if (argc < 2) {
        return CtlUsage(&session);
    }

    command = argv[1];
    argc -= 2;
    argv += 2;
    if (strcmp(command, "status") == 0 && argc == 0) {
        exitCode = CtlStatus(&session);
    } else if (strcmp(command, "events") == 0) {
        exitCode = CtlEvents(&session, argc, argv);
    } else if (strcmp(command, "enable") == 0 && argc == 1) {
        exitCode = CtlSetCallout(&session, argv[0], TRUE);
    } else if (strcmp(command, "disable") == 0 && argc == 1) {
        exitCode = CtlSetCallout(&session, argv[0], FALSE);
    } else if (strcmp(command, "ask") == 0) {
        exitCode = CtlAsk(&session, argc, argv);
    } else {
        exitCode = CtlUsage(&session);
    }

    if (session.Open) {
        transport->Close(transport->Context);
    }
    return exitCode;
}
