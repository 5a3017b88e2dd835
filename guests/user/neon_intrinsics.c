/*
 * Advanced SIMD through arm_neon.h, one block per instruction family: integer arithmetic (halving,
 * saturating, rounding), multiplies (long, doubling, by scalar, polynomial), shifts by immediate and
 * by register (saturating, rounding, narrowing, inserting), comparisons, bit operations and
 * immediates, pairwise and across-lane, absolute differences, counts, float arithmetic, estimates
 * and steps, conversions (fixed point, half precision), permutes and table lookups, and every
 * element/structure load and store shape. Each family prints a digest of its results and the
 * FPSCR.QC saturation flag. Deterministic inputs from a xorshift generator.
 * Built with -mfpu=neon-vfpv4 -mfp16-format=ieee (the half-precision conversions need the latter).
 */
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t seed = 0x9e3779b9u;
static uint32_t next(void) {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

static uint8_t in[256] __attribute__((aligned(32)));
static uint8_t out[256] __attribute__((aligned(32)));
static uint64_t digest;

static void mix(const void *p, size_t n) {
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++) digest = (digest ^ b[i]) * 1099511628211ull;
}
#define MIXV(v) do { __typeof__(v) t_ = (v); mix(&t_, sizeof t_); } while (0)

static uint32_t fpscr(void) {
  uint32_t v;
  __asm__ volatile("vmrs %0, fpscr" : "=r"(v));
  return v;
}
static void clear_qc(void) {
  uint32_t v = fpscr() & ~0x08000000u;
  __asm__ volatile("vmsr fpscr, %0" : : "r"(v));
}
static void begin(void) {
  digest = 1469598103934665603ull;
  clear_qc();
}
static void end(const char *name) {
  printf("%-12s %016llx qc=%u\n", name, (unsigned long long)digest, (unsigned)(fpscr() >> 27) & 1);
}

static void refill(void) {
  for (int i = 0; i < 256; i += 4) {
    uint32_t r = next();
    if ((i & 60) == 8) r = 0x7fff8000u; /* saturation candidates */
    if ((i & 60) == 12) r = 0x80008000u;
    memcpy(in + i, &r, 4);
  }
}

static void integer_arith(void) {
  begin();
  for (int k = 0; k < 8; k++) {
    int8x16_t a = vld1q_s8((int8_t *)in + 16 * k), b = vld1q_s8((int8_t *)in + 16 * k + 128);
    uint16x8_t c = vld1q_u16((uint16_t *)in + 8 * k), d = vld1q_u16((uint16_t *)in + 8 * k + 64);
    int32x4_t e = vld1q_s32((int32_t *)in + 4 * k), f = vld1q_s32((int32_t *)in + 4 * k + 32);
    int64x2_t g = vld1q_s64((int64_t *)in + 2 * k), h = vld1q_s64((int64_t *)in + 2 * k + 16);
    MIXV(vaddq_s8(a, b)); MIXV(vsubq_u16(c, d)); MIXV(vhaddq_s8(a, b)); MIXV(vrhaddq_u16(c, d));
    MIXV(vhsubq_s32(e, f)); MIXV(vqaddq_s8(a, b)); MIXV(vqsubq_u16(c, d)); MIXV(vqaddq_s64(g, h));
    MIXV(vqsubq_s64(g, h)); MIXV(vaddq_s64(g, h)); MIXV(vmaxq_s8(a, b)); MIXV(vminq_u16(c, d));
    MIXV(vabdq_s32(e, f)); MIXV(vabaq_s8(a, a, b)); MIXV(vabsq_s8(a)); MIXV(vqabsq_s8(a)); MIXV(vnegq_s32(e));
    MIXV(vqnegq_s32(e)); MIXV(vqaddq_u64(vreinterpretq_u64_s64(g), vreinterpretq_u64_s64(h)));
    MIXV(vaddl_s8(vget_low_s8(a), vget_high_s8(b))); MIXV(vaddw_u16(vreinterpretq_u32_s32(e), vget_low_u16(c)));
    MIXV(vsubl_s32(vget_low_s32(e), vget_high_s32(f))); MIXV(vsubw_s8(vreinterpretq_s16_u16(c), vget_high_s8(a)));
    MIXV(vaddhn_s32(e, f)); MIXV(vraddhn_u16(c, d)); MIXV(vsubhn_s64(g, h)); MIXV(vrsubhn_s32(e, f));
    MIXV(vabdl_u16(vget_low_u16(c), vget_high_u16(d))); MIXV(vabal_s8(vreinterpretq_s16_u16(c), vget_low_s8(a), vget_low_s8(b)));
  }
  end("arith");
}

