/* 64-bit arithmetic: add/sub with carry, multiplies, libgcc division (__aeabi_ldivmod/uldivmod),
 * shifts by variable amounts across the 32-bit boundary, and comparisons of 64-bit values. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static volatile int64_t vs[] = {0,
                                1,
                                -1,
                                3,
                                -3,
                                10,
                                0xffffffffLL,
                                0x100000000LL,
                                -0x100000000LL,
                                0x123456789abcdefLL,
                                -0x123456789abcdefLL,
                                INT64_MAX,
                                INT64_MIN,
                                INT64_MIN + 1,
                                1000000000000000003LL,
                                0x8000000080000000LL};
#define NV (int)(sizeof vs / sizeof vs[0])

static uint64_t h = 1469598103934665603ull;
static void mix(uint64_t v) { h = (h ^ v) * 1099511628211ull; }

int main(void) {
  for (int i = 0; i < NV; i++) {
    int64_t a = vs[i];
    uint64_t ua = (uint64_t)a;
    printf("%" PRId64 ": /3=%" PRId64 " %%7=%" PRId64 " u/10=%" PRIu64 " u%%1000000007=%" PRIu64 "\n", a, a / 3,
           a % 7, ua / 10, ua % 1000000007u);
    for (int j = 0; j < NV; j++) {
      int64_t b = vs[j];
      uint64_t ub = (uint64_t)b;
      mix(ua + ub);
      mix(ua - ub);
      mix(ua * ub);
      mix((uint64_t)(a < b) | (uint64_t)(a <= b) << 1 | (uint64_t)(ua < ub) << 2 | (uint64_t)(ua >= ub) << 3 |
          (uint64_t)(a == b) << 4);
      if (b != 0) {
        if (!(a == INT64_MIN && b == -1)) {
          mix((uint64_t)(a / b));
          mix((uint64_t)(a % b));
        }
        mix(ua / ub);
        mix(ua % ub);
      }
    }
    for (volatile int s = 0; s < 64; s += 5) {
      mix(ua << s);
      mix(ua >> s);
      mix((uint64_t)(a >> s));
    }
  }
  volatile uint32_t x = 0xdeadbeef, y = 0xcafebabe;
  uint64_t p = (uint64_t)x * y; /* UMULL */
  int64_t q = (int64_t)(int32_t)x * (int32_t)y; /* SMULL */
  uint64_t acc = 0x1111111122222222ull;
  acc += (uint64_t)x * y; /* UMLAL */
  printf("umull=%016" PRIx64 " smull=%016" PRIx64 " umlal=%016" PRIx64 "\n", p, (uint64_t)q, acc);
  printf("max/min: %" PRId64 " %" PRId64 "\n", INT64_MAX / -1, INT64_MIN / 2);
  printf("hash = %016" PRIx64 "\n", h);
  if ((uint64_t)0xffffffffffffffffull / 3 != 0x5555555555555555ull) return 1;
  return 0;
}
