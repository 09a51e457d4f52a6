/* lz: a small LZ77-style compressor and decompressor over generated text,
 * round-tripped and repeated.
 * Measures: memcpy/memcmp-heavy code (bulk memory when the toolchain uses
 * it), byte loads/stores, hash-table lookups, data-dependent branches.
 *
 * Format: a control byte c.
 *   c <  128: a run of c + 1 literal bytes follows.
 *   c >= 128: a match of (c & 127) + 4 bytes at a distance given by the next
 *             two bytes (little endian, 1 .. 65535). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INPUT_SIZE (1u << 20)
#define ROUNDS 150u
#define HASH_BITS 14u
#define MIN_MATCH 4u
#define MAX_MATCH (127u + MIN_MATCH)
#define MAX_DIST 65535u
#define EXPECTED_SIZE 198749u
#define EXPECTED_CHECK 0xca162fd7u

static volatile uint32_t input_seed = 0x2545f491u;

static uint32_t xs(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static uint32_t load32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint32_t hash4(uint32_t v) { return (v * 2654435761u) >> (32u - HASH_BITS); }

static unsigned char *emit_literals(unsigned char *out, const unsigned char *lit, uint32_t n)
{
    while (n > 0) {
        uint32_t run = n > 128u ? 128u : n;
        *out++ = (unsigned char)(run - 1u);
        memcpy(out, lit, run);
        out += run;
        lit += run;
        n -= run;
    }
    return out;
}

/* returns the compressed size; out must hold n + n / 128 + 16 bytes */
static uint32_t compress(const unsigned char *in, uint32_t n, unsigned char *out,
                         uint32_t *table)
{
    unsigned char *o = out;
    uint32_t pos = 0, lit_start = 0;
    for (uint32_t k = 0; k < (1u << HASH_BITS); k++)
        table[k] = 0xffffffffu;
    while (pos + MIN_MATCH <= n) {
        uint32_t v = load32(in + pos);
        uint32_t h = hash4(v);
        uint32_t cand = table[h];
        table[h] = pos;
        if (cand != 0xffffffffu && pos - cand <= MAX_DIST && load32(in + cand) == v) {
            uint32_t len = MIN_MATCH;
            uint32_t limit = n - pos < MAX_MATCH ? n - pos : MAX_MATCH;
            while (len < limit && in[cand + len] == in[pos + len])
                len++;
            o = emit_literals(o, in + lit_start, pos - lit_start);
            uint32_t dist = pos - cand;
            *o++ = (unsigned char)(128u + len - MIN_MATCH);
            *o++ = (unsigned char)(dist & 0xffu);
            *o++ = (unsigned char)(dist >> 8);
            /* index a few positions inside the match */
            for (uint32_t k = 1; k < len && pos + k + MIN_MATCH <= n; k += 3)
                table[hash4(load32(in + pos + k))] = pos + k;
            pos += len;
            lit_start = pos;
        } else {
            pos++;
        }
    }
    o = emit_literals(o, in + lit_start, n - lit_start);
    return (uint32_t)(o - out);
}

/* returns the decompressed size, or 0xffffffff on malformed input */
static uint32_t decompress(const unsigned char *in, uint32_t n, unsigned char *out,
                           uint32_t cap)
{
    uint32_t ip = 0, op = 0;
    while (ip < n) {
        uint32_t c = in[ip++];
        if (c < 128u) {
            uint32_t run = c + 1u;
            if (ip + run > n || op + run > cap) return 0xffffffffu;
            memcpy(out + op, in + ip, run);
            ip += run;
            op += run;
        } else {
            if (ip + 2 > n) return 0xffffffffu;
            uint32_t len = (c & 127u) + MIN_MATCH;
            uint32_t dist = in[ip] | ((uint32_t)in[ip + 1] << 8);
            ip += 2;
            if (dist == 0 || dist > op || op + len > cap) return 0xffffffffu;
            if (dist >= len) {
                memcpy(out + op, out + op - dist, len);
            } else {
                for (uint32_t k = 0; k < len; k++)
                    out[op + k] = out[op - dist + k];
            }
            op += len;
        }
    }
    return op;
}

int main(void)
{
    static const char *words[] = {
        "the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ",
        "interrupt ", "resume ", "thread ", "memory ", "wait ", "notify ", "trap ",
        "module ", "instance ", "table ", "global ", "stack ", "frame ", "value ",
        "a", "b", "c", "\n", ", ", ". ", "0", "1", "2", "3",
    };
    uint32_t n = INPUT_SIZE;
    unsigned char *in = malloc(n), *comp = malloc(n + n / 128u + 16u), *back = malloc(n);
    uint32_t *table = malloc(sizeof(uint32_t) << HASH_BITS);
    if (!in || !comp || !back || !table) {
        printf("lz: out of memory FAIL\n");
        return 1;
    }
    uint32_t seed = input_seed;
    uint32_t fill = 0;
    while (fill < n) {
        uint32_t rnd = xs(&seed);
        if ((rnd & 7u) == 0 && fill > 4096u) {
            /* repeat an earlier stretch of text: gives long matches */
            uint32_t len = 16u + ((rnd >> 3) & 255u);
            uint32_t back = 1u + ((rnd >> 11) % 4000u);
            if (len > n - fill) len = n - fill;
            memmove(in + fill, in + fill - back, len);
            fill += len;
        } else {
            const char *w = words[(rnd >> 3) & 31u];
            size_t wl = strlen(w);
            if (wl > n - fill) wl = n - fill;
            memcpy(in + fill, w, wl);
            fill += (uint32_t)wl;
        }
    }

    uint32_t size = 0, check = 2166136261u;
    int ok = 1;
    for (uint32_t r = 0; r < ROUNDS; r++) {
        in[(r * 7919u) % n] = (unsigned char)('A' + r); /* vary each round */
        size = compress(in, n, comp, table);
        uint32_t got = decompress(comp, size, back, n);
        if (got != n || memcmp(in, back, n) != 0)
            ok = 0;
        for (uint32_t k = 0; k < size; k += 61u)
            check = (check ^ comp[k]) * 16777619u;
    }
    free(in);
    free(comp);
    free(back);
    free(table);
    if (size != EXPECTED_SIZE || check != EXPECTED_CHECK)
        ok = 0;
    printf("lz: %u bytes, check %08x %s\n", (unsigned)size, (unsigned)check,
           ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
