/*
 * Generic timer (ARMv7-A ARM B8): CNTFRQ, CNTVCT advancing, the virtual and physical timers through
 * TVAL/CVAL/CTL, their interrupts taken in IRQ mode through the GIC's CPU interface (virtual timer
 * PPI 27, physical timer PPI 30: IAR to acknowledge, EOIR to complete), CTL.ISTATUS and IMASK, and
 * TVAL as the signed CVAL - count once expired (B8.1.5). The distributor and CPU interface are
 * enabled as a GICv2 needs (tskvm's test bus ignores those writes: see its stub note).
 *
 * Variants: arm thumb (the C code in both instruction sets; the runtime and probes stay ARM)
 */
#include "baremetal.h"

#define GICD_CTLR (GICD_BASE + 0x000)
#define GICD_ISENABLER0 (GICD_BASE + 0x100)
#define GICD_IPRIORITYR (GICD_BASE + 0x400)
#define GICC_CTLR (GICC_BASE + 0x000)
#define GICC_PMR (GICC_BASE + 0x004)
#define GICC_IAR (GICC_BASE + 0x00c)
#define GICC_EOIR (GICC_BASE + 0x010)

#define CNT_ENABLE 1u
#define CNT_IMASK 2u
#define CNT_ISTATUS 4u

static volatile u32 irq_count, irq_id, irq_ctl, irq_mode, irq_spsr_mode;
static volatile int use_phys;

static u32 timer_ctl(void) { return use_phys ? MRC(0, c14, c2, 1) : MRC(0, c14, c3, 1); }
static void timer_set_ctl(u32 v) { if (use_phys) MCR(0, c14, c2, 1, v); else MCR(0, c14, c3, 1, v); ISB(); }
static void timer_set_tval(u32 v) { if (use_phys) MCR(0, c14, c2, 0, v); else MCR(0, c14, c3, 0, v); ISB(); }
static u32 timer_tval(void) { return use_phys ? MRC(0, c14, c2, 0) : MRC(0, c14, c3, 0); }
static u64 timer_cval(void) { return use_phys ? MRRC(2, c14) : MRRC(3, c14); }
static u64 count(void) { ISB(); return use_phys ? MRRC(0, c14) : MRRC(1, c14); }

static int irq_hook(struct frame *f, u32 vector) {
  if (vector != VEC_IRQ) return 0;
  u32 id = REG32(GICC_IAR);
  irq_count++;
  irq_id = id & 0x3ff;
  irq_ctl = timer_ctl();
  irq_mode = f->cpsr & 0x1f;
  irq_spsr_mode = f->spsr & 0x1f;
  timer_set_ctl(0); /* drop the level before completing */
  REG32(GICC_EOIR) = id;
  return 1;
}

static void gic_init(void) {
  REG32(GICD_CTLR) = 1;
  REG32(GICD_IPRIORITYR + 24) = 0x80000000u; /* priority 0x80 for 27 */
  REG32(GICD_IPRIORITYR + 28) = 0x00800000u; /* and for 30 */
  REG32(GICD_ISENABLER0) = (1u << 27) | (1u << 30);
  REG32(GICC_PMR) = 0xff;
  REG32(GICC_CTLR) = 1;
}

static void one_timer(const char *name, u32 ppi) {
  u32 freq = MRC(0, c14, c0, 0);
  puts("# ");
  puts(name);
  putc('\n');
  irq_count = 0;
  /* Armed 1 s ahead (host time drives QEMU's counter: a wide margin against a loaded host). */
  timer_set_tval(freq);
  timer_set_ctl(CNT_ENABLE);
  u32 ctl = timer_ctl();
  check("CTL right after arming: ENABLE, not ISTATUS", CNT_ENABLE, ctl & 7);
  s32 tval = (s32)timer_tval();
  check_true("TVAL counts down from at most the value written", tval > 0 && (u32)tval <= freq);
  timer_set_tval(freq / 1000); /* now 1 ms */
  __asm__ volatile("cpsie i" ::: "memory");
  for (u32 spins = 0; irq_count == 0 && spins < 100000; spins++) __asm__ volatile("wfi" ::: "memory");
  __asm__ volatile("cpsid i" ::: "memory");
  check("timer interrupt taken once", 1, irq_count);
  check("GICC_IAR: the timer's PPI", ppi, irq_id);
  check("CTL in the handler: ENABLE | ISTATUS", CNT_ENABLE | CNT_ISTATUS, irq_ctl & 7);
  check("handler ran in IRQ mode", MODE_IRQ, irq_mode);
  check("interrupted code was SVC", MODE_SVC, irq_spsr_mode);
  check_true("count has reached CVAL", count() >= timer_cval());

  /* Expired and masked: ISTATUS set, TVAL <= 0, no interrupt even with IRQs unmasked. */
  irq_count = 0;
  timer_set_tval(0);
  timer_set_ctl(CNT_ENABLE | CNT_IMASK);
  check("expired with IMASK: CTL = ENABLE | IMASK | ISTATUS", 7, timer_ctl() & 7);
  check_true("expired: TVAL (signed) <= 0", (s32)timer_tval() <= 0);
  __asm__ volatile("cpsie i\n\tnop\n\tnop\n\tnop\n\tcpsid i" ::: "memory");
  check("IMASK: no interrupt", 0, irq_count);
  timer_set_ctl(0);
  check("disabled: CTL = 0 (ISTATUS reads 0)", 0, timer_ctl() & 7);
}

int main(void) {
  puts("timer\n");
  u32 freq = MRC(0, c14, c0, 0);
  check_true("CNTFRQ is set", freq != 0);
  use_phys = 0;
  u64 c1 = count();
  for (volatile u32 i = 0; i < 10000; i++) {
  }
  u64 c2 = count();
  check_true("CNTVCT advances", c2 > c1);
  gic_init();
  check("GICC_IAR with nothing pending: spurious 1023", 1023, REG32(GICC_IAR) & 0x3ff);
  exc_hook = irq_hook;
  one_timer("virtual timer", 27);
  use_phys = 1;
  one_timer("physical timer", 30);
  exc_hook = 0;
  return 0;
}
