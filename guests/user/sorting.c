/* Function pointers: qsort and bsearch with several comparators, a dispatch table of sorting
 * algorithms called through pointers, and callbacks that capture state through a context. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 500
static uint32_t state = 12345;
static uint32_t rnd(void) { state = state * 1103515245u + 12345u; return state >> 8; }

static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
struct pair { int key; unsigned order; };
static int cmp_pair(const void *a, const void *b) {
  const struct pair *p = a, *q = b;
  if (p->key != q->key) return p->key < q->key ? -1 : 1;
  return p->order < q->order ? -1 : p->order > q->order;
}

static void insertion(int *a, int n) {
  for (int i = 1; i < n; i++) { int v = a[i], j = i - 1; while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; } a[j + 1] = v; }
}
static void shell(int *a, int n) {
  for (int gap = n / 2; gap > 0; gap /= 2)
    for (int i = gap; i < n; i++) { int v = a[i], j = i; for (; j >= gap && a[j - gap] > v; j -= gap) a[j] = a[j - gap]; a[j] = v; }
}
static void heapify(int *a, int n, int i) {
  for (;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < n && a[l] > a[m]) m = l;
    if (r < n && a[r] > a[m]) m = r;
    if (m == i) return;
    int t = a[i]; a[i] = a[m]; a[m] = t; i = m;
  }
}
static void heapsort_(int *a, int n) {
  for (int i = n / 2 - 1; i >= 0; i--) heapify(a, n, i);
  for (int i = n - 1; i > 0; i--) { int t = a[0]; a[0] = a[i]; a[i] = t; heapify(a, i, 0); }
}
static void libc_qsort(int *a, int n) { qsort(a, (size_t)n, sizeof *a, cmp_int); }
static const struct { const char *name; void (*sort)(int *, int); } sorters[] = {
    {"insertion", insertion}, {"shell", shell}, {"heap", heapsort_}, {"qsort", libc_qsort}};

static uint32_t checksum(const int *a, int n) { uint32_t h = 0; for (int i = 0; i < n; i++) h = h * 31 + (uint32_t)a[i]; return h; }

int main(void) {
  static int base[N], work[N];
  for (int i = 0; i < N; i++) base[i] = (int)(rnd() % 2001) - 1000;
  uint32_t expect = 0;
  for (unsigned s = 0; s < sizeof sorters / sizeof sorters[0]; s++) {
    memcpy(work, base, sizeof base);
    sorters[s].sort(work, N);
    uint32_t c = checksum(work, N);
    if (s == 0) expect = c;
    printf("%-9s min=%d max=%d median=%d sum=%08x %s\n", sorters[s].name, work[0], work[N - 1], work[N / 2], c,
           c == expect ? "agrees" : "DIFFERS");
  }
  qsort(work, N, sizeof *work, cmp_int_desc);
  printf("desc: %d %d %d\n", work[0], work[1], work[N - 1]);
  qsort(work, N, sizeof *work, cmp_int);
  int found = 0, missing = 0;
  for (int k = -1000; k <= 1000; k += 7) {
    int *p = bsearch(&k, work, N, sizeof *work, cmp_int);
    if (p) found++; else missing++;
    if (p && *p != k) return 2;
  }
  printf("bsearch: %d found, %d missing\n", found, missing);
  const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "apricot", "date", "kiwi", "Zebra", "mango"};
  qsort(words, 10, sizeof words[0], cmp_str);
  for (int i = 0; i < 10; i++) printf("%s%c", words[i], i == 9 ? '\n' : ' ');
  static struct pair pairs[N];
  for (int i = 0; i < N; i++) { pairs[i].key = (int)(rnd() % 10); pairs[i].order = (unsigned)i; }
  qsort(pairs, N, sizeof pairs[0], cmp_pair);
  uint32_t ph = 0;
  for (int i = 0; i < N; i++) ph = ph * 17 + (uint32_t)pairs[i].key * 1000 + pairs[i].order;
  printf("pairs: first=(%d,%u) last=(%d,%u) hash=%08x\n", pairs[0].key, pairs[0].order, pairs[N - 1].key,
         pairs[N - 1].order, ph);
  return 0;
}
