/* hash: FNV-1a (32-bit, byte at a time) and table-driven CRC-32 over a
 * pseudo-random buffer, repeated.
 * Measures: byte loads, 32-bit multiply/xor/shift, table lookups (indexed
 * loads), tight loops. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BUF_SIZE (1u << 20)   /* 1 MiB */
#define ROUNDS 100u
#define EXPECTED_FNV 0xd2f7dc8du
#define EXPECTED_CRC 0x9117a653u

static volatile uint32_t input_seed = 0x9e3779b9u;

static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ 0xedb88320u : (c >> 1);
        crc_table[i] = c;
    }
}

static uint32_t fnv1a(const unsigned char *p, uint32_t n, uint32_t h)
{
    for (uint32_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t crc32(const unsigned char *p, uint32_t n, uint32_t crc)
{
    crc = ~crc;
    for (uint32_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

int main(void)
{
    unsigned char *buf = malloc(BUF_SIZE);
    if (!buf) {
        printf("hash: out of memory FAIL\n");
        return 1;
    }
    /* xorshift32 fill */
    uint32_t x = input_seed;
    for (uint32_t i = 0; i < BUF_SIZE; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)(x >> 24);
    }
    crc_init();

    uint32_t fnv = 2166136261u, crc = 0;
    for (uint32_t r = 0; r < ROUNDS; r++) {
        fnv = fnv1a(buf, BUF_SIZE, fnv);
        crc = crc32(buf, BUF_SIZE, crc);
        buf[r * 4099u % BUF_SIZE] ^= (unsigned char)fnv; /* vary each round */
    }
    free(buf);
    int ok = (fnv == EXPECTED_FNV && crc == EXPECTED_CRC);
    printf("hash: fnv1a %08x crc32 %08x %s\n", (unsigned)fnv, (unsigned)crc,
           ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
