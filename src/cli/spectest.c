/*
** spectest.c -- `ebb spectest [-v] FILE.json...`: runs the command scripts
** that wabt's wast2json makes of the official spec tests.
**
** Each file gets a fresh store with the `spectest` host module, one thread
** for all its calls, and a table of named and registered instances. Only
** assertions (assert_*) are counted, plus one failure for each module,
** register or action command that does not succeed, so that a broken module
** is visible even when no assertion follows it. Text-format modules
** (assert_malformed on `module quote`) are skipped: ebb reads binaries only.
** Every object is freed when the file is done; bad input (a missing file,
** bad JSON, a missing .wasm) is reported as a failure, never a crash.
*/
#include "spectest.h" /* first: cli.h uses size_t without including stddef.h */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define EBB__CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define EBB__CLI_PRINTF(a, b)
#endif

typedef struct counts {
  unsigned long passed, failed, skipped;
} counts_t;

/* A name bound to an instance: "$M" from a module command, or a name given
** by register. inst is NULL when the module named failed to load. */
typedef struct binding {
  char *name;
  ebb_instance_t *inst;
} binding_t;

typedef struct bindings {
  binding_t *data;
  size_t len, cap;
} bindings_t;

typedef struct spec_file {
  bool verbose;
  const char *where; /* the .wast path that messages name */
  const char *dir;   /* the JSON file's directory, with its '/', or "" */
  ebb_store_t *store;
  ebb_thread_t *thread;
  ebb__spec_host_t host;
  struct {
    ebb_module_t **data;
    size_t len, cap;
  } modules;              /* freed after the store, which may use them */
  bindings_t names;       /* "$M" -> instance */
  bindings_t registered;  /* register "as" -> instance, for imports */
  ebb_instance_t *current; /* the last module defined; NULL if it failed */
  counts_t c;
  long line;       /* of the command being run */
  const char *cmd; /* its type */
} spec_file_t;

/* ---- Messages ----------------------------------------------------------- */

static void vfail(spec_file_t *f, const char *fmt, va_list ap) {
  f->c.failed++;
  if (f->line > 0)
    printf("%s:%ld: %s: ", f->where, f->line, f->cmd);
  else
    printf("%s: ", f->where); /* about the file itself */
  vprintf(fmt, ap);
  putchar('\n');
}

static void fail(spec_file_t *f, const char *fmt, ...) EBB__CLI_PRINTF(2, 3);
static void fail(spec_file_t *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(f, fmt, ap);
  va_end(ap);
}

/* An indented detail line after a failure, shown with -v. */
static void detail(spec_file_t *f, const char *fmt, ...) EBB__CLI_PRINTF(2, 3);
static void detail(spec_file_t *f, const char *fmt, ...) {
  if (!f->verbose)
    return;
  va_list ap;
  va_start(ap, fmt);
  fputs("    ", stdout);
  vprintf(fmt, ap);
  putchar('\n');
  va_end(ap);
}

/* A name made printable: quotes, escapes, and a cut at ~60 bytes. */
static const char *quote(const char *s, size_t len, char *buf, size_t size) {
  size_t o = 0;
  buf[o++] = '"';
  for (size_t i = 0; i < len && o + 8 < size; i++) {
    unsigned char c = (unsigned char)s[i];
    if (i >= 60) {
      o += (size_t)snprintf(buf + o, size - o, "...");
      break;
    }
    if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
      o += (size_t)snprintf(buf + o, size - o, "\\%02x", c);
    else
      buf[o++] = (char)c;
  }
  buf[o++] = '"';
  buf[o] = '\0';
  return buf;
}

/* ---- Small containers ---------------------------------------------------- */

static bool grow(void **data, size_t *cap, size_t len, size_t elem) {
  if (len < *cap)
    return true;
  size_t ncap = *cap ? *cap * 2 : 8;
  void *d = realloc(*data, ncap * elem);
  if (!d)
    return false;
  *data = d;
  *cap = ncap;
  return true;
}

