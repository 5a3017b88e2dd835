/* Benchmark: memory copy — libc memcpy/memmove/memset over buffers of varied sizes and alignments
 * (glibc's ARM LDM/STM and NEON-free paths), plus a byte loop the compiler cannot replace. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 100000;
  static uint8_t a[1 << 16], b[(1 << 16) + 64];
  for (unsigned i = 0; i < sizeof a; i++) a[i] = (uint8_t)(i * 7);
  uint32_t h = 0;
  for (unsigned r = 0; r < rounds; r++) {
    unsigned off = r % 61, len = (sizeof a) - (r % 4096);
    memcpy(b + off, a + (r % 3), len - 3);
    memmove(b + 1, b + 17, 30000);
    memset(b + (r % 100), (int)r, 1000);
    volatile uint8_t *vb = b;
    for (unsigned i = 0; i < 2048; i++) a[i] = (uint8_t)(vb[i * 3 % sizeof a] + 1);
    h = h * 31 + b[r % sizeof b] + b[len / 2] + a[r % 2048];
  }
  printf("memcopy rounds=%u h=%08x\n", rounds, h);
  return 0;
}
