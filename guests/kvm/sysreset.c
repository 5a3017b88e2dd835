/*
 * sysreset: prints and ends with PSCI SYSTEM_RESET instead of SYSTEM_OFF (the harness must see
 * KVM_EXIT_SYSTEM_EVENT type RESET; QEMU with -no-reboot exits).
 */
#include "kvm-guest.h"

int main(void) {
  puts("# sysreset\n");
  check("psci version major", 1, psci_call(PSCI_VERSION, 0, 0, 0) >> 16);
  finish_with(PSCI_SYSTEM_RESET);
}
