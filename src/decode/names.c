/*
** names.c -- names (spec 5.2.4: UTF-8), custom sections (5.5.3) and the
** "name" custom section (spec 7.4.2.1, the appendix). The name section is
** read leniently, as other runtimes do: a malformed one is ignored, since
** it only serves messages. A custom section whose own name is malformed is
** still a malformed module.
*/
#include <string.h>

#include "base/alloc.h"
#include "base/vec.h"
#include "decode/decode_int.h"

bool ebb__utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    unsigned need;
    uint8_t lo = 0x80, hi = 0xBF; /* range of the first continuation byte */
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      if (c == 0xE0) lo = 0xA0; /* overlong */
      if (c == 0xED) hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      if (c == 0xF0) lo = 0x90; /* overlong */
      if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
    } else {
      return false; /* stray continuation, C0/C1 overlongs, F5..FF */
    }
    if (n - i - 1 < need) return false;
    if (s[i + 1] < lo || s[i + 1] > hi) return false;
    for (unsigned k = 2; k <= need; k++)
      if ((s[i + k] & 0xC0) != 0x80) return false;
    i += need + 1;
  }
  return true;
}

/* The lenient readers return 0, MALFORMED (r->why set where it matters)
** or EBB_ENOMEM, which is -1: hence not -1 for malformed. */
#define MALFORMED 1

/* Reads a name without reporting. */
static int read_name(ebb__reader *r, char **out, uint32_t *len) {
  const uint8_t *p0 = r->p, *s;
  uint32_t n;
  if (ebb__read_u32(r, &n)) return MALFORMED;
  if (n > (uint64_t)(r->end - p0)) {
    r->p = p0;
    ebb__fail(r, "length out of bounds");
    return MALFORMED;
  }
  if (ebb__read_bytes(r, n, &s)) return MALFORMED;
  if (!ebb__utf8_valid(s, n)) {
    r->p = p0;
    ebb__fail(r, "malformed UTF-8 encoding");
    return MALFORMED;
  }
  if (!(*out = ebb__strndup((const char *)s, n))) return EBB_ENOMEM;
  if (len) *len = n;
  return 0;
}

int ebb__dec_name(ebb__dec *d, ebb__reader *r, char **out, uint32_t *len) {
  int rc = read_name(r, out, len);
  if (rc == EBB_ENOMEM) return ebb__dec_nomem(d);
  return rc ? ebb__dec_rfail(d, r) : 0;
}

int ebb__dec_custom(ebb__dec *d, ebb__reader *r) {
  ebb__module *m = d->m;
  ebb__custom c;
  if (m->ncustoms == d->customs_cap &&
      ebb__vec_grow((void **)&m->customs, &d->customs_cap, m->ncustoms, 1, sizeof *m->customs))
    return ebb__dec_nomem(d);
  int rc = ebb__dec_name(d, r, &c.name, NULL);
  if (rc) return rc;
  c.start = ebb__reader_offset(r);
  c.size = (uint32_t)(r->end - r->p);
  m->customs[m->ncustoms++] = c;
  if (strcmp(c.name, "name") == 0 && !d->has_names) {
    d->has_names = true;
    d->names_start = c.start;
    d->names_end = c.start + c.size;
  }
  r->p = r->end;
  return 0;
}

/* Subsection 1: a name map from function indices to names. Returns 0,
** MALFORMED or EBB_ENOMEM. */
static int func_names(ebb__module *m, ebb__reader *r) {
  uint32_t n, idx;
  if (ebb__read_u32(r, &n) || n > (uint64_t)(r->end - r->p)) return MALFORMED;
  if (!m->func_names && !(m->func_names = ebb__calloc(m->nfuncs, sizeof *m->func_names)))
    return EBB_ENOMEM;
  for (uint32_t i = 0; i < n; i++) {
    char *s;
    if (ebb__read_u32(r, &idx)) return MALFORMED;
    int rc = read_name(r, &s, NULL);
    if (rc) return rc;
    if (idx >= m->nfuncs) {
      ebb__free(s);
      return MALFORMED;
    }
    ebb__free(m->func_names[idx]); /* a repeated index: the last one wins */
    m->func_names[idx] = s;
  }
  return 0;
}

static int parse_names(ebb__module *m, ebb__reader *r) {
  while (!ebb__reader_eof(r)) {
    uint8_t id;
    uint32_t size;
    int rc = 0;
    if (ebb__read_u8(r, &id) || ebb__read_u32(r, &size) || size > (uint64_t)(r->end - r->p))
      return MALFORMED;
    ebb__reader sr;
    ebb__reader_init(&sr, r->base, r->p, r->p + size);
    r->p += size;
    if (id == 0) {
      ebb__free(m->name);
      m->name = NULL;
      rc = read_name(&sr, &m->name, NULL);
    } else if (id == 1) {
      rc = func_names(m, &sr);
    } else {
      continue; /* local names and later extensions: not used */
    }
    if (rc) return rc;
    if (!ebb__reader_eof(&sr)) return MALFORMED;
  }
  return 0;
}

int ebb__dec_names(ebb__dec *d) {
  ebb__module *m = d->m;
  if (!d->has_names) return 0;
  ebb__reader r;
  ebb__reader_init(&r, m->bytes, m->bytes + d->names_start, m->bytes + d->names_end);
  int rc = parse_names(m, &r);
  if (rc == 0) return 0;
  /* Malformed: forget everything it gave. */
  ebb__free(m->name);
  m->name = NULL;
  if (m->func_names)
    for (uint32_t i = 0; i < m->nfuncs; i++) ebb__free(m->func_names[i]);
  ebb__free(m->func_names);
  m->func_names = NULL;
  return rc == EBB_ENOMEM ? ebb__dec_nomem(d) : 0;
}
