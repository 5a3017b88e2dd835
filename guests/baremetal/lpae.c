/*
 * Long-descriptor translation (LPAE; ARMv7-A ARM B3.6, TTBCR.EAE = 1, T0SZ = 0 so TTBR0 covers 4 GiB
 * with a 4-entry first level): 1 GiB and 2 MiB blocks, 4 KiB pages, MAIR0 attributes, access-flag and
 * permission faults, translation faults at each level, ASID-tagged (nG) entries from TTBR0[55:48],
 * and ATS1CPR with the 64-bit PAR. Long-format DFSR/IFSR: LPAE bit 9 = 1, STATUS[5:0] = 0b0001LL
 * translation, 0b0010LL access flag, 0b0011LL permission (LL = level), WnR bit 11 (B3.13.5).
 *
 * Layout: L1 0x40200000, L2 for 0x00000000.. 0x40201000, L2 for 0x80000000.. 0x40202000, L3 for
 * 0x80000000..0x801FFFFF 0x40203000; test pages 0x40402000, 0x40403000, 0x40404000, 0x40600000.
 *
 * Variants: arm thumb (the C code in both instruction sets; the runtime and probes stay ARM)
 */
#include "baremetal.h"

#define L1 ((volatile u64 *)0x40200000)
#define L2A ((volatile u64 *)0x40201000)
#define L2B ((volatile u64 *)0x40202000)
#define L3 ((volatile u64 *)0x40203000)
#define D_BLOCK 1ull
#define D_TABLE 3ull
#define D_PAGE 3ull
#define D_ATTR(i) ((u64)(i) << 2)
#define D_AP_RO (2ull << 6) /* AP[2:1] = 10: PL1 read-only */
#define D_SH_INNER (3ull << 8)
#define D_AF (1ull << 10)
#define D_NG (1ull << 11)
#define D_XN (1ull << 54)
#define NORMAL (D_ATTR(1) | D_SH_INNER | D_AF)
#define DEVICE (D_ATTR(0) | D_AF | D_XN)
#define LPAE_FSR(status, wnr) (0x200u | (status) | ((wnr) ? 0x800u : 0))
#define W(a) (*(volatile u32 *)(a))

static void set_ttbr0(u32 table, u32 asid) { MCRR(0, c2, ((u64)asid << 48) | table); ISB(); }

static void expect_dabt(const char *what, u32 va, int write, u32 status) {
  exc_reset();
  exc_armed = 1;
  if (write) probe_write32(va, 0x5a5a5a5a);
  else probe_read32(va);
  puts("# ");
  puts(what);
  putc('\n');
  check("data abort taken", 1, exc.count == 1 && exc.vector == VEC_DABT);
  check("DFSR long format (LPAE, WnR, STATUS)", LPAE_FSR(status, write), read_dfsr() & 0xa3f);
  check("DFAR", va, read_dfar());
}

static void build(void) {
  for (u32 i = 0; i < 512; i++) L2A[i] = L2B[i] = L3[i] = 0;
  L1[0] = 0x40201000ull | D_TABLE;
  L1[1] = 0x40000000ull | NORMAL | D_BLOCK; /* 1 GiB block: RAM, identity */
  L1[2] = 0x40202000ull | D_TABLE;
  L1[3] = 0;
  L2A[0x08000000 >> 21] = 0x08000000ull | DEVICE | D_BLOCK; /* GIC */
  L2A[0x09000000 >> 21] = 0x09000000ull | DEVICE | D_BLOCK; /* UART */
  L2B[0] = 0x40203000ull | D_TABLE;
  L2B[1] = 0x40600000ull | NORMAL | D_BLOCK; /* 0x80200000: 2 MiB block */
  L3[1] = 0x40402000ull | NORMAL | D_PAGE;
  L3[2] = (0x40402000ull | NORMAL | D_PAGE) & ~D_AF; /* access flag fault */
  L3[3] = 0x40402000ull | NORMAL | D_AP_RO | D_PAGE;  /* PL1 read-only */
  L3[5] = 0x40403000ull | NORMAL | D_NG | D_PAGE;     /* non-global: ASID-tagged */
  L3[6] = 0x40402000ull | NORMAL | D_XN | D_PAGE;     /* execute-never */
  DSB();
}

