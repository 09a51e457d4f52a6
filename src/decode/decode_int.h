/*
** decode_int.h -- shared by the decoder's files (decode.c, sections.c,
** names.c, instr.c); not for other layers.
**
** Messages follow the spec's reference interpreter (binary.wast and
** custom.wast expect them): a vector or byte-string length longer than what
** is left is "length out of bounds", running off the end while reading an
** item is "unexpected end of section or function". Like the reference,
** items of a section may be read past its end (see decode.c).
*/
#ifndef EBB_DECODE_DECODE_INT_H
#define EBB_DECODE_DECODE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/report.h"
#include "decode/module.h"
#include "decode/reader.h"

/* Section ids (spec 5.5.2). */
enum {
  EBB__SEC_CUSTOM = 0,
  EBB__SEC_TYPE = 1,
  EBB__SEC_IMPORT = 2,
  EBB__SEC_FUNCTION = 3,
  EBB__SEC_TABLE = 4,
  EBB__SEC_MEMORY = 5,
  EBB__SEC_GLOBAL = 6,
  EBB__SEC_EXPORT = 7,
  EBB__SEC_START = 8,
  EBB__SEC_ELEMENT = 9,
  EBB__SEC_CODE = 10,
  EBB__SEC_DATA = 11,
  EBB__SEC_DATACOUNT = 12,
};

/* State of one ebb__decode call. */
typedef struct ebb__dec {
  ebb__module *m;
  ebb_error_t *err;
  int sec; /* id of the section being read; -1 in the header, -2 between */
  bool has_funcsec, has_codesec, has_datasec;
  uint32_t nfuncdefs; /* from the function section */
  size_t customs_cap;
  size_t runs_cap; /* of m->local_runs */
  /* The first "name" custom section, parsed once all sections are known. */
  bool has_names;
  uint32_t names_start, names_end;
} ebb__dec;

/* Reports EBB_EMALFORMED naming the current section and `off`; returns it. */
int ebb__dec_fail(ebb__dec *d, uint32_t off, const char *fmt, ...) EBB__PRINTF(3, 4);
/* Reports the reader's failure (r->why at the reader's position). */
int ebb__dec_rfail(ebb__dec *d, const ebb__reader *r);
/* Reports EBB_ENOMEM. */
int ebb__dec_nomem(ebb__dec *d);

/* A vector count: at most `max` (`what` names the items in the message)
** and, since every item takes at least one byte, at most the bytes left. */
int ebb__dec_count(ebb__dec *d, ebb__reader *r, uint32_t max, const char *what, uint32_t *n);
/* A byte-string length that must fit in what is left of r. */
int ebb__dec_len(ebb__dec *d, ebb__reader *r, uint32_t *n);

int ebb__dec_typebyte(ebb__dec *d, ebb__reader *r, bool (*ok)(uint8_t), const char *what,
                      uint8_t *out);
int ebb__dec_valtype(ebb__dec *d, ebb__reader *r, ebb__valtype *out);
int ebb__dec_reftype(ebb__dec *d, ebb__reader *r, ebb__valtype *out);
/* A constant expression up to and including its `end`, not type-checked. */
int ebb__dec_constexpr(ebb__dec *d, ebb__reader *r, ebb__constexpr *out);

/* One non-custom section's contents, r bounded to it (sections.c). */
int ebb__dec_section(ebb__dec *d, uint8_t id, ebb__reader *r);

/* names.c: a name (length, UTF-8 bytes) copied NUL-terminated. */
int ebb__dec_name(ebb__dec *d, ebb__reader *r, char **out, uint32_t *len);
int ebb__dec_custom(ebb__dec *d, ebb__reader *r);
/* Parses the recorded "name" section leniently; fails only on ENOMEM. */
int ebb__dec_names(ebb__dec *d);
bool ebb__utf8_valid(const uint8_t *s, size_t n);

static inline bool ebb__is_valtype(uint8_t b) {
  return (b >= EBB__V128 && b <= EBB__I32) || b == EBB__FUNCREF || b == EBB__EXTERNREF;
}

static inline bool ebb__is_reftype(uint8_t b) { return b == EBB__FUNCREF || b == EBB__EXTERNREF; }

#endif
