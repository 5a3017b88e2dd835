/*
 * PL0 (User mode): the kernel drops to USR with an exception return (MOVS PC, LR with SPSR = USR),
 * user code runs and comes back with SVC #0. Checks (ARMv7-A ARM B1.3, B3.7, B4.1.22/B8.1.2): user
 * mode is really USR; an SVC from USR reports SPSR.M = USR and its immediate; a PL1-only section
 * and a write to a user read-only section fault from USR (permission, section: DFSR 0x00D/0x80D);
 * MRC of SCTLR, HVC and (with CNTKCTL.PL0VCTEN = 0) MRRC of CNTVCT are UNDEFINED at PL0, CNTVCT
 * is readable with PL0VCTEN = 1; CPS is a NOP and MSR CPSR_fc writes only the flags at PL0.
 *
 * Map: RAM full access (AP = 011) except 0x40300000 PL1-only (AP = 001) and 0x40400000 user
 * read-only (AP = 010).
 */
#include "baremetal.h"

#define L1 ((u32 *)SCRATCH)
#define W(a) (*(volatile u32 *)(a))

/* u32 run_user(u32 (*fn)(u32), u32 arg): calls fn(arg) in USR mode; returns its result. */
__asm__(".text\n.arm\n.global run_user\nrun_user:\n"
        "  push {r4-r11, lr}\n  ldr r2, =kernel_resume\n  adr r3, 1f\n  str r3, [r2]\n"
        "  mrs r3, cpsr\n  ldr r2, =kernel_cpsr\n  str r3, [r2]\n"
        "  mov r2, #0x10\n  msr spsr_fsxc, r2\n  mov r2, r0\n  mov r0, r1\n  mov r1, r2\n"
        "  ldr lr, =user_entry\n  movs pc, lr\n"
        "1:\n  pop {r4-r11, pc}\n"
        "user_entry:\n  blx r1\n  svc #0\n  .ltorg\n");
u32 run_user(u32 (*fn)(u32), u32 arg);
volatile u32 kernel_resume, kernel_cpsr;

/* SVC #0 from USR returns to the kernel after run_user's call, with the user's r0. */
static int svc_hook(struct frame *f, u32 vector) {
  if (vector != VEC_SVC || (f->spsr & 0x1f) != MODE_USR || (*(volatile u32 *)(f->lr - 4) & 0xffffff) != 0) return 0;
  f->spsr = kernel_cpsr;
  f->lr = kernel_resume;
  return 1;
}

static u32 user_cpsr(u32 arg) { (void)arg; return read_cpsr(); }
static u32 user_sum(u32 n) { u32 s = 0; for (u32 i = 1; i <= n; i++) s += i; return s; }
static u32 user_read(u32 addr) { return probe_read32(addr); }
static u32 user_write(u32 addr) { probe_write32(addr, 0x99); return 0; }
static u32 user_svc(u32 arg) { __asm__ volatile("svc #0x77" ::: "memory"); return arg; }
static u32 user_sctlr(u32 arg) { (void)arg; return read_sctlr(); }
static u32 user_hvc(u32 arg) { register u32 r0 __asm__("r0") = arg; __asm__ volatile("hvc #0" : "+r"(r0)::"memory"); return r0; }
static u32 user_cntvct(u32 arg) { (void)arg; return (u32)MRRC(1, c14); }
static u32 user_cps(u32 arg) { (void)arg; __asm__ volatile("cps #0x13" ::: "memory"); return read_cpsr(); }
static u32 user_msr(u32 arg) { (void)arg; __asm__ volatile("msr cpsr_fc, %0" ::"r"(0x800000d3u) : "memory", "cc"); return read_cpsr(); }

static void undef_from_user(const char *what, u32 (*fn)(u32)) {
  exc_reset();
  exc_armed = 1;
  run_user(fn, 0);
  puts("# ");
  puts(what);
  putc('\n');
  check("UNDEFINED at PL0", VEC_UND, exc.vector);
  check("SPSR.M = USR", MODE_USR, exc.spsr & 0x1f);
}

int main(void) {
  puts("pl0\n");
  mmu_identity_short(L1, 3);
  L1[0x403] = 0x40300000u | SECT_NORMAL | SECT_AP(1) | L1_SECTION;
  L1[0x404] = 0x40400000u | SECT_NORMAL | SECT_AP(2) | L1_SECTION;
  W(0x40300000) = 0x13;
  W(0x40400000) = 0x24;
  mmu_enable(L1);
  exc_hook = svc_hook;

  check("user code runs in USR mode", MODE_USR, run_user(user_cpsr, 0) & 0x1f);
  check("user computation comes back through SVC", 5050, run_user(user_sum, 100));
  exc_reset();
  check("SVC #0x77 from USR: user continues", 7, run_user(user_svc, 7));
  check("SVC #0x77 from USR: immediate", 0x77, exc.insn & 0xffffff);
  check("SVC #0x77 from USR: SPSR.M = USR", MODE_USR, exc.spsr & 0x1f);
  check("SVC from USR: handler in SVC mode", MODE_SVC, exc.cpsr & 0x1f);

  check("user read of a user read-only section", 0x24, run_user(user_read, 0x40400000));
  exc_reset();
  exc_armed = 1;
  run_user(user_read, 0x40300008);
  check("user read of a PL1-only section: data abort", VEC_DABT, exc.vector);
  check("... SPSR.M = USR", MODE_USR, exc.spsr & 0x1f);
  check("... DFSR permission (section)", 0x00d, read_dfsr() & 0xc0f);
  check("... DFAR", 0x40300008, read_dfar());
  exc_reset();
  exc_armed = 1;
  run_user(user_write, 0x40400010);
  check("user write to a user read-only section: DFSR permission, WnR", 0x80d, read_dfsr() & 0xc0f);
  check("... DFAR", 0x40400010, read_dfar());
  check("... memory unchanged", 0, W(0x40400010));
  check("PL1 writes its PL1-only section", 0x13, W(0x40300000));

  undef_from_user("MRC SCTLR at PL0", user_sctlr);
  undef_from_user("HVC at PL0", user_hvc);
  MCR(0, c14, c1, 0, 0); /* CNTKCTL: PL0 has no counter access */
  undef_from_user("MRRC CNTVCT at PL0 with CNTKCTL.PL0VCTEN = 0", user_cntvct);
  MCR(0, c14, c1, 0, 2); /* PL0VCTEN */
  ISB();
  exc_reset();
  run_user(user_cntvct, 0);
  check("MRRC CNTVCT at PL0 with PL0VCTEN = 1: no exception", 0, exc.count);
  u32 c = run_user(user_cps, 0);
  check("CPS at PL0 is a NOP", MODE_USR, c & 0x1f);
  c = run_user(user_msr, 0);
  check("MSR CPSR_fc at PL0: flags written, mode and masks kept", 0x80000010, c & 0xf00001ff);
  exc_hook = 0;
  mmu_disable();
  return 0;
}
