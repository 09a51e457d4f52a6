/*
** serialize.c -- wasm_module_serialize / deserialize. ebb compiles fast and
** its code holds pointers, so the serialized form is the module's binary
** behind a 16-byte header; deserializing compiles the binary again for the
** store's engine. The header catches what is not ours or was damaged:
**   0  "ebb\x01" magic      4  format version (1, little-endian)
**   8  binary length        12 FNV-1a hash of the binary
*/
#include <string.h>

#include "capi/capi.h"

#define HEADER 16u
#define VERSION 1u
static const char magic[4] = {'e', 'b', 'b', 1};

static uint32_t fnv1a(const uint8_t *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void wasm_module_serialize(const wasm_module_t *module, wasm_byte_vec_t *out) {
  const ebb__capi_modcore *c = EBB__CAPI_CH(module)->target;
  if (c->size > UINT32_MAX) {
    wasm_byte_vec_new_empty(out);
    return;
  }
  wasm_byte_vec_new_uninitialized(out, HEADER + c->size);
  if (!out->size) return;
  uint8_t *p = (uint8_t *)out->data;
  memcpy(p, magic, 4);
  put32(p + 4, VERSION);
  put32(p + 8, (uint32_t)c->size);
  put32(p + 12, fnv1a(c->bytes, c->size));
  memcpy(p + HEADER, c->bytes, c->size);
}

wasm_module_t *wasm_module_deserialize(wasm_store_t *s, const wasm_byte_vec_t *in) {
  if (!s || !in || !in->data || in->size < HEADER) return NULL;
  const uint8_t *p = (const uint8_t *)in->data;
  size_t size = in->size - HEADER;
  if (memcmp(p, magic, 4) || get32(p + 4) != VERSION || get32(p + 8) != size ||
      get32(p + 12) != fnv1a(p + HEADER, size))
    return NULL;
  return ebb__capi_module_compile(s, p + HEADER, size);
}
