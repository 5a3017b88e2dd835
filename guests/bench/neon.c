/* Benchmark: Advanced SIMD — an image-style pipeline over 64 KiB buffers with arm_neon.h: 8-bit
 * saturating blend with VLD3/VST3 pixel de-interleave, a 16-bit 8-tap FIR with widening
 * multiply-accumulate and rounding narrowing shifts, float32 SAXPY and dot product with fused
 * multiply-add, and a byte histogram-like table lookup (VTBL). Built -O2 -mfpu=neon-vfpv4. */
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define PIXELS 4096 /* RGB triples */
#define SAMPLES 8192
#define FLOATS 4096

static uint8_t rgb_a[3 * PIXELS], rgb_b[3 * PIXELS], rgb_out[3 * PIXELS];
static int16_t sig[SAMPLES + 8], fir_out[SAMPLES];
static float xs[FLOATS], ys[FLOATS];

static void blend(uint8_t alpha) {
  uint8x8_t wa = vdup_n_u8(alpha), wb = vdup_n_u8((uint8_t)(255 - alpha));
  for (int i = 0; i < PIXELS; i += 8) {
    uint8x8x3_t a = vld3_u8(rgb_a + 3 * i), b = vld3_u8(rgb_b + 3 * i), r;
    for (int c = 0; c < 3; c++) {
      uint16x8_t acc = vmull_u8(a.val[c], wa);
      acc = vmlal_u8(acc, b.val[c], wb);
      r.val[c] = vqadd_u8(vrshrn_n_u16(acc, 8), vshr_n_u8(b.val[c], 5));
    }
    vst3_u8(rgb_out + 3 * i, r);
  }
}

static void fir(const int16_t *taps) {
  int16x4_t t0 = vld1_s16(taps), t1 = vld1_s16(taps + 4);
  for (int i = 0; i < SAMPLES; i += 4) {
    int32x4_t acc = vmull_lane_s16(vld1_s16(sig + i), t0, 0);
    acc = vmlal_lane_s16(acc, vld1_s16(sig + i + 1), t0, 1);
    acc = vmlal_lane_s16(acc, vld1_s16(sig + i + 2), t0, 2);
    acc = vmlal_lane_s16(acc, vld1_s16(sig + i + 3), t0, 3);
    acc = vmlal_lane_s16(acc, vld1_s16(sig + i + 4), t1, 0);
    acc = vmlal_lane_s16(acc, vld1_s16(sig + i + 5), t1, 1);
    acc = vmlal_lane_s16(acc, vld1_s16(sig + i + 6), t1, 2);
    acc = vmlal_lane_s16(acc, vld1_s16(sig + i + 7), t1, 3);
    vst1_s16(fir_out + i, vqrshrn_n_s32(acc, 14));
  }
}

static float saxpy_dot(float a) {
  float32x4_t va = vdupq_n_f32(a), dot = vdupq_n_f32(0.0f);
  for (int i = 0; i < FLOATS; i += 4) {
    float32x4_t x = vld1q_f32(xs + i), y = vld1q_f32(ys + i);
    y = vfmaq_f32(y, va, x);
    vst1q_f32(ys + i, vmulq_n_f32(y, 0.5f));
    dot = vmlaq_f32(dot, x, y);
  }
  float32x2_t s = vpadd_f32(vget_low_f32(dot), vget_high_f32(dot));
  return vget_lane_f32(vpadd_f32(s, s), 0);
}

static uint32_t lookup(void) {
  uint8x8x4_t table = { { vcreate_u8(0x0706050403020100ull), vcreate_u8(0x1f1d1b1917151311ull),
                          vcreate_u8(0x2e2c2a2826242220ull), vcreate_u8(0x3f3b37332f2b2723ull) } };
  uint32x4_t sum = vdupq_n_u32(0);
  for (int i = 0; i < 3 * PIXELS; i += 8) {
    uint8x8_t idx = vshr_n_u8(vld1_u8(rgb_out + i), 3);
    sum = vpadalq_u16(sum, vmovl_u8(vtbl4_u8(table, idx)));
  }
  uint64x2_t s = vpaddlq_u32(sum);
  return (uint32_t)(vgetq_lane_u64(s, 0) + vgetq_lane_u64(s, 1));
}

int main(int argc, char **argv) {
  unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 2400;
  uint32_t seed = 2463534242u;
  for (int i = 0; i < 3 * PIXELS; i++) {
    seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5;
    rgb_a[i] = (uint8_t)seed; rgb_b[i] = (uint8_t)(seed >> 8);
  }
  for (int i = 0; i < SAMPLES + 8; i++) sig[i] = (int16_t)((i * 7919) % 20000 - 10000);
  for (int i = 0; i < FLOATS; i++) { xs[i] = (float)(i % 97) * 0.03125f; ys[i] = (float)(i % 13) - 6.0f; }
  static const int16_t taps[8] = { -512, 1024, 3072, 8192, 8192, 3072, 1024, -512 };
  uint32_t check = 0;
  float dot = 0.0f;
  for (unsigned r = 0; r < rounds; r++) {
    blend((uint8_t)(r * 37));
    fir(taps);
    dot += saxpy_dot(0.001f * (float)(r % 7));
    check = check * 31 + lookup() + (uint16_t)fir_out[r % SAMPLES];
  }
  printf("neon rounds=%u check=%08x dot=%.6g out=%u\n", rounds, check, (double)dot, rgb_out[12345 % (3 * PIXELS)]);
  return 0;
}
