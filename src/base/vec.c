#include "base/vec.h"

#include "base/alloc.h"

int ebb__vec_grow(void **data, size_t *cap, size_t len, size_t extra, size_t elem) {
  size_t need = len + extra;
  if (need < len) return -1;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2) return -1;
    ncap *= 2;
  }
  if (ncap > SIZE_MAX / elem) return -1;
  void *p = ebb__realloc(*data, ncap * elem);
  if (!p) return -1;
  *data = p;
  *cap = ncap;
  return 0;
}
