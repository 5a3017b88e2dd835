/* Benchmark: table-driven CRC-32 (loads, xors, shifts) over a 64 KiB buffer, many passes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  unsigned passes = argc > 1 ? (unsigned)atoi(argv[1]) : 6000;
  static uint32_t table[256];
  static uint8_t buf[65536];
  for (uint32_t i = 0; i < 256; i++) { uint32_t c = i; for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1; table[i] = c; }
  for (unsigned i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 131 + (i >> 9));
  uint32_t crc = 0;
  for (unsigned p = 0; p < passes; p++) {
    uint32_t c = ~crc;
    for (unsigned i = 0; i < sizeof buf; i++) c = table[(c ^ buf[i]) & 0xff] ^ (c >> 8);
    crc = ~c;
    buf[p % sizeof buf] ^= (uint8_t)crc;
  }
  printf("crc32 passes=%u crc=%08x\n", passes, crc);
  return 0;
}
