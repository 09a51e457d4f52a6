/* saxpy: y = a * x + y over 8192 f32 elements, 30,000 times, with a
 * different a each time. Measures: f32 loads, multiply-add, stores; with
 * -msimd128, f32x4 lanes. Values are small integers kept in range so all
 * arithmetic is exact and the checksum is the same on every platform. */
#include <stdint.h>
#include <stdio.h>

#define N 8192
#define ROUNDS 15000
#define EXPECTED 0xa0cfad7296699c5aull

static float x[N], y[N];
static volatile int input_n = N;

static void saxpy(float a, const float *restrict xs, float *restrict ys, int n) {
    for (int i = 0; i < n; i++)
        ys[i] = a * xs[i] + ys[i];
}

int main(void) {
    int n = input_n;
    for (int i = 0; i < n; i++) {
        x[i] = (float)((i * 3) % 7) - 3.0f;
        y[i] = (float)(i % 17);
    }
    uint64_t h = 14695981039346656037u;
    for (int r = 0; r < ROUNDS; r++) {
        float a = (float)((r % 5) - 2); /* -2..2: the sum of a over 5 rounds is 0 */
        saxpy(a, x, y, n);
        int64_t v = (int64_t)y[(r * 31) % n];
        h = (h ^ (uint64_t)v) * 1099511628211u;
    }
    int ok = h == EXPECTED;
    printf("saxpy: %016llx %s\n", (unsigned long long)h, ok ? "ok" : "FAIL");
    return !ok;
}
