/* Table-driven and bitwise CRC-32 (must agree, and match the standard check value 0xCBF43926 for
 * "123456789"), Adler-32, FNV-1a, a murmur-style finaliser, and integer and double matrix multiply. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t table[256];
static void crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) { uint32_t c = i; for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1; table[i] = c; }
}
static uint32_t crc32_table(const uint8_t *p, size_t n) { uint32_t c = ~0u; while (n--) c = table[(c ^ *p++) & 0xff] ^ (c >> 8); return ~c; }
static uint32_t crc32_bitwise(const uint8_t *p, size_t n) {
  uint32_t c = ~0u;
  while (n--) { c ^= *p++; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1))); }
  return ~c;
}
static uint32_t adler32(const uint8_t *p, size_t n) { uint32_t a = 1, b = 0; while (n--) { a = (a + *p++) % 65521; b = (b + a) % 65521; } return b << 16 | a; }
static uint32_t fnv1a(const uint8_t *p, size_t n) { uint32_t h = 2166136261u; while (n--) { h ^= *p++; h *= 16777619u; } return h; }
static uint64_t fmix64(uint64_t k) { k ^= k >> 33; k *= 0xff51afd7ed558ccdull; k ^= k >> 33; k *= 0xc4ceb9fe1a85ec53ull; k ^= k >> 33; return k; }

#define M 24
int main(void) {
  crc_init();
  static uint8_t data[70000];
  for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)(i * i + (i >> 8));
  const char *check = "123456789";
  uint32_t c1 = crc32_table((const uint8_t *)check, 9), c2 = crc32_bitwise((const uint8_t *)check, 9);
  printf("crc32(\"123456789\") = %08x / %08x\n", c1, c2);
  for (size_t n = 0; n <= sizeof data; n = n ? n * 4 : 1) {
    uint32_t t = crc32_table(data, n), b = crc32_bitwise(data, n);
    printf("n=%6zu crc32=%08x %s adler32=%08x fnv1a=%08x\n", n, t, t == b ? "agree" : "DIFFER", adler32(data, n), fnv1a(data, n));
  }
  uint64_t acc = 0;
  for (uint64_t i = 0; i < 1000; i++) acc ^= fmix64(i * 0x9e3779b97f4a7c15ull);
  printf("fmix64 fold = %016llx\n", (unsigned long long)acc);

  static int32_t a[M][M], b[M][M], c[M][M];
  static double da[M][M], db[M][M], dc[M][M];
  for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) {
    a[i][j] = (i * 7 + j * 3) % 19 - 9; b[i][j] = (i * 5 + j * 11) % 23 - 11;
    da[i][j] = (double)a[i][j] / 7.0; db[i][j] = (double)b[i][j] / 3.0;
  }
  for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) {
    int32_t s = 0; double ds = 0;
    for (int k = 0; k < M; k++) { s += a[i][k] * b[k][j]; ds += da[i][k] * db[k][j]; }
    c[i][j] = s; dc[i][j] = ds;
  }
  uint32_t mh = fnv1a((const uint8_t *)c, sizeof c), dh = fnv1a((const uint8_t *)dc, sizeof dc);
  printf("matmul int: c[0][0]=%d c[%d][%d]=%d hash=%08x\n", c[0][0], M - 1, M - 1, c[M - 1][M - 1], mh);
  printf("matmul double: c[1][2]=%.17g hash=%08x\n", dc[1][2], dh);
  return c1 == 0xcbf43926u && c2 == c1 ? 0 : 1;
}