static void multiplies(void) {
  begin();
  for (int k = 0; k < 8; k++) {
    int16x8_t a = vld1q_s16((int16_t *)in + 8 * k), b = vld1q_s16((int16_t *)in + 8 * k + 64);
    int32x4_t c = vld1q_s32((int32_t *)in + 4 * k), d = vld1q_s32((int32_t *)in + 4 * k + 32);
    uint8x8_t p = vld1_u8(in + 8 * k), q = vld1_u8(in + 8 * k + 100);
    MIXV(vmulq_s16(a, b)); MIXV(vmlaq_s32(c, c, d)); MIXV(vmlsq_s16(a, b, a));
    MIXV(vmull_s16(vget_low_s16(a), vget_high_s16(b))); MIXV(vmull_u32(vreinterpret_u32_s32(vget_low_s32(c)), vreinterpret_u32_s32(vget_high_s32(d))));
    MIXV(vmlal_s32(vreinterpretq_s64_s32(d), vget_low_s32(c), vget_high_s32(c)));
    MIXV(vmlsl_u8(vreinterpretq_u16_s16(a), p, q)); MIXV(vqdmulhq_s16(a, b)); MIXV(vqrdmulhq_s32(c, d));
    MIXV(vqdmull_s16(vget_low_s16(a), vget_low_s16(b))); MIXV(vqdmlal_s32(vreinterpretq_s64_s32(c), vget_low_s32(c), vget_low_s32(d)));
    MIXV(vqdmlsl_s16(c, vget_high_s16(a), vget_high_s16(b)));
    MIXV(vmul_p8(vreinterpret_p8_u8(p), vreinterpret_p8_u8(q))); MIXV(vmull_p8(vreinterpret_p8_u8(p), vreinterpret_p8_u8(q)));
    MIXV(vmulq_lane_s16(a, vget_low_s16(b), 3)); MIXV(vmlaq_lane_s32(c, d, vget_high_s32(c), 1));
    MIXV(vmull_lane_s16(vget_low_s16(a), vget_high_s16(b), 2)); MIXV(vqdmulhq_lane_s16(a, vget_low_s16(b), 0));
    MIXV(vqrdmulh_lane_s32(vget_low_s32(c), vget_high_s32(d), 1)); MIXV(vqdmlal_lane_s16(c, vget_low_s16(a), vget_low_s16(b), 1));
    MIXV(vmlsl_lane_u32(vreinterpretq_u64_s32(d), vreinterpret_u32_s32(vget_low_s32(c)), vreinterpret_u32_s32(vget_low_s32(d)), 0));
  }
  end("multiply");
}

