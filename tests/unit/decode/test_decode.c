/*
** test_decode.c -- ebb__decode on hand-made binaries: what each section
** fills in, and the malformed cases with their messages and offsets.
*/
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "check.h"
#include "decode/module.h"

/* ---- A byte builder: header + sections with computed sizes ---- */

typedef struct {
  uint8_t b[8192];
  size_t n;
} buf;

static void put(buf *o, const uint8_t *p, size_t n) {
  memcpy(o->b + o->n, p, n);
  o->n += n;
}

static void put_uleb(buf *o, uint32_t v) {
  do {
    uint8_t c = v & 0x7f;
    v >>= 7;
    if (v) c |= 0x80;
    o->b[o->n++] = c;
  } while (v);
}

static void header(buf *o) {
  o->n = 0;
  put(o, (const uint8_t *)"\0asm\1\0\0\0", 8);
}

static void section(buf *o, uint8_t id, const uint8_t *p, size_t n) {
  o->b[o->n++] = id;
  put_uleb(o, (uint32_t)n);
  put(o, p, n);
}

#define BYTES(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})
#define SEC(o, id, ...) section((o), (id), BYTES(__VA_ARGS__))

/* Common prefixes: one type () -> (), one function of it. */
#define TYPE_VOID(o) SEC(o, 1, 0x01, 0x60, 0x00, 0x00)
#define FUNC_1(o) SEC(o, 3, 0x01, 0x00)
#define CODE_NOP(o) SEC(o, 10, 0x01, 0x02, 0x00, 0x0b)

static ebb_error_t err;

static ebb__module *ok(const buf *o) {
  ebb__module *m = NULL;
  memset(&err, 0, sizeof err);
  int rc = ebb__decode(o->b, o->n, &m, &err);
  if (rc) fprintf(stderr, "unexpected failure: %s\n", err.message);
  CHECK_EQ_INT(rc, 0);
  CHECK(rc != 0 || m != NULL);
  return m;
}

/* Expects EBB_EMALFORMED with `why` in the message; returns the message. */
static const char *bad_raw(const uint8_t *b, size_t n, const char *why) {
  ebb__module *m = (ebb__module *)1;
  memset(&err, 0, sizeof err);
  int rc = ebb__decode(b, n, &m, &err);
  CHECK_EQ_INT(rc, EBB_EMALFORMED);
  CHECK_EQ_INT(err.code, EBB_EMALFORMED);
  CHECK(m == NULL);
  CHECK_STR_CONTAINS(err.message, why);
  return err.message;
}

static const char *bad(const buf *o, const char *why) { return bad_raw(o->b, o->n, why); }

/* ---- The module of everything.wat (wat2wasm --enable-threads --debug-names) ---- */

static const uint8_t everything[] = {
#include "everything.inc"
};

