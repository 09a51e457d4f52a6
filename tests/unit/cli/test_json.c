/*
** test_json.c -- the spectest runner's JSON reader: grammar, escapes, the
** accessors, and hostile input (truncation at every byte, deep nesting,
** garbage), which must fail cleanly and leak nothing.
*/
#include "../../../src/cli/json.c"

#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static ebb__json_t *parse(const char *s) {
  ebb__json_t *v;
  char err[200];
  if (ebb__json_parse(s, strlen(s), &v, err, sizeof err))
    return NULL;
  return v;
}

static int parses(const char *s) {
  ebb__json_t *v = parse(s);
  ebb__json_free(v);
  return v != NULL;
}

static void test_scalars(void) {
  ebb__json_t *v = parse(" 42 ");
  CHECK(v && v->type == EBB__JSON_NUMBER && v->u.number == 42);
  ebb__json_free(v);
  v = parse("-1.5e3");
  CHECK(v && v->type == EBB__JSON_NUMBER && v->u.number == -1500);
  ebb__json_free(v);
  v = parse("true");
  CHECK(v && v->type == EBB__JSON_BOOL && v->u.boolean);
  ebb__json_free(v);
  v = parse("false");
  CHECK(v && v->type == EBB__JSON_BOOL && !v->u.boolean);
  ebb__json_free(v);
  v = parse("null");
  CHECK(v && v->type == EBB__JSON_NULL);
  ebb__json_free(v);

  CHECK(!parses(""));
  CHECK(!parses("   "));
  CHECK(!parses("01"));
  CHECK(!parses("1."));
  CHECK(!parses(".5"));
  CHECK(!parses("1e"));
  CHECK(!parses("+1"));
  CHECK(!parses("-"));
  CHECK(!parses("tru"));
  CHECK(!parses("nul"));
  CHECK(!parses("1 2"));
  CHECK(!parses("NaN"));
  CHECK(parses("0"));
  CHECK(parses("-0.0e-0"));
}

static void test_strings(void) {
  ebb__json_t *v = parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"");
  CHECK(v && v->type == EBB__JSON_STRING);
  if (v)
    CHECK(!strcmp(v->u.string.data, "a\"b\\c/d\b\f\n\r\t"));
  ebb__json_free(v);

  /* \u escapes: ASCII, 2- and 3-byte UTF-8, a surrogate pair, NUL. */
  v = parse("\"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\\u0000x\"");
  CHECK(v && v->type == EBB__JSON_STRING);
  if (v) {
    const char want[] = "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\0x";
    CHECK_EQ_INT(v->u.string.len, sizeof want - 1);
    CHECK(!memcmp(v->u.string.data, want, sizeof want));
  }
  ebb__json_free(v);

  /* A lone surrogate is kept (WTF-8), not rejected. */
  v = parse("\"\\ud800z\"");
  CHECK(v && v->u.string.len == 4 && !memcmp(v->u.string.data, "\xed\xa0\x80z", 4));
  ebb__json_free(v);

  /* Raw UTF-8 passes through. */
  v = parse("\"\xc3\xa9\"");
  CHECK(v && v->u.string.len == 2);
  ebb__json_free(v);

  CHECK(!parses("\"abc"));
  CHECK(!parses("\"a\nb\""));
  CHECK(!parses("\"\\x\""));
  CHECK(!parses("\"\\u12\""));
  CHECK(!parses("\"\\u12g4\""));
  CHECK(!parses("\"\\"));
  CHECK(!parses("'a'"));
}

static void test_containers(void) {
  const char *text = "{\"commands\": [ {\"type\": \"module\", \"line\": 3, \"name\": \"$M\"},"
                     " {\"type\": \"register\", \"line\": 4.5, \"as\": \"M\"} ], "
                     "\"empty\": {}, \"none\": [], \"dup\": 1, \"dup\": 2}";
  ebb__json_t *v = parse(text);
  CHECK(v && v->type == EBB__JSON_OBJECT);
  const ebb__json_t *cmds = ebb__json_get(v, "commands");
  CHECK_EQ_INT(ebb__json_array_len(cmds), 2);
  const ebb__json_t *c0 = ebb__json_array_at(cmds, 0);
  size_t len = 0;
  const char *s = ebb__json_get_string(c0, "type", &len);
  CHECK(s && !strcmp(s, "module") && len == 6);
  long line = 0;
  CHECK(ebb__json_get_long(c0, "line", &line) && line == 3);
  CHECK(!ebb__json_get_long(c0, "type", &line));
  CHECK(!ebb__json_get_long(ebb__json_array_at(cmds, 1), "line", &line)); /* 4.5 */
  CHECK(!ebb__json_get_string(c0, "line", NULL));
  CHECK(!ebb__json_get_string(c0, "missing", NULL));
  CHECK(ebb__json_array_at(cmds, 2) == NULL);
  CHECK(ebb__json_array_at(c0, 0) == NULL);
  CHECK_EQ_INT(ebb__json_array_len(c0), 0);
  CHECK(ebb__json_get(cmds, "type") == NULL);
  CHECK(ebb__json_get(NULL, "type") == NULL);
  const ebb__json_t *e = ebb__json_get(v, "empty");
  CHECK(e && e->type == EBB__JSON_OBJECT && e->u.object.len == 0);
  e = ebb__json_get(v, "none");
  CHECK(e && e->type == EBB__JSON_ARRAY && e->u.array.len == 0);
  CHECK(ebb__json_get_long(v, "dup", &line) && line == 1); /* the first one */
  ebb__json_free(v);

  CHECK(!parses("[1,]"));
  CHECK(!parses("[1 2]"));
  CHECK(!parses("{\"a\" 1}"));
  CHECK(!parses("{\"a\": 1,}"));
  CHECK(!parses("{a: 1}"));
  CHECK(!parses("{\"a\": }"));
  CHECK(!parses("[}"));
  CHECK(!parses("{]"));
  CHECK(parses("[[],{},[{}]]"));
}

