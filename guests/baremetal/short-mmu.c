/*
 * Short-descriptor translation (ARMv7-A ARM B3.5, TTBCR.EAE = 0): sections, a supersection, 64 KiB
 * large and 4 KiB small pages through a second-level table, a remapped alias (translation really
 * happens, for data and instruction fetch), domains (no access / client / manager), AP[2:0]
 * permissions, XN, the access flag with SCTLR.AFE, high vectors (SCTLR.V through a mapping of
 * 0xFFFF0000) and ATS1CPR with the short-format PAR. Every fault is checked for its DFSR/IFSR status
 * (B3.13.3, Table B3-23: translation section 0x05 / page 0x07, access flag section 0x03 / page 0x06,
 * domain section 0x09, permission section 0x0D / page 0x0F; WnR = DFSR bit 11) and DFAR/IFAR.
 *
 * Layout: L1 table 0x40200000, L2 table (for VA 0x82000000..0x820FFFFF) 0x40204000; test memory
 * 0x40300000 (1 MiB), 0x40402000 (4 KiB), 0x40410000 (64 KiB), 0x41000000 (16 MiB), high vectors
 * page 0x405F0000.
 *
 * Variants: arm thumb (the C code in both instruction sets; the runtime and probes stay ARM)
 */
#include "baremetal.h"

#define L1 ((u32 *)0x40200000)
#define L2 ((u32 *)0x40204000)
#define SMALL (0x2u)
#define LARGE (0x1u)
#define PG_B (1u << 2)
#define PG_C (1u << 3)
#define PG_AP(ap) ((((u32)(ap) & 3) << 4) | (((u32)(ap) >> 2) << 9))
#define PG_NORMAL_SMALL ((1u << 6) | PG_C | PG_B) /* TEX = 001 at bits 8:6 */
#define PG_NORMAL_LARGE ((1u << 12) | PG_C | PG_B) /* TEX = 001 at bits 14:12 */

#define W(a) (*(volatile u32 *)(a))

static void expect_dabt(const char *what, u32 va, int write, u32 status) {
  exc_reset();
  exc_armed = 1;
  if (write) probe_write32(va, 0x5a5a5a5a);
  else probe_read32(va);
  puts("# ");
  puts(what);
  putc('\n');
  check("data abort taken", 1, exc.count == 1 && exc.vector == VEC_DABT);
  check("DFSR (status, WnR)", status | (write ? 0x800u : 0), read_dfsr() & 0xc0f);
  check("DFAR", va, read_dfar());
}

static void expect_pabt(const char *what, u32 va, u32 status) {
  exc_reset();
  exc_armed = 1;
  u32 r = probe_call(va);
  puts("# ");
  puts(what);
  putc('\n');
  check("prefetch abort taken and resumed", 0xdead, r);
  check("vector", VEC_PABT, exc.vector);
  check("IFSR status", status, read_ifsr() & 0x40f);
  check("IFAR", va, read_ifar());
}

static void build_tables(void) {
  mmu_identity_short(L1, 1); /* RAM: PL1 RW, PL0 none */
  L1[0x800] = 0x40300000u | SECT_NORMAL | SECT_AP(1) | L1_SECTION;                   /* alias */
  for (u32 i = 0; i < 16; i++)                                                          /* supersection */
    L1[0x810 + i] = 0x41000000u | SECT_SUPER | SECT_NORMAL | SECT_AP(1) | L1_SECTION;
  L1[0x820] = (u32)L2 | SECT_DOMAIN(0) | L1_TABLE;
  L1[0x840] = 0x40300000u | SECT_DOMAIN(3) | SECT_NORMAL | SECT_AP(0) | L1_SECTION;  /* domain 3, AP none */
  L1[0x850] = 0x40300000u | SECT_NORMAL | SECT_AP(5) | L1_SECTION;                   /* PL1 read-only */
  L1[0x860] = 0x40300000u | SECT_NORMAL | SECT_AP(1) | SECT_XN | L1_SECTION;         /* XN */
  L1[0x870] = 0x40300000u | SECT_NORMAL | SECT_AP(2) | L1_SECTION;                   /* AP[0] = 0: AF clear under AFE */
  L1[0xfff] = 0x40500000u | SECT_NORMAL | SECT_AP(1) | L1_SECTION;                   /* high vectors */
  memset(L2, 0, 1024);
  L2[1] = 0x40402000u | PG_NORMAL_SMALL | PG_AP(1) | SMALL;                          /* 0x82001000 */
  L2[3] = 0x40402000u | PG_NORMAL_SMALL | PG_AP(2) | SMALL;                          /* 0x82003000, AF clear */
  L2[5] = 0x40402000u | PG_NORMAL_SMALL | PG_AP(5) | SMALL;                          /* 0x82005000, PL1 RO */
  for (u32 i = 0; i < 16; i++) L2[16 + i] = 0x40410000u | PG_NORMAL_LARGE | PG_AP(1) | LARGE; /* 0x82010000 */
  DSB();
}

