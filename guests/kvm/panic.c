/*
 * panic: ends the way Debian's kernel ends when it panics with panic_timeout 0 (no pvpanic, no
 * reboot): kernel/panic.c prints "Kernel panic - not syncing: <reason>", the stack, and last
 * "---[ end Kernel panic - not syncing: <reason> ]---", then spins in mdelay() forever.
 *
 * A VMM that watches the console (tskvm run) must end the run on that last line. So that a VMM
 * that does not (QEMU, the acceptance harness) still finishes, the spin here is bounded: after
 * SPIN_SECONDS of the generic timer the guest says so and powers off with EXIT 0 — which
 * tests/cli/run.test.ts reads as "tskvm did not notice the panic".
 */
#include "kvm-guest.h"

#define SPIN_SECONDS 2

static u64 cntvct(void) { ISB(); return MRRC(1, c14); }

int main(void) {
  puts("# panic\n");
  check("psci version major", 1, psci_call(PSCI_VERSION, 0, 0, 0) >> 16);
  u32 freq = MRC(0, c14, c0, 0);
  check_true("CNTFRQ set", freq != 0);
  puts("[    2.104821] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100\r\n");
  puts("[    2.105012] CPU: 0 PID: 1 Comm: init Not tainted 6.1.0-50-armmp #1  Debian 6.1.158-1\r\n");
  puts("[    2.105230] Hardware name: Generic DT based system\r\n");
  puts("[    2.105402]  unwind_backtrace from show_stack+0x18/0x1c\r\n");
  puts("[    2.105655]  panic from do_exit+0x9a8/0xa0c\r\n");
  puts("[    2.105921] ---[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100 ]---\r\n");
  u64 end = cntvct() + (u64)freq * SPIN_SECONDS;
  while (cntvct() < end) {
  }
  puts("# still running after the final panic line: no VMM ended the run\n");
  return 0;
}