static void test_everything(void) {
  buf o;
  memcpy(o.b, everything, sizeof everything);
  o.n = sizeof everything;
  ebb__module *m = ok(&o);
  if (!m) return;
  CHECK(m->size == sizeof everything && memcmp(m->bytes, everything, m->size) == 0);
  CHECK(m->bytes != everything); /* a copy */

  CHECK_EQ_INT(m->ntypes, 2);
  CHECK_EQ_INT(m->types[0].nparams, 2);
  CHECK_EQ_INT(m->types[0].nresults, 1);
  CHECK_EQ_INT(EBB__PARAMS(&m->types[0])[0], EBB__I32);
  CHECK_EQ_INT(EBB__PARAMS(&m->types[0])[1], EBB__I64);
  CHECK_EQ_INT(EBB__RESULTS(&m->types[0])[0], EBB__F32);
  CHECK_EQ_INT(m->types[1].nparams + m->types[1].nresults, 0);

  CHECK_EQ_INT(m->nimports, 4);
  CHECK(strcmp(m->imports[0].module, "env") == 0 && m->imports[0].module_len == 3);
  CHECK(strcmp(m->imports[0].name, "f") == 0 && m->imports[0].name_len == 1);
  CHECK_EQ_INT(m->imports[0].kind, EBB_EXTERN_FUNC);
  CHECK_EQ_INT(m->imports[0].as.func_type, 1);
  CHECK_EQ_INT(m->imports[1].kind, EBB_EXTERN_TABLE);
  CHECK_EQ_INT(m->imports[1].as.table.elem, EBB__FUNCREF);
  CHECK_EQ_INT(m->imports[1].as.table.limits.min, 1);
  CHECK_EQ_INT(m->imports[1].as.table.limits.max, 10);
  CHECK(m->imports[1].as.table.limits.has_max);
  CHECK_EQ_INT(m->imports[2].kind, EBB_EXTERN_MEMORY);
  CHECK(m->imports[2].as.mem.limits.shared && m->imports[2].as.mem.limits.has_max);
  CHECK_EQ_INT(m->imports[2].as.mem.limits.max, 2);
  CHECK_EQ_INT(m->imports[3].kind, EBB_EXTERN_GLOBAL);
  CHECK_EQ_INT(m->imports[3].as.global.type, EBB__I32);
  CHECK(m->imports[3].as.global.mutable_);

  /* Index spaces: imports first. */
  CHECK_EQ_INT(m->nfuncs, 2);
  CHECK_EQ_INT(m->nimported_funcs, 1);
  CHECK_EQ_INT(m->func_types[0], 1);
  CHECK_EQ_INT(m->func_types[1], 0);
  CHECK_EQ_INT(m->ntables, 2);
  CHECK_EQ_INT(m->nimported_tables, 1);
  CHECK_EQ_INT(m->tables[0].elem, EBB__FUNCREF);
  CHECK_EQ_INT(m->tables[1].elem, EBB__EXTERNREF);
  CHECK_EQ_INT(m->tables[1].limits.min, 2);
  CHECK(!m->tables[1].limits.has_max);
  CHECK_EQ_INT(m->nmems, 1);
  CHECK_EQ_INT(m->nimported_mems, 1);
  CHECK(m->mems[0].limits.shared);
  CHECK_EQ_INT(m->nglobals, 2);
  CHECK_EQ_INT(m->nimported_globals, 1);
  CHECK_EQ_INT(m->global_types[0].type, EBB__I32);
  CHECK_EQ_INT(m->global_types[1].type, EBB__I64);
  CHECK(!m->global_types[1].mutable_);
  /* (i64.const 7) end */
  CHECK_EQ_INT(m->globaldefs[0].init.end - m->globaldefs[0].init.start, 3);
  CHECK(memcmp(m->bytes + m->globaldefs[0].init.start, "\x42\x07\x0b", 3) == 0);

  /* The function: (local i32 i32 f64) local.get 0 drop f32.const 1 end. */
  const ebb__funcdef *f = &m->funcdefs[0];
  CHECK_EQ_INT(f->type, 0);
  CHECK_EQ_INT(f->nlocals, 3);
  /* Kept as runs: (i32 x2) (f64). */
  CHECK_EQ_INT(f->nruns, 2);
  CHECK(ebb__local_type(m, f, 0) == EBB__I32 && ebb__local_type(m, f, 1) == EBB__I32 &&
        ebb__local_type(m, f, 2) == EBB__F64);
  CHECK_EQ_INT(m->bytes[f->body_start], 0x0e); /* the body's size */
  CHECK_EQ_INT(f->code_start, f->body_start + 6);
  CHECK_EQ_INT(f->code_end, f->body_start + 1 + 0x0e);
  CHECK_EQ_INT(m->bytes[f->code_start], 0x20);
  CHECK_EQ_INT(m->bytes[f->code_end - 1], 0x0b);

  CHECK_EQ_INT(m->nexports, 2);
  CHECK(strcmp(m->exports[0].name, "run") == 0);
  CHECK_EQ_INT(m->exports[0].kind, EBB_EXTERN_FUNC);
  CHECK_EQ_INT(m->exports[0].index, 1);
  CHECK_EQ_INT(m->exports[1].kind, EBB_EXTERN_MEMORY);
  CHECK(m->has_start);
  CHECK_EQ_INT(m->start, 0);

  CHECK_EQ_INT(m->nelems, 3);
  CHECK_EQ_INT(m->elems[0].mode, EBB__SEG_ACTIVE);
  CHECK_EQ_INT(m->elems[0].table, 0);
  CHECK_EQ_INT(m->elems[0].count, 1);
  CHECK(m->elems[0].funcs && !m->elems[0].exprs);
  CHECK_EQ_INT(m->elems[0].funcs[0], 1);
  CHECK_EQ_INT(m->bytes[m->elems[0].offset.start], 0x41);
  CHECK_EQ_INT(m->elems[1].mode, EBB__SEG_PASSIVE);
  CHECK_EQ_INT(m->elems[1].count, 2);
  CHECK_EQ_INT(m->elems[1].type, EBB__FUNCREF);
  CHECK_EQ_INT(m->elems[2].mode, EBB__SEG_DECLARATIVE);

  CHECK(!m->has_datacount);
  CHECK_EQ_INT(m->ndatas, 2);
  CHECK_EQ_INT(m->datas[0].mode, EBB__SEG_ACTIVE);
  CHECK_EQ_INT(m->datas[0].mem, 0);
  CHECK_EQ_INT(m->datas[0].size, 2);
  CHECK(memcmp(m->bytes + m->datas[0].start, "hi", 2) == 0);
  CHECK_EQ_INT(m->datas[1].mode, EBB__SEG_PASSIVE);
  CHECK(memcmp(m->bytes + m->datas[1].start, "passive", 7) == 0);

  CHECK_EQ_INT(m->ncustoms, 1);
  CHECK(strcmp(m->customs[0].name, "name") == 0);
  CHECK_EQ_INT(m->customs[0].start + m->customs[0].size, m->size);
  CHECK(m->name && strcmp(m->name, "everything") == 0);
  CHECK(ebb__module_func_name(m, 0) && strcmp(ebb__module_func_name(m, 0), "imp") == 0);
  CHECK(ebb__module_func_name(m, 1) && strcmp(ebb__module_func_name(m, 1), "run") == 0);
  CHECK(ebb__module_func_name(m, 2) == NULL);
  CHECK(ebb__module_func_name(NULL, 0) == NULL);

  CHECK_EQ_INT(m->section_offsets[1], 8);
  CHECK_EQ_INT(m->section_offsets[10], 0x77);
  CHECK_EQ_INT(m->section_offsets[12], 0);
  ebb__module_free(m);
}

