/* Aggregates: struct copies and struct returns of many sizes (memcpy-like block moves), unions,
 * bitfields (signed and unsigned, straddling words), packed structs with unaligned members
 * (ARMv7 handles unaligned LDR/STR; LDRD/LDM must not be used on them), and varargs of mixed types. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct big { int32_t a[17]; char tag[7]; double d; };
struct small { uint8_t x; uint16_t y; };
struct bits { unsigned a : 3; signed b : 5; unsigned c : 12; signed d : 12; unsigned e : 1; unsigned long long f : 40; signed long long g : 23; };
struct __attribute__((packed)) pk { uint8_t c; uint32_t u; uint16_t h; uint64_t q; double d; int32_t s; };
union pun { float f; uint32_t u; uint8_t b[4]; };

static struct big make_big(int seed) {
  struct big b;
  for (int i = 0; i < 17; i++) b.a[i] = seed * (i + 1);
  snprintf(b.tag, sizeof b.tag, "b%d", seed);
  b.d = seed / 4.0;
  return b;
}
static struct small make_small(uint8_t x) { struct small s = {x, (uint16_t)(x * 300)}; return s; }

static double sum_varargs(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  double total = 0;
  for (const char *p = fmt; *p; p++) {
    switch (*p) {
    case 'i': total += va_arg(ap, int); break;
    case 'l': total += (double)va_arg(ap, long long); break;
    case 'd': total += va_arg(ap, double); break;
    case 's': total += (double)strlen(va_arg(ap, const char *)); break;
    case 'c': total += va_arg(ap, int) - 'a'; break;
    }
  }
  va_end(ap);
  return total;
}
static int vformat(char *out, size_t n, const char *fmt, ...) {
  va_list ap; va_start(ap, fmt); int r = vsnprintf(out, n, fmt, ap); va_end(ap); return r;
}

int main(void) {
  struct big b1 = make_big(3), b2;
  b2 = b1;
  b2.a[16] = -1;
  struct big arr[4];
  for (int i = 0; i < 4; i++) arr[i] = make_big(i + 10);
  arr[1] = arr[3];
  printf("big: %d %d %s %g | %d %d %s\n", b1.a[16], b2.a[16], b2.tag, b2.d, arr[1].a[5], arr[2].a[5], arr[1].tag);
  struct small s = make_small(200);
  printf("small: %u %u size %zu\n", s.x, s.y, sizeof s);

  struct bits bf = {0};
  uint32_t h = 0;
  for (int i = 0; i < 100; i++) {
    bf.a = (unsigned)i; bf.b = i - 50; bf.c += (unsigned)i * 37; bf.d -= i * 41; bf.e ^= 1;
    bf.f += 0x123456789ull * (unsigned)i; bf.g = -i * 70000;
    h = h * 31 + bf.a + (uint32_t)bf.b * 3 + bf.c * 5 + (uint32_t)bf.d * 7 + bf.e + (uint32_t)bf.f + (uint32_t)(bf.f >> 32) + (uint32_t)bf.g;
  }
  printf("bitfields: a=%u b=%d c=%u d=%d e=%u f=%llx g=%lld size=%zu hash=%08x\n", bf.a, bf.b, bf.c, bf.d, bf.e,
         (unsigned long long)bf.f, (long long)bf.g, sizeof bf, h);

  static unsigned char raw[64 + sizeof(struct pk) * 8];
  uint64_t qsum = 0; double dsum = 0;
  for (int off = 0; off < 8; off++) {
    struct pk *p = (struct pk *)(raw + off * (sizeof(struct pk) + 1)); /* every alignment */
    p->c = (uint8_t)off; p->u = 0x01020304u * (uint32_t)(off + 1); p->h = (uint16_t)(0xbeef + off);
    p->q = 0x0102030405060708ull << off; p->d = off * 1.25; p->s = -off;
    qsum += p->u + p->h + p->q + (uint64_t)(int64_t)p->s; dsum += p->d;
  }
  uint32_t rh = 0;
  for (size_t i = 0; i < sizeof raw; i++) rh = rh * 33 + raw[i];
  printf("packed: size %zu qsum %016llx dsum %g raw %08x\n", sizeof(struct pk), (unsigned long long)qsum, dsum, rh);

  union pun u = {.f = -1.5f};
  printf("union: %08x %02x%02x%02x%02x\n", u.u, u.b[0], u.b[1], u.b[2], u.b[3]);
  printf("varargs: %g\n", sum_varargs("ildscid", 5, -7LL, 2.5, "hello", 'e', 100, 0.25));
  char out[64];
  int n = vformat(out, sizeof out, "%s-%d-%.2f-%c-%llx", "v", -9, 3.14159, 'q', 0xabcdefull);
  printf("vsnprintf: %d '%s'\n", n, out);
  return 0;
}
