/* Test scaffolding for running posdesk's Windows exes under Wine 8 (Debian 12). NEVER ship it.
 *
 * Rust's standard library asks bcryptprimitives.dll for ProcessPrng at start; Wine 8 has no such
 * export, so the exe dies with STATUS_DLL_NOT_FOUND (c0000135). .ci/windows.sh builds this file as a
 * DLL named bcryptprimitives.dll and puts it beside the exe in a temporary folder only: it forwards
 * to advapi32's SystemFunction036 (RtlGenRandom), which Wine has.
 *
 * x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll processprng.c -ladvapi32 -Wl,--kill-at
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
