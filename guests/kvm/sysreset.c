/*
 * sysreset: prints and ends with PSCI SYSTEM_RESET instead of SYSTEM_OFF (the harness must see
 * KVM_EXIT_SYSTEM_EVENT type RESET; QEMU with -no-reboot exits).
 *
 * Each boot first checks that the GIC is in its reset state (GIC architecture spec v2, 4.3/4.4:
 * distributor and CPU interface disabled, nothing pending or active, running priority idle 0xFF),
 * then leaves SGI 3 acknowledged but never ended — active, with the CPU interface running at its
 * priority — before it resets. A board reset must not carry that into the next boot.
 */
#include "kvm-guest.h"

int main(void) {
  puts("# sysreset\n");
  check("psci version major", 1, psci_call(PSCI_VERSION, 0, 0, 0) >> 16);
  check("GICD_CTLR at reset", 0, REG32(GICD_CTLR));
  check("GICC_CTLR at reset", 0, REG32(GICC_CTLR));
  check("GICC_RPR idle at reset", 0xff, REG32(GICC_RPR) & 0xff);
  check("no SGI/PPI pending at reset", 0, REG32(GICD_ISPENDR(0)));
  check("no SGI/PPI active at reset", 0, REG32(GICD_ISACTIVER(0)));

  REG32(GICD_CTLR) = 1;
  REG8(GICD_IPRIORITYR(3)) = 0x80;
  REG32(GICD_ISENABLER(0)) = 1u << 3;
  REG32(GICC_PMR) = 0xf0;
  REG32(GICC_CTLR) = 1;
  REG32(GICD_SGIR) = (2u << 24) | 3; /* to this CPU only */
  check("SGI 3 acknowledged", 3, REG32(GICC_IAR) & 0x3ff);
  check("GICC_RPR at SGI 3's priority", 0x80, REG32(GICC_RPR) & 0xff);
  finish_with(PSCI_SYSTEM_RESET);
}
