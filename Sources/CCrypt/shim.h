#ifndef TESSERA_CCRYPT_SHIM_H
#define TESSERA_CCRYPT_SHIM_H
#include <crypt.h>
#include <stdlib.h>
#include <string.h>

/// Zeroes memory in a way the compiler may not elide.
static inline void tsr_secure_zero(void *pointer, size_t count) {
    volatile unsigned char *bytes = (volatile unsigned char *)pointer;
    while (count--) {
        *bytes++ = 0;
    }
}

/// Runs crypt_rn(phrase, setting) with a zeroed struct crypt_data of its own (32 KiB on the
/// heap, scrubbed and freed before returning), so calls on different threads share nothing.
/// Copies the result into output and returns its length, or -1 when crypt_rn fails (it
/// returns NULL) or the result does not fit. Swift never sees struct crypt_data.
static inline int tsr_crypt(const char *phrase, const char *setting, void *output, size_t output_size) {
    struct crypt_data *data = calloc(1, sizeof(struct crypt_data));
    if (data == NULL) {
        return -1;
    }
    int length = -1;
    const char *result = crypt_rn(phrase, setting, data, (int)sizeof(struct crypt_data));
    if (result != NULL && result[0] != '*') {
        size_t count = strlen(result);
        if (count < output_size) {
            memcpy(output, result, count + 1);
            length = (int)count;
        }
    }
    tsr_secure_zero(data, sizeof(struct crypt_data));
    free(data);
    return length;
}

/// crypt_gensalt_rn(prefix, 0, NULL, 0, ...): the default cost, with salt bytes that
/// libxcrypt reads from the OS CSPRNG itself. Returns the setting's length, or -1.
static inline int tsr_crypt_gensalt(const char *prefix, void *output, size_t output_size) {
    const char *result = crypt_gensalt_rn(prefix, 0, NULL, 0, (char *)output, (int)output_size);
    if (result == NULL || result[0] == '*') {
        return -1;
    }
    return (int)strlen(result);
}

#endif