static void translation(void) {
  W(0x40402010) = 0x31313131;
  W(0x40403010) = 0xa1a1a1a1;
  W(0x40404010) = 0xb2b2b2b2;
  W(0x40654320) = 0x20202020;
  W(0x40402100) = 0xe3a0002b; /* mov r0, #43 */
  W(0x40402104) = 0xe12fff1e; /* bx lr */
  build();
  MCR(0, c10, c2, 0, 0x0044ff00u); /* MAIR0: attr0 device (0x00), attr1 normal WB (0xff), attr2 normal NC */
  MCR(0, c10, c2, 1, 0);           /* MAIR1 */
  write_ttbcr(0x80000000u);        /* EAE, T0SZ = 0, A1 = 0: ASID from TTBR0 */
  set_ttbr0(0x40200000, 1);
  tlbiall();
  write_sctlr(read_sctlr() | SCTLR_M);
  check("LPAE MMU on, console through a 2 MiB device block", SCTLR_M, read_sctlr() & SCTLR_M);
  check("4 KiB page 0x80001010 -> 0x40402010", 0x31313131, W(0x80001010));
  check("2 MiB block 0x80254320 -> 0x40654320", 0x20202020, W(0x80254320));
  check("instruction fetch through a 4 KiB page", 43, probe_call(0x80001100));
  expect_dabt("level 1 translation fault", 0xc0000010, 0, 0x05);
  expect_dabt("level 2 translation fault, write", 0x80400010, 1, 0x06);
  expect_dabt("level 3 translation fault", 0x80004010, 0, 0x07);
  expect_dabt("level 3 access flag fault", 0x80002010, 0, 0x0b);
  check("PL1 read-only page: read", 0x31313131, probe_read32(0x80003010));
  expect_dabt("level 3 permission fault, write", 0x80003010, 1, 0x0f);
  exc_reset();
  exc_armed = 1;
  u32 r = probe_call(0x80006100);
  check("execute from an XN page: prefetch abort", 0xdead, r);
  check("IFSR long format: permission level 3", 0x200u | 0x0f, read_ifsr() & 0x23f);
  check("IFAR", 0x80006100, read_ifar());
}

static void asids(void) {
  check("nG page under ASID 1 -> 0x40403010", 0xa1a1a1a1, W(0x80005010));
  L3[5] = 0x40404000ull | NORMAL | D_NG | D_PAGE; /* remap without invalidating */
  DSB();
  set_ttbr0(0x40200000, 2);
  check("ASID 2 cannot use ASID 1's entry: new mapping", 0xb2b2b2b2, W(0x80005010));
  tlbiasid(1);
  set_ttbr0(0x40200000, 1);
  check("ASID 1 after TLBIASID(1): new mapping", 0xb2b2b2b2, W(0x80005010));
}

static void par64(void) {
  MCR(0, c7, c8, 0, 0x80001234); /* ATS1CPR */
  ISB();
  u64 par = MRRC(0, c7);
  check("ATS1CPR page: PAR.F = 0, LPAE = 1, PA[31:12]", 0x40402800, (u32)par & 0xfffff801);
  check("ATS1CPR page: PAR.PA[39:32]", 0, (u32)(par >> 32) & 0xff);
  check("ATS1CPR page: PAR.ATTR = MAIR attr1", 0xff, (u32)(par >> 56));
  MCR(0, c7, c8, 0, 0xc0000000);
  ISB();
  par = MRRC(0, c7);
  check("ATS1CPR unmapped: PAR.F = 1, LPAE = 1, FST = level 1 translation", 0x800u | (0x05u << 1) | 1, (u32)par & 0x87f);
}

int main(void) {
  puts("lpae\n");
  translation();
  asids();
  par64();
  write_sctlr(read_sctlr() & ~SCTLR_M);
  write_ttbcr(0);
  tlbiall();
  return 0;
}
