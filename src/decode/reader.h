/*
** reader.h -- a bounds-checked cursor over bytes with the exact LEB128 rules
** of the binary format (spec 5.2.2): at most ceil(N/7) bytes, and the unused
** bits of the last byte must be zero (unsigned) or a sign extension (signed).
** Every read returns 0 or -1; on -1 `why` says what was wrong and the cursor
** is left where the bad item began.
*/
#ifndef EBB_DECODE_READER_H
#define EBB_DECODE_READER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef struct ebb__reader {
  const uint8_t *base; /* start of the whole binary, for offsets */
  const uint8_t *p;
  const uint8_t *end;
  const char *why; /* set on failure: "unexpected end", "integer too large", ... */
} ebb__reader;

static inline void ebb__reader_init(ebb__reader *r, const uint8_t *base, const uint8_t *p,
                                    const uint8_t *end) {
  r->base = base;
  r->p = p;
  r->end = end;
  r->why = NULL;
}

static inline uint32_t ebb__reader_offset(const ebb__reader *r) {
  return (uint32_t)(r->p - r->base);
}

static inline bool ebb__reader_eof(const ebb__reader *r) { return r->p >= r->end; }

static inline int ebb__fail(ebb__reader *r, const char *why) {
  r->why = why;
  return -1;
}

static inline int ebb__read_u8(ebb__reader *r, uint8_t *out) {
  if (r->p >= r->end) return ebb__fail(r, "unexpected end");
  *out = *r->p++;
  return 0;
}

static inline int ebb__read_bytes(ebb__reader *r, uint32_t n, const uint8_t **out) {
  if ((uint64_t)(r->end - r->p) < n) return ebb__fail(r, "unexpected end");
  *out = r->p;
  r->p += n;
  return 0;
}

/* Unsigned LEB128 of at most `bits` bits (32 or 64). */
static inline int ebb__read_uleb(ebb__reader *r, unsigned bits, uint64_t *out) {
  const uint8_t *p = r->p;
  if (p < r->end && *p < 0x80) { /* one byte: most indices and counts */
    r->p = p + 1;
    *out = *p;
    return 0;
  }
  uint64_t v = 0;
  unsigned shift = 0;
  for (;;) {
    if (p >= r->end) return ebb__fail(r, "unexpected end");
    uint8_t b = *p++;
    if (shift + 7 >= bits && shift < bits) {
      /* Last permitted byte: unused bits zero, no continuation (checked in
      ** that order, as the reference interpreter does, for its messages). */
      unsigned used = bits - shift;
      if (used < 7 && ((b & 0x7f) >> used) != 0) return ebb__fail(r, "integer too large");
      if (b & 0x80) return ebb__fail(r, "integer representation too long");
      v |= (uint64_t)b << shift;
      break;
    }
    v |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  r->p = p;
  *out = v;
  return 0;
}

/* Signed LEB128 of at most `bits` bits (32, 33 or 64). */
static inline int ebb__read_sleb(ebb__reader *r, unsigned bits, int64_t *out) {
  const uint8_t *p = r->p;
  if (p < r->end && *p < 0x80) { /* one byte: bit 6 is the sign */
    r->p = p + 1;
    *out = (int64_t)*p - (*p & 0x40 ? 0x80 : 0);
    return 0;
  }
  uint64_t v = 0;
  unsigned shift = 0;
  uint8_t b;
  for (;;) {
    if (p >= r->end) return ebb__fail(r, "unexpected end");
    b = *p++;
    if (shift + 7 >= bits) {
      /* Last permitted byte: no continuation; the unused high bits must all
      ** equal the sign bit of the value. */
      unsigned used = bits - shift; /* 1..7 bits of payload */
      int sign = (b >> (used - 1)) & 1;
      uint8_t rest = (uint8_t)((b & 0x7f) >> used);
      uint8_t want = sign ? (uint8_t)(0x7f >> used) : 0;
      if (rest != want) return ebb__fail(r, "integer too large");
      if (b & 0x80) return ebb__fail(r, "integer representation too long");
      v |= (uint64_t)(b & 0x7f) << shift;
      shift += 7;
      break;
    }
    v |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift; /* sign-extend */
  r->p = p;
  *out = (int64_t)v;
  return 0;
}

static inline int ebb__read_u32(ebb__reader *r, uint32_t *out) {
  uint64_t v;
  if (ebb__read_uleb(r, 32, &v)) return -1;
  *out = (uint32_t)v;
  return 0;
}

static inline int ebb__read_u64(ebb__reader *r, uint64_t *out) { return ebb__read_uleb(r, 64, out); }

static inline int ebb__read_s32(ebb__reader *r, int32_t *out) {
  int64_t v;
  if (ebb__read_sleb(r, 32, &v)) return -1;
  *out = (int32_t)v;
  return 0;
}

static inline int ebb__read_s33(ebb__reader *r, int64_t *out) { return ebb__read_sleb(r, 33, out); }

static inline int ebb__read_s64(ebb__reader *r, int64_t *out) { return ebb__read_sleb(r, 64, out); }

static inline int ebb__read_f32(ebb__reader *r, uint32_t *bits) {
  const uint8_t *b;
  if (ebb__read_bytes(r, 4, &b)) return -1;
  *bits = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
  return 0;
}

static inline int ebb__read_f64(ebb__reader *r, uint64_t *bits) {
  const uint8_t *b;
  /* One bounds check for all 8 bytes, so a short read leaves the cursor
  ** at the start of the value like every other read. */
  if (ebb__read_bytes(r, 8, &b)) return -1;
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | b[i];
  *bits = v;
  return 0;
}

#endif
