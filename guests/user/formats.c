/* printf and sscanf: integer conversions with widths, precisions and flags, 64-bit and size_t
 * lengths, %n, floats in %f/%e/%g/%a, strings and chars; sscanf of mixed fields, scansets and
 * return counts, including partial matches. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  static const int ints[] = {0, 1, -1, 42, -42, 255, 65535, 2147483647, -2147483647 - 1};
  for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    int v = ints[i], n = 0;
    printf("[%d|%5d|%-5d|%05d|%+d|% d|%x|%X|%#x|%o|%#o|%u|%.3d|%8.4x]%n", v, v, v, v, v, v, (unsigned)v, (unsigned)v,
           (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, v, (unsigned)v, &n);
    printf(" n=%d\n", n);
  }
  printf("%lld %llu %llx %" PRId64 " %zu %zd %hhd %hd %c%c%c\n", -9223372036854775807LL - 1, 18446744073709551615ULL,
         0x123456789abcdefULL, (int64_t)-1, sizeof(long double), (ssize_t)-5, (signed char)200, (short)70000, 'o', 'k', '!');
  static const double ds[] = {0.0, -0.0, 1.0, 0.1, 123.456, -1e-7, 6.02214076e23, 1.0 / 3.0, 9.5, 10.5};
  for (unsigned i = 0; i < sizeof ds / sizeof ds[0]; i++)
    printf("%f|%.0f|%.2f|%10.3f|%-10.1e|%e|%g|%.10g|%G|%a|%#.0f\n", ds[i], ds[i], ds[i], ds[i], ds[i], ds[i], ds[i],
           ds[i], ds[i] * 1e20, ds[i], ds[i]);
  printf("[%s|%10s|%-10s|%.2s|%c|%%|%p]\n", "str", "right", "left", "truncate", 'x', (void *)0);

  int a = 0, b = 0, r; unsigned u = 0; long long ll = 0; double d = 0; float f = 0;
  char word[16] = "", set[16] = "";
  r = sscanf("  -17 0x1f 4294967295 -123456789012345 3.25e2 1.5 hello abc123def", "%d %i %u %lld %lf %f %15s %15[a-c]",
             &a, &b, &u, &ll, &d, &f, word, set);
  printf("sscanf -> %d: %d %d %u %lld %g %g '%s' '%s'\n", r, a, b, u, ll, d, (double)f, word, set);
  r = sscanf("12 apples", "%d %d", &a, &b);
  printf("partial -> %d (a=%d)\n", r, a);
  r = sscanf("", "%d", &a);
  printf("empty -> %d\n", r);
  int h, m, s, consumed;
  r = sscanf("23:59:07 rest", "%2d:%2d:%2d%n", &h, &m, &s, &consumed);
  printf("time -> %d: %02d-%02d-%02d consumed %d rest '%s'\n", r, h, m, s, consumed, "23:59:07 rest" + consumed);
  char out[64];
  int len = sprintf(out, "%08.3f|%-6s|%3c", -3.14159, "ab", 'z');
  printf("sprintf len %d '%s' strlen %zu\n", len, out, strlen(out));
  return r == 3 ? 0 : 1;
}
