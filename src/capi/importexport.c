/*
** importexport.c -- import and export types: names and an extern type,
** all owned by the record.
*/
#include <stdlib.h>

#include "capi/capi.h"

wasm_importtype_t *wasm_importtype_new(wasm_name_t *module, wasm_name_t *name,
                                       wasm_externtype_t *type) {
  wasm_importtype_t *t = type ? malloc(sizeof *t) : NULL;
  if (!t) {
    wasm_name_delete(module);
    wasm_name_delete(name);
    wasm_externtype_delete(type);
    return NULL;
  }
  t->module = *module;
  t->name = *name;
  t->type = type;
  return t;
}

void wasm_importtype_delete(wasm_importtype_t *t) {
  if (!t) return;
  wasm_name_delete(&t->module);
  wasm_name_delete(&t->name);
  wasm_externtype_delete(t->type);
  free(t);
}

wasm_importtype_t *wasm_importtype_copy(const wasm_importtype_t *t) {
  if (!t) return NULL;
  wasm_name_t module, name;
  wasm_name_copy(&module, &t->module);
  wasm_name_copy(&name, &t->name);
  return wasm_importtype_new(&module, &name, wasm_externtype_copy(t->type));
}

const wasm_name_t *wasm_importtype_module(const wasm_importtype_t *t) { return &t->module; }
const wasm_name_t *wasm_importtype_name(const wasm_importtype_t *t) { return &t->name; }
const wasm_externtype_t *wasm_importtype_type(const wasm_importtype_t *t) { return t->type; }

wasm_exporttype_t *wasm_exporttype_new(wasm_name_t *name, wasm_externtype_t *type) {
  wasm_exporttype_t *t = type ? malloc(sizeof *t) : NULL;
  if (!t) {
    wasm_name_delete(name);
    wasm_externtype_delete(type);
    return NULL;
  }
  t->name = *name;
  t->type = type;
  return t;
}

void wasm_exporttype_delete(wasm_exporttype_t *t) {
  if (!t) return;
  wasm_name_delete(&t->name);
  wasm_externtype_delete(t->type);
  free(t);
}

wasm_exporttype_t *wasm_exporttype_copy(const wasm_exporttype_t *t) {
  if (!t) return NULL;
  wasm_name_t name;
  wasm_name_copy(&name, &t->name);
  return wasm_exporttype_new(&name, wasm_externtype_copy(t->type));
}

const wasm_name_t *wasm_exporttype_name(const wasm_exporttype_t *t) { return &t->name; }
const wasm_externtype_t *wasm_exporttype_type(const wasm_exporttype_t *t) { return t->type; }