static void translation(void) {
  W(0x40300040) = 0x11111111;
  W(0x41234560) = 0x22222222;
  W(0x40402abc & ~3u) = 0x33333333;
  W(0x4041fff0) = 0x44444444;
  W(0x40300100) = 0xe3a0002a; /* mov r0, #42 */
  W(0x40300104) = 0xe12fff1e; /* bx lr */
  build_tables();
  mmu_enable(L1);
  check("MMU on: SCTLR.M", SCTLR_M, read_sctlr() & SCTLR_M);
  check("section alias 0x80000040 -> 0x40300040", 0x11111111, W(0x80000040));
  W(0x80000044) = 0xabcd;
  check("store through the alias lands at the PA", 0xabcd, W(0x40300044));
  check("supersection 0x81234560 -> 0x41234560", 0x22222222, W(0x81234560));
  check("small page 0x82001abc -> 0x40402abc", 0x33333333, W(0x82001abc & ~3u));
  check("large page 0x8201fff0 -> 0x4041fff0", 0x44444444, W(0x8201fff0));
  check("instruction fetch through the alias", 42, probe_call(0x80000100));
  expect_dabt("unmapped section (L1 fault entry)", 0x83000010, 0, 0x005);
  expect_dabt("unmapped small page (L2 fault entry), write", 0x82002008, 1, 0x007);
  expect_pabt("branch to an unmapped page", 0x82002000, 0x007);
}

static void domains_and_permissions(void) {
  write_dacr(0x55555555u & ~(3u << 6)); /* domain 3: no access */
  tlbiall();
  expect_dabt("domain 3 no access", 0x84000010, 0, 0x009);
  write_dacr(0x55555555u); /* client: AP = 000 denies */
  tlbiall();
  expect_dabt("domain 3 client, AP none", 0x84000010, 0, 0x00d);
  write_dacr(0x55555555u | (3u << 6)); /* manager: no permission checks */
  tlbiall();
  check("domain 3 manager: AP ignored", 0x11111111, probe_read32(0x84000040));
  write_dacr(0x55555555u);
  tlbiall();
  check("PL1 read-only section: read", 0x11111111, probe_read32(0x85000040));
  expect_dabt("PL1 read-only section, write", 0x85000048, 1, 0x00d);
  expect_dabt("PL1 read-only small page, write", 0x82005010, 1, 0x00f);
  check("XN section: data read allowed", 0x11111111, probe_read32(0x86000040));
  expect_pabt("execute from an XN section", 0x86000100, 0x00d);
}

static void access_flag(void) {
  write_sctlr(read_sctlr() | SCTLR_AFE);
  tlbiall();
  expect_dabt("AFE: section with AF = 0", 0x87000040, 0, 0x003);
  expect_dabt("AFE: small page with AF = 0", 0x82003abc & ~3u, 0, 0x006);
  L1[0x870] |= SECT_AP(1); /* AP[0] is the access flag */
  DSB();
  tlbimva(0x87000000);
  check("AFE: section after setting AF", 0x11111111, probe_read32(0x87000040));
  write_sctlr(read_sctlr() & ~SCTLR_AFE);
  tlbiall();
}

static void high_vectors(void) {
  memcpy((void *)0x405f0000, vectors_arm, 64); /* 8 entries + 8 absolute handler addresses */
  write_vbar((u32)vectors_fatal);              /* must not be used while SCTLR.V = 1 */
  write_sctlr(read_sctlr() | SCTLR_V);
  exc_reset();
  exc_armed = 1;
  __asm__ volatile("udf #1" ::: "memory");
  check("SCTLR.V: UDF taken through 0xFFFF0004", 1, exc.count);
  check("SCTLR.V: mode", MODE_UND, exc.cpsr & 0x1f);
  write_sctlr(read_sctlr() & ~SCTLR_V);
  write_vbar((u32)vectors_arm);
}

static void address_translation(void) {
  MCR(0, c7, c8, 0, 0x80000123); /* ATS1CPR */
  ISB();
  u32 par = MRC(0, c7, c4, 0);
  check("ATS1CPR section: PAR PA[31:12], F = 0, SS = 0", 0x40300000, par & 0xfffff003);
  MCR(0, c7, c8, 0, 0x81234567);
  ISB();
  par = MRC(0, c7, c4, 0);
  check("ATS1CPR supersection: PAR PA[31:24], SS = 1", 0x41000002, par & 0xff000003);
  MCR(0, c7, c8, 0, 0x83000000);
  ISB();
  par = MRC(0, c7, c4, 0);
  check("ATS1CPR unmapped: PAR F = 1, FS = translation section", (0x05u << 1) | 1, par & 0x7f);
  MCR(0, c7, c8, 1, 0x85000000); /* ATS1CPW on PL1 read-only */
  ISB();
  par = MRC(0, c7, c4, 0);
  check("ATS1CPW read-only section: PAR F = 1, FS = permission section", (0x0du << 1) | 1, par & 0x7f);
}

int main(void) {
  puts("short-mmu\n");
  translation();
  domains_and_permissions();
  access_flag();
  high_vectors();
  address_translation();
  mmu_disable();
  return 0;
}
