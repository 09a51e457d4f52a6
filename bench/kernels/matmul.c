/* matmul: dense double-precision matrix multiply C = A * B, naive i-k-j order.
 * Measures: f64 loads, multiplies, adds and stores; address arithmetic in
 * nested loops. Inputs are small integers so every sum is exact and the
 * checksum is identical on every conforming platform. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 400
#define ROUNDS 12
#define EXPECTED 0x592a2d8aa769197eull

static volatile int input_n = N;

int main(void)
{
    int n = input_n;
    double *a = malloc(sizeof(double) * (size_t)n * (size_t)n);
    double *b = malloc(sizeof(double) * (size_t)n * (size_t)n);
    double *c = malloc(sizeof(double) * (size_t)n * (size_t)n);
    if (!a || !b || !c) {
        printf("matmul: out of memory FAIL\n");
        return 1;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i * n + j] = (double)((i * 7 + j * 3) % 11) - 5.0;
            b[i * n + j] = (double)((i * 5 + j * 13) % 9) - 4.0;
        }

    uint64_t check = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < n * n; i++)
            c[i] = 0.0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                double *crow = c + i * n;
                const double *brow = b + k * n;
                for (int j = 0; j < n; j++)
                    crow[j] += aik * brow[j];
            }
        /* fold the result into an order-sensitive checksum */
        uint64_t h = 14695981039346656037u;
        for (int i = 0; i < n * n; i++) {
            int64_t v = (int64_t)c[i];
            h = (h ^ (uint64_t)v) * 1099511628211u;
        }
        check ^= h + (uint64_t)round;
        /* perturb A a little so rounds differ */
        a[round] += 1.0;
    }
    free(a);
    free(b);
    free(c);
    int ok = (check == EXPECTED);
    printf("matmul: %016llx %s\n", (unsigned long long)check, ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
