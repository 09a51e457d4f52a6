/*
** json.c -- a recursive-descent JSON reader (RFC 8259), strict in grammar and
** careful with hostile input: every read is bounds-checked against the end
** of the buffer, nesting depth is capped, sizes are checked for overflow and
** every allocation failure unwinds cleanly.
*/
#include "json.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
  const char *p, *end, *start;
  int depth;
  char *err;
  size_t err_size;
  bool failed;
} parser_t;

static void fail(parser_t *ps, const char *fmt, ...) {
  if (ps->failed)
    return;
  ps->failed = true;
  if (!ps->err || ps->err_size == 0)
    return;
  /* Line and column of the current position, both 1-based. */
  unsigned long line = 1, col = 1;
  for (const char *q = ps->start; q < ps->p && q < ps->end; q++) {
    if (*q == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  int n = snprintf(ps->err, ps->err_size, "line %lu, column %lu: ", line, col);
  if (n < 0 || (size_t)n >= ps->err_size)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ps->err + n, ps->err_size - (size_t)n, fmt, ap);
  va_end(ap);
}

static void skip_ws(parser_t *ps) {
  while (ps->p < ps->end &&
         (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

static bool literal(parser_t *ps, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
    return false;
  ps->p += n;
  return true;
}

static ebb__json_t *node(parser_t *ps, ebb__json_type_t type) {
  ebb__json_t *v = calloc(1, sizeof *v);
  if (!v) {
    fail(ps, "out of memory");
    return NULL;
  }
  v->type = type;
  return v;
}

/* A growable byte buffer for decoded strings. */
typedef struct sbuf {
  char *data;
  size_t len, cap;
} sbuf_t;

static bool sbuf_put(parser_t *ps, sbuf_t *b, const char *bytes, size_t n) {
  if (b->cap - b->len <= n) { /* keep room for the terminating NUL */
    size_t cap = b->cap ? b->cap : 16;
    while (cap - b->len <= n) {
      if (cap > SIZE_MAX / 2) {
        fail(ps, "string too long");
        return false;
      }
      cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d) {
      fail(ps, "out of memory");
      return false;
    }
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, bytes, n);
  b->len += n;
  b->data[b->len] = '\0';
  return true;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads the 4 hex digits after "\u"; -1 if they are not there. */
static long read_hex4(parser_t *ps) {
  if (ps->end - ps->p < 4)
    return -1;
  long v = 0;
  for (int i = 0; i < 4; i++) {
    int d = hex_digit(ps->p[i]);
    if (d < 0)
      return -1;
    v = v * 16 + d;
  }
  ps->p += 4;
  return v;
}

static size_t utf8_encode(unsigned long cp, char out[4]) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Parses a string starting at the opening quote. On success the decoded
** bytes (NUL-terminated, owned) go to *data and *len. */
static bool parse_string_raw(parser_t *ps, char **data, size_t *len) {
  sbuf_t b = {0};
  ps->p++; /* the opening quote */
  if (!sbuf_put(ps, &b, "", 0))
    goto fail;
  for (;;) {
    if (ps->p >= ps->end) {
      fail(ps, "unterminated string");
      goto fail;
    }
    unsigned char c = (unsigned char)*ps->p;
    if (c == '"') {
      ps->p++;
      break;
    }
    if (c < 0x20) {
      fail(ps, "control character in string");
      goto fail;
    }
    if (c != '\\') {
      /* Copy a run of plain bytes at once. */
      const char *run = ps->p;
      while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' &&
             (unsigned char)*ps->p >= 0x20)
        ps->p++;
      if (!sbuf_put(ps, &b, run, (size_t)(ps->p - run)))
        goto fail;
      continue;
    }
    ps->p++; /* the backslash */
    if (ps->p >= ps->end) {
      fail(ps, "unterminated escape");
      goto fail;
    }
    char e = *ps->p++, ch;
    switch (e) {
    case '"': ch = '"'; break;
    case '\\': ch = '\\'; break;
    case '/': ch = '/'; break;
    case 'b': ch = '\b'; break;
    case 'f': ch = '\f'; break;
    case 'n': ch = '\n'; break;
    case 'r': ch = '\r'; break;
    case 't': ch = '\t'; break;
    case 'u': {
      long cp = read_hex4(ps);
      if (cp < 0) {
        fail(ps, "bad \\u escape");
        goto fail;
      }
      /* A high surrogate followed by "\u" and a low one is one code point;
      ** anything else is kept as a lone surrogate (WTF-8). */
      if (cp >= 0xD800 && cp <= 0xDBFF && ps->end - ps->p >= 6 && ps->p[0] == '\\' &&
          ps->p[1] == 'u') {
        const char *save = ps->p;
        ps->p += 2;
        long lo = read_hex4(ps);
        if (lo >= 0xDC00 && lo <= 0xDFFF)
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        else
          ps->p = save;
      }
      char u[4];
      size_t n = utf8_encode((unsigned long)cp, u);
      if (!sbuf_put(ps, &b, u, n))
        goto fail;
      continue;
    }
    default:
      ps->p--;
      fail(ps, "bad escape '\\%c'", e);
      goto fail;
    }
    if (!sbuf_put(ps, &b, &ch, 1))
      goto fail;
  }
  *data = b.data;
  *len = b.len;
  return true;
fail:
  free(b.data);
  return false;
}

static ebb__json_t *parse_value(parser_t *ps);

static ebb__json_t *parse_number(parser_t *ps) {
  const char *s = ps->p;
  if (ps->p < ps->end && *ps->p == '-')
    ps->p++;
  if (ps->p >= ps->end) {
    fail(ps, "bad number");
    return NULL;
  }
  if (*ps->p == '0') {
    ps->p++;
  } else if (*ps->p >= '1' && *ps->p <= '9') {
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
      ps->p++;
  } else {
    fail(ps, "bad number");
    return NULL;
  }
  if (ps->p < ps->end && *ps->p == '.') {
    ps->p++;
    if (ps->p >= ps->end || !(*ps->p >= '0' && *ps->p <= '9')) {
      fail(ps, "bad number: digit expected after '.'");
      return NULL;
    }
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
      ps->p++;
  }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
    ps->p++;
    if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
      ps->p++;
    if (ps->p >= ps->end || !(*ps->p >= '0' && *ps->p <= '9')) {
      fail(ps, "bad number: digit expected in exponent");
      return NULL;
    }
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
      ps->p++;
  }
  /* strtod needs a terminated copy; the buffer itself may not have one. */
  size_t n = (size_t)(ps->p - s);
  char small[64], *buf = small;
  if (n >= sizeof small) {
    buf = malloc(n + 1);
    if (!buf) {
      fail(ps, "out of memory");
      return NULL;
    }
  }
  memcpy(buf, s, n);
  buf[n] = '\0';
  double d = strtod(buf, NULL);
  if (buf != small)
    free(buf);
  ebb__json_t *v = node(ps, EBB__JSON_NUMBER);
  if (v)
    v->u.number = d;
  return v;
}

static ebb__json_t *parse_array(parser_t *ps) {
  ebb__json_t *v = node(ps, EBB__JSON_ARRAY);
  if (!v)
    return NULL;
  size_t cap = 0;
  ps->p++; /* '[' */
  skip_ws(ps);
  if (ps->p < ps->end && *ps->p == ']') {
    ps->p++;
    return v;
  }
  for (;;) {
    ebb__json_t *item = parse_value(ps);
    if (!item)
      goto fail;
    if (v->u.array.len == cap) {
      size_t ncap = cap ? cap * 2 : 4;
      ebb__json_t **items =
          ncap > SIZE_MAX / sizeof *items ? NULL : realloc(v->u.array.items, ncap * sizeof *items);
      if (!items) {
        ebb__json_free(item);
        fail(ps, "out of memory");
        goto fail;
      }
      v->u.array.items = items;
      cap = ncap;
    }
    v->u.array.items[v->u.array.len++] = item;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ',') {
      ps->p++;
      continue;
    }
    if (ps->p < ps->end && *ps->p == ']') {
      ps->p++;
      return v;
    }
    fail(ps, "',' or ']' expected");
    goto fail;
  }
fail:
  ebb__json_free(v);
  return NULL;
}

static ebb__json_t *parse_object(parser_t *ps) {
  ebb__json_t *v = node(ps, EBB__JSON_OBJECT);
  if (!v)
    return NULL;
  size_t cap = 0;
  ps->p++; /* '{' */
  skip_ws(ps);
  if (ps->p < ps->end && *ps->p == '}') {
    ps->p++;
    return v;
  }
  for (;;) {
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != '"') {
      fail(ps, "string key expected");
      goto fail;
    }
    char *key;
    size_t key_len;
    if (!parse_string_raw(ps, &key, &key_len))
      goto fail;
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != ':') {
      free(key);
      fail(ps, "':' expected");
      goto fail;
    }
    ps->p++;
    ebb__json_t *item = parse_value(ps);
    if (!item) {
      free(key);
      goto fail;
    }
    if (v->u.object.len == cap) {
      size_t ncap = cap ? cap * 2 : 4;
      ebb__json_member_t *m = ncap > SIZE_MAX / sizeof *m
                                  ? NULL
                                  : realloc(v->u.object.members, ncap * sizeof *m);
      if (!m) {
        free(key);
        ebb__json_free(item);
        fail(ps, "out of memory");
        goto fail;
      }
      v->u.object.members = m;
      cap = ncap;
    }
    ebb__json_member_t *m = &v->u.object.members[v->u.object.len++];
    m->key = key;
    m->key_len = key_len;
    m->value = item;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ',') {
      ps->p++;
      continue;
    }
    if (ps->p < ps->end && *ps->p == '}') {
      ps->p++;
      return v;
    }
    fail(ps, "',' or '}' expected");
    goto fail;
  }
