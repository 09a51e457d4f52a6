/*
** wasi.c -- the WASI environment: creation, import resolution, and the
** bounds-checked view of guest memory every handler uses.
*/
#include <string.h>

#include "base/alloc.h"
#include "wasi/wasi.h"
#include "wasi/wasi_list.h"

#define EBB__WASI_DECL_(name, params, results)                                       \
  ebb_status_t ebb__wasi_##name(ebb_host_call_t *call, const uint64_t *a, uint64_t *r);
EBB__WASI_LIST(EBB__WASI_DECL_)
#undef EBB__WASI_DECL_

static const struct {
  const char *name, *params, *results;
  ebb_host_fn fn;
} wasi_funcs[] = {
#define EBB__WASI_ROW_(name, params, results) {#name, params, results, ebb__wasi_##name},
    EBB__WASI_LIST(EBB__WASI_ROW_)
#undef EBB__WASI_ROW_
};

#define NFUNCS (sizeof wasi_funcs / sizeof wasi_funcs[0])

static void free_strings(char **v, int n) {
  if (!v) return;
  for (int i = 0; i < n; i++) ebb__free(v[i]);
  ebb__free(v);
}

static char **copy_strings(int n, const char *const *src) {
  char **v = ebb__calloc((size_t)n + 1, sizeof *v);
  if (!v) return NULL;
  for (int i = 0; i < n; i++) {
    v[i] = ebb__strndup(src[i], strlen(src[i]));
    if (!v[i]) {
      free_strings(v, i);
      return NULL;
    }
  }
  return v;
}

ebb_wasi_t *ebb_wasi_new(ebb_store_t *store, const ebb_wasi_options_t *opts) {
  ebb_wasi_t *w = ebb__calloc(1, sizeof *w);
  if (!w) return NULL;
  w->store = store;
  w->argc = opts ? opts->argc : 0;
  w->envc = opts ? opts->envc : 0;
  w->argv = copy_strings(w->argc, opts ? opts->argv : NULL);
  w->envp = copy_strings(w->envc, opts ? opts->envp : NULL);
  w->funcs = ebb__calloc(NFUNCS, sizeof *w->funcs);
  if (!w->argv || !w->envp || !w->funcs) {
    ebb_wasi_delete(w);
    return NULL;
  }
  return w;
}

void ebb_wasi_delete(ebb_wasi_t *w) {
  if (!w) return;
  free_strings(w->argv, w->argc);
  free_strings(w->envp, w->envc);
  ebb__free(w->funcs); /* the functions themselves belong to the store */
  ebb__free(w);
}

static ebb_valkind_t kind_of(char c) { return c == 'I' ? EBB_I64 : EBB_I32; }

int ebb_wasi_resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                     ebb_extern_t *out) {
  ebb_wasi_t *w = data;
  if (strcmp(module, "wasi_snapshot_preview1") || kind != EBB_EXTERN_FUNC) return EBB_ENOTFOUND;
  for (size_t i = 0; i < NFUNCS; i++) {
    if (strcmp(wasi_funcs[i].name, name)) continue;
    if (!w->funcs[i]) {
      ebb_valkind_t p[8], r[2];
      uint32_t np = (uint32_t)strlen(wasi_funcs[i].params);
      uint32_t nr = (uint32_t)strlen(wasi_funcs[i].results);
      for (uint32_t k = 0; k < np; k++) p[k] = kind_of(wasi_funcs[i].params[k]);
      for (uint32_t k = 0; k < nr; k++) r[k] = kind_of(wasi_funcs[i].results[k]);
      w->funcs[i] = ebb_func_new_host(w->store, p, np, r, nr, wasi_funcs[i].fn, w);
      if (!w->funcs[i]) return EBB_ENOMEM;
    }
    out->kind = EBB_EXTERN_FUNC;
    out->of.func = w->funcs[i];
    return 0;
  }
  return EBB_ENOTFOUND;
}

uint8_t *ebb__wasi_mem(ebb_host_call_t *call, uint64_t ptr, uint64_t len) {
  ebb_memory_t *m = ebb_host_memory(call);
  if (!m) return NULL;
  size_t size = ebb_memory_size(m);
  if (ptr > size || len > size - ptr) return NULL;
  return ebb_memory_data(m) + ptr;
}
