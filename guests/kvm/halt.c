/*
 * halt: ends the way Linux ends after `halt -f` (reboot(LINUX_REBOOT_CMD_HALT)): kernel/reboot.c's
 * kernel_halt() prints "reboot: System halted", then arm's machine_halt() masks interrupts, stops the
 * other CPUs and spins forever — no PSCI call, so the VMM sees no system event.
 *
 * tskvm run ends the run on that line (status 0). So that a VMM that does not (QEMU, the acceptance
 * harness) still finishes, the spin is bounded as in panic.c: after SPIN_SECONDS the guest says so
 * and powers off with EXIT 0, which tests/cli/run-panic.test.ts reads as "tskvm did not notice".
 */
#include "kvm-guest.h"

#define SPIN_SECONDS 2

static u64 cntvct(void) { ISB(); return MRRC(1, c14); }

int main(void) {
  puts("# halt\n");
  u32 freq = MRC(0, c14, c0, 0);
  check_true("CNTFRQ set", freq != 0);
  puts("[   41.203311] reboot: System halted\r\n");
  u64 end = cntvct() + (u64)freq * SPIN_SECONDS;
  while (cntvct() < end) {
  }
  puts("# still running after the halt line: no VMM ended the run\n");
  return 0;
}
