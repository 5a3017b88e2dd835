/*
 * The short-descriptor identity map most guests run under: 1 MiB sections, RAM normal memory with
 * the caller's AP, the GIC and UART as device memory (PL1 only, XN), every other section a
 * translation fault. Domain 0 for everything; DACR makes all domains clients.
 */
#include "baremetal.h"

void mmu_identity_short(u32 *l1, u32 ram_ap) {
  for (u32 i = 0; i < 4096; i++) {
    u32 base = i << 20;
    if (base >= RAM_BASE && base < RAM_BASE + 0x10000000u)
      l1[i] = base | SECT_NORMAL | SECT_AP(ram_ap) | L1_SECTION;
    else if (base == GICD_BASE || base == UART_DR)
      l1[i] = base | SECT_DEVICE | SECT_XN | SECT_AP(1) | L1_SECTION;
    else
      l1[i] = 0;
  }
  DSB();
}

void mmu_enable(u32 *l1) {
  write_ttbcr(0);
  write_dacr(0x55555555u);
  write_ttbr0((u32)l1);
  ISB();
  tlbiall();
  write_sctlr(read_sctlr() | SCTLR_M);
}

void mmu_disable(void) {
  write_sctlr(read_sctlr() & ~SCTLR_M);
  tlbiall();
}
