/*
 * Processor modes and banked registers (ARMv7-A ARM B1.3, B9.3): mode changes with CPS and MSR,
 * SP/LR/SPSR banked per exception mode, SYS sharing USR's registers, FIQ's r8-r12, the
 * user-bank STM/LDM (^), SRS and RFE, and SUBS PC, LR as an exception return without an exception.
 * (Banked MRS/MSR are not checked: QEMU's virt without EL2 makes them UNDEF, so it cannot confirm them.)
 */
#include "baremetal.h"

/* u32 bank_swap(u32 mode, u32 *io): in `mode` (entered with MSR CPSR_c), exchange SP, LR and
 * (unless SYS) SPSR with io[0..2]; returns the CPSR seen in that mode. */
__asm__(".text\n.arm\n.global bank_swap\nbank_swap:\n" /* only r0-r7: FIQ banks r8-r12 */
        "  push {r4-r7}\n  mrs r3, cpsr\n  bic r2, r3, #0x1f\n  orr r2, r2, r0\n  ldm r1, {r4-r6}\n"
        "  cmp r0, #0x1f\n  msr cpsr_c, r2\n  mrs r0, cpsr\n  mov r7, sp\n  mov sp, r4\n  mov r4, r7\n"
        "  mov r7, lr\n  mov lr, r5\n  mov r5, r7\n  mrsne r7, spsr\n  msrne spsr_fsxc, r6\n  movne r6, r7\n"
        "  msr cpsr_c, r3\n  stm r1, {r4-r6}\n  pop {r4-r7}\n  bx lr\n");
u32 bank_swap(u32 mode, u32 *io);

/* void fiq_bank(u32 *out): r8-r12 = 8..12 in SVC, = 0x80+n in FIQ; out[0..4] = SVC's after the round
 * trip, out[5..9] = FIQ's read back on a second visit. */
__asm__(".text\n.arm\n.global fiq_bank\nfiq_bank:\n"
        "  push {r4-r11}\n  mov r8, #8\n  mov r9, #9\n  mov r10, #10\n  mov r11, #11\n  mov r12, #12\n"
        "  cps #0x11\n  mov r8, #0x88\n  mov r9, #0x89\n  mov r10, #0x8a\n  mov r11, #0x8b\n  mov r12, #0x8c\n"
        "  cps #0x13\n  stm r0!, {r8-r12}\n  cps #0x11\n  stm r0, {r8-r12}\n  cps #0x13\n  pop {r4-r11}\n  bx lr\n");
void fiq_bank(u32 *out);

static const struct { u32 mode; const char *name; } modes[] = {
  {MODE_FIQ, "FIQ"}, {MODE_IRQ, "IRQ"}, {MODE_ABT, "ABT"}, {MODE_UND, "UND"}, {MODE_SYS, "SYS"},
};
#define NMODES (sizeof modes / sizeof modes[0])

static void banked_sp_lr_spsr(void) {
  u32 saved[NMODES][3], io[3];
  for (u32 i = 0; i < NMODES; i++) {
    io[0] = 0x40180000u + (modes[i].mode << 8);
    io[1] = 0x1000u + modes[i].mode;
    io[2] = 0xf0000000u | PSR_I | PSR_F | modes[i].mode;
    u32 cpsr = bank_swap(modes[i].mode, io);
    check(modes[i].name, modes[i].mode, cpsr & 0x1f);
    saved[i][0] = io[0], saved[i][1] = io[1], saved[i][2] = io[2];
  }
  for (u32 i = 0; i < NMODES; i++) {
    io[0] = saved[i][0], io[1] = saved[i][1], io[2] = saved[i][2];
    bank_swap(modes[i].mode, io); /* restores the original values, returns what was set */
    puts("# ");
    puts(modes[i].name);
    putc('\n');
    check("banked SP kept", 0x40180000u + (modes[i].mode << 8), io[0]);
    check("banked LR kept", 0x1000u + modes[i].mode, io[1]);
    if (modes[i].mode != MODE_SYS) check("banked SPSR kept", 0xf0000000u | PSR_I | PSR_F | modes[i].mode, io[2]);
  }
}

static void fiq_registers(void) {
  u32 out[10];
  fiq_bank(out);
  for (u32 n = 0; n < 5; n++) check("SVC r8-r12 survive FIQ's", 8 + n, out[n]);
  for (u32 n = 0; n < 5; n++) check("FIQ r8-r12 banked", 0x88 + n, out[5 + n]);
}

