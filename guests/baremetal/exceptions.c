/*
 * Exception entry and return (ARMv7-A ARM, B1.8 "Exception handling"): for UNDEF (UDF, an absent
 * coprocessor, an unallocated CP15 register), SVC (ARM and Thumb, immediate read back from the
 * instruction), prefetch abort (BKPT debug event; branch to an unmapped page), data abort (alignment
 * with the MMU off; translation fault), each checks: the vector taken, the mode and the I/F/A/T bits
 * on entry, LR (preferred return address + the architected offset), SPSR (the interrupted CPSR), the
 * mode's banked SP, the fault status/address registers, and that the return form restores the CPSR.
 * Then the same through the Thumb vector table with SCTLR.TE = 1.
 *
 * Expected values: LR offsets and entry masks from B1.8.3-B1.9 (UNDEF/SVC: next instruction; PABT:
 * +4; DABT: +8; CPSR.I always set, CPSR.A set for aborts (HaveVirtExt), F unchanged); FSR encodings
 * from B3.13.3 (alignment 0b00001, debug event 0b00010, section translation 0b00101).
 */
#include "baremetal.h"

#define FLAGS 0x90000000u /* N and V: a pattern that must survive each exception */
#define BASE_CPSR (FLAGS | PSR_I | MODE_SVC) /* SVC, I masked, A and F clear, ARM, little-endian */

static u32 at_sp; /* SP when the last AT() ran */

/* Runs one instruction `insn` at a labelled address with CPSR = BASE_CPSR; returns its address. */
#define AT(insn, after)                                                                            \
  ({                                                                                               \
    u32 _a;                                                                                        \
    __asm__ volatile("msr cpsr_f, #0x90000000\n\tmov %2, sp\n\tadr %0, 1f\n1:\t" insn            \
                     "\n\tmrs %1, cpsr"                                                             \
                     : "=&r"(_a), "=&r"(after), "=&r"(at_sp)::"r0", "r1", "r2", "r3", "r12", "lr", "cc", \
                       "memory");                                                                  \
    _a;                                                                                            \
  })

static void check_entry(const char *what, u32 vector, u32 mode_bits, u32 lr, u32 spsr, u32 sp) {
  puts("# ");
  puts(what);
  putc('\n');
  check("taken once", 1, exc.count);
  check("vector", vector, exc.vector);
  check("CPSR on entry (mode, A, I, F, T, E)", mode_bits, exc.cpsr & 0x3ff);
  check("LR on entry", lr, exc.lr);
  check("SPSR = interrupted CPSR", spsr, exc.spsr);
  check("banked SP of the exception mode", sp, exc.sp);
}

static void undef_tests(void) {
  u32 after, a;

  exc_reset();
  exc_armed = 1;
  a = AT("udf #0x12", after);
  check_entry("UDF (A32)", VEC_UND, PSR_I | MODE_UND, a + 4, BASE_CPSR, 0x40104000);
  check("MOVS PC, LR restored CPSR", BASE_CPSR, after);

  exc_reset();
  exc_armed = 1;
  a = AT("mrc p7, 0, r0, c0, c0, 0", after);
  check_entry("MRC to absent coprocessor p7", VEC_UND, PSR_I | MODE_UND, a + 4, BASE_CPSR, 0x40104000);

  exc_reset();
  exc_armed = 1;
  a = AT("mrc p15, 7, r0, c2, c2, 7", after);
  check_entry("MRC to unallocated CP15 register (7, c2, c2, 7)", VEC_UND, PSR_I | MODE_UND, a + 4, BASE_CPSR, 0x40104000);

  exc_reset();
  exc_armed = 1;
  thumb_udf();
  check_entry("UDF (T16)", VEC_UND, PSR_I | MODE_UND, ((u32)thumb_udf & ~1u) + 2, (exc.spsr & 0xf0000000u) | PSR_I | PSR_T | MODE_SVC, 0x40104000);

  exc_reset();
  exc_armed = 1;
  thumb_udf_w();
  check("UDF.W (T32): LR = address + 2 (Thumb UNDEF offset, whatever the size)", ((u32)thumb_udf_w & ~1u) + 2, exc.lr);
}

static void svc_tests(void) {
  u32 after, a;

  exc_reset();
  a = AT("svc #0x123456", after);
  check_entry("SVC #0x123456 (A32)", VEC_SVC, PSR_I | MODE_SVC, a + 4, BASE_CPSR, at_sp);
  check("SVC immediate from the instruction at LR-4", 0x123456, exc.insn & 0xffffff);
  check("LDM ^ restored CPSR", BASE_CPSR, after);

  exc_reset();
  thumb_svc();
  check("SVC (T16): taken once", 1, exc.count);
  check("SVC (T16): LR = SVC address + 2", ((u32)thumb_svc & ~1u) + 4, exc.lr);
  check("SVC (T16): SPSR.T set", PSR_T, exc.spsr & PSR_T);
  check("SVC (T16): immediate from the halfword at LR-2", 0x5a, exc.insn & 0xff);
}

