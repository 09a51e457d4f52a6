/* dot: f32 dot products of two 4096-element vectors, 40,000 times.
 * Measures: f32 loads, multiplies and a sum reduction; with -msimd128,
 * f32x4 mul/add over v128 loads. The elements are small integers and
 * every partial sum stays below 2^24, so each sum is exact in any order:
 * the vectorised reduction (reassociated) gives the scalar result. */
#include <stdint.h>
#include <stdio.h>

#define N 4096
#define ROUNDS 40000
#define EXPECTED 0xc556c66854b772f3ull

static float x[N], y[N];
static volatile int input_n = N;

static float dot(const float *a, const float *b, int n) {
#pragma clang fp reassociate(on)
    float s = 0.0f;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

int main(void) {
    int n = input_n;
    for (int i = 0; i < n; i++) {
        x[i] = (float)((i * 7) % 13) - 6.0f;
        y[i] = (float)((i * 5) % 11) - 5.0f;
    }
    uint64_t h = 14695981039346656037u;
    for (int r = 0; r < ROUNDS; r++) {
        x[r % n] += 1.0f; /* rounds differ */
        int64_t v = (int64_t)dot(x, y, n);
        h = (h ^ (uint64_t)v) * 1099511628211u;
    }
    int ok = h == EXPECTED;
    printf("dot: %016llx %s\n", (unsigned long long)h, ok ? "ok" : "FAIL");
    return !ok;
}
