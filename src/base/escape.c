/* escape.c -- module names made safe to print (escape.h). */
#include "base/escape.h"

#include <stdint.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at s (of at most n bytes), or 0. */
static size_t utf8_len(const uint8_t *s, size_t n, uint32_t *cp) {
  uint8_t c = s[0];
  size_t k;
  uint32_t v;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xc2 && c <= 0xdf) k = 2, v = c & 0x1f;
  else if (c >= 0xe0 && c <= 0xef) k = 3, v = c & 0x0f;
  else if (c >= 0xf0 && c <= 0xf4) k = 4, v = c & 0x07;
  else return 0;
  if (k > n) return 0;
  for (size_t i = 1; i < k; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    v = v << 6 | (s[i] & 0x3f);
  }
  /* Overlong forms, surrogates and values past U+10FFFF are malformed. */
  if ((k == 3 && v < 0x800) || (k == 4 && (v < 0x10000 || v > 0x10ffff)) ||
      (v >= 0xd800 && v <= 0xdfff))
    return 0;
  *cp = v;
  return k;
}

/* Code points a terminal acts on rather than shows. */
static int is_control(uint32_t cp) {
  return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

const char *ebb__escape(char *buf, size_t size, const char *str, size_t len) {
  static const char hex[] = "0123456789abcdef";
  const uint8_t *s = (const uint8_t *)str;
  size_t o = 0, i = 0;
  if (!s) len = 0;
  while (i < len) {
    uint32_t cp;
    size_t k = utf8_len(s + i, len - i, &cp);
    char piece[8];
    size_t n;
    if (k == 0 || is_control(cp)) {
      k = k ? k : 1;
      /* Escape every byte of the sequence. */
      if (o + 4 * k + 4 > size) break;
      for (size_t j = 0; j < k; j++) {
        buf[o++] = '\\';
        buf[o++] = 'x';
        buf[o++] = hex[s[i + j] >> 4];
        buf[o++] = hex[s[i + j] & 15];
      }
      i += k;
      continue;
    }
    if (cp == '\\' || cp == '"') {
      piece[0] = '\\';
      piece[1] = (char)cp;
      n = 2;
    } else {
      memcpy(piece, s + i, k);
      n = k;
    }
    if (o + n + 4 > size) break;
    memcpy(buf + o, piece, n);
    o += n;
    i += k;
  }
  if (i < len && size >= 4) {
    while (o + 4 > size) o--;
    memcpy(buf + o, "...", 3);
    o += 3;
  }
  buf[o < size ? o : size - 1] = '\0';
  return buf;
}

const char *ebb__escape_str(char *buf, size_t size, const char *s) {
  return ebb__escape(buf, size, s, s ? strlen(s) : 0);
}