static void cps_forms(void) {
  u32 cpsr;
  __asm__ volatile("cpsid if, #0x17\n\tmrs %0, cpsr\n\tcpsie if, #0x13" : "=r"(cpsr)::"memory");
  check("CPSID if, #ABT: mode and masks", PSR_I | PSR_F | MODE_ABT, cpsr & 0xdf);
  cpsr = read_cpsr();
  check("CPSIE if, #SVC: back with I and F clear", MODE_SVC, cpsr & 0xdf);
  __asm__ volatile("cpsid i" ::: "memory");
  check("CPSID i: I set, mode unchanged", PSR_I | MODE_SVC, read_cpsr() & 0xdf);
  /* MSR CPSR_c with the mode field written, flags untouched */
  __asm__ volatile("msr cpsr_f, #0x60000000\n\tmsr cpsr_c, #0xd2\n\tmrs %0, cpsr\n\tmsr cpsr_c, #0x93" : "=r"(cpsr)::"memory", "cc");
  check("MSR CPSR_c, #IRQ|I|F: mode, masks, flags kept", 0x600000d2, cpsr & 0xf00000ff);
}

static void user_bank_transfers(void) {
  u32 words[2] = {0x40160000, 0x77777777}, back[2] = {0, 0}, io[3];
  __asm__ volatile("ldmia %0, {sp, lr}^\n\tnop" ::"r"(words) : "memory");
  io[0] = io[1] = io[2] = 0;
  bank_swap(MODE_SYS, io);
  check("LDM ^ wrote the User SP (seen in SYS)", 0x40160000, io[0]);
  check("LDM ^ wrote the User LR (seen in SYS)", 0x77777777, io[1]);
  bank_swap(MODE_SYS, io); /* back to the LDM values */
  __asm__ volatile("stmia %0, {sp, lr}^" ::"r"(back) : "memory");
  check("STM ^ stores the User SP", 0x40160000, back[0]);
  check("STM ^ stores the User LR", 0x77777777, back[1]);
  io[0] = 0x40106000, io[1] = 0;
  bank_swap(MODE_SYS, io);
}

static void srs_rfe_subs(void) {
  u32 io[3] = {0x40150000, 0, 0}, spsr_svc = 0x80000000u | PSR_I | MODE_SYS, lr_at = 0, sp_irq;
  bank_swap(MODE_IRQ, io); /* IRQ SP = 0x40150000; io[0] = the old one */
  u32 old_irq_sp = io[0];
  __asm__ volatile("msr spsr_fsxc, %1\n\tmov r1, lr\n\tadr lr, 1f\n\tmov %0, lr\n\tsrsdb #0x12!\n1:\tmov lr, r1"
                   : "=&r"(lr_at) : "r"(spsr_svc) : "r1", "memory");
  volatile u32 *frame = (volatile u32 *)(0x40150000 - 8);
  check("SRSDB #IRQ!: LR stored at SP_irq - 8", lr_at, frame[0]);
  check("SRSDB #IRQ!: SPSR stored at SP_irq - 4", spsr_svc, frame[1]);
  io[0] = old_irq_sp;
  bank_swap(MODE_IRQ, io);
  sp_irq = io[0];
  check("SRSDB #IRQ!: SP_irq written back", 0x40150000 - 8, sp_irq);

  /* RFEIA from {PC, CPSR} in memory: lands at the label in SVC mode with the flags given */
  u32 rfe[2], cpsr;
  __asm__ volatile("adr r1, 2f\n\tstr r1, [%1]\n\tstr %2, [%1, #4]\n\trfeia %1\n2:\tmrs %0, cpsr"
                   : "=r"(cpsr) : "r"(rfe), "r"(0x50000000u | PSR_I | MODE_SVC) : "r1", "memory", "cc");
  check("RFEIA: CPSR from memory", 0x50000000u | PSR_I | MODE_SVC, cpsr & 0xf00001ff);

  /* SUBS PC, LR, #0 with SPSR = SYS: an exception return into SYS mode, then CPS back */
  __asm__ volatile("mov r1, lr\n\tmsr spsr_fsxc, %1\n\tadr lr, 3f\n\tsubs pc, lr, #0\n3:\tmrs %0, cpsr\n\tcps #0x13\n\tmov lr, r1"
                   : "=&r"(cpsr) : "r"(0x20000000u | PSR_I | MODE_SYS) : "r1", "memory", "cc");
  check("SUBS PC, LR: CPSR = SPSR (SYS mode, C flag)", 0x20000000u | PSR_I | MODE_SYS, cpsr & 0xf00001ff);
}

int main(void) {
  puts("modes\n");
  banked_sp_lr_spsr();
  fiq_registers();
  cps_forms();
  user_bank_transfers();
  srs_rfe_subs();
  return 0;
}