/* ---- Header and section structure ---- */

static void test_header(void) {
  CHECK_STR_CONTAINS(bad_raw((const uint8_t *)"", 0, "unexpected end"), "header @0x0");
  bad_raw(BYTES(0x01), "unexpected end");
  bad_raw(BYTES(0x00, 0x61, 0x73), "unexpected end");
  bad_raw(BYTES('a', 's', 'm', 0x00), "magic header not detected");
  bad_raw(BYTES(0x00, 0x61, 0x73, 0x6d), "unexpected end");
  bad_raw(BYTES(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00), "unexpected end");
  CHECK_STR_CONTAINS(bad_raw(BYTES(0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00), "unknown binary version"),
                     "@0x4");
  buf o;
  header(&o);
  ebb__module *m = ok(&o);
  if (m) {
    CHECK_EQ_INT(m->nfuncs + m->ntypes + m->ncustoms, 0);
    CHECK(m->name == NULL && m->func_names == NULL);
    ebb__module_free(m);
  }
  ebb__module_free(NULL);
}

static void test_sections(void) {
  buf o;
  /* Ids above 12, including a LEB-looking 0x80. */
  header(&o);
  SEC(&o, 13, 0x00);
  CHECK_STR_CONTAINS(bad(&o, "malformed section id"), "@0x8");
  header(&o);
  o.b[o.n++] = 0x80;
  o.b[o.n++] = 0x00;
  bad(&o, "malformed section id");

  /* Repeated and misplaced sections. */
  header(&o);
  TYPE_VOID(&o);
  TYPE_VOID(&o);
  CHECK_STR_CONTAINS(bad(&o, "unexpected content after last section"), "section 1 (type) @0xe");
  header(&o);
  SEC(&o, 7, 0x00); /* export */
  TYPE_VOID(&o);
  bad(&o, "unexpected content after last section");
  /* The data count section goes between element and code... */
  header(&o);
  TYPE_VOID(&o);
  FUNC_1(&o);
  SEC(&o, 9, 0x00);
  SEC(&o, 12, 0x00);
  CODE_NOP(&o);
  SEC(&o, 11, 0x00);
  ebb__module *m = ok(&o);
  if (m) {
    CHECK(m->has_datacount);
    CHECK_EQ_INT(m->datacount, 0);
    ebb__module_free(m);
  }
  /* ...not after code. */
  header(&o);
  TYPE_VOID(&o);
  FUNC_1(&o);
  CODE_NOP(&o);
  SEC(&o, 12, 0x00);
  CHECK_STR_CONTAINS(bad(&o, "unexpected content after last section"), "section 12 (datacount)");
  /* Custom sections go anywhere, any number of times. */
  header(&o);
  SEC(&o, 0, 0x01, 'a');
  TYPE_VOID(&o);
  SEC(&o, 0, 0x01, 'b', 0xff, 0xfe);
  SEC(&o, 0, 0x00);
  m = ok(&o);
  if (m) {
    CHECK_EQ_INT(m->ncustoms, 3);
    CHECK(strcmp(m->customs[1].name, "b") == 0);
    CHECK_EQ_INT(m->customs[1].size, 2);
    CHECK_EQ_INT(m->bytes[m->customs[1].start], 0xff);
    CHECK_EQ_INT(m->customs[2].name[0], 0);
    ebb__module_free(m);
  }

  /* Sizes: too large for the file, too small or too large for contents. */
  header(&o);
  SEC(&o, 1, 0x02, 0x60, 0x00, 0x00);
  o.b[9] = 0x07;
  CHECK_STR_CONTAINS(bad(&o, "length out of bounds"), "@0x9");
  header(&o);
  SEC(&o, 1, 0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00); /* count 1, two types */
  bad(&o, "section size mismatch");
  header(&o);
  SEC(&o, 1, 0x02, 0x60, 0x00, 0x00); /* count 2, one type, then the end */
  bad(&o, "unexpected end");
  header(&o);
  SEC(&o, 1, 0x02, 0x60, 0x00, 0x00);
  SEC(&o, 0, 0x00); /* reading the second type runs on into the next section */
  bad(&o, "malformed function type");
  header(&o);
  SEC(&o, 1, 0x02, 0x60, 0x00, 0x00);
  put(&o, BYTES(0x60, 0x00, 0x00)); /* ...which here happens to be a type */
  bad(&o, "section size mismatch");
  header(&o);
  o.b[o.n++] = 0x01;
  o.b[o.n++] = 0x80; /* the size itself cut short */
  bad(&o, "unexpected end");
  header(&o);
  SEC(&o, 1, 0x00);
  o.b[9] = 0x81; /* a size encoded in 6 bytes */
  o.n = 8;
  put(&o, BYTES(0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00));
  bad(&o, "integer representation too long");
  /* Custom section names: empty section, bad UTF-8, too long. */
  header(&o);
  o.b[o.n++] = 0x00;
  o.b[o.n++] = 0x00; /* size 0: no room for the name's length */
  bad(&o, "unexpected end");
  header(&o);
  SEC(&o, 0, 0x02, 0xc0, 0x80);
  bad(&o, "malformed UTF-8 encoding");
  header(&o);
  SEC(&o, 0, 0x05, 'a', 'b');
  bad(&o, "length out of bounds");
}

