//
// main.c - litwaremonitorctl.exe on Windows: the CTL_TRANSPORT over the control device
// of LitwareMonitor (LITWARE_MONITOR_USER_PATH), and main.
//
// The device is opened for overlapped I/O, so that requests the driver keeps
// pending (IOCTL_LITWARE_MONITOR_GET_EVENTS) can be waited for together with Ctrl-C.
// Ctrl-C only signals StopEvent; the waiting code then cancels its requests
// with CancelIoEx and waits for each to complete before freeing its buffer
// (Microsoft Learn: CancelIoEx, "the operation is not necessarily complete
// when CancelIoEx returns").
//

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

typedef struct WIN_TRANSPORT {
    HANDLE Device;
    HANDLE StopEvent; // set by Ctrl-C
} WIN_TRANSPORT;

struct CTL_IO {
    OVERLAPPED Overlapped;
    UCHAR* Buffer; // the output, right after the structure
};

static WIN_TRANSPORT Win = { INVALID_HANDLE_VALUE, NULL };

//
// Runs on a thread of its own (Microsoft Learn: HandlerRoutine callback
// function): it only wakes the waiting code.
//
static BOOL WINAPI WinCtrlHandler(DWORD type)
{
    if (type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT) {
        (void)SetEvent(Win.StopEvent);
        return TRUE;
    }
    return FALSE;
}

static DWORD WinOpen(void* context, DWORD access)
{
    WIN_TRANSPORT* win = context;

    win->Device = CreateFileW(LITWARE_MONITOR_USER_PATH, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    return win->Device == INVALID_HANDLE_VALUE ? GetLastError() : ERROR_SUCCESS;
}

static void WinClose(void* context)
{
    WIN_TRANSPORT* win = context;

    (void)CloseHandle(win->Device);
    win->Device = INVALID_HANDLE_VALUE;
}

//
// On a handle opened for overlapped I/O, every DeviceIoControl needs an
// OVERLAPPED; this one waits for the outcome at once.
//
static DWORD WinIoctl(void* context, DWORD code, const void* in, DWORD inLength,
                      void* out, DWORD outLength, DWORD* returned)
{
    WIN_TRANSPORT* win = context;
    OVERLAPPED overlapped;
    DWORD error = ERROR_SUCCESS;

    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (overlapped.hEvent == NULL) {
        return GetLastError();
    }
    if (!DeviceIoControl(win->Device, code, (void*)in, inLength, out, outLength, NULL, &overlapped) &&
        GetLastError() != ERROR_IO_PENDING) {
        error = GetLastError();
    } else if (!GetOverlappedResult(win->Device, &overlapped, returned, TRUE)) {
        error = GetLastError();
    }
    (void)CloseHandle(overlapped.hEvent);
    return error;
}

static void WinIoFree(void* context, CTL_IO* io)
{
    (void)context;
    (void)CloseHandle(io->Overlapped.hEvent);
    free(io);
}

static DWORD WinIoStart(void* context, DWORD code, DWORD outLength, CTL_IO** io)
{
    WIN_TRANSPORT* win = context;
    CTL_IO* started;
    DWORD error;

    started = calloc(1, sizeof(*started) + outLength);
    if (started == NULL) {
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    started->Overlapped.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (started->Overlapped.hEvent == NULL) {
        error = GetLastError();
        free(started);
        return error;
    }
    started->Buffer = (UCHAR*)(started + 1);
    //
    // Completed at once or pending, the event is set when it is done.
    //
    if (!DeviceIoControl(win->Device, code, NULL, 0, started->Buffer, outLength, NULL, &started->Overlapped) &&
        GetLastError() != ERROR_IO_PENDING) {
        error = GetLastError();
        WinIoFree(context, started);
        return error;
    }
    *io = started;
    return ERROR_SUCCESS;
}

static DWORD WinIoWait(void* context, CTL_IO** ios, DWORD count, DWORD* index)
{
    WIN_TRANSPORT* win = context;
    HANDLE events[MAXIMUM_WAIT_OBJECTS];
    DWORD waited;
    DWORD i;

    if (count + 1 > MAXIMUM_WAIT_OBJECTS) {
        return ERROR_INVALID_PARAMETER;
    }
    events[0] = win->StopEvent;
    for (i = 0; i < count; i++) {
        events[i + 1] = ios[i]->Overlapped.hEvent;
    }
    waited = WaitForMultipleObjects(count + 1, events, FALSE, INFINITE);
    if (waited == WAIT_OBJECT_0) {
        return ERROR_CANCELLED;
    }
    if (waited > WAIT_OBJECT_0 && waited <= WAIT_OBJECT_0 + count) {
        *index = waited - WAIT_OBJECT_0 - 1;
        return ERROR_SUCCESS;
    }
    return GetLastError();
}

static DWORD WinIoResult(void* context, CTL_IO* io, const void** out, DWORD* returned)
{
    WIN_TRANSPORT* win = context;

    *out = io->Buffer;
    *returned = 0;
    return GetOverlappedResult(win->Device, &io->Overlapped, returned, TRUE) ? ERROR_SUCCESS : GetLastError();
}

static void WinIoCancel(void* context, CTL_IO* io)
{
    WIN_TRANSPORT* win = context;

    //
    // ERROR_NOT_FOUND: it completed already.
    //
    (void)CancelIoEx(win->Device, &io->Overlapped);
}

static void WinWrite(void* context, CTL_STREAM stream, const char* text)
{
    (void)context;
    (void)fputs(text, stream == CTL_ERR ? stderr : stdout);
    (void)fflush(stream == CTL_ERR ? stderr : stdout);
}

int main(int argc, char** argv)
{
    CTL_TRANSPORT transport;


    Win.StopEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (Win.StopEvent == NULL || !SetConsoleCtrlHandler(WinCtrlHandler, TRUE)) {
        fprintf(stderr, "litwaremonitorctl: cannot set up Ctrl-C handling: error %lu\n", GetLastError());
        return CTL_EXIT_FAILED;
    }

    memset(&transport, 0, sizeof(transport));
    transport.Context = &Win;
    transport.Open = WinOpen;
    transport.Close = WinClose;
    transport.Ioctl = WinIoctl;
    transport.IoStart = WinIoStart;
    transport.IoWait = WinIoWait;
    transport.IoResult = WinIoResult;
    transport.IoCancel = WinIoCancel;
    transport.IoFree = WinIoFree;
    transport.Write = WinWrite;
    return CtlRun(&transport, argc, argv);
}
