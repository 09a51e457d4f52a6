/* sort: quicksort (median-of-three, insertion sort for small ranges) plus a
 * heapsort of the same data, over pseudo-random 32-bit keys.
 * Measures: data-dependent branches, 32-bit loads/stores with swaps,
 * recursion, comparison-heavy loops. Checks that the output is sorted and is
 * a permutation of the input (order-independent checksum). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT 400000u
#define ROUNDS 5u
#define EXPECTED 0xd34a1cc94ff74703ull

static volatile uint32_t input_seed = 12345u;

static void insertion_sort(uint32_t *a, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        uint32_t v = a[i], j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

static void quicksort(uint32_t *a, uint32_t n)
{
    while (n > 16) {
        uint32_t mid = n / 2, last = n - 1, t;
        /* median of three into a[mid] */
        if (a[mid] < a[0]) { t = a[mid]; a[mid] = a[0]; a[0] = t; }
        if (a[last] < a[0]) { t = a[last]; a[last] = a[0]; a[0] = t; }
        if (a[last] < a[mid]) { t = a[last]; a[last] = a[mid]; a[mid] = t; }
        uint32_t pivot = a[mid];
        uint32_t i = 0, j = last;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            t = a[i]; a[i] = a[j]; a[j] = t;
            i++;
            j--;
        }
        /* [0, j] <= pivot <= [j+1, n); recurse on the smaller side */
        uint32_t left = j + 1, right = n - left;
        if (left < right) {
            quicksort(a, left);
            a += left;
            n = right;
        } else {
            quicksort(a + left, right);
            n = left;
        }
    }
    insertion_sort(a, n);
}

static void sift_down(uint32_t *a, uint32_t root, uint32_t n)
{
    uint32_t v = a[root];
    for (;;) {
        uint32_t child = 2 * root + 1;
        if (child >= n) break;
        if (child + 1 < n && a[child + 1] > a[child]) child++;
        if (a[child] <= v) break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heapsort(uint32_t *a, uint32_t n)
{
    for (uint32_t i = n / 2; i-- > 0;)
        sift_down(a, i, n);
    for (uint32_t end = n; end-- > 1;) {
        uint32_t t = a[0]; a[0] = a[end]; a[end] = t;
        sift_down(a, 0, end);
    }
}

static uint64_t multiset_sum(const uint32_t *a, uint32_t n)
{
    uint64_t s = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t v = a[i];
        s += (v * 0x9e3779b97f4a7c15ull) ^ (v >> 7);
    }
    return s;
}

static int is_sorted(const uint32_t *a, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++)
        if (a[i - 1] > a[i]) return 0;
    return 1;
}

int main(void)
{
    uint32_t n = COUNT;
    uint32_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    if (!a || !b) {
        printf("sort: out of memory FAIL\n");
        return 1;
    }
    uint32_t x = input_seed;
    uint64_t check = 0;
    int ok = 1;
    for (uint32_t r = 0; r < ROUNDS; r++) {
        for (uint32_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            a[i] = x % 1000003u; /* some duplicates */
        }
        memcpy(b, a, n * sizeof *a);
        uint64_t before = multiset_sum(a, n);
        quicksort(a, n);
        heapsort(b, n);
        if (!is_sorted(a, n) || !is_sorted(b, n) || multiset_sum(a, n) != before ||
            memcmp(a, b, n * sizeof *a) != 0)
            ok = 0;
        /* sample the sorted array into the checksum */
        for (uint32_t i = 0; i < n; i += 997)
            check = check * 31u + a[i];
    }
    free(a);
    free(b);
    if (check != EXPECTED) ok = 0;
    printf("sort: %016llx %s\n", (unsigned long long)check, ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