fail:
  ebb__json_free(v);
  return NULL;
}

static ebb__json_t *parse_value(parser_t *ps) {
  skip_ws(ps);
  if (ps->p >= ps->end) {
    fail(ps, "unexpected end of input");
    return NULL;
  }
  ebb__json_t *v = NULL;
  switch (*ps->p) {
  case '{':
  case '[':
    if (ps->depth >= EBB__JSON_MAX_DEPTH) {
      fail(ps, "nesting deeper than %d", EBB__JSON_MAX_DEPTH);
      return NULL;
    }
    ps->depth++;
    v = *ps->p == '{' ? parse_object(ps) : parse_array(ps);
    ps->depth--;
    return v;
  case '"': {
    char *data;
    size_t len;
    if (!parse_string_raw(ps, &data, &len))
      return NULL;
    v = node(ps, EBB__JSON_STRING);
    if (!v) {
      free(data);
      return NULL;
    }
    v->u.string.data = data;
    v->u.string.len = len;
    return v;
  }
  case 't':
  case 'f': {
    bool b = *ps->p == 't';
    if (literal(ps, b ? "true" : "false")) {
      v = node(ps, EBB__JSON_BOOL);
      if (v)
        v->u.boolean = b;
      return v;
    }
    break;
  }
  case 'n':
    if (literal(ps, "null"))
      return node(ps, EBB__JSON_NULL);
    break;
  default:
    if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
      return parse_number(ps);
    break;
  }
  fail(ps, "unexpected character '%c'",
       (unsigned char)*ps->p >= 0x20 && (unsigned char)*ps->p < 0x7f ? *ps->p : '?');
  return NULL;
}

