/* Bit tricks: popcount, clz, ctz, ffs, parity, clrsb, bswap 16/32/64, bit reversal (the RBIT
 * instruction and a portable loop must agree), and classic branch-free idioms. */
#include <stdint.h>
#include <stdio.h>

static uint32_t rbit_insn(uint32_t x) { uint32_t r; __asm__("rbit %0, %1" : "=r"(r) : "r"(x)); return r; }
static uint32_t rbit_loop(uint32_t x) {
  uint32_t r = 0;
  for (int i = 0; i < 32; i++) { r = (r << 1) | (x & 1); x >>= 1; }
  return r;
}
static int popcount_loop(uint64_t x) { int n = 0; while (x) { x &= x - 1; n++; } return n; }
static uint32_t rev16_insn(uint32_t x) { uint32_t r; __asm__("rev16 %0, %1" : "=r"(r) : "r"(x)); return r; }
static int32_t revsh_insn(int32_t x) { int32_t r; __asm__("revsh %0, %1" : "=r"(r) : "r"(x)); return r; }
static uint32_t next_pow2(uint32_t v) { v--; v |= v >> 1; v |= v >> 2; v |= v >> 4; v |= v >> 8; v |= v >> 16; return v + 1; }

int main(void) {
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  uint32_t h = 0;
  int bad = 0;
  for (int i = 0; i < 300; i++) {
    seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
    uint32_t x = (uint32_t)seed >> (i % 32); /* vary the number of leading zeros */
    uint64_t w = seed >> (i % 64);
    int pc = __builtin_popcount(x), pcl = __builtin_popcountll(w);
    int clz = x ? __builtin_clz(x) : 32, ctz = x ? __builtin_ctz(x) : 32;
    int clzl = w ? __builtin_clzll(w) : 64, ctzl = w ? __builtin_ctzll(w) : 64;
    if (pc != popcount_loop(x) || pcl != popcount_loop(w)) bad |= 1;
    if (rbit_insn(x) != rbit_loop(x)) bad |= 2;
    uint32_t bs = __builtin_bswap32(x);
    uint64_t bsl = __builtin_bswap64(w);
    uint16_t bs16 = __builtin_bswap16((uint16_t)x);
    if (i < 24)
      printf("%08x pc=%d clz=%d ctz=%d ffs=%d par=%d clrsb=%d bswap=%08x rbit=%08x rev16=%08x revsh=%08x "
             "np2=%08x | %016llx pc=%d clz=%d ctz=%d bswap=%016llx b16=%04x\n",
             x, pc, clz, ctz, __builtin_ffs((int)x), __builtin_parity(x), __builtin_clrsb((int)x), bs,
             rbit_insn(x), rev16_insn(x), (uint32_t)revsh_insn((int32_t)x), next_pow2(x),
             (unsigned long long)w, pcl, clzl, ctzl, (unsigned long long)bsl, bs16);
    h = h * 33 + (uint32_t)(pc + clz * 3 + ctz * 5 + pcl * 7 + clzl * 11 + ctzl * 13) + bs + (uint32_t)bsl +
        rbit_insn(x) + (x & -x) + (x & (x - 1)) + (uint32_t)(-(int32_t)(x >> 31));
  }
  /* bitfield insert/extract shapes: UBFX, SBFX, BFI, BFC */
  volatile uint32_t v = 0xdeadbeef;
  uint32_t u = (v >> 7) & 0x1ff;
  int32_t s = (int32_t)(v << 3) >> 20;
  uint32_t ins = (v & ~0x00ff0000u) | ((u & 0xff) << 16);
  printf("ubfx=%03x sbfx=%08x bfi=%08x bfc=%08x\n", u, (uint32_t)s, ins, v & ~0x0000ff00u);
  printf("hash=%08x bad=%d\n", h, bad);
  return bad;
}
