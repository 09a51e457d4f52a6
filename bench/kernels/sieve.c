/* sieve: sieve of Eratosthenes over a byte array, repeated.
 * Measures: byte loads and stores in tight strided loops, loop back-edges,
 * bounds checks on linear memory. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 4000000u   /* sieve the numbers 0 .. LIMIT-1 */
#define ROUNDS 40u
#define EXPECTED_PRIMES 283146u     /* primes below 4,000,000 */
#define EXPECTED_LAST 3999971u      /* largest prime below 4,000,000 */

static volatile uint32_t input_limit = LIMIT;

int main(void)
{
    uint32_t limit = input_limit;
    unsigned char *composite = malloc(limit);
    if (!composite) {
        printf("sieve: out of memory FAIL\n");
        return 1;
    }
    uint32_t count = 0, last = 0;
    for (uint32_t round = 0; round < ROUNDS; round++) {
        memset(composite, 0, limit);
        count = 0;
        last = 0;
        for (uint32_t i = 2; i < limit; i++) {
            if (composite[i])
                continue;
            count++;
            last = i;
            if ((uint64_t)i * i >= limit)
                continue;
            for (uint32_t j = i * i; j < limit; j += i)
                composite[j] = 1;
        }
    }
    free(composite);
    int ok = (count == EXPECTED_PRIMES && last == EXPECTED_LAST);
    printf("sieve: %u primes, last %u %s\n", (unsigned)count, (unsigned)last,
           ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
