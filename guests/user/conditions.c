/* Flags and conditions: every comparison (signed/unsigned, equality, with and without overflow),
 * branches, ternaries, min/max, boolean combinations and a dense switch (jump table). */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

static volatile int32_t vs[] = {INT_MIN, INT_MIN + 1, -100, -2, -1, 0, 1, 2, 100, INT_MAX - 1, INT_MAX};
#define NV (int)(sizeof vs / sizeof vs[0])

static int imin(int a, int b) { return a < b ? a : b; }
static int imax(int a, int b) { return a > b ? a : b; }
static unsigned umin(unsigned a, unsigned b) { return a < b ? a : b; }
static unsigned umax(unsigned a, unsigned b) { return a > b ? a : b; }

static const char *classify(int x) {
  switch (x & 15) {
  case 0: return "zero";
  case 1: return "one";
  case 2: return "two";
  case 3: return "three";
  case 4: return "four";
  case 5: return "five";
  case 6: return "six";
  case 7: return "seven";
  case 9: return "nine";
  case 11: return "eleven";
  case 13: return "thirteen";
  default: return "other";
  }
}

static int sign(int x) { return (x > 0) - (x < 0); }

int main(void) {
  unsigned bits = 0, count = 0;
  for (int i = 0; i < NV; i++) {
    for (int j = 0; j < NV; j++) {
      int a = vs[i], b = vs[j];
      unsigned ua = (unsigned)a, ub = (unsigned)b;
      unsigned r = (a == b) | (a != b) << 1 | (a < b) << 2 | (a <= b) << 3 | (a > b) << 4 | (a >= b) << 5 |
                   (ua < ub) << 6 | (ua <= ub) << 7 | (ua > ub) << 8 | (ua >= ub) << 9;
      printf("%c", "0123456789abcdefghijklmnopqrstuv"[(r ^ (r >> 5)) & 31]);
      bits = bits * 31 + r;
      /* compare against a sum: the ALU's V flag decides when the sum wraps */
      unsigned wrapped = ua + ub;
      int lt0 = (int)wrapped < 0;
      bits = bits * 7 + (unsigned)lt0;
      bits = bits * 3 + (unsigned)imin(a, b) + (unsigned)imax(a, b) + umin(ua, ub) + umax(ua, ub);
      if (a < 0 && b < 0) count++;
      else if (a > 0 || b == 0) count += 2;
      else count += 3;
      count += (a ^ b) < 0 ? 5u : 7u;
    }
    printf(" %s %d\n", classify(vs[i]), sign(vs[i]));
  }
  for (int k = -20; k < 20; k++) count += (unsigned)(classify(k)[0]);
  long long la = -1, lb = 1;
  unsigned long long ula = (unsigned long long)la;
  printf("64-bit: %d %d %d %d\n", la < lb, ula < (unsigned long long)lb, la == -1LL, ula > 0xffffffffull);
  printf("bits=%08x count=%u\n", bits, count);
  return 0;
}
