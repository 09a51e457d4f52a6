/* fib: naive doubly-recursive Fibonacci.
 * Measures: function call and return overhead, argument passing, small
 * integer compares and adds. Almost no memory traffic besides the stack. */
#include <stdint.h>
#include <stdio.h>

#define N 42u
#define EXPECTED 267914296u

/* volatile so the compiler cannot fold the whole computation */
static volatile uint32_t input_n = N;

static uint32_t fib(uint32_t n)
{
    if (n < 2u)
        return n;
    return fib(n - 1u) + fib(n - 2u);
}

int main(void)
{
    uint32_t r = fib(input_n);
    int ok = (r == EXPECTED);
    printf("fib: %u %s\n", (unsigned)r, ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