/* ---- Contents ---- */

static void test_types(void) {
  buf o;
  header(&o);
  SEC(&o, 1, 0x01, 0x61, 0x00, 0x00);
  CHECK_STR_CONTAINS(bad(&o, "malformed function type"), "@0xb");
  header(&o);
  SEC(&o, 1, 0x01, 0xe0, 0x7f, 0x00, 0x00);
  bad(&o, "integer representation too long");
  header(&o);
  SEC(&o, 1, 0x01, 0x60, 0x01, 0x7a, 0x00);
  bad(&o, "malformed value type");
  header(&o);
  SEC(&o, 1, 0x01, 0x60, 0x00, 0x02, 0x7b, 0x6f); /* v128 and externref: well-formed */
  ebb__module *m = ok(&o);
  if (m) {
    CHECK_EQ_INT(m->types[0].nresults, 2);
    CHECK_EQ_INT(EBB__RESULTS(&m->types[0])[1], EBB__EXTERNREF);
    ebb__module_free(m);
  }
  /* Hostile count: four billion types in four bytes. */
  header(&o);
  SEC(&o, 1, 0xff, 0xff, 0xff, 0xff, 0x0f);
  CHECK_STR_CONTAINS(bad(&o, "length out of bounds"), "@0xa");
  /* More parameters than the limit (with the bytes to back it). */
  header(&o);
  {
    static uint8_t big[EBB__MAX_PARAMS + 16];
    size_t n = 0;
    big[n++] = 0x01;
    big[n++] = 0x60;
    uint32_t np = EBB__MAX_PARAMS + 1;
    big[n++] = (uint8_t)(0x80 | (np & 0x7f));
    big[n++] = (uint8_t)(np >> 7);
    memset(big + n, 0x7f, np);
    n += np;
    big[n++] = 0x00;
    section(&o, 1, big, n);
  }
  bad(&o, "too many parameters");
}

