/*
 * Loops GCC auto-vectorises for Advanced SIMD at -O3 -mfpu=neon-vfpv4 -ftree-vectorize: element-wise
 * arithmetic, multiply-accumulate, min/max, abs, shifts, saturation written as clamps, widening and
 * narrowing conversions, reductions, integer <-> float conversions and float arithmetic, over every
 * integer width (signed and unsigned) and float. Array lengths are not multiples of the vector width
 * so the scalar epilogues run too. Deterministic; prints one checksum line per kernel.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 203

static int8_t s8a[N], s8b[N], s8r[N];
static uint8_t u8a[N], u8b[N], u8r[N];
static int16_t s16a[N], s16b[N], s16r[N];
static uint16_t u16a[N], u16b[N], u16r[N];
static int32_t s32a[N], s32b[N], s32r[N];
static uint32_t u32a[N], u32b[N], u32r[N];
static int64_t s64a[N], s64b[N], s64r[N];
static uint64_t u64a[N], u64r[N];
static float fa[N], fb[N], fr[N];

static uint32_t seed = 12345;
static uint32_t next(void) {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

static uint64_t digest = 1469598103934665603ull;
static void mix(const void *p, size_t n) {
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++) digest = (digest ^ b[i]) * 1099511628211ull;
}
static void report(const char *name, const void *p, size_t n) {
  digest = 1469598103934665603ull;
  mix(p, n);
  printf("%-14s %016llx\n", name, (unsigned long long)digest);
}

static void fill(void) {
  for (int i = 0; i < N; i++) {
    uint32_t r = next(), q = next();
    s8a[i] = (int8_t)r; s8b[i] = (int8_t)(r >> 8);
    u8a[i] = (uint8_t)(r >> 16); u8b[i] = (uint8_t)(r >> 24);
    s16a[i] = (int16_t)q; s16b[i] = (int16_t)(q >> 16);
    u16a[i] = (uint16_t)(q >> 3); u16b[i] = (uint16_t)(r >> 5);
    s32a[i] = (int32_t)(r ^ q); s32b[i] = (int32_t)(q * 2654435761u);
    u32a[i] = r; u32b[i] = q | 1;
    s64a[i] = ((int64_t)(int32_t)r << 20) ^ q; s64b[i] = (int64_t)q * 977;
    u64a[i] = ((uint64_t)r << 32) | q;
    fa[i] = (float)(int32_t)r / 65536.0f;
    fb[i] = (float)(q % 1000) / 7.0f - 50.0f;
  }
  fa[3] = 0.0f; fa[4] = -0.0f; fb[5] = 1e-40f; fa[6] = 3.0e38f; fb[6] = 3.0e38f;
}

__attribute__((noinline)) static void k_add_sub(void) {
  for (int i = 0; i < N; i++) s8r[i] = s8a[i] + s8b[i];
  for (int i = 0; i < N; i++) u8r[i] = u8a[i] - u8b[i];
  for (int i = 0; i < N; i++) s16r[i] = s16a[i] + s16b[i] * 3;
  for (int i = 0; i < N; i++) u16r[i] = u16a[i] - (u16b[i] >> 2);
  for (int i = 0; i < N; i++) s32r[i] = s32a[i] + s32b[i];
  for (int i = 0; i < N; i++) u32r[i] = u32a[i] * u32b[i] + 7;
  for (int i = 0; i < N; i++) s64r[i] = s64a[i] + s64b[i];
  for (int i = 0; i < N; i++) u64r[i] = u64a[i] - (uint64_t)u32a[i];
}

__attribute__((noinline)) static void k_minmax_abs(void) {
  for (int i = 0; i < N; i++) s8r[i] = s8a[i] > s8b[i] ? s8a[i] : s8b[i];
  for (int i = 0; i < N; i++) u8r[i] = u8a[i] < u8b[i] ? u8a[i] : u8b[i];
  for (int i = 0; i < N; i++) s16r[i] = s16a[i] < 0 ? -s16a[i] : s16a[i];
  for (int i = 0; i < N; i++) u16r[i] = u16a[i] > u16b[i] ? u16a[i] - u16b[i] : u16b[i] - u16a[i];
  for (int i = 0; i < N; i++) s32r[i] = s32a[i] > s32b[i] ? s32a[i] : s32b[i];
  for (int i = 0; i < N; i++) u32r[i] = u32a[i] < u32b[i] ? u32a[i] : u32b[i];
}

__attribute__((noinline)) static void k_saturate(void) {
  for (int i = 0; i < N; i++) {
    int v = s8a[i] + s8b[i];
    s8r[i] = v > 127 ? 127 : v < -128 ? -128 : v;
  }
  for (int i = 0; i < N; i++) {
    unsigned v = u8a[i] + u8b[i];
    u8r[i] = v > 255 ? 255 : v;
  }
  for (int i = 0; i < N; i++) {
    int v = s16a[i] - s16b[i];
    s16r[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  for (int i = 0; i < N; i++) {
    int v = s16a[i] >> 4;
    u8r[i] ^= v < 0 ? 0 : v > 255 ? 255 : v;
  }
}

__attribute__((noinline)) static void k_shifts_bits(void) {
  for (int i = 0; i < N; i++) s8r[i] = s8a[i] >> 3;
  for (int i = 0; i < N; i++) u8r[i] = (u8a[i] << 2) | (u8b[i] >> 6);
  for (int i = 0; i < N; i++) s16r[i] = (s16a[i] >> 5) ^ (s16b[i] & 0x0ff0);
  for (int i = 0; i < N; i++) u16r[i] = (uint16_t)((u16a[i] >> 1) | (u16a[i] << 15));
  for (int i = 0; i < N; i++) s32r[i] = (s32a[i] >> 7) + (s32b[i] << 3);
  for (int i = 0; i < N; i++) u32r[i] = ~u32a[i] & (u32b[i] | 0x00ff00ffu);
  for (int i = 0; i < N; i++) s64r[i] = s64a[i] >> 9;
  for (int i = 0; i < N; i++) u64r[i] = (u64a[i] >> 13) ^ (u64a[i] << 7);
  for (int i = 0; i < N; i++) u32r[i] += (u32a[i] >> (i & 7));
}

__attribute__((noinline)) static void k_widen_narrow(void) {
  for (int i = 0; i < N; i++) s16r[i] = (int16_t)s8a[i] * s8b[i];
  for (int i = 0; i < N; i++) u16r[i] = (uint16_t)u8a[i] + u8b[i];
  for (int i = 0; i < N; i++) s32r[i] = (int32_t)s16a[i] * s16b[i];
  for (int i = 0; i < N; i++) u32r[i] = (uint32_t)u16a[i] * u16b[i] + u16a[i];
  for (int i = 0; i < N; i++) s64r[i] = (int64_t)s32a[i] * s32b[i];
  for (int i = 0; i < N; i++) u64r[i] = (uint64_t)u32a[i] * u32b[i];
  for (int i = 0; i < N; i++) s8r[i] = (int8_t)(s16a[i] >> 8);
  for (int i = 0; i < N; i++) u16r[i] ^= (uint16_t)(u32a[i] >> 16);
  for (int i = 0; i < N; i++) s32r[i] ^= (int32_t)(s64a[i] >> 12);
}

__attribute__((noinline)) static int64_t k_reduce(void) {
  int32_t a = 0; uint32_t b = 0; int64_t c = 0; int16_t mx = -32768; uint8_t mn = 255; uint64_t d = 0;
  for (int i = 0; i < N; i++) a += s8a[i];
  for (int i = 0; i < N; i++) b += u16a[i];
  for (int i = 0; i < N; i++) c += s32a[i];
  for (int i = 0; i < N; i++) mx = s16a[i] > mx ? s16a[i] : mx;
  for (int i = 0; i < N; i++) mn = u8a[i] < mn ? u8a[i] : mn;
  for (int i = 0; i < N; i++) d += (uint64_t)u32a[i] * (i & 3);
  int32_t dot = 0;
  for (int i = 0; i < N; i++) dot += s16a[i] * s16b[i];
  printf("reductions     %d %u %lld %d %u %llu %d\n", (int)a, (unsigned)b, (long long)c, mx, mn, (unsigned long long)d, (int)dot);
  return c;
}

__attribute__((noinline)) static void k_float(void) {
  for (int i = 0; i < N; i++) fr[i] = fa[i] + fb[i];
  report("f32 add", fr, sizeof fr);
  for (int i = 0; i < N; i++) fr[i] = fa[i] * fb[i] - fa[i];
  report("f32 mul-sub", fr, sizeof fr);
  for (int i = 0; i < N; i++) fr[i] = fa[i] < fb[i] ? fa[i] : fb[i];
  report("f32 min", fr, sizeof fr);
  for (int i = 0; i < N; i++) fr[i] = __builtin_fabsf(fa[i] - fb[i]);
  report("f32 absdiff", fr, sizeof fr);
  for (int i = 0; i < N; i++) s32r[i] = (int32_t)(fb[i] * 100.0f);
  report("f32->s32", s32r, sizeof s32r);
  for (int i = 0; i < N; i++) fr[i] = (float)s32a[i] * 0.5f + (float)u16a[i];
  report("s32->f32", fr, sizeof fr);
  for (int i = 0; i < N; i++) u32r[i] = fa[i] > fb[i] ? 1u : 0u;
  report("f32 compare", u32r, sizeof u32r);
  float acc = 0.0f;
  for (int i = 0; i < N; i++) acc += fb[i];
  printf("f32 sum        %a\n", (double)acc);
}

int main(void) {
  fill();
  k_add_sub();
  report("add/sub s8", s8r, sizeof s8r); report("add/sub u8", u8r, sizeof u8r);
  report("add/sub s16", s16r, sizeof s16r); report("add/sub u16", u16r, sizeof u16r);
  report("add/sub s32", s32r, sizeof s32r); report("add/sub u32", u32r, sizeof u32r);
  report("add/sub s64", s64r, sizeof s64r); report("add/sub u64", u64r, sizeof u64r);
  k_minmax_abs();
  report("minmax s8", s8r, sizeof s8r); report("minmax u8", u8r, sizeof u8r);
  report("abs s16", s16r, sizeof s16r); report("absdiff u16", u16r, sizeof u16r);
  report("minmax s32", s32r, sizeof s32r); report("minmax u32", u32r, sizeof u32r);
  k_saturate();
  report("sat s8", s8r, sizeof s8r); report("sat u8", u8r, sizeof u8r); report("sat s16", s16r, sizeof s16r);
  k_shifts_bits();
  report("shift s8", s8r, sizeof s8r); report("shift u8", u8r, sizeof u8r);
  report("shift s16", s16r, sizeof s16r); report("rot u16", u16r, sizeof u16r);
  report("shift s32", s32r, sizeof s32r); report("bits u32", u32r, sizeof u32r);
  report("shift s64", s64r, sizeof s64r); report("shift u64", u64r, sizeof u64r);
  k_widen_narrow();
  report("widen s16", s16r, sizeof s16r); report("widen u16", u16r, sizeof u16r);
  report("widen s32", s32r, sizeof s32r); report("widen u32", u32r, sizeof u32r);
  report("widen s64", s64r, sizeof s64r); report("widen u64", u64r, sizeof u64r);
  report("narrow s8", s8r, sizeof s8r);
  k_reduce();
  k_float();
  return 0;
}
