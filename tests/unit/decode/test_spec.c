/*
** test_spec.c -- decodes every binary module of the official spec suite
** (../shared/spec next to the repository, or $EBB_SPEC_DIR):
**  - modules the scripts use (module, assert_trap/unlinkable/... with a
**    module) must decode;
**  - assert_invalid modules must decode too (invalid is the validator's
**    verdict, not malformed);
**  - assert_malformed binary modules: counted, with how many decoding alone
**    rejects (the rest are left to the validator, e.g. bodies).
** SIMD is not supported yet, so failures in simd_* files are only counted.
** Skips with a note when the suite is absent.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decode/instr.h"
#include "decode/module.h"

static char root[1024];

/* What the validator will do to the bodies, as far as decoding goes: every
** instruction decodes and the outermost `end` is the body's last byte.
** Also the binary-format rule that memory.init and data.drop need a data
** count section. Returns NULL or why not. */
static const char *scan_bodies(const ebb__module *m) {
  for (uint32_t i = 0; i + m->nimported_funcs < m->nfuncs; i++) {
    const ebb__funcdef *f = &m->funcdefs[i];
    ebb__reader r;
    ebb__reader_init(&r, m->bytes, m->bytes + f->code_start, m->bytes + f->code_end);
    uint32_t depth = 0;
    for (;;) {
      ebb__instr in;
      if (ebb__read_instr(&r, &in)) return r.why;
      if (in.op == EBB_OP_BLOCK || in.op == EBB_OP_LOOP || in.op == EBB_OP_IF) depth++;
      if ((in.op == EBB_OP_MEMORY_INIT || in.op == EBB_OP_DATA_DROP) && !m->has_datacount)
        return "data count section required";
      if (in.op == EBB_OP_END && depth-- == 0) break;
    }
    if (!ebb__reader_eof(&r)) return "END opcode expected";
  }
  return NULL;
}

static int find_root(void) {
  const char *env = getenv("EBB_SPEC_DIR");
  if (env) {
    snprintf(root, sizeof root, "%s", env);
  } else {
    /* __FILE__ is <repo>/tests/unit/decode/test_spec.c. */
    snprintf(root, sizeof root, "%s", __FILE__);
    char *p = strstr(root, "/tests/unit/decode/");
    if (!p) return -1;
    snprintf(p, sizeof root - (size_t)(p - root), "/../shared/spec");
  }
  DIR *d = opendir(root);
  if (!d) return -1;
  closedir(d);
  return 0;
}

static unsigned char *slurp(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  *size = (size_t)n;
  return b;
}

/* Copies the string value of "key": "..." from a JSON line (no escapes
** needed for the keys used here). */
static int field(const char *line, const char *key, char *out, size_t cap) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\": \"", key);
  const char *p = strstr(line, pat);
  if (!p) return -1;
  p += strlen(pat);
  size_t i = 0;
  while (*p && *p != '"' && i + 1 < cap) {
    if (*p == '\\' && p[1]) p++;
    out[i++] = *p++;
  }
  out[i] = '\0';
  return 0;
}

static struct {
  int ok_modules, bad_modules, simd_bad;
  int invalid_decoded, invalid_rejected;
  int malformed, malformed_rejected, malformed_same_text, malformed_by_bodies;
} st;

static int verbose;

static void run_file(const char *dir, const char *name) {
  char path[2048], line[1 << 16];
  snprintf(path, sizeof path, "%s/%s/%s.json", dir, name, name);
  FILE *f = fopen(path, "r");
  if (!f) return;
  int simd = strncmp(name, "simd", 4) == 0;
  while (fgets(line, sizeof line, f)) {
    char type[64], file[256], mtype[32] = "", text[256] = "";
    if (field(line, "type", type, sizeof type) || field(line, "filename", file, sizeof file)) continue;
    if (!strstr(file, ".wasm")) continue; /* text modules of assert_malformed */
    field(line, "module_type", mtype, sizeof mtype);
    field(line, "text", text, sizeof text);
    char wpath[2400];
    snprintf(wpath, sizeof wpath, "%s/%s/%s", dir, name, file);
    size_t size;
    unsigned char *bytes = slurp(wpath, &size);
    if (!bytes) continue;
    ebb__module *m = NULL;
    ebb_error_t err = {0};
    int rc = ebb__decode(bytes, size, &m, &err);
    CHECK(rc == 0 || m == NULL);
    CHECK(rc != 0 || m != NULL);
    if (strcmp(type, "assert_malformed") == 0) {
      st.malformed++;
      if (rc) {
        st.malformed_rejected++;
        if (strstr(err.message, text)) st.malformed_same_text++;
        else if (verbose) printf("  %s/%s: expected \"%s\", got \"%s\"\n", name, file, text, err.message);
      } else {
        const char *why = scan_bodies(m);
        if (why) st.malformed_by_bodies++;
        if (verbose)
          printf("  %s/%s: not rejected by decode (expected \"%s\"); body scan: %s\n", name, file,
                 text, why ? why : "ok");
      }
    } else if (strcmp(type, "assert_invalid") == 0) {
      if (rc == 0) {
        st.invalid_decoded++;
      } else {
        st.invalid_rejected++;
        if (!simd) {
          printf("  %s/%s (assert_invalid \"%s\") rejected by decode: %s\n", name, file, text, err.message);
          CHECK(rc == 0);
        }
      }
    } else {
      const char *why = rc == 0 ? scan_bodies(m) : NULL;
      if (why && !simd) {
        printf("  %s/%s (%s): body does not decode: %s\n", name, file, type, why);
        CHECK(why == NULL);
      }
      if (rc == 0) {
        st.ok_modules++;
      } else if (simd) {
        st.simd_bad++;
      } else {
        st.bad_modules++;
        printf("  %s/%s (%s) failed: %s\n", name, file, type, err.message);
        CHECK(rc == 0);
      }
    }
    ebb__module_free(m);
    free(bytes);
  }
  fclose(f);
}

static void run_dir(const char *sub) {
  char dir[1200];
  snprintf(dir, sizeof dir, "%s/%s", root, sub);
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)))
    if (e->d_name[0] != '.') run_file(dir, e->d_name);
  closedir(d);
}

int main(int argc, char **argv) {
  verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
  if (find_root()) {
    printf("note: spec suite not found (set EBB_SPEC_DIR); skipped\n");
    return CHECK_DONE();
  }
  run_dir("core");
  run_dir("threads");
  printf("modules decoded: %d, failed: %d, simd failed (not supported): %d\n", st.ok_modules,
         st.bad_modules, st.simd_bad);
  printf("assert_invalid decoded: %d, rejected: %d\n", st.invalid_decoded, st.invalid_rejected);
  printf("assert_malformed (binary): %d, rejected by decode: %d (same message: %d), "
         "by decoding the bodies too: %d\n",
         st.malformed, st.malformed_rejected, st.malformed_same_text,
         st.malformed_rejected + st.malformed_by_bodies);
  CHECK(st.ok_modules > 0);
  return CHECK_DONE();
}