static binding_t *bindings_find(bindings_t *b, const char *name) {
  for (size_t i = 0; i < b->len; i++)
    if (!strcmp(b->data[i].name, name))
      return &b->data[i];
  return NULL;
}

/* Binds (or rebinds, as a script may) name to inst. */
static bool bindings_set(bindings_t *b, const char *name, ebb_instance_t *inst) {
  binding_t *e = bindings_find(b, name);
  if (e) {
    e->inst = inst;
    return true;
  }
  if (!grow((void **)&b->data, &b->cap, b->len, sizeof *b->data))
    return false;
  char *copy = malloc(strlen(name) + 1);
  if (!copy)
    return false;
  strcpy(copy, name);
  b->data[b->len].name = copy;
  b->data[b->len].inst = inst;
  b->len++;
  return true;
}

static void bindings_free(bindings_t *b) {
  for (size_t i = 0; i < b->len; i++)
    free(b->data[i].name);
  free(b->data);
  memset(b, 0, sizeof *b);
}

/* Reads a whole file. Returns 0, or -1 with errno set. */
static int read_all(const char *path, unsigned char **data, size_t *size) {
  *data = NULL;
  *size = 0;
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return -1;
  unsigned char *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      size_t ncap = cap ? cap * 2 : 65536;
      unsigned char *d = ncap < cap ? NULL : realloc(buf, ncap);
      if (!d) {
        free(buf);
        fclose(fp);
        errno = ENOMEM;
        return -1;
      }
      buf = d;
      cap = ncap;
    }
    size_t n = fread(buf + len, 1, cap - len, fp);
    len += n;
    if (n == 0)
      break;
  }
  int bad = ferror(fp);
  fclose(fp);
  if (bad) {
    free(buf);
    errno = EIO;
    return -1;
  }
  *data = buf;
  *size = len;
  return 0;
}

/* ---- Modules and linking -------------------------------------------------- */

static int resolve(void *data, const char *module, const char *name, ebb_externkind_t kind,
                   ebb_extern_t *out) {
  spec_file_t *f = data;
  if (!strcmp(module, "spectest"))
    return ebb__spec_host_lookup(&f->host, name, kind, out);
  binding_t *b = bindings_find(&f->registered, module);
  ebb_extern_t x;
  if (!b || !b->inst || ebb_instance_export(b->inst, name, &x) != 0 || x.kind != kind)
    return EBB_ENOTFOUND;
  *out = x;
  return 0;
}

/* Reads and compiles the command's "filename". The module is kept until the
** store is gone. Returns an EBB_E* code with details in err; EBB_EIO also
** when the command names no file. */
static int load_module(spec_file_t *f, const ebb__json_t *c, ebb_module_t **out,
                       ebb_error_t *err) {
  *out = NULL;
  const char *file = ebb__json_get_string(c, "filename", NULL);
  if (!file) {
    snprintf(err->message, sizeof err->message, "the command has no \"filename\"");
    return err->code = EBB_EIO;
  }
  size_t n = strlen(f->dir) + strlen(file) + 1;
  char *path = malloc(n);
  if (!path)
    return err->code = EBB_ENOMEM;
  snprintf(path, n, "%s%s", file[0] == '/' ? "" : f->dir, file);
  unsigned char *bytes;
  size_t size;
  if (read_all(path, &bytes, &size)) {
    snprintf(err->message, sizeof err->message, "cannot read %s: %s", path, strerror(errno));
    free(path);
    return err->code = EBB_EIO;
  }
  free(path);
  if (!grow((void **)&f->modules.data, &f->modules.cap, f->modules.len,
            sizeof *f->modules.data)) {
    free(bytes);
    return err->code = EBB_ENOMEM;
  }
  int rc = ebb_module_new(bytes, size, out, err);
  free(bytes);
  if (rc == 0 && !*out)
    rc = EBB_ENOMEM;
  if (rc == 0)
    f->modules.data[f->modules.len++] = *out;
  else
    *out = NULL;
  if (rc && err->code == 0)
    err->code = rc;
  return rc;
}

