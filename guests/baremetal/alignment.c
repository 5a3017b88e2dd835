/*
 * Alignment (ARMv7-A ARM A3.2.1, Table A3-1) with the MMU on and RAM as Normal memory: with
 * SCTLR.A = 0 unaligned LDR/LDRH/STR work (little-endian byte composition); LDRD, LDM and LDREX at
 * an address that is not word-aligned fault whatever SCTLR.A; with SCTLR.A = 1 every unaligned
 * LDR/LDRH/STR faults. Alignment faults report DFSR status 0b00001 (with WnR for stores) and the
 * unaligned address in DFAR.
 *
 * Variants: arm thumb (the C code in both instruction sets; the runtime and probes stay ARM)
 */
#include "baremetal.h"

#define BUF 0x40300000u
#define W(a) (*(volatile u32 *)(a))

static void expect_alignment(const char *what, u32 va, int write) {
  puts("# ");
  puts(what);
  putc('\n');
  check("data abort taken", 1, exc.count == 1 && exc.vector == VEC_DABT);
  check("DFSR: alignment", 0x001u | (write ? 0x800u : 0), read_dfsr() & 0xc0f);
  check("DFAR", va, read_dfar());
}

#define FAULTS(what, call, va, write) \
  do {                                \
    exc_reset();                      \
    exc_armed = 1;                    \
    call;                             \
    expect_alignment(what, va, write); \
  } while (0)

int main(void) {
  puts("alignment\n");
  mmu_identity_short((u32 *)SCRATCH, 1);
  mmu_enable((u32 *)SCRATCH);
  W(BUF) = 0x03020100;
  W(BUF + 4) = 0x07060504;
  W(BUF + 8) = 0x0b0a0908;

  check("A = 0: unaligned LDR composes bytes", 0x04030201, probe_read32(BUF + 1));
  check("A = 0: unaligned LDR across words", 0x06050403, probe_read32(BUF + 3));
  check("A = 0: unaligned LDRH", 0x0201, probe_read16(BUF + 1));
  probe_write32(BUF + 5, 0xddccbbaa);
  check("A = 0: unaligned STR, low word", 0xccbbaa04, W(BUF + 4));
  check("A = 0: unaligned STR, high word", 0x0b0a09dd, W(BUF + 8));
  check("A = 0: LDRD at a word (not doubleword) boundary", 0x0b0a09dd, (u32)(probe_ldrd(BUF + 4) >> 32));
  check("no abort so far", 0, exc.count);
  FAULTS("A = 0: LDRD not word-aligned", probe_ldrd(BUF + 2), BUF + 2, 0);
  FAULTS("A = 0: LDM not word-aligned", probe_ldm2(BUF + 1), BUF + 1, 0);
  FAULTS("A = 0: LDREX not word-aligned", probe_ldrex(BUF + 2), BUF + 2, 0);

  write_sctlr(read_sctlr() | SCTLR_A);
  check("A = 1: aligned LDR", 0x03020100, probe_read32(BUF));
  check("A = 1: halfword-aligned LDRH", 0x0302, probe_read16(BUF + 2));
  FAULTS("A = 1: unaligned LDR", probe_read32(BUF + 1), BUF + 1, 0);
  FAULTS("A = 1: unaligned LDRH", probe_read16(BUF + 3), BUF + 3, 0);
  FAULTS("A = 1: unaligned STR", probe_write32(BUF + 2, 0), BUF + 2, 1);
  write_sctlr(read_sctlr() & ~SCTLR_A);
  mmu_disable();
  return 0;
}
