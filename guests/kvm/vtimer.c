/*
 * vtimer: the virtual timer's interrupt (PPI 27) through the GICv2 (ARMv7-A ARM B8; GIC spec v2).
 *  - rounds: CNTV_TVAL = 1 ms, CNTV_CTL = ENABLE, WFI; the handler reads IAR (27), sees CTL =
 *    ENABLE | ISTATUS and GICC_RPR = the interrupt's priority (0xa0) while it is active, masks the
 *    timer (IMASK drops the level) and EOIs;
 *  - priority masking: with GICC_PMR = 0x80 (priority 0xa0 not above the mask) the expired timer
 *    stays pending in GICD_ISPENDR0, is not taken with IRQs unmasked and IAR reads spurious (1023);
 *    raising PMR to 0xf8 delivers it;
 *  - ICENABLER: a disabled PPI is not delivered while its level is high.
 */
#include "kvm-guest.h"

#define VTIMER_PPI 27
#define PRIO 0xa0
#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u

static volatile u32 taken, last_iar, ctl_in_handler, rpr_in_handler;

static u32 cntv_ctl(void) { return MRC(0, c14, c3, 1); }
static void cntv_set_ctl(u32 v) { MCR(0, c14, c3, 1, v); ISB(); }
static void cntv_set_tval(u32 v) { MCR(0, c14, c3, 0, v); ISB(); }

void irq_handler(void) {
  u32 iar = REG32(GICC_IAR);
  last_iar = iar;
  if ((iar & 0x3ff) == GIC_SPURIOUS) return;
  taken++;
  ctl_in_handler = cntv_ctl();
  rpr_in_handler = REG32(GICC_RPR);
  cntv_set_ctl(CTL_ENABLE | CTL_IMASK); /* the level drops before the EOI */
  REG32(GICC_EOIR) = iar;
}

static int wait_taken(u32 n) {
  for (u32 spins = 0; spins < 200000; spins++) {
    IRQ_DISABLE();
    if (taken >= n) {
      IRQ_ENABLE();
      return 1;
    }
    WFI();
    IRQ_ENABLE();
  }
  return 0;
}

static void wait_istatus(void) {
  for (u32 i = 0; i < 10000000 && !(cntv_ctl() & CTL_ISTATUS); i++) {
  }
}

int main(void) {
  u32 freq = MRC(0, c14, c0, 0);
  puts("# gic setup\n");
  check_true("CNTFRQ set", freq != 0);
  REG32(GICD_CTLR) = 1;
  REG8(GICD_IPRIORITYR(VTIMER_PPI)) = PRIO;
  check("PPI 27 priority reads back", PRIO, REG8(GICD_IPRIORITYR(VTIMER_PPI)));
  REG32(GICD_ISENABLER(0)) = 1u << VTIMER_PPI;
  check("PPI 27 enabled", 1, (REG32(GICD_ISENABLER(0)) >> VTIMER_PPI) & 1);
  REG32(GICC_PMR) = 0xf8;
  REG32(GICC_CTLR) = 1;
  check("GICC_PMR 0xf8", 0xf8, REG32(GICC_PMR));

  puts("# timer interrupts\n");
  for (u32 round = 1; round <= 5; round++) {
    cntv_set_tval(freq / 1000);
    cntv_set_ctl(CTL_ENABLE);
    int got = wait_taken(round);
    check_true("vtimer interrupt taken", got);
    if (!got) finish();
    check("IAR = 27", VTIMER_PPI, last_iar);
    check("CNTV_CTL in handler: ENABLE|ISTATUS", CTL_ENABLE | CTL_ISTATUS, ctl_in_handler);
    check("GICC_RPR while active = priority", PRIO, rpr_in_handler & 0xff);
    check("not pending after IMASK + EOI", 0, (REG32(GICD_ISPENDR(0)) >> VTIMER_PPI) & 1);
  }

  puts("# priority mask\n");
  REG32(GICC_PMR) = 0x80;
  cntv_set_tval(0);
  cntv_set_ctl(CTL_ENABLE);
  wait_istatus();
  check("timer expired", CTL_ENABLE | CTL_ISTATUS, cntv_ctl());
  check("PPI 27 pending under PMR 0x80", 1, (REG32(GICD_ISPENDR(0)) >> VTIMER_PPI) & 1);
  u32 before = taken;
  IRQ_ENABLE();
  for (volatile int i = 0; i < 2000; i++) {
  }
  IRQ_DISABLE();
  check("masked by priority: not taken", before, taken);
  check("IAR spurious under the mask", GIC_SPURIOUS, REG32(GICC_IAR) & 0x3ff);
  REG32(GICC_PMR) = 0xf8;
  check_true("taken once PMR allows it", wait_taken(before + 1));
  check("IAR = 27", VTIMER_PPI, last_iar);

  puts("# disabled ppi\n");
  REG32(GICD_ICENABLER(0)) = 1u << VTIMER_PPI;
  check("PPI 27 disabled", 0, (REG32(GICD_ISENABLER(0)) >> VTIMER_PPI) & 1);
  before = taken;
  cntv_set_tval(0);
  cntv_set_ctl(CTL_ENABLE);
  wait_istatus();
  IRQ_ENABLE();
  for (volatile int i = 0; i < 2000; i++) {
  }
  IRQ_DISABLE();
  check("disabled PPI not taken", before, taken);
  cntv_set_ctl(0);
  check("GICC_RPR idle", 0xff, REG32(GICC_RPR) & 0xff);
  return 0;
}