/* The detail of a failed call, e.g. "invalid module: func 3 @0x4a: type
** mismatch"; ebb_strerror(rc) when the record is empty, and prefixed with it
** when the message does not already say it. */
static const char *errmsg(int rc, const ebb_error_t *err, char *buf, size_t size) {
  const char *name = ebb_strerror(rc);
  if (!err->message[0])
    return name;
  if (!strncmp(err->message, name, strlen(name)))
    return err->message;
  snprintf(buf, size, "%s: %s", name, err->message);
  return buf;
}

static void cmd_module(spec_file_t *f, const ebb__json_t *c) {
  const char *name = ebb__json_get_string(c, "name", NULL);
  const char *file = ebb__json_get_string(c, "filename", NULL);
  ebb_error_t err = {0};
  char eb[400];
  ebb_module_t *m;
  ebb_instance_t *inst = NULL;
  f->current = NULL;
  int rc = load_module(f, c, &m, &err);
  if (rc)
    fail(f, "%s: not loaded: %s", file ? file : "?", errmsg(rc, &err, eb, sizeof eb));
  else if ((rc = ebb_instance_new(f->store, m, resolve, f, &inst, &err)) != 0)
    fail(f, "%s: not instantiated: %s", file, errmsg(rc, &err, eb, sizeof eb));
  if (rc)
    inst = NULL;
  f->current = inst;
  if (name && !bindings_set(&f->names, name, inst))
    fail(f, "out of memory");
}

static void cmd_register(spec_file_t *f, const ebb__json_t *c) {
  const char *as = ebb__json_get_string(c, "as", NULL);
  const char *name = ebb__json_get_string(c, "name", NULL);
  ebb_instance_t *inst = f->current;
  if (name) {
    binding_t *b = bindings_find(&f->names, name);
    inst = b ? b->inst : NULL;
    if (!b) {
      fail(f, "unknown module %s", name);
      return;
    }
  }
  if (!as)
    fail(f, "no \"as\" name");
  else if (!inst)
    fail(f, "the module to register as \"%s\" was not instantiated", as);
  else if (!bindings_set(&f->registered, as, inst))
    fail(f, "out of memory");
}

/* ---- Actions ------------------------------------------------------------- */

typedef enum act { ACT_OK, ACT_TRAP, ACT_ERROR } act_t;

typedef struct action {
  char what[120];      /* e.g. `invoke "add"` */
  char msg[400];       /* for ACT_ERROR */
  ebb_val_t *results;  /* owned; for ACT_OK */
  uint32_t nresults;
  ebb_outcome_t outcome; /* for ACT_TRAP */
  char args[300];      /* the arguments, for -v */
} action_t;

static ebb_instance_t *action_instance(spec_file_t *f, const ebb__json_t *a, char *msg,
                                       size_t size) {
  const char *name = ebb__json_get_string(a, "module", NULL);
  if (!name) {
    if (!f->current)
      snprintf(msg, size, "no module (the last module command failed or none ran)");
    return f->current;
  }
  binding_t *b = bindings_find(&f->names, name);
  if (!b)
    snprintf(msg, size, "unknown module %s", name);
  else if (!b->inst)
    snprintf(msg, size, "module %s was not instantiated", name);
  return b ? b->inst : NULL;
}

