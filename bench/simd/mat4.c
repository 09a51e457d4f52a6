/* mat4: a 4x4 f32 matrix applied to 65,536 four-component vectors, 300
 * times (a vertex transform). Measures: f32 loads, multiplies and adds in
 * a fixed 4x4 pattern; with -msimd128, splats of each component times the
 * matrix columns (f32x4). Small integer values: exact, same checksum. */
#include <stdint.h>
#include <stdio.h>

#define N 65536
#define ROUNDS 600
#define EXPECTED 0x7fecf46fd618a435ull

typedef struct { float v[4]; } vec4;
static vec4 in[N], out[N];
static float m[4][4]; /* columns */
static volatile int input_n = N;

/* One vector at a time, as SIMD vector libraries do: each component splat
 * times a matrix column (the loop vectoriser would rather gather four
 * vectors' components lane by lane). */
static void transform(const float (*restrict mc)[4], const vec4 *restrict src,
                      vec4 *restrict dst, int n) {
#pragma clang loop vectorize(disable)
    for (int i = 0; i < n; i++) {
        float x = src[i].v[0], y = src[i].v[1], z = src[i].v[2], w = src[i].v[3];
        for (int k = 0; k < 4; k++)
            dst[i].v[k] = mc[0][k] * x + mc[1][k] * y + mc[2][k] * z + mc[3][k] * w;
    }
}

int main(void) {
    int n = input_n;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 4; k++)
            in[i].v[k] = (float)(((i + 1) * (k + 3)) % 9) - 4.0f;
    uint64_t h = 14695981039346656037u;
    for (int r = 0; r < ROUNDS; r++) {
        for (int c = 0; c < 4; c++)
            for (int k = 0; k < 4; k++)
                m[c][k] = (float)((c * 4 + k + r) % 7) - 3.0f;
        transform(m, in, out, n);
        for (int i = r % 97; i < n; i += 97)
            for (int k = 0; k < 4; k++)
                h = (h ^ (uint64_t)(int64_t)out[i].v[k]) * 1099511628211u;
    }
    int ok = h == EXPECTED;
    printf("mat4: %016llx %s\n", (unsigned long long)h, ok ? "ok" : "FAIL");
    return !ok;
}
