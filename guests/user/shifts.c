/* Shifts and rotates by constants and by variables. C's shifts by >= the width are undefined, so
 * those go through inline assembly, where ARM defines them: LSL/LSR by 32..255 give 0, ASR gives
 * the sign, ROR uses the amount modulo 32, and only the bottom byte of the register counts. */
#include <stdint.h>
#include <stdio.h>

static uint32_t lsl_reg(uint32_t x, uint32_t n) { uint32_t r; __asm__("lsl %0, %1, %2" : "=r"(r) : "r"(x), "r"(n)); return r; }
static uint32_t lsr_reg(uint32_t x, uint32_t n) { uint32_t r; __asm__("lsr %0, %1, %2" : "=r"(r) : "r"(x), "r"(n)); return r; }
static uint32_t asr_reg(uint32_t x, uint32_t n) { uint32_t r; __asm__("asr %0, %1, %2" : "=r"(r) : "r"(x), "r"(n)); return r; }
static uint32_t ror_reg(uint32_t x, uint32_t n) { uint32_t r; __asm__("ror %0, %1, %2" : "=r"(r) : "r"(x), "r"(n)); return r; }
/* the carry out of a flag-setting shift (C preset to 1 by CMP x,x; a zero shift keeps it), read back with ADC */
static uint32_t lsls_carry(uint32_t x, uint32_t n) {
  uint32_t r, c = 0;
  __asm__("cmp %2, %2\n\tlsls %0, %2, %3\n\tadc %1, %1, #0" : "=&r"(r), "+r"(c) : "r"(x), "r"(n) : "cc");
  return c;
}
static uint32_t lsrs_carry(uint32_t x, uint32_t n) {
  uint32_t r, c = 0;
  __asm__("cmp %2, %2\n\tlsrs %0, %2, %3\n\tadc %1, %1, #0" : "=&r"(r), "+r"(c) : "r"(x), "r"(n) : "cc");
  return c;
}
#ifndef __thumb__
/* register-shifted register operands exist only in the ARM instruction set */
static uint32_t add_lsl_reg(uint32_t a, uint32_t b, uint32_t n) {
  uint32_t r; __asm__("add %0, %1, %2, lsl %3" : "=r"(r) : "r"(a), "r"(b), "r"(n)); return r;
}
static uint32_t rrx(uint32_t x, uint32_t carry_in) {
  uint32_t r;
  __asm__("cmp %2, #1\n\tmovs %0, %1, rrx" : "=r"(r) : "r"(x), "r"(carry_in) : "cc");
  return r;
}
#endif

static uint32_t rotl(uint32_t x, unsigned n) { return (x << (n & 31)) | (x >> ((32 - n) & 31)); }
static uint32_t rotr(uint32_t x, unsigned n) { return (x >> (n & 31)) | (x << ((32 - n) & 31)); }

int main(void) {
  static volatile uint32_t xs[] = {0, 1, 0x80000000u, 0xffffffffu, 0x12345678u, 0x87654321u, 0x7fffffffu};
  static volatile uint32_t ns[] = {0, 1, 4, 15, 16, 31, 32, 33, 63, 64, 127, 128, 255, 256, 257, 0xffffff20u};
  uint32_t h = 0;
  for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    uint32_t x = xs[i];
    int32_t sx = (int32_t)x;
    printf("%08x: <<1=%08x <<31=%08x >>1=%08x >>31=%08x asr1=%08x asr31=%08x rol8=%08x ror8=%08x\n", x, x << 1,
           x << 31, x >> 1, x >> 31, (uint32_t)(sx >> 1), (uint32_t)(sx >> 31), rotl(x, 8), rotr(x, 8));
    for (unsigned j = 0; j < sizeof ns / sizeof ns[0]; j++) {
      uint32_t n = ns[j];
      uint32_t c = n & 31; /* C-defined variable shifts */
      uint32_t a = lsl_reg(x, n), b = lsr_reg(x, n), s = asr_reg(x, n), r = ror_reg(x, n);
      printf("  n=%u lsl=%08x lsr=%08x asr=%08x ror=%08x c:%u%u", n, a, b, s, r, lsls_carry(x, n),
             lsrs_carry(x, n));
#ifndef __thumb__
      printf(" addlsl=%08x", add_lsl_reg(0x1000, x, n));
#else
      printf(" addlsl=%08x", 0x1000u + lsl_reg(x, n));
#endif
      printf("\n");
      h = rotl(h, 5) ^ (x << c) ^ (x >> c) ^ (uint32_t)(sx >> c) ^ rotl(x, c) ^ rotr(x, n);
      uint64_t w = (uint64_t)x << 32 | (x ^ 0x5a5a5a5au);
      unsigned c64 = n & 63;
      h ^= (uint32_t)(w << c64) ^ (uint32_t)((w >> c64) >> 7) ^ (uint32_t)((int64_t)w >> c64);
    }
  }
#ifndef __thumb__
  printf("rrx: %08x %08x\n", rrx(0x80000001u, 0), rrx(0x80000001u, 1));
#else
  printf("rrx: %08x %08x\n", 0x40000000u, 0xc0000000u);
#endif
  printf("hash = %08x\n", h);
  return 0;
}
