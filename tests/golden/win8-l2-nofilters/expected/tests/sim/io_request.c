//
// io_request.c - requests and their METHOD_BUFFERED system buffers, completion
// (the I/O manager's copy back, Driver Verifier's Information check, the
// leak checks, including the twin run in a forked copy of the test), and the
// user's side of an IOCTL (SimDeviceIoControl, SimDeviceIoControlAsync,
// SimIoDone, SimIoCancel, SimIoFree). The rules are listed in io_open.c.
//

// fork, pipe and waitpid under -std=c11, before any system header.
#if defined(__unix__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE 1
#endif

#include "io_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__unix__) || defined(__APPLE__)
#define SIM_CAN_FORK 1
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#else
#define SIM_CAN_FORK 0
#endif

#define SIM_LEAK_RUN 3 // unwritten bytes in a row that count as a leak

//
// Requests and completion.
//
static UINT8 SimPattern(const SIM_REQUEST* request, ULONG offset)
{
    // Never zero and never a small number: what uninitialised pool holds,
    // different for every request.
    return (UINT8)(0xA1u + (offset * 13u + request->sequence * 7u) % 0x4Eu);
}

//
// METHOD_BUFFERED returns the first Information bytes of the system buffer.
// Those past the input that still hold the fill pattern were never written
// by the driver: stale pool content on Windows.
//
static void SimCheckLeak(const SIM_REQUEST* request, ULONG returned)
{
    ULONG run = 0;

    for (ULONG offset = request->inLength; offset < returned; offset++) {
        run = request->system[offset] == SimPattern(request, offset) ? run + 1 : 0;
        if (run == SIM_LEAK_RUN) {
            SimViolation("pool content leaked to user mode: IOCTL 0x%08lX returned %lu bytes, and bytes from offset "
                         "%lu on were never written by the driver (METHOD_BUFFERED: the system buffer is not zeroed, "
                         "\"Buffer Descriptions for I/O Control Codes\"): zero the output, padding included",
                         (unsigned long)request->code, (unsigned long)returned,
                         (unsigned long)(offset + 1 - SIM_LEAK_RUN));
        }
    }
}

void SimFinish(SIM_REQUEST* request, NTSTATUS status, const char* who)
{
    SIM_IO* io = request->io;
    ULONG returned = 0;

    if (!NT_ERROR(status) && !request->create) {
        // Driver Verifier's I/O verification and the I/O manager's copy of
        // Information bytes into the caller's buffer.
        if (request->information > request->outLength) {
            SimBugCheck("DRIVER_VERIFIER_IOMANAGER_VIOLATION: %s completed IOCTL 0x%08lX with Information %llu, more "
                        "than the %lu-byte output buffer: the I/O manager would copy past it",
                        who, (unsigned long)request->code, (unsigned long long)request->information,
                        (unsigned long)request->outLength);
        }
        returned = (ULONG)request->information;
        SimCheckLeak(request, returned);
    }
    if (io != NULL) {
        if (returned != 0) {
            RtlCopyMemory(io->out, request->system, returned);
        }
        io->status = status;
        io->returned = returned;
        io->done = TRUE;
        io->request = NULL;
    }
    if (request->presentedBy != NULL) {
        request->presentedBy->presented--;
        request->presentedBy = NULL;
    }
    request->state = SimRequestCompleted;
    request->status = status;
    request->queue = NULL;
    // The buffer goes back to the pool: a driver that keeps the pointer
    // touches freed memory (AddressSanitizer says so).
    free(request->system);
    request->system = NULL;
    SimTrace("io: IOCTL 0x%08lX completed by %s, status 0x%08lX, %lu bytes\n", (unsigned long)request->code, who,
             (unsigned long)(ULONG)status, (unsigned long)returned);
    if (request->file != NULL) {
        request->file->outstanding--;
        SimRunDeferredClose(request->file);
    }
}

NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST handle, size_t minimumRequiredLength, PVOID* buffer,
                                       size_t* length)
{
    SIM_REQUEST* request = SimOwnedRequestOf(handle, "WdfRequestRetrieveInputBuffer");

    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestRetrieveInputBuffer");
    *buffer = NULL;
    if (length != NULL) {
        *length = 0;
    }
    if (request->create) {
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    // STATUS_BUFFER_TOO_SMALL: no input buffer, or a shorter one than asked for.
    if (request->inLength == 0 || request->inLength < minimumRequiredLength) {
        return STATUS_BUFFER_TOO_SMALL;
    }
    *buffer = request->system;
    if (length != NULL) {
        *length = request->inLength;
    }
    return STATUS_SUCCESS;
}

NTSTATUS WdfRequestRetrieveOutputBuffer(WDFREQUEST handle, size_t minimumRequiredSize, PVOID* buffer,
                                        size_t* length)
{
    SIM_REQUEST* request = SimOwnedRequestOf(handle, "WdfRequestRetrieveOutputBuffer");

    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestRetrieveOutputBuffer");
    *buffer = NULL;
    if (length != NULL) {
        *length = 0;
    }
    if (request->create) {
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    if (request->outLength == 0 || request->outLength < minimumRequiredSize) {
        return STATUS_BUFFER_TOO_SMALL;
    }
    *buffer = request->system;
    if (length != NULL) {
        *length = request->outLength;
    }
    return STATUS_SUCCESS;
}

void WdfRequestSetInformation(WDFREQUEST handle, ULONG_PTR information)
{
    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestSetInformation");
    SimOwnedRequestOf(handle, "WdfRequestSetInformation")->information = information;
}

void WdfRequestComplete(WDFREQUEST handle, NTSTATUS status)
{
    SIM_REQUEST* request = SimOwnedRequestOf(handle, "WdfRequestComplete");

    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestComplete");
    SimFinish(request, status, "the driver");
}

void WdfRequestCompleteWithInformation(WDFREQUEST handle, NTSTATUS status, ULONG_PTR information)
{
    SIM_REQUEST* request = SimOwnedRequestOf(handle, "WdfRequestCompleteWithInformation");

    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestCompleteWithInformation");
    request->information = information;
    SimFinish(request, status, "the driver");
}

WDFFILEOBJECT WdfRequestGetFileObject(WDFREQUEST handle)
{
    SIM_REQUEST* request = SimRequestOf(handle, "WdfRequestGetFileObject");

    SimRequireIrql(DISPATCH_LEVEL, "WdfRequestGetFileObject");
    // Without a file object config the framework need not keep file
    // objects (WdfFileObjectNotRequired): the driver gets NULL.
    if (!request->device->init.hasFileConfig
        || request->device->init.fileConfig.FileObjectClass == WdfFileObjectNotRequired) {
        return NULL;
    }
    return (WDFFILEOBJECT)(void*)request->file;
}

//
// Runs the driver on the request with the system buffer filled with one
// pattern here and with its complement in a copy of this process (fork):
// the driver is deterministic, so a returned byte that differs between the
// two runs is one the driver never wrote, stale pool content on Windows.
// Exact, where the run-of-three check in SimCheckLeak is a heuristic; it
// applies when the request completes during the call. SIM_NO_FORK=1 turns
// it off (for a debugger).
//
typedef struct SIM_TWIN {
    BOOLEAN done;
    NTSTATUS status;
    ULONG returned;
} SIM_TWIN;

#if SIM_CAN_FORK
static BOOLEAN SimReadAll(int fd, void* buffer, size_t length)
{
    UINT8* at = buffer;

    while (length != 0) {
        ssize_t got = read(fd, at, length);

        if (got <= 0) {
            return FALSE;
        }
        at += got;
        length -= (size_t)got;
    }
    return TRUE;
}

static void SimTwinRun(SIM_REQUEST* request, int fd)
{
    SIM_IO* io = request->io;
    SIM_TWIN twin = { FALSE, 0, 0 };
    int null = open("/dev/null", O_WRONLY);
    ULONG size = request->inLength > request->outLength ? request->inLength : request->outLength;

    // The twin says nothing: the run that counts is the parent's.
    if (null >= 0) {
        dup2(null, 1);
        dup2(null, 2);
    }
    for (ULONG offset = request->inLength; offset < size; offset++) {
        request->system[offset] = (UINT8)~SimPattern(request, offset);
    }
    SimIoPump();
    twin.done = io->done;
    twin.status = io->status;
    twin.returned = io->returned;
    if (write(fd, &twin, sizeof(twin)) != (ssize_t)sizeof(twin)) {
        _exit(1);
    }
    if (twin.done && twin.returned != 0 && write(fd, io->out, twin.returned) != (ssize_t)twin.returned) {
        _exit(1);
    }
    _exit(0);
}

static void SimDispatchTwice(SIM_REQUEST* request)
{
    SIM_IO* io = request->io;
    const char* off = getenv("SIM_NO_FORK");
    SIM_TWIN twin;
    UINT8* twinOut;
    int fds[2];
    pid_t child;
    BOOLEAN received;

    if ((off != NULL && strcmp(off, "0") != 0) || request->outLength <= request->inLength || pipe(fds) != 0) {
        SimIoPump();
        return;
    }
    fflush(stdout);
    fflush(stderr);
    child = fork();
    if (child == 0) {
        close(fds[0]);
        SimTwinRun(request, fds[1]);
    }
    close(fds[1]);
    SimIoPump();
    twinOut = SimIoAlloc(request->outLength);
    received = child > 0 && SimReadAll(fds[0], &twin, sizeof(twin))
        && (!twin.done || twin.returned == 0 || SimReadAll(fds[0], twinOut, twin.returned));
    close(fds[0]);
    if (child > 0) {
        (void)waitpid(child, NULL, 0);
    }
    if (received && io->done && twin.done && twin.returned == io->returned) {
        for (ULONG offset = request->inLength; offset < io->returned; offset++) {
            if (io->out[offset] != twinOut[offset]) {
                free(twinOut);
                SimViolation("pool content leaked to user mode: IOCTL 0x%08lX returned %lu bytes, and byte %lu was "
                             "never written by the driver (METHOD_BUFFERED: the system buffer is not zeroed, "
                             "\"Buffer Descriptions for I/O Control Codes\"): zero the output, padding included",
                             (unsigned long)request->code, (unsigned long)io->returned, (unsigned long)offset);
            }
        }
    }
    free(twinOut);
}
#else
static void SimDispatchTwice(SIM_REQUEST* request)
{
    UNREFERENCED_PARAMETER(request);
    SimIoPump();
}
#endif

NTSTATUS SimDeviceIoControlAsync(SIM_HANDLE* h, ULONG code, const void* in, ULONG inLength, ULONG outLength,
                                 SIM_IO** io)
{
    SIM_HANDLE* file;
    SIM_REQUEST* request;
    SIM_IO* started;
    ULONG required = (code >> 14) & 3;

    SimUserCall();
    file = SimUserHandle(h, "SimDeviceIoControlAsync");
    *io = NULL;
    if (file->device->deleted || !SimDriverIsLoaded()) {
        return STATUS_DELETE_PENDING;
    }
    // The I/O manager checks the code's RequiredAccess against the handle
    // before the driver sees the request ("Defining I/O Control Codes").
    if ((required & ~file->granted) != 0) {
        return STATUS_ACCESS_DENIED;
    }
    if (METHOD_FROM_CTL_CODE(code) != METHOD_BUFFERED) {
        SimBugCheck("the simulation runs METHOD_BUFFERED IOCTLs only (IOCTL 0x%08lX)", (unsigned long)code);
    }
    if (in == NULL && inLength != 0) {
        SimBugCheck("the test passed no input buffer but a length of %lu", (unsigned long)inLength);
    }
    started = SimIoAlloc(sizeof(*started));
    started->out = SimIoAlloc(outLength);
    started->outLength = outLength;
    SimListAdd(&SimIos, started);

    request = SimIoAlloc(sizeof(*request));
    request->magic = SIM_REQUEST_MAGIC;
    request->device = file->device;
    request->file = file;
    request->io = started;
    request->code = code;
    request->inLength = inLength;
    request->outLength = outLength;
    request->sequence = ++SimRequestSequence;
    // One system buffer of the larger size: the input copied in, the rest
    // whatever the pool held ("Buffer Descriptions for I/O Control Codes").
    if (inLength != 0 || outLength != 0) {
        ULONG size = inLength > outLength ? inLength : outLength;

        request->system = SimIoAlloc(size);
        for (ULONG offset = 0; offset < size; offset++) {
            request->system[offset] = SimPattern(request, offset);
        }
        if (inLength != 0) {
            RtlCopyMemory(request->system, in, inLength);
        }
    }
    SimListAdd(&SimRequests, request);
    started->request = request;
    file->outstanding++;
    *io = started;

    if (file->device->defaultQueue == NULL || file->device->defaultQueue->deleted) {
        SimFinish(request, STATUS_INVALID_DEVICE_REQUEST, "the framework (no default queue)");
    } else if (file->device->defaultQueue->purged) {
        SimFinish(request, STATUS_INVALID_DEVICE_STATE, "the framework (the default queue is purged)");
    } else {
        SimEnqueue(request, file->device->defaultQueue);
        SimDispatchTwice(request);
    }
    return started->done ? started->status : STATUS_PENDING;
}

NTSTATUS SimDeviceIoControl(SIM_HANDLE* h, ULONG code, const void* in, ULONG inLength, void* out, ULONG outLength,
                            ULONG* returned)
{
    SIM_IO* io;
    NTSTATUS status = SimDeviceIoControlAsync(h, code, in, inLength, outLength, &io);

    if (returned != NULL) {
        *returned = 0;
    }
    if (io == NULL) {
        return status;
    }
    if (!io->done) {
        // Still pending: the I/O stays with the simulation until the reset.
        io->detached = TRUE;
        return STATUS_PENDING;
    }
    if (io->returned != 0) {
        RtlCopyMemory(out, io->out, io->returned);
    }
    if (returned != NULL) {
        *returned = io->returned;
    }
    status = io->status;
    SimIoFree(io);
    return status;
}

static SIM_IO* SimUserIo(SIM_IO* io, const char* api)
{
    if (!SimListHas(&SimIos, io)) {
        SimBugCheck("the test called %s with an I/O that is not outstanding", api);
    }
    return io;
}

BOOLEAN SimIoDone(SIM_IO* io, NTSTATUS* status, const void** out, ULONG* returned)
{
    SimUserCall();
    SimUserIo(io, "SimIoDone");
    if (!io->done) {
        return FALSE;
    }
    if (status != NULL) {
        *status = io->status;
    }
    if (out != NULL) {
        *out = io->out;
    }
    if (returned != NULL) {
        *returned = io->returned;
    }
    return TRUE;
}

//
// CancelIoEx: a request waiting in a queue is cancelled now; one the driver
// owns completes whenever the driver completes it.
//
void SimIoCancel(SIM_IO* io)
{
    SimUserCall();
    SimUserIo(io, "SimIoCancel");
    if (io->done) {
        return;
    }
    io->request->cancelled = TRUE;
    if (io->request->state == SimRequestQueued) {
        SimCancelQueued(io->request);
    }
    SimUserCall();
}

void SimIoFree(SIM_IO* io)
{
    SimUserIo(io, "SimIoFree");
    if (!io->done) {
        SimBugCheck("the test freed an I/O that is still pending: cancel it and wait for it first");
    }
    for (ULONG i = 0; i < SimIos.count; i++) {
        if (SimIos.items[i] == io) {
            SimIos.items[i] = SimIos.items[--SimIos.count];
            break;
        }
    }
    SimReleaseIo(io);
}

