/* blur: a 3x3 box blur of a 512x512 8-bit image, 120 times (each pass
 * blurs the previous output). Measures: byte loads, widening to 16 bits,
 * adds, a multiply-shift for the division by 9, narrowing and byte
 * stores; with -msimd128, i16x8/u8x16 lanes (extend, add, extmul,
 * narrow). Integer arithmetic only: the checksum is exact everywhere. */
#include <stdint.h>
#include <stdio.h>

#define W 512
#define H 512
#define ROUNDS 160
#define EXPECTED 0x18add09935779477ull

static uint8_t img[2][H][W];
static uint16_t rows[W];
static volatile int input_w = W;

/* One output row: vertical sums of three rows, then horizontal. x / 9 is
 * (x * 7282 + 32768) >> 16 for the sums that occur (0 .. 2295). */
static void blur_row(const uint8_t *a, const uint8_t *b, const uint8_t *c, uint8_t *out, int w) {
    for (int x = 0; x < w; x++)
        rows[x] = (uint16_t)(a[x] + b[x] + c[x]);
    out[0] = b[0];
    out[w - 1] = b[w - 1];
    for (int x = 1; x < w - 1; x++) {
        uint32_t s = (uint32_t)rows[x - 1] + rows[x] + rows[x + 1];
        out[x] = (uint8_t)((s * 7282u + 32768u) >> 16);
    }
}

int main(void) {
    int w = input_w;
    uint32_t seed = 12345;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < w; x++) {
            seed = seed * 1103515245u + 12345u;
            img[0][y][x] = (uint8_t)(seed >> 24);
        }
    uint64_t h = 14695981039346656037u;
    for (int r = 0; r < ROUNDS; r++) {
        uint8_t (*src)[W] = img[r & 1], (*dst)[W] = img[(r + 1) & 1];
        for (int x = 0; x < w; x++) {
            dst[0][x] = src[0][x];
            dst[H - 1][x] = src[H - 1][x];
        }
        for (int y = 1; y < H - 1; y++)
            blur_row(src[y - 1], src[y], src[y + 1], dst[y], w);
        src[(r * 7) % H][(r * 13) % w] ^= 0xff; /* keep the image from going flat */
        for (int y = 0; y < H; y += 37)
            for (int x = 0; x < w; x += 5)
                h = (h ^ dst[y][x]) * 1099511628211u;
    }
    int ok = h == EXPECTED;
    printf("blur: %016llx %s\n", (unsigned long long)h, ok ? "ok" : "FAIL");
    return !ok;
}
