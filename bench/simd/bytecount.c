/* bytecount: memchr-style scanning -- count the occurrences of a byte and
 * find its first occurrence after a position, over 1 MiB of text, for
 * several bytes, 300 times. Measures: byte loads and compares; with
 * -msimd128, i8x16.eq over v128 loads with lane-wise accumulation. */
#include <stdint.h>
#include <stdio.h>

#define N (1 << 20)
#define ROUNDS 320
#define EXPECTED 0x7a3302d63b970938ull

static uint8_t text[N];
static volatile int input_n = N;

/* Counted as SIMD code counts bytes: 16 byte-wide counters, each taking
 * at most 255 matches before they are added up. */
static uint32_t count(const uint8_t *p, int n, uint8_t c) {
    uint32_t k = 0;
    int i = 0;
    while (i + 16 <= n) {
        uint8_t acc[16] = {0};
#pragma clang loop vectorize(disable) /* vectorise the 16 lanes, not the blocks */
        for (int b = 0; b < 255 && i + 16 <= n; b++, i += 16)
            for (int j = 0; j < 16; j++)
                acc[j] += p[i + j] == c;
        for (int j = 0; j < 16; j++)
            k += acc[j];
    }
    for (; i < n; i++)
        k += p[i] == c;
    return k;
}

/* The first index >= from holding c, or n: 16 bytes tested at a time
 * through a branch-free OR of compares, so a compiler can vectorise it. */
static int find(const uint8_t *p, int n, int from, uint8_t c) {
    int i = from;
    for (; i + 16 <= n; i += 16) {
        uint8_t any = 0;
        for (int j = 0; j < 16; j++)
            any |= (uint8_t)(p[i + j] == c);
        if (any)
            break;
    }
    for (; i < n; i++)
        if (p[i] == c)
            return i;
    return n;
}

int main(void) {
    int n = input_n;
    uint32_t seed = 42;
    for (int i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        uint32_t r = seed >> 24;
        text[i] = r < 40 ? ' ' : r < 44 ? '\n' : (uint8_t)('a' + r % 26);
    }
    uint64_t h = 14695981039346656037u;
    static const uint8_t bytes[] = {' ', '\n', 'e', 'q', 'z'};
    for (int r = 0; r < ROUNDS; r++) {
        uint8_t c = bytes[r % 5];
        h = (h ^ count(text, n, c)) * 1099511628211u;
        int at = find(text, n, (r * 4099) % n, (uint8_t)'\n');
        h = (h ^ (uint64_t)at) * 1099511628211u;
        text[(r * 7919) % n] = (uint8_t)('a' + r % 26);
    }
    int ok = h == EXPECTED;
    printf("bytecount: %016llx %s\n", (unsigned long long)h, ok ? "ok" : "FAIL");
    return !ok;
}