static void test_imports(void) {
  buf o;
  /* Kinds 4, 5 and 0x80 are not import kinds. */
  header(&o);
  SEC(&o, 2, 0x01, 0x00, 0x00, 0x04);
  CHECK_STR_CONTAINS(bad(&o, "malformed import kind"), "section 2 (import) @0xd");
  header(&o);
  SEC(&o, 2, 0x01, 0x00, 0x00, 0x80, 0x00);
  bad(&o, "malformed import kind");
  /* Names: UTF-8 (valid 2/3/4-byte, then the classic bad ones). */
  header(&o);
  SEC(&o, 2, 0x01, 0x09, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0x00, 0x00, 0x00);
  ebb__module *m = ok(&o);
  if (m) {
    CHECK_EQ_INT(m->imports[0].module_len, 9);
    CHECK(strcmp(m->imports[0].module, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") == 0);
    CHECK_EQ_INT(m->nimported_funcs, 1);
    ebb__module_free(m);
  }
  static const uint8_t utf8_bad[][4] = {
      {0xc0, 0x80},             /* overlong */
      {0xe0, 0x80, 0x80},       /* overlong */
      {0xed, 0xa0, 0x80},       /* surrogate */
      {0xf4, 0x90, 0x80, 0x80}, /* above U+10FFFF */
      {0xf5, 0x80, 0x80, 0x80}, /* invalid lead */
      {0x80},                   /* stray continuation */
      {0xe2, 0x82},             /* cut short */
      {0xc3, 0x41},             /* bad continuation */
  };
  static const uint8_t utf8_len[] = {2, 3, 3, 4, 4, 1, 2, 2};
  for (size_t i = 0; i < sizeof utf8_len; i++) {
    uint8_t c[16];
    size_t n = 0;
    c[n++] = 0x01;
    c[n++] = 0x00;
    c[n++] = utf8_len[i];
    memcpy(c + n, utf8_bad[i], utf8_len[i]);
    n += utf8_len[i];
    c[n++] = 0x00;
    c[n++] = 0x00;
    header(&o);
    section(&o, 2, c, n);
    CHECK_STR_CONTAINS(bad(&o, "malformed UTF-8 encoding"), "@0xc");
  }
  /* Name length beyond the end. */
  header(&o);
  SEC(&o, 2, 0x01, 0x00, 0x20, 'x');
  bad(&o, "length out of bounds");
  /* Limits flags: tables 0/1, memories 0-3 (2 = shared without maximum,
  ** left for the validator to reject). */
  header(&o);
  SEC(&o, 2, 0x01, 0x00, 0x00, 0x01, 0x70, 0x02, 0x00, 0x00);
  bad(&o, "integer too large");
  header(&o);
  SEC(&o, 2, 0x01, 0x00, 0x00, 0x02, 0x02, 0x05);
  m = ok(&o);
  if (m) {
    CHECK(m->mems[0].limits.shared && !m->mems[0].limits.has_max);
    CHECK_EQ_INT(m->mems[0].limits.min, 5);
    ebb__module_free(m);
  }
  header(&o);
  SEC(&o, 2, 0x01, 0x00, 0x00, 0x02, 0x04, 0x00);
  bad(&o, "integer too large");
  header(&o);
  SEC(&o, 2, 0x01, 0x00, 0x00, 0x02, 0x81, 0x00, 0x00);
  bad(&o, "integer representation too long");
  header(&o);
  SEC(&o, 2, 0x01, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00);
  bad(&o, "malformed reference type");
  /* Mutability. */
  header(&o);
  SEC(&o, 2, 0x01, 0x00, 0x00, 0x03, 0x7f, 0x02);
  CHECK_STR_CONTAINS(bad(&o, "malformed mutability"), "@0xf");
  header(&o);
  SEC(&o, 6, 0x01, 0x7f, 0xff, 0x41, 0x00, 0x0b);
  bad(&o, "malformed mutability");
  /* Too many imports, each well-formed. */
  {
    uint32_t n = EBB__MAX_IMPORTS + 1;
    size_t sz = 4 + (size_t)n * 4;
    uint8_t *c = malloc(sz);
    size_t k = 0;
    c[k++] = (uint8_t)(0x80 | (n & 0x7f));
    c[k++] = (uint8_t)(0x80 | ((n >> 7) & 0x7f));
    c[k++] = (uint8_t)(n >> 14);
    for (uint32_t i = 0; i < n; i++) {
      c[k++] = 0x00;
      c[k++] = 0x00;
      c[k++] = 0x00;
      c[k++] = 0x00;
    }
    uint8_t *w = malloc(16 + k);
    memcpy(w, "\0asm\1\0\0\0\2", 9);
    size_t wn = 9;
    uint32_t s = (uint32_t)k;
    do {
      uint8_t b = s & 0x7f;
      s >>= 7;
      w[wn++] = s ? (b | 0x80) : b;
    } while (s);
    memcpy(w + wn, c, k);
    wn += k;
    bad_raw(w, wn, "too many imports");
    free(w);
    free(c);
  }
}

static void test_functions(void) {
  buf o;
  /* Function and code counts. */
  header(&o);
  TYPE_VOID(&o);
  SEC(&o, 3, 0x02, 0x00, 0x00);
  CHECK_STR_CONTAINS(bad(&o, "function and code section have inconsistent lengths"), "section 3 (function)");
  header(&o);
  CODE_NOP(&o);
  CHECK_STR_CONTAINS(bad(&o, "function and code section have inconsistent lengths"), "section 10 (code)");
  header(&o);
  TYPE_VOID(&o);
  FUNC_1(&o);
  SEC(&o, 10, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b);
  bad(&o, "function and code section have inconsistent lengths");
  /* An empty code section and no function section is fine. */
  header(&o);
  SEC(&o, 10, 0x00);
  ebb__module *m = ok(&o);
  ebb__module_free(m);

  /* Bodies must end with `end`. */
  header(&o);
  TYPE_VOID(&o);
  FUNC_1(&o);
  SEC(&o, 10, 0x01, 0x03, 0x00, 0x41, 0x01);
  CHECK_STR_CONTAINS(bad(&o, "END opcode expected"), "@0x18");
  header(&o);
  TYPE_VOID(&o);
  FUNC_1(&o);
  SEC(&o, 10, 0x01, 0x01, 0x00); /* locals only */
  bad(&o, "unexpected end");
  header(&o);
  TYPE_VOID(&o);
  FUNC_1(&o);
  SEC(&o, 10, 0x01, 0x00); /* not even locals */
  bad(&o, "unexpected end");
  header(&o);
  TYPE_VOID(&o);
  FUNC_1(&o);
  SEC(&o, 10, 0x01, 0x05, 0x00, 0x0b); /* body longer than the binary */
  bad(&o, "length out of bounds");

  /* Locals: the limit counts parameters; four billion is rejected early. */
  header(&o);
  SEC(&o, 1, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x00);
  FUNC_1(&o);
  SEC(&o, 10, 0x01, 0x0a, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x02, 0x7e, 0x0b);
  CHECK_STR_CONTAINS(bad(&o, "too many locals"), "@0x18");
  uint32_t max = EBB__MAX_LOCALS - 2; /* with the 2 parameters: exactly the limit */
  uint8_t body[] = {0x06, 0x01, (uint8_t)(0x80 | (max & 0x7f)), (uint8_t)(0x80 | ((max >> 7) & 0x7f)),
                    (uint8_t)(max >> 14), 0x7c, 0x0b};
  uint8_t code[sizeof body + 1];
  code[0] = 0x01;
  memcpy(code + 1, body, sizeof body);
  header(&o);
  SEC(&o, 1, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x00);
  FUNC_1(&o);
  section(&o, 10, code, sizeof code);
  m = ok(&o);
  if (m) {
    CHECK_EQ_INT(m->funcdefs[0].nlocals, max);
    CHECK_EQ_INT(ebb__local_type(m, &m->funcdefs[0], max - 1), EBB__F64);
    CHECK_EQ_INT(m->funcdefs[0].nruns, 1);
    ebb__module_free(m);
  }
  code[3] = (uint8_t)(0x80 | ((max + 1) & 0x7f));
  header(&o);
  SEC(&o, 1, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x00);
  FUNC_1(&o);
  section(&o, 10, code, sizeof code);
  bad(&o, "too many locals");
  /* Runs: empty entries are dropped and neighbours of one type merged, so
  ** (i32) (0 x i64) (2 x i32) (f64) (f64) is two runs. */
  header(&o);
  TYPE_VOID(&o);
  FUNC_1(&o);
  SEC(&o, 10, 0x01, 0x0c, 0x05, 0x01, 0x7f, 0x00, 0x7e, 0x02, 0x7f, 0x01, 0x7c, 0x01, 0x7c, 0x0b);
  m = ok(&o);
  if (m) {
    const ebb__funcdef *fd = &m->funcdefs[0];
    CHECK_EQ_INT(fd->nlocals, 5);
    CHECK_EQ_INT(fd->nruns, 2);
    CHECK_EQ_INT(m->nlocal_runs, 2);
    for (uint32_t i = 0; i < 5; i++)
      CHECK_EQ_INT(ebb__local_type(m, fd, i), i < 3 ? EBB__I32 : EBB__F64);
    ebb__module_free(m);
  }
  /* A bad local type. */
  header(&o);
  TYPE_VOID(&o);
  FUNC_1(&o);
  SEC(&o, 10, 0x01, 0x04, 0x01, 0x01, 0x40, 0x0b);
  bad(&o, "malformed value type");
  /* A function whose type index is out of range decodes (the validator
  ** rejects it). */
  header(&o);
  TYPE_VOID(&o);
  SEC(&o, 3, 0x01, 0x09);
  SEC(&o, 10, 0x01, 0x04, 0x01, 0x01, 0x7f, 0x0b);
  m = ok(&o);
  if (m) {
    CHECK_EQ_INT(m->funcdefs[0].nlocals, 1);
    ebb__module_free(m);
  }
}

static void test_globals_exports(void) {
  buf o;
  /* Constant expressions are decoded, not typed: any instruction, nested
  ** blocks followed to their end. */
  header(&o);
  SEC(&o, 6, 0x02, 0x7f, 0x00, 0x02, 0x40, 0x41, 0x00, 0x0b, 0x0b, 0x7e, 0x01, 0x23, 0x00, 0x0b);
  ebb__module *m = ok(&o);
  if (m) {
    CHECK_EQ_INT(m->globaldefs[0].init.end - m->globaldefs[0].init.start, 6);
    CHECK_EQ_INT(m->globaldefs[1].init.end - m->globaldefs[1].init.start, 3);
    CHECK(m->global_types[1].mutable_);
    ebb__module_free(m);
  }
  header(&o);
  SEC(&o, 6, 0x01, 0x7f, 0x00, 0x41, 0x00); /* no end */
  bad(&o, "unexpected end");
  header(&o);
  SEC(&o, 6, 0x01, 0x7f, 0x00, 0xf3, 0x0b);
  CHECK_STR_CONTAINS(bad(&o, "illegal opcode"), "@0xd");
  header(&o);
  SEC(&o, 6, 0x01, 0x7b, 0x00, 0xfd, 0x0c, 0x0b); /* v128.const cut short */
  bad(&o, "unexpected end");
  header(&o);
  SEC(&o, 6, 0x01, 0x7b, 0x00, 0xfd, 0xa2, 0x01, 0x0b); /* no SIMD sub-opcode 0xa2 */
  bad(&o, "illegal opcode");
  header(&o);
  SEC(&o, 6, 0x01, 0x7f, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b);
  bad(&o, "integer representation too long");

  header(&o);
  SEC(&o, 7, 0x01, 0x01, 'a', 0x04, 0x00);
  CHECK_STR_CONTAINS(bad(&o, "malformed export kind"), "section 7 (export) @0xd");
  header(&o);
  SEC(&o, 7, 0x02, 0x01, 'a', 0x03, 0x00, 0x01, 'a', 0x00, 0x07); /* duplicates: valid's problem */
  m = ok(&o);
  if (m) {
    CHECK_EQ_INT(m->nexports, 2);
    CHECK_EQ_INT(m->exports[1].index, 7);
    ebb__module_free(m);
  }
  header(&o);
  SEC(&o, 8, 0x05);
  m = ok(&o);
  if (m) {
    CHECK(m->has_start && m->start == 5);
    ebb__module_free(m);
  }
  header(&o);
  SEC(&o, 8, 0x05, 0x00);
  bad(&o, "section size mismatch");
}

static void test_elems(void) {
  buf o;
  /* All eight forms, one segment each. */
  header(&o);
  SEC(&o, 9, 0x08,
      0x00, 0x41, 0x00, 0x0b, 0x01, 0x03,                         /* 0: active t0, funcs */
      0x01, 0x00, 0x02, 0x01, 0x02,                               /* 1: passive, funcs */
      0x02, 0x04, 0x41, 0x01, 0x0b, 0x00, 0x01, 0x05,             /* 2: active t4, funcs */
      0x03, 0x00, 0x01, 0x06,                                     /* 3: declarative, funcs */
      0x04, 0x41, 0x00, 0x0b, 0x02, 0xd2, 0x00, 0x0b, 0xd0, 0x70, 0x0b, /* 4: active, exprs */
      0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b,                         /* 5: passive, externref */
      0x06, 0x02, 0x41, 0x00, 0x0b, 0x70, 0x00,                   /* 6: active t2, none */
      0x07, 0x70, 0x01, 0xd2, 0x01, 0x0b);                        /* 7: declarative exprs */
  ebb__module *m = ok(&o);
  if (m) {
    CHECK_EQ_INT(m->nelems, 8);
    const ebb__elem *e = m->elems;
    CHECK(e[0].mode == EBB__SEG_ACTIVE && e[0].table == 0 && e[0].count == 1 && e[0].funcs[0] == 3);
    CHECK(e[1].mode == EBB__SEG_PASSIVE && e[1].count == 2 && e[1].funcs[1] == 2);
    CHECK(e[2].mode == EBB__SEG_ACTIVE && e[2].table == 4 && e[2].funcs[0] == 5);
    CHECK(e[2].offset.end - e[2].offset.start == 3);
    CHECK(e[3].mode == EBB__SEG_DECLARATIVE && e[3].funcs[0] == 6);
    CHECK(e[4].mode == EBB__SEG_ACTIVE && e[4].exprs && !e[4].funcs && e[4].count == 2);
    CHECK_EQ_INT(e[4].type, EBB__FUNCREF);
    CHECK(e[4].exprs[1].end - e[4].exprs[1].start == 3);
    CHECK(e[5].mode == EBB__SEG_PASSIVE && e[5].type == EBB__EXTERNREF && e[5].count == 1);
    CHECK(e[6].mode == EBB__SEG_ACTIVE && e[6].table == 2 && e[6].count == 0);
    CHECK(e[7].mode == EBB__SEG_DECLARATIVE && e[7].type == EBB__FUNCREF);
    ebb__module_free(m);
  }
  header(&o);
  SEC(&o, 9, 0x01, 0x08, 0x00);
  bad(&o, "malformed elements segment kind");
  header(&o);
  SEC(&o, 9, 0x01, 0x01, 0x01, 0x00);
  bad(&o, "malformed element kind");
  header(&o);
  SEC(&o, 9, 0x01, 0x05, 0x7f, 0x01, 0xd2, 0x00, 0x0b);
  bad(&o, "malformed reference type");
  header(&o);
  SEC(&o, 9, 0x01, 0x05, 0x70, 0x01, 0xf3, 0x00, 0x0b);
  bad(&o, "illegal opcode");
  header(&o);
  SEC(&o, 9, 0x01, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f);
  bad(&o, "length out of bounds");
}

static void test_data(void) {
  buf o;
  header(&o);
  SEC(&o, 12, 0x03);
  SEC(&o, 11, 0x03,
      0x00, 0x41, 0x08, 0x0b, 0x02, 'h', 'i',
      0x01, 0x00,
      0x02, 0x01, 0x41, 0x00, 0x0b, 0x01, 'x');
  ebb__module *m = ok(&o);
  if (m) {
    CHECK(m->has_datacount && m->datacount == 3);
    CHECK_EQ_INT(m->ndatas, 3);
    CHECK(m->datas[0].mode == EBB__SEG_ACTIVE && m->datas[0].mem == 0 && m->datas[0].size == 2);
    CHECK(m->datas[1].mode == EBB__SEG_PASSIVE && m->datas[1].size == 0);
    CHECK(m->datas[2].mode == EBB__SEG_ACTIVE && m->datas[2].mem == 1);
    CHECK_EQ_INT(m->bytes[m->datas[2].start], 'x');
    ebb__module_free(m);
  }
  header(&o);
  SEC(&o, 12, 0x02);
  SEC(&o, 11, 0x01, 0x01, 0x00);
  bad(&o, "data count and data section have inconsistent lengths");
  header(&o);
  SEC(&o, 12, 0x01); /* and no data section */
  CHECK_STR_CONTAINS(bad(&o, "data count and data section have inconsistent lengths"), "section 12 (datacount)");
  header(&o);
  SEC(&o, 11, 0x01, 0x03, 0x00);
  bad(&o, "malformed data segment kind");
  header(&o);
  SEC(&o, 11, 0x01, 0x01, 0x07, 'a', 'b', 'c', 'd', 'e', 'f');
  bad(&o, "unexpected end of section or function");
  header(&o);
  SEC(&o, 11, 0x01, 0x01, 0x05, 'a', 'b', 'c', 'd', 'e', 'f');
  bad(&o, "section size mismatch");
}

static void test_names(void) {
  buf o;
  /* Module name, function names for 2 functions (1 imported). */
  header(&o);
  TYPE_VOID(&o);
  SEC(&o, 2, 0x01, 0x00, 0x00, 0x00, 0x00);
  FUNC_1(&o);
  CODE_NOP(&o);
  SEC(&o, 0, 0x04, 'n', 'a', 'm', 'e',
      0x00, 0x02, 0x01, 'M',
      0x01, 0x07, 0x02, 0x00, 0x01, 'a', 0x01, 0x01, 'b',
      0x02, 0x01, 0x00); /* local names, skipped */
  ebb__module *m = ok(&o);
  if (m) {
    CHECK(m->name && strcmp(m->name, "M") == 0);
    CHECK(strcmp(ebb__module_func_name(m, 0), "a") == 0);
    CHECK(strcmp(ebb__module_func_name(m, 1), "b") == 0);
    ebb__module_free(m);
  }
  /* Malformed name sections are ignored: bad index, bad UTF-8, overrun. */
  static const uint8_t broken[][10] = {
      {0x01, 0x04, 0x01, 0x07, 0x01, 'x'},  /* function 7 does not exist */
      {0x01, 0x04, 0x01, 0x00, 0x01, 0xff}, /* bad UTF-8 */
      {0x01, 0x09, 0x01, 0x00, 0x01, 'x'},  /* subsection too long */
      {0x00, 0x02, 0x01, 'M', 0x01, 0x04, 0x01, 0x00, 0x05, 'x'},
  };
  static const size_t broken_len[] = {6, 6, 6, 10};
  for (size_t i = 0; i < 4; i++) {
    uint8_t c[32] = {0x04, 'n', 'a', 'm', 'e'};
    memcpy(c + 5, broken[i], broken_len[i]);
    header(&o);
    TYPE_VOID(&o);
    FUNC_1(&o);
    CODE_NOP(&o);
    section(&o, 0, c, 5 + broken_len[i]);
    m = ok(&o);
    if (m) {
      CHECK(m->name == NULL && m->func_names == NULL);
      CHECK(ebb__module_func_name(m, 0) == NULL);
      CHECK_EQ_INT(m->ncustoms, 1);
      ebb__module_free(m);
    }
  }
  /* A name section before the function section still names functions. */
  header(&o);
  TYPE_VOID(&o);
  SEC(&o, 0, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x04, 0x01, 0x00, 0x01, 'f');
  FUNC_1(&o);
  CODE_NOP(&o);
  m = ok(&o);
  if (m) {
    CHECK(ebb__module_func_name(m, 0) && strcmp(ebb__module_func_name(m, 0), "f") == 0);
    ebb__module_free(m);
  }
}

/* Every allocation failing in turn: ENOMEM, a clean *out, no leak. */
static void test_nomem(void) {
  int rc = -1;
  for (unsigned long n = 1; n < 1000 && rc != 0; n++) {
    ebb__module *m = (ebb__module *)1;
    memset(&err, 0, sizeof err);
    ebb__alloc_fail_after(n);
    rc = ebb__decode(everything, sizeof everything, &m, &err);
    ebb__alloc_fail_after(0);
    if (rc) {
      CHECK_EQ_INT(rc, EBB_ENOMEM);
      CHECK(m == NULL);
    } else {
      CHECK(n > 10);
      ebb__module_free(m);
    }
  }
  CHECK_EQ_INT(rc, 0);
}

int main(void) {
  test_everything();
  test_header();
  test_sections();
  test_types();
  test_imports();
  test_functions();
  test_globals_exports();
  test_elems();
  test_data();
  test_names();
  test_nomem();
  return CHECK_DONE();
}