static void shifts(void) {
  begin();
  for (int k = 0; k < 8; k++) {
    int8x16_t a = vld1q_s8((int8_t *)in + 16 * k), n = vshrq_n_s8(vld1q_s8((int8_t *)in + 16 * k + 128), 3);
    uint16x8_t b = vld1q_u16((uint16_t *)in + 8 * k);
    int32x4_t c = vld1q_s32((int32_t *)in + 4 * k);
    uint64x2_t d = vld1q_u64((uint64_t *)in + 2 * k);
    int64x2_t e = vld1q_s64((int64_t *)in + 2 * k + 16);
    MIXV(vshrq_n_s8(a, 5)); MIXV(vshrq_n_u16(b, 16)); MIXV(vsraq_n_s32(c, c, 31)); MIXV(vrshrq_n_u64(d, 64));
    MIXV(vrsraq_n_s8(a, a, 1)); MIXV(vshlq_n_u16(b, 15)); MIXV(vqshlq_n_s8(a, 3)); MIXV(vqshluq_n_s32(c, 4));
    MIXV(vqshlq_n_u64(d, 9)); MIXV(vsriq_n_u16(b, b, 7)); MIXV(vsliq_n_s32(c, c, 12)); MIXV(vsliq_n_u64(d, d, 63));
    MIXV(vshrn_n_s32(c, 9)); MIXV(vrshrn_n_u16(b, 8)); MIXV(vqshrn_n_s64(e, 20)); MIXV(vqrshrn_n_u32(vreinterpretq_u32_s32(c), 3));
    MIXV(vqshrun_n_s16(vreinterpretq_s16_u16(b), 2)); MIXV(vqrshrun_n_s64(e, 32)); MIXV(vshll_n_s8(vget_low_s8(a), 8));
    MIXV(vshll_n_u16(vget_high_u16(b), 5)); MIXV(vmovl_s32(vget_low_s32(c))); MIXV(vmovn_u64(d)); MIXV(vqmovn_s32(c));
    MIXV(vqmovun_s16(vreinterpretq_s16_u16(b))); MIXV(vqmovn_u64(d));
    MIXV(vshlq_s8(a, n)); MIXV(vqshlq_s8(a, n)); MIXV(vrshlq_s8(a, n)); MIXV(vqrshlq_s8(a, n));
    MIXV(vshlq_u16(b, vreinterpretq_s16_s8(n))); MIXV(vqrshlq_s32(c, vreinterpretq_s32_s8(n)));
    MIXV(vshlq_s64(e, vreinterpretq_s64_s8(n))); MIXV(vqshlq_u64(d, vdupq_n_s64(-3 + k))); MIXV(vrshlq_s64(e, vdupq_n_s64(-k)));
  }
  end("shift");
}

static void compare_bits(void) {
  begin();
  for (int k = 0; k < 8; k++) {
    int8x16_t a = vld1q_s8((int8_t *)in + 16 * k), b = vld1q_s8((int8_t *)in + 16 * k + 128);
    uint32x4_t c = vld1q_u32((uint32_t *)in + 4 * k), d = vld1q_u32((uint32_t *)in + 4 * k + 32);
    MIXV(vceqq_s8(a, b)); MIXV(vcgeq_s8(a, b)); MIXV(vcgtq_u32(c, d)); MIXV(vcleq_s8(a, b)); MIXV(vcltq_u32(c, d));
    MIXV(vtstq_s8(a, b)); MIXV(vandq_u32(c, d)); MIXV(vorrq_u32(c, d)); MIXV(veorq_u32(c, d)); MIXV(vbicq_u32(c, d));
    MIXV(vornq_u32(c, d)); MIXV(vbslq_u32(c, d, vmvnq_u32(d))); MIXV(vmvnq_s8(a)); MIXV(vclsq_s8(a)); MIXV(vclzq_u32(c));
    MIXV(vcntq_u8(vreinterpretq_u8_s8(a))); MIXV(vceqq_s8(a, vdupq_n_s8(0))); MIXV(vcgtq_s8(a, vdupq_n_s8(0)));
    MIXV(vorrq_u32(c, vdupq_n_u32(0x00120000))); MIXV(vbicq_u32(c, vdupq_n_u32(0xff00))); MIXV(vdupq_n_u64(0xff0000ff00ff00ffull));
    MIXV(vdupq_n_u16(0x5500)); MIXV(vmvnq_u32(vdupq_n_u32(0x4400)));
  }
  end("compare/bit");
}