static act_t run_action(spec_file_t *f, const ebb__json_t *a, action_t *r) {
  memset(r, 0, sizeof *r);
  size_t flen = 0;
  const char *type = ebb__json_get_string(a, "type", NULL);
  const char *field = ebb__json_get_string(a, "field", &flen);
  char q[100];
  snprintf(r->what, sizeof r->what, "%s %s", type ? type : "?",
           field ? quote(field, flen, q, sizeof q) : "?");
  if (!type || !field) {
    snprintf(r->msg, sizeof r->msg, "malformed action: no type or field");
    return ACT_ERROR;
  }
  ebb_instance_t *inst = action_instance(f, a, r->msg, sizeof r->msg);
  if (!inst)
    return ACT_ERROR;
  ebb_extern_t x; /* names may contain NUL bytes (names.wast) */
  if (ebb_instance_export_n(inst, field, flen, &x) != 0) {
    snprintf(r->msg, sizeof r->msg, "no export %s", q);
    return ACT_ERROR;
  }

  if (!strcmp(type, "get")) {
    if (x.kind != EBB_EXTERN_GLOBAL) {
      snprintf(r->msg, sizeof r->msg, "export %s is not a global", q);
      return ACT_ERROR;
    }
    r->results = malloc(sizeof *r->results);
    if (!r->results) {
      snprintf(r->msg, sizeof r->msg, "out of memory");
      return ACT_ERROR;
    }
    r->results[0] = ebb_global_get(x.of.global);
    r->nresults = 1;
    return ACT_OK;
  }
  if (strcmp(type, "invoke") != 0) {
    snprintf(r->msg, sizeof r->msg, "unknown action type \"%s\"", type);
    return ACT_ERROR;
  }
  if (x.kind != EBB_EXTERN_FUNC) {
    snprintf(r->msg, sizeof r->msg, "export %s is not a function", q);
    return ACT_ERROR;
  }

  /* Arguments, checked against the function's type before the call. */
  ebb_func_t *fn = x.of.func;
  const ebb__json_t *jargs = ebb__json_get(a, "args");
  size_t nargs = ebb__json_array_len(jargs);
  uint32_t nparams = ebb_func_param_count(fn);
  if (nargs != nparams) {
    snprintf(r->msg, sizeof r->msg, "%zu arguments for %" PRIu32 " parameters", nargs, nparams);
    return ACT_ERROR;
  }
  ebb_val_t *args = calloc(nargs ? nargs : 1, sizeof *args);
  uint32_t nres = ebb_func_result_count(fn);
  r->results = calloc(nres ? nres : 1, sizeof *r->results);
  if (!args || !r->results) {
    free(args);
    snprintf(r->msg, sizeof r->msg, "out of memory");
    return ACT_ERROR;
  }
  size_t used = 0;
  for (size_t i = 0; i < nargs; i++) {
    ebb__spec_value_t v;
    char err[160], text[200];
    if (ebb__spec_value_parse(ebb__json_array_at(jargs, i), false, &v, err, sizeof err)) {
      snprintf(r->msg, sizeof r->msg, "argument %zu: %s", i, err);
      free(args);
      return ACT_ERROR;
    }
    if (v.val.kind != ebb_func_param(fn, (uint32_t)i)) {
      snprintf(r->msg, sizeof r->msg, "argument %zu has the wrong type", i);
      free(args);
      return ACT_ERROR;
    }
    args[i] = v.val;
    ebb__spec_value_format(&v.val, &v, text, sizeof text);
    if (used < sizeof r->args) {
      int n = snprintf(r->args + used, sizeof r->args - used, "%s%s", i ? " " : "", text);
      used += n > 0 ? (size_t)n : 0;
    }
  }

  ebb_status_t st = ebb_call(f->thread, fn, args, r->results, &r->outcome);
  free(args);
  switch (st) {
  case EBB_OK:
    r->nresults = nres;
    return ACT_OK;
  case EBB_TRAP:
    return ACT_TRAP;
  case EBB_EXIT:
    snprintf(r->msg, sizeof r->msg, "the guest exited with code %d", r->outcome.exit_code);
    return ACT_ERROR;
  case EBB_INTERRUPTED:
    ebb_call_abandon(f->thread);
    snprintf(r->msg, sizeof r->msg, "the call was interrupted");
    return ACT_ERROR;
  case EBB_ERROR:
    snprintf(r->msg, sizeof r->msg, "the call was refused: %s", r->outcome.message);
    return ACT_ERROR;
  }
  snprintf(r->msg, sizeof r->msg, "ebb_call returned unknown status %d", (int)st);
  return ACT_ERROR;
}

