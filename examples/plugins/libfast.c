/* A native plugin over loadr's byte ABI (docs/plugins.md "The ABI"): the same C signatures a
 * WebAssembly build would export. TRUSTED CODE: it runs inside loadr's process. Build with
 * build.sh (gcc -shared -fPIC); loadr finds libfast-<os>-<arch>.<ext> or libfast.<ext> beside the
 * path the plan names.
 *
 *   fnv (raw)   ${fnv(vars.user)}: the 32-bit FNV-1a hash of the input, as 8 hex digits
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The output of the last call; valid until the next call on the same thread. */
static _Thread_local uint8_t out[64];

static const char MANIFEST[] = "{\"apiVersion\":1,\"name\":\"fast\",\"functions\":{\"fnv\":{\"encoding\":\"raw\"}}}";

uint8_t *loadr_manifest(const uint8_t *in, size_t in_len, size_t *out_len) {
  (void)in;
  (void)in_len;
  *out_len = sizeof MANIFEST - 1;
  return (uint8_t *)MANIFEST;
}

uint8_t *fnv(const uint8_t *in, size_t in_len, size_t *out_len) {
  uint32_t hash = 2166136261u;
  for (size_t i = 0; i < in_len; i++) {
    hash ^= in[i];
    hash *= 16777619u;
  }
  static const char HEX[] = "0123456789abcdef";
  for (int i = 0; i < 8; i++) out[i] = (uint8_t)HEX[(hash >> (28 - 4 * i)) & 0xf];
  *out_len = 8;
  return out;
}
