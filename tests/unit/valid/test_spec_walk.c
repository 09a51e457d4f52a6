/*
** test_spec_walk.c -- decode and validate every binary module of the official
** spec suite (core, minus simd_*, and the threads proposal's files):
** `module`, `assert_uninstantiable` and `assert_unlinkable` modules must
** validate; `assert_invalid` ones must fail with EBB_EINVALID and a message
** containing the suite's text. `assert_malformed` binaries are counted only
** (they are the decoder's test). This is not the spec runner: it executes
** nothing and reads wast2json's output with a line scan.
**
** The suite is found at $EBB_SPEC_DIR, else ../shared/spec beside the
** checkout; when absent the test passes with a note. EBB_SPEC_VERBOSE=1
** prints every assert_invalid message.
*/
#define _POSIX_C_SOURCE 200809L /* dirent, clock_gettime under -std=c11 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/report.h"
#include "check.h"
#include "decode/module.h"
#include "valid/valid.h"

/* Spec tests whose binary cannot meet the rule above, and why. */
static const struct {
  const char *suite, *file;
  int text_only; /* 1: rejected as invalid, but the text cannot match */
} known[] = {
    /* The threads repository predates reference types: "multiple tables"
    ** is valid in WebAssembly 2.0. */
    {"threads", "imports.47.wasm", 0},
    {"threads", "imports.48.wasm", 0},
    {"threads", "imports.49.wasm", 0},
    /* `select (result)` ("invalid result arity"): wast2json writes it as a
    ** plain 0x1b select, which is then only a type mismatch. */
    {"core", "select.2.wasm", 1},
};

/* 0: not known; 1: skip entirely; 2: skip the text comparison. */
static int is_known(const char *suite, const char *file) {
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (!strcmp(known[i].suite, suite) && !strcmp(known[i].file, file))
      return known[i].text_only ? 2 : 1;
  return 0;
}

static struct {
  int valid_ok, valid_bad, invalid_ok, invalid_bad, text_bad, malformed_ok, malformed_missed, known;
} n;

static char *slurp(const char *path, size_t *size) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return NULL;
  fseek(fp, 0, SEEK_END);
  long len = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  char *buf = malloc((size_t)len + 1);
  if (buf && fread(buf, 1, (size_t)len, fp) != (size_t)len) {
    free(buf);
    buf = NULL;
  }
  if (buf) buf[len] = '\0';
  fclose(fp);
  *size = (size_t)len;
  return buf;
}

/* Copies the JSON string value of `"key": "` found in line into out. */
static int field(const char *line, const char *key, char *out, size_t cap) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\": \"", key);
  const char *p = strstr(line, pat);
  if (!p) return 0;
  p += strlen(pat);
  size_t i = 0;
  while (*p && *p != '"' && i + 1 < cap) out[i++] = *p++;
  out[i] = '\0';
  return 1;
}

/* Decodes and validates one file: 0, or the EBB_E* code with msg filled. */
static int check_file(const char *path, ebb_error_t *err) {
  size_t size;
  char *bytes = slurp(path, &size);
  ebb__report_clear(err);
  if (!bytes) return ebb__report(err, EBB_EIO, "cannot read %s", path);
  ebb__module *m = NULL;
  int rc = ebb__decode((const uint8_t *)bytes, size, &m, err);
  if (!rc) rc = ebb__validate(m, err);
  ebb__module_free(m);
  free(bytes);
  return rc;
}

static void walk_json(const char *suite, const char *dir, const char *name) {
  char path[1400], file[256], type[64], text[256], mtype[32];
  snprintf(path, sizeof path, "%s/%s.json", dir, name);
  size_t size;
  char *json = slurp(path, &size);
  if (!json) return;
  for (char *line = json, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    if (!field(line, "type", type, sizeof type) || !field(line, "filename", file, sizeof file))
      continue;
    if (field(line, "module_type", mtype, sizeof mtype) && strcmp(mtype, "binary") != 0) continue;
    int want_valid = !strcmp(type, "module") || !strcmp(type, "assert_uninstantiable") ||
                     !strcmp(type, "assert_unlinkable");
    int want_invalid = !strcmp(type, "assert_invalid");
    int want_malformed = !strcmp(type, "assert_malformed");
    if (!want_valid && !want_invalid && !want_malformed) continue;
    ebb_error_t err;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int rc = check_file(path, &err);
    int exception = is_known(suite, file);
    if (exception) n.known++;
    if (exception == 1) continue;
    if (want_valid) {
      if (rc == 0) {
        n.valid_ok++;
      } else {
        n.valid_bad++;
        fprintf(stderr, "%s/%s: valid module rejected: %s\n", suite, file, err.message);
      }
    } else if (want_invalid) {
      field(line, "text", text, sizeof text);
      if (rc != EBB_EINVALID) {
        n.invalid_bad++;
        fprintf(stderr, "%s/%s: want invalid (\"%s\"), got %s: %s\n", suite, file, text,
                rc ? ebb_strerror(rc) : "valid", rc ? err.message : "");
      } else {
        n.invalid_ok++;
        if (getenv("EBB_SPEC_VERBOSE")) printf("%s/%s: %s\n", suite, file, err.message);
        if (exception != 2 && !strstr(err.message, text)) {
          n.text_bad++;
          fprintf(stderr, "%s/%s: message \"%s\" lacks \"%s\"\n", suite, file, err.message, text);
        }
      }
    } else {
      if (rc == EBB_EMALFORMED)
        n.malformed_ok++;
      else {
        n.malformed_missed++;
        fprintf(stderr, "%s/%s: (info) malformed module got %s: %s\n", suite, file,
                rc ? ebb_strerror(rc) : "valid", rc ? err.message : "");
      }
    }
  }
  free(json);
}

static int walk_suite(const char *root, const char *suite) {
  char dir[768];
  snprintf(dir, sizeof dir, "%s/%s", root, suite);
  DIR *d = opendir(dir);
  if (!d) return 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.' || !strncmp(e->d_name, "simd_", 5)) continue;
    char sub[1100];
    snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
    walk_json(suite, sub, e->d_name);
  }
  closedir(d);
  return 1;
}

int main(void) {
  char root[768];
  const char *env = getenv("EBB_SPEC_DIR");
  if (env) {
    snprintf(root, sizeof root, "%s", env);
  } else {
    /* __FILE__ is <checkout>/tests/unit/valid/test_spec_walk.c. */
    snprintf(root, sizeof root, "%s", __FILE__);
    for (int up = 0; up < 5; up++) {
      char *slash = strrchr(root, '/');
      if (slash) *slash = '\0';
    }
    strncat(root, "/shared/spec", sizeof root - strlen(root) - 1);
  }
  if (!walk_suite(root, "core")) {
    printf("spec suite not found at %s: skipped\n", root);
    return CHECK_DONE();
  }
  walk_suite(root, "threads");
  printf("valid modules accepted: %d, rejected: %d\n", n.valid_ok, n.valid_bad);
  printf("assert_invalid rejected: %d, accepted or wrong error: %d, message lacks text: %d\n",
         n.invalid_ok, n.invalid_bad, n.text_bad);
  printf("assert_malformed (binary) rejected as malformed: %d, otherwise: %d\n", n.malformed_ok,
         n.malformed_missed);
  printf("known exceptions skipped: %d\n", n.known);
  CHECK(n.valid_ok > 1000);
  CHECK_EQ_INT(n.valid_bad, 0);
  CHECK(n.invalid_ok > 1000);
  CHECK_EQ_INT(n.invalid_bad, 0);
  CHECK_EQ_INT(n.text_bad, 0);
  return CHECK_DONE();
}
