/*
 * sysoff: the smallest guest. Checks the entry state a VMM gives a bare ELF (SVC mode, A/I/F masked,
 * MMU off: CPSR 0x1d3 and SCTLR 0x00c50078 after a Cortex-A15 reset, MPIDR 0x80000000 on CPU 0) and
 * PSCI_VERSION's major number, then powers the machine off with PSCI SYSTEM_OFF (the harness must
 * see KVM_EXIT_SYSTEM_EVENT type SHUTDOWN).
 */
#include "kvm-guest.h"

int main(void) {
  puts("# sysoff\n");
  check("entry cpsr (mode, masks, state)", 0x1d3, read_cpsr() & 0x3ff);
  check("entry sctlr", 0x00c50078, MRC(0, c1, c0, 0));
  check("boot cpu mpidr", 0x80000000, read_mpidr());
  check("psci version major", 1, psci_call(PSCI_VERSION, 0, 0, 0) >> 16);
  return 0;
}