static void test_errors(void) {
  char err[200];
  ebb__json_t *v = (ebb__json_t *)&err; /* must be reset to NULL */
  CHECK(ebb__json_parse("{\n  \"a\": x}", 11, &v, err, sizeof err) == -1);
  CHECK(v == NULL);
  CHECK_STR_CONTAINS(err, "line 2, column 8");
  CHECK(ebb__json_parse(NULL, 0, &v, err, sizeof err) == -1);
  CHECK(ebb__json_parse("[1]", 3, &v, NULL, 0) == 0); /* no error buffer needed */
  ebb__json_free(v);
  /* A tiny error buffer is filled safely. */
  char tiny[4];
  CHECK(ebb__json_parse("[", 1, &v, tiny, sizeof tiny) == -1);
  CHECK(strlen(tiny) < sizeof tiny);
}

static void test_depth(void) {
  size_t n = 100000;
  char *s = malloc(2 * n + 1);
  memset(s, '[', n);
  memset(s + n, ']', n);
  s[2 * n] = '\0';
  char err[200];
  ebb__json_t *v;
  CHECK(ebb__json_parse(s, 2 * n, &v, err, sizeof err) == -1);
  CHECK_STR_CONTAINS(err, "nesting");
  /* Exactly the limit is fine. */
  n = EBB__JSON_MAX_DEPTH;
  memset(s, '[', n);
  memset(s + n, ']', n);
  CHECK(ebb__json_parse(s, 2 * n, &v, err, sizeof err) == 0);
  ebb__json_free(v);
  s[n - 1] = '{'; /* "...[{]..." */
  CHECK(ebb__json_parse(s, 2 * n, &v, err, sizeof err) == -1);
  free(s);
}

/* Every prefix of a valid document, and every single-byte corruption of it,
** must parse or fail without crashing; the buffer is not NUL-terminated. */
static void test_truncation_and_corruption(void) {
  const char *doc = "{\"source_filename\": \"x.wast\", \"commands\": [{\"type\": \"assert_return\", "
                    "\"line\": 17, \"action\": {\"type\": \"invoke\", \"field\": \"\\u0000f\", "
                    "\"args\": [{\"type\": \"i32\", \"value\": \"4294967295\"}]}, "
                    "\"expected\": [true, false, null, -1.25e-3]}]}";
  size_t len = strlen(doc);
  for (size_t i = 0; i < len; i++) {
    char *copy = malloc(i ? i : 1); /* exactly i bytes, so ASan sees overreads */
    memcpy(copy, doc, i);
    ebb__json_t *v;
    CHECK(ebb__json_parse(copy, i, &v, NULL, 0) == -1);
    free(copy);
  }
  static const char junk[] = {'\0', '"', '\\', '{', '}', '[', ']', ',', ':', 'x', '\x80', '\n'};
  char *copy = malloc(len);
  int ok = 0;
  for (size_t i = 0; i < len; i++) {
    for (size_t j = 0; j < sizeof junk; j++) {
      memcpy(copy, doc, len);
      copy[i] = junk[j];
      ebb__json_t *v;
      if (ebb__json_parse(copy, len, &v, NULL, 0) == 0)
        ok++;
      ebb__json_free(v);
    }
  }
  free(copy);
  CHECK(ok > 0); /* some corruptions are still valid JSON (inside strings) */
  ebb__json_t *v;
  CHECK(ebb__json_parse(doc, len, &v, NULL, 0) == 0);
  ebb__json_free(v);
}

/* A few thousand random byte strings drawn from JSON's alphabet. */
static void test_random(void) {
  static const char alphabet[] = "{}[],:\"\\/0123456789-+.eEtruefalsn \n\tu";
  uint32_t seed = 12345;
  char buf[64];
  for (int round = 0; round < 20000; round++) {
    size_t n = (size_t)(round % 63) + 1;
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
    }
    ebb__json_t *v;
    char err[100];
    if (ebb__json_parse(buf, n, &v, err, sizeof err) == 0)
      ebb__json_free(v);
  }
  CHECK(1);
}

int main(void) {
  test_scalars();
  test_strings();
  test_containers();
  test_errors();
  test_depth();
  test_truncation_and_corruption();
  test_random();
  return CHECK_DONE();
}
