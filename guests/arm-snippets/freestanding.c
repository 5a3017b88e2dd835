/*
 * A freestanding integer workload for the ARM core tests (no libc: the core's own tests run it with a
 * tiny syscall shim for write/exit). Exercises what compilers emit for ordinary C: 64-bit arithmetic,
 * division, bit tricks, table switches, byte/halfword memory traffic, recursion and function pointers.
 * The output is compared with qemu-arm's.
 */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed long long s64;

static long sys_write(int fd, const void *buf, unsigned len) {
  register long r0 __asm__("r0") = fd;
  register long r1 __asm__("r1") = (long)buf;
  register long r2 __asm__("r2") = len;
  register long r7 __asm__("r7") = 4;
  __asm__ volatile("svc #0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
  return r0;
}

static void sys_exit(int code) {
  register long r0 __asm__("r0") = code;
  register long r7 __asm__("r7") = 1;
  __asm__ volatile("svc #0" : : "r"(r0), "r"(r7));
  for (;;) {}
}

static char out[8192];
static unsigned outlen;

static void puts_(const char *s) { while (*s) out[outlen++] = *s++; }
static void hex(u32 v) {
  for (int i = 28; i >= 0; i -= 4) out[outlen++] = "0123456789abcdef"[(v >> i) & 15];
  out[outlen++] = ' ';
}
static void dec64(s64 v) {
  char b[24]; int n = 0; u64 u = v < 0 ? -(u64)v : (u64)v;
  if (v < 0) out[outlen++] = '-';
  do { b[n++] = '0' + (char)(u % 10); u /= 10; } while (u);
  while (n) out[outlen++] = b[--n];
  out[outlen++] = ' ';
}

static u32 crc32(const unsigned char *p, u32 n) {
  u32 c = 0xffffffff;
  while (n--) { c ^= *p++; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320 & -(c & 1)); }
  return ~c;
}

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static void isort(int *v, int n, int (*cmp)(const void *, const void *)) {
  for (int i = 1; i < n; i++) { int x = v[i], j = i - 1; while (j >= 0 && cmp(&v[j], &x) > 0) { v[j + 1] = v[j]; j--; } v[j + 1] = x; }
}
static u32 fib(u32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static const char *names(int k) {
  switch (k) { case 0: return "zero"; case 1: return "one"; case 2: return "two"; case 3: return "three";
    case 4: return "four"; case 5: return "five"; case 6: return "six"; default: return "many"; }
}

int raise(int sig) { (void)sig; sys_exit(99); return 0; }
volatile u32 seed = 12345;
static u32 rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 8; }

void _start(void) {
  static int v[64];
  static unsigned short h[32];
  for (int i = 0; i < 64; i++) v[i] = (int)(rnd() % 2001) - 1000;
  isort(v, 64, cmp_int);
  for (int i = 0; i < 64; i += 9) dec64(v[i]);
  puts_("\n");
  hex(crc32((const unsigned char *)"The quick brown fox jumps over the lazy dog", 43));
  u64 a = 0x123456789abcdefull; s64 b = -987654321987654321ll;
  dec64((s64)(a * 0x1000193ull)); dec64(b / 12345); dec64(b % 12345); dec64((s64)(a / 1000003u)); dec64((s64)(a >> 7)); dec64(b >> 9);
  puts_("\n");
  for (int i = 0; i < 32; i++) h[i] = (unsigned short)(rnd() * 7);
  u32 s = 0; for (int i = 0; i < 32; i++) s = s * 31 + h[i] + (signed char)h[i];
  hex(s); hex(fib(20)); hex(__builtin_clz(s | 1)); hex(__builtin_popcount(s)); hex(__builtin_bswap32(s));
  for (int i = 0; i < 9; i++) { puts_(names(i)); puts_(" "); }
  puts_("\n");
  s64 acc = 0; for (int i = -50; i < 50; i++) acc += (s64)i * i * i * 1234567 / (i == 0 ? 1 : i);
  dec64(acc);
  int q = 0; for (int i = 1; i < 1000; i++) q += (int)(rnd() % (u32)i) / (i % 7 + 1) - ((int)rnd() % 13);
  dec64(q);
  puts_("\n");
  sys_write(1, out, outlen);
  sys_exit(3);
}