int ebb__json_parse(const char *text, size_t len, ebb__json_t **out, char *err,
                    size_t err_size) {
  parser_t ps = {text, text + len, text, 0, err, err_size, false};
  if (err && err_size)
    err[0] = '\0';
  *out = NULL;
  if (!text) {
    fail(&ps, "no input");
    return -1;
  }
  ebb__json_t *v = parse_value(&ps);
  if (!v)
    return -1;
  skip_ws(&ps);
  if (ps.p != ps.end) {
    fail(&ps, "trailing characters after the value");
    ebb__json_free(v);
    return -1;
  }
  *out = v;
  return 0;
}

void ebb__json_free(ebb__json_t *v) {
  if (!v)
    return;
  switch (v->type) {
  case EBB__JSON_STRING:
    free(v->u.string.data);
    break;
  case EBB__JSON_ARRAY:
    for (size_t i = 0; i < v->u.array.len; i++)
      ebb__json_free(v->u.array.items[i]);
    free(v->u.array.items);
    break;
  case EBB__JSON_OBJECT:
    for (size_t i = 0; i < v->u.object.len; i++) {
      free(v->u.object.members[i].key);
      ebb__json_free(v->u.object.members[i].value);
    }
    free(v->u.object.members);
    break;
  default:
    break;
  }
  free(v);
}

const ebb__json_t *ebb__json_get(const ebb__json_t *v, const char *key) {
  if (!v || v->type != EBB__JSON_OBJECT || !key)
    return NULL;
  size_t n = strlen(key);
  for (size_t i = 0; i < v->u.object.len; i++) {
    const ebb__json_member_t *m = &v->u.object.members[i];
    if (m->key_len == n && memcmp(m->key, key, n) == 0)
      return m->value;
  }
  return NULL;
}

const char *ebb__json_get_string(const ebb__json_t *v, const char *key, size_t *len) {
  const ebb__json_t *s = ebb__json_get(v, key);
  if (!s || s->type != EBB__JSON_STRING)
    return NULL;
  if (len)
    *len = s->u.string.len;
  return s->u.string.data;
}

bool ebb__json_get_long(const ebb__json_t *v, const char *key, long *out) {
  const ebb__json_t *n = ebb__json_get(v, key);
  if (!n || n->type != EBB__JSON_NUMBER)
    return false;
  double d = n->u.number;
  /* The bounds are exact powers of two, so the comparisons are exact. */
  if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0) || d != (double)(long long)d)
    return false;
  long long ll = (long long)d;
  if ((long)ll != ll)
    return false;
  *out = (long)ll;
  return true;
}

size_t ebb__json_array_len(const ebb__json_t *v) {
  return v && v->type == EBB__JSON_ARRAY ? v->u.array.len : 0;
}

const ebb__json_t *ebb__json_array_at(const ebb__json_t *v, size_t i) {
  if (!v || v->type != EBB__JSON_ARRAY || i >= v->u.array.len)
    return NULL;
  return v->u.array.items[i];
}
