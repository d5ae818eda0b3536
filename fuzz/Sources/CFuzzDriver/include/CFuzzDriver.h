#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver (compiler-rt, linked in by -sanitize=fuzzer). SwiftPM links an executable
// target's `main` to `<Target>_main` on Linux, so libFuzzer's own `main` is never linked: each
// target's `<Target>_main` calls this instead.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