static const char *trap_text(const ebb_outcome_t *o) {
  int t = (int)o->trap;
  return t >= 0 && t < (int)EBB_TRAP_COUNT_ ? ebb_trap_message(o->trap) : "(unknown trap kind)";
}

static void action_details(spec_file_t *f, const ebb__json_t *c, const action_t *r) {
  const char *m = ebb__json_get_string(ebb__json_get(c, "action"), "module", NULL);
  detail(f, "%s(%s)%s%s", r->what, r->args, m ? " in " : "", m ? m : "");
}

static void cmd_action(spec_file_t *f, const ebb__json_t *c) {
  action_t r;
  switch (run_action(f, ebb__json_get(c, "action"), &r)) {
  case ACT_OK:
    break;
  case ACT_TRAP:
    fail(f, "%s: trapped: %s", r.what, trap_text(&r.outcome));
    action_details(f, c, &r);
    detail(f, "outcome: %s", r.outcome.message);
    break;
  case ACT_ERROR:
    fail(f, "%s: %s", r.what, r.msg);
    break;
  }
  free(r.results);
}

static void cmd_assert_return(spec_file_t *f, const ebb__json_t *c) {
  action_t r;
  act_t act = run_action(f, ebb__json_get(c, "action"), &r);
  if (act == ACT_ERROR) {
    fail(f, "%s: %s", r.what, r.msg);
  } else if (act == ACT_TRAP) {
    fail(f, "%s: trapped: %s", r.what, trap_text(&r.outcome));
    action_details(f, c, &r);
    detail(f, "outcome: %s", r.outcome.message);
  } else {
    const ebb__json_t *exp = ebb__json_get(c, "expected");
    size_t n = ebb__json_array_len(exp);
    bool ok = n == r.nresults;
    if (!ok)
      fail(f, "%s: %" PRIu32 " results, expected %zu", r.what, r.nresults, n);
    for (size_t i = 0; ok && i < n; i++) {
      ebb__spec_value_t e;
      char err[160], want[300], got[300];
      if (ebb__spec_value_parse(ebb__json_array_at(exp, i), true, &e, err, sizeof err)) {
        fail(f, "%s: expected value %zu: %s", r.what, i, err);
        ok = false;
      } else if (!ebb__spec_value_matches(&e, &r.results[i])) {
        ebb__spec_value_format(&r.results[i], &e, got, sizeof got);
        ebb__spec_expected_format(&e, want, sizeof want);
        fail(f, "%s: result %zu: got %s, expected %s", r.what, i, got, want);
        action_details(f, c, &r);
        ok = false;
      }
    }
    if (ok)
      f->c.passed++;
  }
  free(r.results);
}

/* assert_trap and assert_exhaustion on an action. */
static void cmd_assert_trap_action(spec_file_t *f, const ebb__json_t *c, bool exhaustion) {
  const char *text = ebb__json_get_string(c, "text", NULL);
  action_t r;
  switch (run_action(f, ebb__json_get(c, "action"), &r)) {
  case ACT_ERROR:
    fail(f, "%s: %s", r.what, r.msg);
    break;
  case ACT_OK:
    fail(f, "%s: returned, expected trap \"%s\"", r.what, text ? text : "?");
    action_details(f, c, &r);
    break;
  case ACT_TRAP: {
    const char *got = trap_text(&r.outcome);
    bool ok = exhaustion ? r.outcome.trap == EBB_TRAP_STACK_EXHAUSTED
                         : ebb__spec_trap_text_matches(text ? text : "", got);
    if (ok) {
      f->c.passed++;
    } else {
      fail(f, "%s: trapped \"%s\", expected \"%s\"", r.what, got, text ? text : "?");
      action_details(f, c, &r);
      detail(f, "outcome: %s", r.outcome.message);
    }
    break;
  }
  }
  free(r.results);
}