static void pairwise_permute(void) {
  begin();
  for (int k = 0; k < 8; k++) {
    uint8x16_t a = vld1q_u8(in + 16 * k), b = vld1q_u8(in + 16 * k + 128);
    int16x8_t c = vld1q_s16((int16_t *)in + 8 * k);
    uint32x4_t d = vld1q_u32((uint32_t *)in + 4 * k + 32);
    MIXV(vpadd_u8(vget_low_u8(a), vget_high_u8(b))); MIXV(vpmax_s16(vget_low_s16(c), vget_high_s16(c)));
    MIXV(vpmin_u32(vget_low_u32(d), vget_high_u32(d))); MIXV(vpaddlq_u8(a)); MIXV(vpaddlq_s16(c)); MIXV(vpaddlq_u32(d));
    MIXV(vpadalq_u8(vreinterpretq_u16_s16(c), a)); MIXV(vpadal_s32(vreinterpret_s64_u32(vget_low_u32(d)), vreinterpret_s32_u32(vget_high_u32(d))));
    MIXV(vextq_u8(a, b, 5)); MIXV(vext_s16(vget_low_s16(c), vget_high_s16(c), 3)); MIXV(vrev64q_u8(a)); MIXV(vrev32q_s16(c));
    MIXV(vrev16q_u8(b)); MIXV(vzipq_u8(a, b)); MIXV(vuzpq_s16(c, c)); MIXV(vtrnq_u32(d, d)); MIXV(vzip_u32(vget_low_u32(d), vget_high_u32(d)));
    uint8x8x4_t t = { { vget_low_u8(a), vget_high_u8(a), vget_low_u8(b), vget_high_u8(b) } };
    uint8x8_t idx = vand_u8(vget_low_u8(b), vdup_n_u8(0x27));
    MIXV(vtbl4_u8(t, idx)); MIXV(vtbx4_u8(vget_high_u8(a), t, idx));
    uint8x8x2_t t2 = { { vget_low_u8(a), vget_high_u8(a) } };
    MIXV(vtbl2_u8(t2, idx)); MIXV(vtbx1_u8(vget_low_u8(b), vget_high_u8(a), idx));
    MIXV(vdupq_lane_u8(vget_low_u8(a), 5)); MIXV(vdupq_n_s16((int16_t)(k * 1234))); MIXV(vget_lane_s16(vget_high_s16(c), 2));
    MIXV(vsetq_lane_u8(7, a, 9)); MIXV(vgetq_lane_u8(b, 11)); MIXV(vcombine_u8(vget_high_u8(a), vget_low_u8(b)));
  }
  end("pair/permute");
}

static void floats(void) {
  float fin[64];
  static const uint32_t specials[] = { 0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x00000001, 0x807fffff, 0x7f7fffff };
  for (int i = 0; i < 64; i++) {
    uint32_t r = next();
    if (i % 9 == 0) r = specials[(i / 9) % 8];
    else r = (r & 0x807fffff) | ((uint32_t)(100 + r % 56) << 23);
    memcpy(&fin[i], &r, 4);
  }
  begin();
  for (int k = 0; k < 8; k++) {
    float32x4_t a = vld1q_f32(fin + 4 * k), b = vld1q_f32(fin + 4 * k + 32);
    float32x2_t c = vget_low_f32(b);
    MIXV(vaddq_f32(a, b)); MIXV(vsubq_f32(a, b)); MIXV(vmulq_f32(a, b)); MIXV(vmlaq_f32(a, a, b)); MIXV(vmlsq_f32(b, a, b));
    MIXV(vfmaq_f32(a, a, b)); MIXV(vfmsq_f32(b, a, b)); MIXV(vabdq_f32(a, b)); MIXV(vmaxq_f32(a, b)); MIXV(vminq_f32(a, b));
    MIXV(vpadd_f32(vget_low_f32(a), c)); MIXV(vpmax_f32(vget_high_f32(a), c)); MIXV(vpmin_f32(c, vget_high_f32(a)));
    MIXV(vceqq_f32(a, b)); MIXV(vcgeq_f32(a, b)); MIXV(vcgtq_f32(a, b)); MIXV(vcageq_f32(a, b)); MIXV(vcagtq_f32(a, b));
    MIXV(vabsq_f32(a)); MIXV(vnegq_f32(b)); MIXV(vrecpeq_f32(a)); MIXV(vrsqrteq_f32(b)); MIXV(vrecpsq_f32(a, b));
    MIXV(vrsqrtsq_f32(a, b)); MIXV(vmulq_lane_f32(a, c, 1)); MIXV(vmlaq_lane_f32(b, a, c, 0));
    MIXV(vcvtq_s32_f32(a)); MIXV(vcvtq_u32_f32(b)); MIXV(vcvtq_f32_s32(vreinterpretq_s32_f32(a)));
    MIXV(vcvtq_f32_u32(vreinterpretq_u32_f32(b))); MIXV(vcvtq_n_s32_f32(a, 16)); MIXV(vcvtq_n_f32_u32(vreinterpretq_u32_f32(a), 30));
    MIXV(vcvt_f16_f32(a)); MIXV(vcvt_f32_f16(vcvt_f16_f32(b))); MIXV(vrecpeq_u32(vreinterpretq_u32_f32(a)));
    MIXV(vrsqrteq_u32(vreinterpretq_u32_f32(b))); MIXV(vcltq_f32(a, vdupq_n_f32(0.0f)));
  }
  MIXV(fpscr() & 0x9f);
  end("float");
}