static void abort_tests(u32 *l1) {
  u32 after, a;

  exc_reset();
  exc_armed = 1;
  __asm__ volatile("adr r0, 2f\n\tldr r1, =exc_resume\n\tstr r0, [r1]\n\t" ::: "r0", "r1", "memory");
  a = AT("bkpt #0x42\n2:", after);
  check_entry("BKPT (debug event)", VEC_PABT, PSR_A | PSR_I | MODE_ABT, a + 4, BASE_CPSR, 0x40103000);
  check("IFSR status: debug event", 0x002, read_ifsr() & 0x40f);
  check("SUBS PC, LR, #4 restored CPSR", BASE_CPSR, after);

  /* MMU off: SCTLR.A = 1 makes the unaligned word load an alignment fault. */
  write_sctlr(read_sctlr() | SCTLR_A);
  exc_reset();
  exc_armed = 1;
  probe_read32(0x40300001);
  check_entry("unaligned LDR, SCTLR.A = 1", VEC_DABT, PSR_A | PSR_I | MODE_ABT, (u32)probe_read32 + 8, exc.spsr, 0x40103000);
  check("SPSR mode and masks", PSR_I | MODE_SVC, exc.spsr & 0x3ff);
  check("DFSR: alignment, read", 0x001, read_dfsr() & 0xc0f);
  check("DFAR", 0x40300001, read_dfar());
  exc_reset();
  exc_armed = 1;
  probe_write32(0x40300002, 1);
  check("unaligned STR: DFSR alignment, WnR", 0x801, read_dfsr() & 0xc0f);
  check("unaligned STR: DFAR", 0x40300002, read_dfar());
  exc_reset();
  exc_armed = 1;
  thumb_ldr(0x40300003);
  check("unaligned LDR (T16): LR = address + 8", ((u32)thumb_ldr & ~1u) + 8, exc.lr);
  check("unaligned LDR (T16): SPSR.T", PSR_T, exc.spsr & PSR_T);
  check("unaligned LDR (T16): DFAR", 0x40300003, read_dfar());
  write_sctlr(read_sctlr() & ~SCTLR_A);

  /* MMU on, identity map: unmapped 0x30000000 faults. */
  mmu_identity_short(l1, 1);
  mmu_enable(l1);
  exc_reset();
  exc_armed = 1;
  u32 r = probe_call(0x30000000);
  check("branch to unmapped page: resumed", 0xdead, r);
  check("prefetch abort: vector", VEC_PABT, exc.vector);
  check("prefetch abort: CPSR on entry", PSR_A | PSR_I | MODE_ABT, exc.cpsr & 0x3ff);
  check("prefetch abort: LR = IFAR + 4", 0x30000004, exc.lr);
  check("IFSR: section translation fault", 0x005, read_ifsr() & 0x40f);
  check("IFAR", 0x30000000, read_ifar());
  exc_reset();
  exc_armed = 1;
  probe_write32(0x30000010, 5);
  check("store to unmapped page: vector", VEC_DABT, exc.vector);
  check("store to unmapped page: LR", (u32)probe_write32 + 8, exc.lr);
  check("DFSR: section translation fault, WnR", 0x805, read_dfsr() & 0xc0f);
  check("DFAR", 0x30000010, read_dfar());
  mmu_disable();
}

static void thumb_vector_tests(void) {
  u32 after, a;
  puts("# SCTLR.TE = 1, VBAR -> Thumb vector table\n");
  write_vbar((u32)vectors_thumb);
  write_sctlr(read_sctlr() | SCTLR_TE);
  exc_reset();
  exc_armed = 1;
  a = AT("udf #3", after);
  check("UDF through the Thumb table: taken", 1, exc.count);
  check("UDF through the Thumb table: mode", MODE_UND, exc.cpsr & 0x1f);
  check("UDF through the Thumb table: LR", a + 4, exc.lr);
  check("UDF through the Thumb table: CPSR restored", BASE_CPSR, after);
  exc_reset();
  a = AT("svc #1", after);
  check("SVC through the Thumb table: LR", a + 4, exc.lr);
  check("SVC through the Thumb table: CPSR restored", BASE_CPSR, after);
  write_sctlr(read_sctlr() & ~SCTLR_TE);
  write_vbar((u32)vectors_arm);
}

int main(void) {
  puts("exceptions\n");
  u32 cpsr = read_cpsr();
  check("entry CPSR: SVC, A/I/F masked, ARM, little-endian", 0x1d3, cpsr & 0x3ff);
  check("entry SCTLR: MMU, alignment check, TE, V off", 0, read_sctlr() & (SCTLR_M | SCTLR_A | SCTLR_TE | SCTLR_V));
  __asm__ volatile("cpsie af");
  undef_tests();
  svc_tests();
  abort_tests((u32 *)SCRATCH);
  thumb_vector_tests();
  return 0;
}