/* The assertions on a module: assert_malformed, assert_invalid,
** assert_unlinkable, assert_uninstantiable, and assert_trap on a module. */
static void cmd_assert_module(spec_file_t *f, const ebb__json_t *c) {
  const char *type = f->cmd;
  const char *text = ebb__json_get_string(c, "text", NULL);
  const char *mtype = ebb__json_get_string(c, "module_type", NULL);
  const char *file = ebb__json_get_string(c, "filename", NULL);
  if (!text)
    text = "?";
  if (!file)
    file = "?";
  if (mtype && strcmp(mtype, "binary") != 0) {
    f->c.skipped++;
    return;
  }
  ebb_error_t err = {0};
  char eb[400];
  ebb_module_t *m;
  int rc = load_module(f, c, &m, &err);
  bool malformed = !strcmp(type, "assert_malformed");
  bool invalid = !strcmp(type, "assert_invalid");
  if (malformed || invalid) {
    bool ok = rc == EBB_EINVALID || (malformed && rc == EBB_EMALFORMED);
    if (ok) {
      f->c.passed++;
    } else if (rc == 0) {
      fail(f, "%s: loaded, expected \"%s\"", file, text);
    } else {
      fail(f, "%s: %s, expected \"%s\"", file, errmsg(rc, &err, eb, sizeof eb), text);
    }
    return;
  }
  if (rc) {
    fail(f, "%s: not loaded: %s", file, errmsg(rc, &err, eb, sizeof eb));
    return;
  }
  int want = !strcmp(type, "assert_unlinkable") ? EBB_EUNLINKABLE : EBB_ETRAP;
  ebb_instance_t *inst = NULL;
  rc = ebb_instance_new(f->store, m, resolve, f, &inst, &err);
  if (rc == want)
    f->c.passed++;
  else if (rc == 0)
    fail(f, "%s: instantiated, expected %s \"%s\"", file, ebb_strerror(want), text);
  else
    fail(f, "%s: %s, expected %s \"%s\"", file, errmsg(rc, &err, eb, sizeof eb),
         ebb_strerror(want), text);
}

static void run_command(spec_file_t *f, const ebb__json_t *c) {
  const char *type = ebb__json_get_string(c, "type", NULL);
  long line = 0;
  ebb__json_get_long(c, "line", &line);
  f->line = line;
  f->cmd = type ? type : "?";
  if (!type)
    fail(f, "command without a type");
  else if (!strcmp(type, "module"))
    cmd_module(f, c);
  else if (!strcmp(type, "register"))
    cmd_register(f, c);
  else if (!strcmp(type, "action"))
    cmd_action(f, c);
  else if (!strcmp(type, "assert_return"))
    cmd_assert_return(f, c);
  else if (!strcmp(type, "assert_exhaustion"))
    cmd_assert_trap_action(f, c, true);
  else if (!strcmp(type, "assert_trap") && ebb__json_get(c, "action"))
    cmd_assert_trap_action(f, c, false);
  else if (!strcmp(type, "assert_trap") || !strcmp(type, "assert_malformed") ||
           !strcmp(type, "assert_invalid") || !strcmp(type, "assert_unlinkable") ||
           !strcmp(type, "assert_uninstantiable"))
    cmd_assert_module(f, c);
  else {
    f->c.skipped++;
    if (f->verbose)
      printf("%s:%ld: %s: unknown command, skipped\n", f->where, f->line, type);
  }
}

/* ---- Files --------------------------------------------------------------- */

/* The display name of a script: its file name without ".json". */
static void file_name(const char *path, char *buf, size_t size) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  if (n > 5 && !strcmp(base + n - 5, ".json"))
    n -= 5;
  snprintf(buf, size, "%.*s", (int)n, base);
}