static void loads_stores(void) {
  begin();
  for (int k = 0; k < 4; k++) {
    const uint8_t *p = in + 32 * k + (k & 1);
    uint8x8x2_t a2 = vld2_u8(p); uint16x4x3_t a3 = vld3_u16((const uint16_t *)(in + 32 * k)); uint32x4x4_t a4 = vld4q_u32((const uint32_t *)in + k);
    uint8x16x2_t q2 = vld2q_u8(p); int16x8x3_t q3 = vld3q_s16((const int16_t *)in + k); uint8x8x4_t d4 = vld4_u8(p + 1);
    MIXV(a2); MIXV(a3); MIXV(a4); MIXV(q2); MIXV(q3); MIXV(d4);
    MIXV(vld1q_dup_u16((const uint16_t *)in + k)); MIXV(vld2_dup_u8(p)); MIXV(vld3_dup_u32((const uint32_t *)in + k));
    MIXV(vld4_dup_s16((const int16_t *)in + 3 * k)); MIXV(vld1_lane_u8(p + 3, vget_low_u8(q2.val[0]), 6));
    uint16x4x2_t l2 = { { a3.val[2], a3.val[0] } };
    MIXV(vld2_lane_u16((const uint16_t *)in + k, l2, 2));
    MIXV(vld4q_lane_u32((const uint32_t *)in + 2 * k, a4, 3));
    MIXV(vld3q_lane_s16((const int16_t *)in + 5, q3, 4));
    memset(out, 0xcc, sizeof out);
    vst1q_u8(out + 1, q2.val[1]); vst2_u8(out + 20, a2); vst3_u16((uint16_t *)(out + 40), a3); vst4q_u32((uint32_t *)(out + 64), a4);
    vst2q_u8(out + 128, q2); vst3q_s16((int16_t *)(out + 160), q3); vst4_u8(out + 210, d4);
    vst1_lane_u16((uint16_t *)(out + 250), a3.val[1], 3); vst2_lane_u8(out + 252, a2, 5); uint8x8x3_t s3 = { { d4.val[3], d4.val[1], d4.val[2] } };
    vst3_lane_u8(out + 14, s3, 7);
    uint16x4x4_t s4 = { { a3.val[0], a3.val[1], a3.val[2], a3.val[0] } };
    vst4_lane_u16((uint16_t *)(out + 32), s4, 1);
    mix(out, sizeof out);
  }
  end("load/store");
}

int main(void) {
  for (int round = 0; round < 3; round++) {
    refill();
    printf("round %d\n", round);
    integer_arith();
    multiplies();
    shifts();
    compare_bits();
    pairwise_permute();
    floats();
    loads_stores();
  }
  return 0;
}
