/*
** module.c -- modules: compiled once (ebb_module_new_ex, with fuel metering
** when the engine asks for it), reflected as import and export types, and
** shared between threads. An ebb module is immutable and may be
** instantiated in any store from any thread, so sharing is reference
** counting: the shared token and every handle hold the same core.
*/
#include <stdlib.h>
#include <string.h>

#include "capi/capi.h"

/* A module's last release (core.c): the compiled module, the binary, the core. */
static void module_free(ebb__capi_core *base) {
  ebb__capi_modcore *c = (ebb__capi_modcore *)base;
  ebb_module_delete(c->module);
  free(c->bytes);
  free(c);
}

wasm_module_t *ebb__capi_module_compile(wasm_store_t *s, const uint8_t *bytes, size_t size) {
  if (!s || (!bytes && size)) return NULL;
  ebb__capi_modcore *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  ebb__capi_core_init(&c->base, module_free);
  c->bytes = malloc(size ? size : 1);
  ebb_module_options_t opts = {.fuel = s->engine->config.fuel, .max_bytes = 0};
  if (!c->bytes || ebb_module_new_ex(bytes, size, &opts, &c->module, NULL)) {
    free(c->bytes);
    free(c);
    return NULL;
  }
  if (size) memcpy(c->bytes, bytes, size);
  c->size = size;
  ebb__capi_handle *h = ebb__capi_handle_new(EBB__CAPI_MODULE, NULL, c);
  if (!h) module_free(&c->base);
  return (wasm_module_t *)h;
}

wasm_module_t *wasm_module_new(wasm_store_t *s, const wasm_byte_vec_t *binary) {
  if (!binary) return NULL;
  return ebb__capi_module_compile(s, (const uint8_t *)binary->data, binary->size);
}

bool wasm_module_validate(wasm_store_t *s, const wasm_byte_vec_t *binary) {
  if (!s || !binary || (!binary->data && binary->size)) return false;
  ebb_module_t *m = NULL;
  int rc = ebb_module_new((const uint8_t *)binary->data, binary->size, &m, NULL);
  ebb_module_delete(m);
  return rc == 0;
}

static const ebb__capi_modcore *core_of(const wasm_module_t *m) {
  return EBB__CAPI_CH(m)->target;
}

/* ---- Reflection ------------------------------------------------------------- */

static void name_of(wasm_name_t *out, const char *s, uint32_t len) {
  wasm_name_new(out, len, s);
}

void wasm_module_imports(const wasm_module_t *module, wasm_importtype_vec_t *out) {
  const ebb_module_t *m = core_of(module)->module;
  wasm_importtype_vec_new_uninitialized(out, ebb_module_import_count(m));
  for (uint32_t i = 0; i < out->size; i++) {
    ebb_extern_desc_t d;
    ebb_module_import_desc(m, i, &d);
    wasm_name_t mod, name;
    name_of(&mod, d.module, d.module_len);
    name_of(&name, d.name, d.name_len);
    out->data[i] = wasm_importtype_new(&mod, &name, ebb__capi_externtype_of(&d));
  }
}

void wasm_module_exports(const wasm_module_t *module, wasm_exporttype_vec_t *out) {
  const ebb_module_t *m = core_of(module)->module;
  wasm_exporttype_vec_new_uninitialized(out, ebb_module_export_count(m));
  for (uint32_t i = 0; i < out->size; i++) {
    ebb_extern_desc_t d;
    ebb_module_export_desc(m, i, &d);
    wasm_name_t name;
    name_of(&name, d.name, d.name_len);
    out->data[i] = wasm_exporttype_new(&name, ebb__capi_externtype_of(&d));
  }
}

/* ---- Sharing between threads --------------------------------------------- */

wasm_shared_module_t *wasm_module_share(const wasm_module_t *module) {
  wasm_shared_module_t *sh = module ? malloc(sizeof *sh) : NULL;
  if (!sh) return NULL;
  sh->core = EBB__CAPI_CH(module)->target;
  ebb__capi_core_retain(&sh->core->base);
  return sh;
}

void wasm_shared_module_delete(wasm_shared_module_t *sh) {
  if (!sh) return;
  ebb__capi_core_release(&sh->core->base);
  free(sh);
}

wasm_module_t *wasm_module_obtain(wasm_store_t *s, const wasm_shared_module_t *sh) {
  if (!s || !sh) return NULL;
  return (wasm_module_t *)ebb__capi_handle_new(EBB__CAPI_MODULE, NULL, sh->core);
}