static void run_file(const char *path, bool verbose, counts_t *total) {
  spec_file_t f;
  memset(&f, 0, sizeof f);
  f.verbose = verbose;
  f.where = path;
  f.cmd = "spectest";
  char name[256];
  file_name(path, name, sizeof name);

  /* The directory of the script, which holds its .wasm files. */
  const char *slash = strrchr(path, '/');
  size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
  char *dir = malloc(dlen + 1);
  char *where = NULL;
  unsigned char *text = NULL;
  size_t size = 0;
  ebb__json_t *doc = NULL;
  char err[300];
  if (!dir) {
    fail(&f, "out of memory");
    goto done;
  }
  memcpy(dir, path, dlen);
  dir[dlen] = '\0';
  f.dir = dir;

  if (read_all(path, &text, &size)) {
    fail(&f, "cannot read: %s", strerror(errno));
    goto done;
  }
  if (ebb__json_parse((const char *)text, size, &doc, err, sizeof err)) {
    fail(&f, "bad JSON: %s", err);
    goto done;
  }
  const ebb__json_t *cmds = ebb__json_get(doc, "commands");
  if (!cmds || cmds->type != EBB__JSON_ARRAY) {
    fail(&f, "bad script: no \"commands\" array");
    goto done;
  }
  /* Messages name the .wast the line numbers refer to, beside the JSON. */
  const char *src = ebb__json_get_string(doc, "source_filename", NULL);
  if (src && !strchr(src, '/')) {
    size_t n = dlen + strlen(src) + 1;
    where = malloc(n);
    if (where) {
      snprintf(where, n, "%s%s", dir, src);
      f.where = where;
    }
  }

  f.store = ebb_store_new(NULL);
  f.thread = f.store ? ebb_thread_new(f.store) : NULL;
  if (!f.thread) {
    fail(&f, "cannot create a store and a thread");
    goto done;
  }
  ebb__spec_host_init(&f.host, f.store, verbose);
  for (size_t i = 0; i < ebb__json_array_len(cmds); i++)
    run_command(&f, ebb__json_array_at(cmds, i));

done:
  if (f.thread)
    ebb_thread_delete(f.thread);
  if (f.store)
    ebb_store_delete(f.store);
  for (size_t i = 0; i < f.modules.len; i++)
    ebb_module_delete(f.modules.data[i]);
  free(f.modules.data);
  bindings_free(&f.names);
  bindings_free(&f.registered);
  ebb__json_free(doc);
  free(text);
  free(where);
  free(dir);
  printf("%s: %lu passed, %lu failed, %lu skipped\n", name, f.c.passed, f.c.failed,
         f.c.skipped);
  fflush(stdout);
  total->passed += f.c.passed;
  total->failed += f.c.failed;
  total->skipped += f.c.skipped;
}

static void usage(FILE *to) {
  fprintf(to, "usage: ebb spectest [-v] FILE.json...\n"
              "  Runs wast2json command scripts of the WebAssembly spec tests.\n"
              "  -v  show details of each failure and the output of spectest.print*\n");
}

int ebb__cli_spectest(int argc, char **argv) {
  bool verbose = false, options = true;
  int nfiles = 0;
  for (int i = 1; i < argc; i++) {
    if (options && !strcmp(argv[i], "--")) {
      options = false;
    } else if (options && !strcmp(argv[i], "-v")) {
      verbose = true;
    } else if (options && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))) {
      usage(stdout);
      return 0;
    } else if (options && argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "ebb spectest: unknown option %s\n", argv[i]);
      usage(stderr);
      return 2;
    } else {
      nfiles++;
    }
  }
  if (!nfiles) {
    usage(stderr);
    return 2;
  }
  counts_t total = {0, 0, 0};
  options = true;
  for (int i = 1; i < argc; i++) {
    if (options && !strcmp(argv[i], "--"))
      options = false;
    else if (!options || argv[i][0] != '-' || !argv[i][1])
      run_file(argv[i], verbose, &total);
  }
  printf("%lu passed, %lu failed, %lu skipped\n", total.passed, total.failed, total.skipped);
  return total.failed ? 1 : 0;
}
