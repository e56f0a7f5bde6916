/* bcryptprimitives.dll for wine 8.0 (Debian 12), which has none: Go's
 * Windows runtime (since Go 1.24) loads it from system32 at start and takes
 * its random bytes from ProcessPrng. This one asks RtlGenRandom (advapi32's
 * SystemFunction036). Put only into the test's own wine prefix
 * (scripts/test-dist.sh); Windows 10 and later have the real one. */
#include <windows.h>

BOOLEAN NTAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
	while (length > 0) {
		ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, chunk))
			return FALSE;
		data += chunk;
		length -= chunk;
	}
	return TRUE;
}
