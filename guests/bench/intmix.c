/* Benchmark: integer mix — adds, multiplies, shifts, compares and data-dependent branches over a
 * small array, plus 32-bit division by variables. Prints a checksum so both emulators can be compared. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 40000;
  static uint32_t a[1024];
  for (unsigned i = 0; i < 1024; i++) a[i] = i * 2654435761u;
  uint32_t h = 1, odd = 0;
  for (unsigned r = 0; r < rounds; r++) {
    for (unsigned i = 0; i < 1024; i++) {
      uint32_t x = a[i] ^ h;
      x = (x << 7 | x >> 25) + (x >> 3) * 5u;
      if (x & 0x10) odd++; else h ^= x;
      if ((int32_t)x < (int32_t)h) x -= h; else x += h >> 1;
      h = h * 31u + x;
      a[i] = x + (uint32_t)(i % 7 == 0 ? x / ((h & 0xff) | 1) : 0);
    }
  }
  printf("intmix rounds=%u h=%08x odd=%u\n", rounds, h, odd);
  return 0;
}
