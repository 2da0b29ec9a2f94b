//
// io_internal.h - what the simulated I/O modules (io_open.c, io_objects.c,
// io_queue.c, io_request.c) share: the objects behind the handles, where they
// live, and the functions one module calls in another.
//

#ifndef SIM_IO_INTERNAL_H
#define SIM_IO_INTERNAL_H

#include "sim_internal.h"

#define SIM_REQUEST_MAGIC 0x51524551u // "QERQ"
#define SIM_QUEUE_MAGIC 0x55455551u
#define SIM_HANDLE_MAGIC 0x454C4946u

typedef enum SIM_REQUEST_STATE { SimRequestQueued = 1, SimRequestOwned, SimRequestCompleted } SIM_REQUEST_STATE;

typedef struct SIM_IO_DEVICE SIM_IO_DEVICE;
typedef struct SIM_QUEUE SIM_QUEUE;

//
// The user's handle and the file object behind it: one handle per open.
//
struct SIM_HANDLE {
    ULONG magic;
    SIM_IO_DEVICE* device;
    ULONG granted;        // FILE_READ_DATA | FILE_WRITE_DATA
    BOOLEAN closed;       // the user closed the handle
    BOOLEAN cleanedUp;    // cleanup ran, and the framework cancelled the file's queued requests
    BOOLEAN closeDone;    // EvtFileClose ran (or there is none)
    ULONG outstanding;    // requests of this file not completed
    UINT64 processId;     // the process that opened it
};

typedef struct SIM_REQUEST {
    ULONG magic;
    SIM_IO_DEVICE* device;
    SIM_HANDLE* file;
    SIM_IO* io;
    ULONG code;
    ULONG inLength, outLength;
    UINT8* system;        // METHOD_BUFFERED: the system buffer, max(in, out) bytes
    ULONG sequence;
    SIM_REQUEST_STATE state;
    SIM_QUEUE* queue;     // the queue it waits in
    ULONGLONG order;      // arrival order in that queue
    SIM_QUEUE* presentedBy; // the dispatching queue it was presented from
    BOOLEAN cancelled;    // the user cancelled it
    BOOLEAN create;       // the create request of EvtDeviceFileCreate
    NTSTATUS status;      // how it was completed
    ULONG_PTR information;
} SIM_REQUEST;

struct SIM_IO {
    SIM_REQUEST* request;
    BOOLEAN done;
    BOOLEAN detached;     // SimDeviceIoControl pended it: nobody frees it but the reset
    NTSTATUS status;
    ULONG returned;
    UINT8* out;           // the user's output buffer
    ULONG outLength;
};

struct SIM_QUEUE {
    ULONG magic;
    SIM_IO_DEVICE* device;
    WDF_IO_QUEUE_CONFIG config;
    BOOLEAN deleted;
    BOOLEAN purged;       // not accepting requests until WdfIoQueueStart
    ULONG presented;      // presented and not yet completed or forwarded
};

struct SIM_IO_DEVICE {
    WDFDEVICE handle;
    BOOLEAN deleted;
    SIM_IO_INIT init;
    WCHAR link[SIM_IO_NAME]; // the link's last component, as user mode names it
    SIM_QUEUE* defaultQueue;
};

//
// Everything lives until the next boot, so a stale handle is recognised.
//
typedef struct SIM_LIST {
    void** items;
    ULONG count, capacity;
} SIM_LIST;

// io_objects.c: where everything lives (SimIoReset frees it).
extern SIM_LIST SimDevicesIo, SimRequests, SimQueues, SimHandles, SimIos;
extern UINT64 SimProcessId;
extern ULONG SimRequestSequence;
extern ULONGLONG SimQueueOrder;
void* SimIoAlloc(size_t size);
void SimListAdd(SIM_LIST* list, void* item);
BOOLEAN SimListHas(const SIM_LIST* list, const void* item);
void SimReleaseIo(void* item);
SIM_REQUEST* SimRequestOf(WDFREQUEST handle, const char* api);
SIM_REQUEST* SimOwnedRequestOf(WDFREQUEST handle, const char* api);
SIM_QUEUE* SimQueueOf(WDFQUEUE handle, const char* api);
SIM_HANDLE* SimFileOf(WDFFILEOBJECT handle, const char* api);
SIM_IO_DEVICE* SimIoDeviceOf(WDFDEVICE handle);

// io_open.c
void SimRunDeferredClose(SIM_HANDLE* file);
SIM_HANDLE* SimUserHandle(SIM_HANDLE* handle, const char* api);

// io_queue.c
void SimCancelQueued(SIM_REQUEST* request);
SIM_REQUEST* SimQueueHead(const SIM_QUEUE* queue, const SIM_HANDLE* file);
void SimEnqueue(SIM_REQUEST* request, SIM_QUEUE* queue);
void SimIoPump(void);
void SimUserCall(void);

// io_request.c
void SimFinish(SIM_REQUEST* request, NTSTATUS status, const char* who);

#endif
