/*
 * TLB maintenance (ARMv7-A ARM B3.10, B4.2.2) with short descriptors: after a descriptor changes,
 * TLBIMVA (VA + ASID), TLBIMVAA (all ASIDs), TLBIASID and TLBIALL each make the new mapping visible;
 * a non-global entry cached under one ASID (CONTEXTIDR) is never used under another. Only what the
 * architecture guarantees is asserted: whether a stale entry survives without an invalidate is not
 * checked.
 *
 * Variants: arm thumb (the C code in both instruction sets; the runtime and probes stay ARM)
 */
#include "baremetal.h"

#define L1 ((u32 *)SCRATCH)
#define VA 0x80000000u
#define W(a) (*(volatile u32 *)(a))

static u32 target = 0;

static void remap(u32 pa, u32 ng) {
  L1[VA >> 20] = pa | SECT_NORMAL | SECT_AP(1) | (ng ? SECT_NG : 0) | L1_SECTION;
  DSB();
  target = pa;
}

int main(void) {
  puts("tlb\n");
  for (u32 i = 0; i < 5; i++) W(0x40300000 + (i << 20)) = 0xa0 + i; /* PA 0x403-0x407 00000 */
  mmu_identity_short(L1, 1);
  remap(0x40300000, 0);
  write_contextidr(1);
  mmu_enable(L1);
  check("initial mapping", 0xa0, W(VA));

  remap(0x40400000, 0);
  tlbimva(VA | 1);
  check("TLBIMVA: new mapping", 0xa1, W(VA));
  remap(0x40500000, 0);
  tlbimvaa(VA);
  check("TLBIMVAA: new mapping", 0xa2, W(VA));
  remap(0x40600000, 0);
  tlbiall();
  check("TLBIALL: new mapping", 0xa3, W(VA));

  /* non-global entries are tagged with the ASID in CONTEXTIDR */
  remap(0x40300000, 1);
  tlbiall();
  check("nG mapping under ASID 1", 0xa0, W(VA));
  remap(0x40400000, 1); /* no invalidate */
  write_contextidr(2);
  check("ASID 2 does not use ASID 1's entry", 0xa1, W(VA));
  remap(0x40500000, 1);
  tlbiasid(2);
  check("TLBIASID(2): new mapping under ASID 2", 0xa2, W(VA));
  write_contextidr(1);
  tlbiasid(1);
  check("TLBIASID(1): new mapping under ASID 1", 0xa2, W(VA));
  remap(0x40700000, 1);
  tlbimva(VA | 1);
  check("TLBIMVA(VA, ASID 1) on a nG entry", 0xa4, W(VA));
  (void)target;
  mmu_disable();
  return 0;
}
