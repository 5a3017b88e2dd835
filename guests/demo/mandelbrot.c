/* The demo guest: an ASCII Mandelbrot set (double-precision VFP), a prime sieve and a CRC — built for
 * ARM (static, hard-float) and run by `tskvm user` in scripts/demo.sh. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static void mandelbrot(void) {
  const char *shades = " .:-=+*#%@";
  for (int y = -12; y <= 12; y++) {
    char line[80];
    int n = 0;
    for (int x = -39; x <= 30; x++) {
      double cr = x / 20.0, ci = y / 10.0, zr = 0, zi = 0;
      int i = 0;
      while (i < 200 && zr * zr + zi * zi < 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        i++;
      }
      line[n++] = i == 200 ? '@' : shades[i % 9];
    }
    line[n] = 0;
    puts(line);
  }
}

static unsigned primes_below(unsigned limit) {
  static unsigned char composite[1 << 20];
  unsigned count = 0;
  memset(composite, 0, sizeof composite);
  for (unsigned i = 2; i < limit; i++) {
    if (composite[i]) continue;
    count++;
    for (unsigned j = i * 2; j < limit; j += i) composite[j] = 1;
  }
  return count;
}

static uint32_t crc32(const unsigned char *p, size_t n) {
  uint32_t c = 0xffffffffu;
  while (n--) {
    c ^= *p++;
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1));
  }
  return ~c;
}

int main(void) {
  mandelbrot();
  printf("primes below 1000000: %u\n", primes_below(1000000));
  printf("crc32(\"123456789\") = %08x\n", crc32((const unsigned char *)"123456789", 9));
  return 0;
}
