/*
 * panic-countdown: console lines that look like a kernel panic but are not its final line, so a
 * VMM watching for the end of a panic (tskvm run) must let the guest go on:
 *   - with panic=N Linux prints "Kernel panic - not syncing: <reason>" and "Rebooting in N
 *     seconds.." and resets; the "---[ end Kernel panic …" line is printed only when it will not;
 *   - an oops ends with "---[ end trace <id> ]---", which is not a panic either.
 * The guest then powers off normally (EXIT 0).
 */
#include "kvm-guest.h"

int main(void) {
  puts("# panic-countdown\n");
  check("psci version major", 1, psci_call(PSCI_VERSION, 0, 0, 0) >> 16);
  puts("[    3.200114] Internal error: Oops: 5 [#1] SMP ARM\r\n");
  puts("[    3.200530] ---[ end trace 0000000000000000 ]---\r\n");
  puts("[    3.201002] Kernel panic - not syncing: Fatal exception\r\n");
  puts("[    3.201377] Rebooting in 1 seconds..\r\n");
  puts("---[ end Kernel panic - not syncing: \r\n"); /* cut short: no reason, no closing marker */
  check_true("still running after the panic-like lines", 1);
  return 0;
}
