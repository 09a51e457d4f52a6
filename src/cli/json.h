/*
** json.h -- a small JSON reader for the `ebb spectest` command scripts.
**
** ebb__json_parse builds a tree of heap nodes from a byte buffer (it need
** not be NUL-terminated) and never reads past `len`. Bad input of any kind
** is an error with a message naming the line and column, never a crash:
** nesting is limited to EBB__JSON_MAX_DEPTH levels so the recursive parser
** cannot exhaust the C stack. Strings are decoded to UTF-8 (a lone \uD800..
** \uDFFF surrogate becomes its 3-byte WTF-8 form) and keep an explicit
** length, because a wast name may contain "\u0000"; each is also
** NUL-terminated for convenience.
*/
#ifndef EBB_CLI_JSON_H
#define EBB_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>

#define EBB__JSON_MAX_DEPTH 256

typedef enum ebb__json_type {
  EBB__JSON_NULL,
  EBB__JSON_BOOL,
  EBB__JSON_NUMBER,
  EBB__JSON_STRING,
  EBB__JSON_ARRAY,
  EBB__JSON_OBJECT,
} ebb__json_type_t;

typedef struct ebb__json ebb__json_t;

typedef struct ebb__json_member {
  char *key; /* decoded, NUL-terminated */
  size_t key_len;
  ebb__json_t *value;
} ebb__json_member_t;

struct ebb__json {
  ebb__json_type_t type;
  union {
    bool boolean;
    double number;
    struct {
      char *data; /* decoded, NUL-terminated */
      size_t len;
    } string;
    struct {
      ebb__json_t **items;
      size_t len;
    } array;
    struct {
      ebb__json_member_t *members;
      size_t len;
    } object;
  } u;
};

/* Parses text[0..len) as one JSON value (surrounding whitespace allowed).
** Returns 0 and an owned tree in *out, or -1 with a message in err (which
** may be NULL) and *out set to NULL. */
int ebb__json_parse(const char *text, size_t len, ebb__json_t **out, char *err,
                    size_t err_size);

/* Frees a tree from ebb__json_parse; NULL is allowed. */
void ebb__json_free(ebb__json_t *v);

/* The first member of an object named `key`, or NULL if v is not an object
** or has no such member. */
const ebb__json_t *ebb__json_get(const ebb__json_t *v, const char *key);

/* The member `key` if it is a string, else NULL; *len (may be NULL) gets
** its length. */
const char *ebb__json_get_string(const ebb__json_t *v, const char *key, size_t *len);

/* The member `key` if it is a number with an integral value that fits in a
** long; returns false otherwise. */
bool ebb__json_get_long(const ebb__json_t *v, const char *key, long *out);

/* Array length (0 for a non-array) and element i (NULL when out of range
** or not an array). */
size_t ebb__json_array_len(const ebb__json_t *v);
const ebb__json_t *ebb__json_array_at(const ebb__json_t *v, size_t i);

#endif
