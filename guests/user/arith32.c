/* 32-bit integer arithmetic: mul/div/mod by constants and by variables, signed and unsigned,
 * wrap-around done the C-defined way (through unsigned), and INT_MIN / -1 kept out of C's UB. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

static volatile int32_t vs[] = {0, 1, -1, 2, -2, 3, 7, -7, 10, -10, 100, 12345, -12345, 65535, 65536,
                                 0x7fffffff, INT_MIN, INT_MIN + 1, 0x55555555, -0x55555555, 1000000007};
#define NV (int)(sizeof vs / sizeof vs[0])

static uint32_t mix(uint32_t h, uint32_t v) { return (h ^ v) * 16777619u; }

/* C leaves INT_MIN / -1 undefined; define it as the wrapped quotient and zero remainder (what ARM SDIV gives). */
static int32_t sdiv(int32_t a, int32_t b) { return (b == -1) ? (int32_t)(0u - (uint32_t)a) : a / b; }
static int32_t smod(int32_t a, int32_t b) { return (b == -1) ? 0 : a % b; }

int main(void) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < NV; i++) {
    int32_t a = vs[i];
    uint32_t ua = (uint32_t)a;
    /* by constants: the compiler turns these into multiply-high / shift sequences */
    int32_t c1 = a / 3, c2 = a % 3, c3 = a / 7, c4 = a % 10, c5 = a / -5, c6 = a / 16, c7 = a % 16;
    uint32_t u1 = ua / 3, u2 = ua % 3, u3 = ua / 10, u4 = ua % 1000, u5 = ua / 0x10001, u6 = ua >> 4;
    uint32_t m1 = ua * 3u, m2 = ua * 0x9e3779b9u, m3 = ua * 1000u;
    printf("%d: /3=%d %%3=%d /7=%d %%10=%d /-5=%d /16=%d %%16=%d\n", a, c1, c2, c3, c4, c5, c6, c7);
    printf("  u%u: /3=%u %%3=%u /10=%u %%1000=%u /65537=%u >>4=%u *3=%u *phi=%u *1000=%u\n", ua, u1, u2,
           u3, u4, u5, u6, m1, m2, m3);
    h = mix(h, (uint32_t)(c1 ^ c2 ^ c3 ^ c4 ^ c5 ^ c6 ^ c7));
    h = mix(h, u1 ^ u2 ^ u3 ^ u4 ^ u5 ^ u6 ^ m1 ^ m2 ^ m3);
    for (int j = 0; j < NV; j++) {
      int32_t b = vs[j];
      uint32_t ub = (uint32_t)b;
      uint32_t sum = ua + ub, diff = ua - ub, prod = ua * ub;
      int64_t wide = (int64_t)a * b;
      uint64_t uwide = (uint64_t)ua * ub;
      h = mix(h, sum);
      h = mix(h, diff);
      h = mix(h, prod);
      h = mix(h, (uint32_t)(wide >> 32));
      h = mix(h, (uint32_t)(uwide >> 32));
      if (b != 0) {
        h = mix(h, (uint32_t)sdiv(a, b));
        h = mix(h, (uint32_t)smod(a, b));
        h = mix(h, ua / ub);
        h = mix(h, ua % ub);
      }
    }
  }
  printf("INT_MIN/-1 (defined here) = %d, INT_MIN%%-1 = %d\n", sdiv(INT_MIN, -1), smod(INT_MIN, -1));
  printf("INT_MAX+1 wrapped = %d\n", (int32_t)((uint32_t)INT_MAX + 1u));
  printf("-INT_MIN wrapped = %d\n", (int32_t)(0u - (uint32_t)INT_MIN));
  printf("hash = %08x\n", h);
  /* self-check against values C defines exactly */
  if (-7 / 2 != -3 || -7 % 2 != -1 || 7u / 2u != 3u) return 1;
  return 0;
}
