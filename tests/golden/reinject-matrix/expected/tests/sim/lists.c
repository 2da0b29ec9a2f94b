//
// lists.c - the doubly linked lists of wdm.h (InitializeListHead and the
// routines beside it on Microsoft Learn), with the same semantics. The WDK
// has them as inline functions; its header, which the simulation shares with
// wfpgen's compile check, only declares them.
//

#include "sim_internal.h"

void InitializeListHead(LIST_ENTRY* head)
{
    head->Flink = head->Blink = head;
}

BOOLEAN IsListEmpty(const LIST_ENTRY* head)
{
    return (BOOLEAN)(head->Flink == head);
}

// The checked list routines of Windows fail fast on a corrupt list.
BOOLEAN RemoveEntryList(LIST_ENTRY* entry)
{
    LIST_ENTRY* next = entry->Flink;
    LIST_ENTRY* previous = entry->Blink;

    NT_ASSERT(next->Blink == entry && previous->Flink == entry);
    previous->Flink = next;
    next->Blink = previous;
    return (BOOLEAN)(previous == next);
}

LIST_ENTRY* RemoveHeadList(LIST_ENTRY* head)
{
    LIST_ENTRY* entry = head->Flink;

    RemoveEntryList(entry);
    return entry;
}

LIST_ENTRY* RemoveTailList(LIST_ENTRY* head)
{
    LIST_ENTRY* entry = head->Blink;

    RemoveEntryList(entry);
    return entry;
}

void InsertTailList(LIST_ENTRY* head, LIST_ENTRY* entry)
{
    LIST_ENTRY* last = head->Blink;

    NT_ASSERT(last->Flink == head);
    entry->Flink = head;
    entry->Blink = last;
    last->Flink = entry;
    head->Blink = entry;
}

void InsertHeadList(LIST_ENTRY* head, LIST_ENTRY* entry)
{
    LIST_ENTRY* first = head->Flink;

    NT_ASSERT(first->Blink == head);
    entry->Flink = first;
    entry->Blink = head;
    first->Blink = entry;
    head->Flink = entry;
}
