/*
 * bcryptprimitives.dll for Wine 8 (Debian 12), which lacks it: ProcessPrng,
 * the one function Rust's standard library imports from it (Windows 10 and
 * later ship the DLL), over advapi32's RtlGenRandom (SystemFunction036).
 * The release check builds it with the release toolchain's Zig and puts it
 * in the test's own Wine prefix; the provider executable is not changed.
 */
typedef unsigned char BOOLEAN;
typedef int BOOL;
typedef unsigned long ULONG;
typedef unsigned long long SIZE_T;
__declspec(dllimport) BOOLEAN __stdcall SystemFunction036(void *buffer, ULONG length);
__declspec(dllexport) BOOL __stdcall ProcessPrng(unsigned char *data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return 0;
        data += chunk;
        len -= chunk;
    }
    return 1;
}
BOOL __stdcall DllMainCRTStartup(void *module, ULONG reason, void *reserved) {
    (void)module; (void)reason; (void)reserved;
    return 1;
}
