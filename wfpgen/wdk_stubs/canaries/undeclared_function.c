// A call to a function no header declares.
// expect: implicit-function-declaration
#include <ntddk.h>
#include <wdf.h>
#include <fwpsk.h>
#include <fwpmk.h>

void Canary(void)
{
    FwpsCalloutRegister9(NULL, NULL, NULL);
}
