/*
** wasm_buf.h -- building module bytes in a unit test: a growing buffer,
** LEB128 numbers and sections, for modules too big or too regular to write
** in the text format (thousands of functions, operand stacks thousands deep).
*/
#ifndef EBB_TEST_WASM_BUF_H
#define EBB_TEST_WASM_BUF_H

#include <stdint.h>
#include <stdlib.h>

typedef struct buf {
  unsigned char *p;
  size_t len, cap;
} buf;

static void put(buf *b, unsigned char c) {
  if (b->len == b->cap) {
    b->cap = b->cap ? b->cap * 2 : 256;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
  }
  b->p[b->len++] = c;
}

static void uleb(buf *b, uint32_t v) {
  do {
    unsigned char c = v & 0x7f;
    v >>= 7;
    put(b, (unsigned char)(c | (v ? 0x80 : 0)));
  } while (v);
}

static void sleb(buf *b, int32_t v) {
  for (;;) {
    unsigned char c = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40))) {
      put(b, c);
      return;
    }
    put(b, c | 0x80);
  }
}

/* The magic number and version. */
static void wasm_header(buf *b) {
  static const unsigned char head[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  for (size_t i = 0; i < sizeof head; i++) put(b, head[i]);
}

static void section(buf *out, unsigned char id, const buf *body) {
  put(out, id);
  uleb(out, (uint32_t)body->len);
  for (size_t i = 0; i < body->len; i++) put(out, body->p[i]);
}

/* A code entry: the body's size, then the body. */
static void code_entry(buf *code, const buf *body) {
  uleb(code, (uint32_t)body->len);
  for (size_t i = 0; i < body->len; i++) put(code, body->p[i]);
}

#endif
