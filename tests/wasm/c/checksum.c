/* A computing guest with a known answer: fill arrays from a xorshift
** generator, sort them three ways (qsort, a merge sort on the heap, an
** insertion sort), check they agree, hash them with FNV-1a, and exercise
** 64-bit arithmetic, memory growth (malloc of a few MiB), string formatting
** and a sieve. Every line of output is deterministic. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t xorshift64(void) {
  uint64_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return rng_state = x;
}

static uint64_t fnv1a(const void *p, size_t n, uint64_t h) {
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++) {
    h ^= b[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static void merge_sort(uint32_t *a, uint32_t *tmp, size_t n) {
  if (n < 2) return;
  size_t h = n / 2;
  merge_sort(a, tmp, h);
  merge_sort(a + h, tmp, n - h);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
  while (i < h) tmp[k++] = a[i++];
  while (j < n) tmp[k++] = a[j++];
  memcpy(a, tmp, n * sizeof *a);
}

static void insertion_sort(uint32_t *a, size_t n) {
  for (size_t i = 1; i < n; i++) {
    uint32_t v = a[i];
    size_t j = i;
    while (j > 0 && a[j - 1] > v) {
      a[j] = a[j - 1];
      j--;
    }
    a[j] = v;
  }
}

/* Integer operations whose wasm semantics are defined where C's are not are
** avoided; these are all well-defined in C and map to one wasm instruction. */
static void int_ops(void) {
  volatile uint32_t z = 0, one = 1, big = 0x80000000u;
  volatile uint64_t z64 = 0, big64 = 0x8000000000000000ull;
  volatile int32_t m1 = -1, neg7 = -7, two = 2;
  volatile int64_t neg7l = -7;
  printf("clz(0)=%d clz(1)=%d ctz(0x80000000)=%d popcnt=%d\n", z ? __builtin_clz(z) : 32,
         __builtin_clz(one), __builtin_ctz(big), __builtin_popcount(0xf0f0f0f0u ^ one));
  printf("clzll(1)=%d ctzll(2^63)=%d popcountll=%d\n", __builtin_clzll(one),
         __builtin_ctzll(big64), __builtin_popcountll(~z64));
  printf("-7/2=%d -7%%2=%d -7>>1=%d (uint)-1/2=%u\n", neg7 / two, neg7 % two, neg7 >> 1,
         (uint32_t)m1 / 2u);
  printf("-7L/2=%lld -7L%%2=%lld (u64)-7/3=%llu\n", (long long)(neg7l / two),
         (long long)(neg7l % two), (unsigned long long)((uint64_t)neg7l / 3u));
  uint32_t r = (one << 31) | (one >> 1);
  printf("rotl=%08x i8=%d i16=%d u8=%u\n", (r << 5) | (r >> 27), (int8_t)(0x180 + one),
         (int16_t)(0x18000 + one), (uint8_t)(0x1ff + one));
  uint64_t p = 0xfedcba9876543210ull * (uint64_t)(neg7l);
  printf("mul64=%016llx mulhi=%016llx\n", (unsigned long long)p,
         (unsigned long long)(((unsigned __int128)p * 0x123456789abcdefull) >> 64));
}

int main(void) {
  enum { N = 20000, SMALL = 600 };
  uint32_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *tmp = malloc(N * sizeof *tmp);
  if (!a || !b || !tmp) return 1;
  for (int i = 0; i < N; i++) a[i] = b[i] = (uint32_t)xorshift64();
  uint64_t unsorted = fnv1a(a, N * sizeof *a, 0xcbf29ce484222325ull);
  qsort(a, N, sizeof *a, cmp_u32);
  merge_sort(b, tmp, N);
  printf("unsorted hash %016llx\n", (unsigned long long)unsorted);
  printf("sorted hash   %016llx\n", (unsigned long long)fnv1a(a, N * sizeof *a, 0xcbf29ce484222325ull));
  printf("qsort %s merge sort\n", memcmp(a, b, N * sizeof *a) ? "differs from" : "agrees with");
  printf("min %u max %u median %u\n", a[0], a[N - 1], a[N / 2]);

  uint32_t small[SMALL];
  for (int i = 0; i < SMALL; i++) small[i] = (uint32_t)(xorshift64() >> 40);
  insertion_sort(small, SMALL);
  int ok = 1;
  for (int i = 1; i < SMALL; i++) ok &= small[i - 1] <= small[i];
  printf("insertion sort %s, hash %016llx\n", ok ? "ok" : "BROKEN",
         (unsigned long long)fnv1a(small, sizeof small, 0xcbf29ce484222325ull));

  /* Grow the heap well past the initial memory: 4 MiB, touched throughout. */
  size_t big = 4u << 20;
  uint8_t *heap = malloc(big);
  if (!heap) return 1;
  for (size_t i = 0; i < big; i++) heap[i] = (uint8_t)(i * 31 + (i >> 12));
  printf("4 MiB hash %016llx\n", (unsigned long long)fnv1a(heap, big, 0xcbf29ce484222325ull));
  free(heap);

  /* Primes below 100000 by sieve. */
  enum { LIM = 100000 };
  uint8_t *comp = calloc(LIM, 1);
  int count = 0;
  uint64_t psum = 0;
  for (int i = 2; i < LIM; i++) {
    if (comp[i]) continue;
    count++;
    psum += (uint64_t)i;
    for (int j = i * 2; j < LIM; j += i) comp[j] = 1;
  }
  printf("primes below %d: %d, sum %llu\n", LIM, count, (unsigned long long)psum);
  free(comp);

  char buf[128];
  int len = snprintf(buf, sizeof buf, "%d|%5s|%-5s|%x|%o|%c|%.3s|%lld", -42, "ab", "cd", 255, 8,
                     'z', "truncate", -1234567890123ll);
  printf("snprintf %d [%s]\n", len, buf);
  int_ops();
  free(a);
  free(b);
  free(tmp);
  return 0;
}
