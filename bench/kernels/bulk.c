/* bulk: memmove and memset on a 16 MiB buffer, many small ones (1 to 512
 * bytes) and fewer large ones (64 KiB to 8 MiB), at pseudo-random places,
 * overlapping or not; then a checksum of the buffer.
 * Measures: memory.copy and memory.fill (built with -mbulk-memory, as
 * bench/run.sh does for this kernel): the small ones the per-instruction
 * cost, the large ones bandwidth, in ebb the chunked path (exec/bulk.c).
 * The checksum was checked with a Python re-implementation (slice
 * assignment copies like memmove). */
/* bench: wasm-cflags -mbulk-memory */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_SIZE (16u << 20)
#define SMALL_OPS 3000000u
#define LARGE_OPS 1500u
#define EXPECTED_SUM 0x1b234771cd2524dbull

static volatile uint32_t input_seed = 0x6d2b79f5u;

static uint32_t xs(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* One operation of n bytes: memset (one time in four) or memmove. */
static void op(unsigned char *buf, uint32_t *s, uint32_t n)
{
    uint32_t x = xs(s);
    uint32_t d = xs(s) % (BUF_SIZE - n + 1);
    if ((x & 3u) == 0) {
        memset(buf + d, (int)(x >> 8) & 0xff, n);
    } else {
        uint32_t from = xs(s) % (BUF_SIZE - n + 1);
        memmove(buf + d, buf + from, n);
    }
}

int main(void)
{
    unsigned char *buf = malloc(BUF_SIZE);
    if (!buf) {
        printf("bulk: out of memory FAIL\n");
        return 1;
    }
    uint32_t s = input_seed;
    for (uint32_t i = 0; i < BUF_SIZE; i += 4) {
        uint32_t v = xs(&s);
        memcpy(buf + i, &v, 4);
    }
    for (uint32_t i = 0; i < SMALL_OPS; i++)
        op(buf, &s, 1 + xs(&s) % 512);
    for (uint32_t i = 0; i < LARGE_OPS; i++) {
        uint32_t shift = xs(&s) % 8;
        op(buf, &s, (65536u << shift) - xs(&s) % 4096);
    }
    uint64_t sum = 0;
    for (uint32_t i = 0; i < BUF_SIZE; i += 8) {
        uint64_t v;
        memcpy(&v, buf + i, 8);
        sum = sum * 31 + v;
    }
    free(buf);
    if (sum != EXPECTED_SUM) {
        printf("bulk: %016llx FAIL\n", (unsigned long long)sum);
        return 1;
    }
    printf("bulk: %016llx ok\n", (unsigned long long)sum);
    return 0;
}
