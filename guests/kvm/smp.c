/*
 * smp: CPU 0 starts CPU 1 (created powered off) with PSCI CPU_ON and the two exchange SGIs.
 *  - PSCI: VERSION (major 1), FEATURES (CPU_ON supported, an unknown id not), MIGRATE_INFO_TYPE (2:
 *    no trusted OS to migrate), AFFINITY_INFO of CPU 1 before (OFF) and after CPU_ON (ON) and after
 *    its CPU_OFF (OFF), CPU_ON errors (ALREADY_ON for a running CPU, INVALID_PARAMS for an MPIDR no
 *    CPU has); CPU 1 reports the context id it got in r0, its MPIDR (0x80000001) and entry CPSR.
 *  - GICv2: distributor and both CPU interfaces enabled; CPU 0 sends SGI 1 to CPU 1 (GICD_SGIR target
 *    list), CPU 1 sees IAR = 1 with source CPU 0 in bits 12..10, EOIs and answers with SGI 2, which CPU 0
 *    sees with source CPU 1; several rounds carrying a token through shared memory; an SGI to self
 *    through the filter field; SGIs are delivered with both CPUs waiting in WFI.
 * Only CPU 0 prints; CPU 1 leaves its observations in shared memory.
 */
#include "kvm-guest.h"

#define ROUNDS 4
#define SGI_PING 1
#define SGI_PONG 2
#define SGI_SELF 3
#define SGI_STOP 4

struct shared {
  volatile u32 alive, context_id, mpidr, cpsr;
  volatile u32 token;                       /* written by CPU 0 before each ping */
  volatile u32 ping_iar[ROUNDS + 1];        /* CPU 1: IAR of each ping */
  volatile u32 ping_seen;                   /* CPU 1: pings taken */
  volatile u32 reply;                       /* CPU 1: token * 3 */
  volatile u32 pong_iar[ROUNDS + 1];        /* CPU 0: IAR of each pong */
  volatile u32 pong_seen;
  volatile u32 self_iar, self_seen;
  volatile u32 stop;
};
static struct shared sh;

static void gic_cpu_interface_on(void) {
  REG32(GICC_PMR) = 0xf0;
  REG32(GICC_CTLR) = 1;
}

static void sgi(u32 id, u32 target_list, u32 filter) {
  DSB();
  REG32(GICD_SGIR) = (filter << 24) | (target_list << 16) | id;
}

void irq_handler(void) {
  u32 iar = REG32(GICC_IAR);
  u32 id = iar & 0x3ff;
  u32 cpu = read_mpidr() & 0xff;
  if (cpu == 1) {
    if (id == SGI_PING) {
      if (sh.ping_seen < ROUNDS + 1) sh.ping_iar[sh.ping_seen] = iar;
      sh.reply = sh.token * 3;
      sh.ping_seen++;
      REG32(GICC_EOIR) = iar;
      sgi(SGI_PONG, 1u << 0, 0);
      return;
    }
    if (id == SGI_STOP) sh.stop = 1;
  } else {
    if (id == SGI_PONG) {
      if (sh.pong_seen < ROUNDS + 1) sh.pong_iar[sh.pong_seen] = iar;
      sh.pong_seen++;
    } else if (id == SGI_SELF) {
      sh.self_iar = iar;
      sh.self_seen++;
    }
  }
  if (id != GIC_SPURIOUS) REG32(GICC_EOIR) = iar;
}

/* Waits in WFI until *counter reaches n; IRQs are taken between WFIs (never lost in the window). */
static int wait_for(volatile u32 *counter, u32 n) {
  for (u32 spins = 0; spins < 100000; spins++) {
    IRQ_DISABLE();
    if (*counter >= n) {
      IRQ_ENABLE();
      return 1;
    }
    WFI();
    IRQ_ENABLE();
  }
  return 0;
}

void secondary_main(u32 context_id) {
  sh.context_id = context_id;
  sh.mpidr = read_mpidr();
  sh.cpsr = read_cpsr();
  gic_cpu_interface_on();
  DSB();
  sh.alive = 1;
  wait_for(&sh.stop, 1);
  psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

static u32 wait_affinity(u32 want) {
  u32 r = 0;
  for (int i = 0; i < 1000000; i++) {
    r = psci_call(PSCI_AFFINITY_INFO, 1, 0, 0);
    if (r == want) break;
  }
  return r;
}

int main(void) {
  puts("# psci\n");
  check("PSCI_VERSION major", 1, psci_call(PSCI_VERSION, 0, 0, 0) >> 16);
  check("PSCI_FEATURES(CPU_ON)", PSCI_SUCCESS, psci_call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0));
  check("PSCI_FEATURES(SYSTEM_OFF)", PSCI_SUCCESS, psci_call(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0));
  check("PSCI_FEATURES(unknown id)", PSCI_NOT_SUPPORTED, psci_call(PSCI_FEATURES, 0x840000ff, 0, 0));
  check("MIGRATE_INFO_TYPE", 2, psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0));
  check("boot cpu mpidr", 0x80000000, read_mpidr());
  check("AFFINITY_INFO(cpu 1) before CPU_ON: OFF", 1, psci_call(PSCI_AFFINITY_INFO, 1, 0, 0));
  check("AFFINITY_INFO(cpu 0): ON", 0, psci_call(PSCI_AFFINITY_INFO, 0, 0, 0));
  check("CPU_ON(self) ALREADY_ON", PSCI_ALREADY_ON, psci_call(PSCI_CPU_ON, 0, (u32)secondary_start, 0));
  check("CPU_ON(mpidr 0xff) INVALID_PARAMS", PSCI_INVALID_PARAMS, psci_call(PSCI_CPU_ON, 0xff, (u32)secondary_start, 0));

  puts("# gic\n");
  check("GICD_TYPER.CPUNumber (2 cpus)", 1, (REG32(GICD_TYPER) >> 5) & 7);
  REG32(GICD_CTLR) = 1;
  for (u32 id = 0; id < 16; id++) REG8(GICD_IPRIORITYR(id)) = 0x80;
  check("SGI priority byte reads back", 0x80808080, REG32(GICD_IPRIORITYR(0)));
  check("SGIs enabled (GICD_ISENABLER0)", 0xffff, REG32(GICD_ISENABLER(0)) & 0xffff);
  gic_cpu_interface_on();
  check("GICC_PMR reads back", 0xf0, REG32(GICC_PMR));

  puts("# cpu_on\n");
  check("CPU_ON(cpu 1)", PSCI_SUCCESS, psci_call(PSCI_CPU_ON, 1, (u32)secondary_start, 0x1234abcd));
  u32 spins = 0;
  while (!sh.alive && spins < 100000000) spins++;
  check_true("cpu 1 runs", sh.alive);
  if (!sh.alive) finish();
  check("cpu 1 context id in r0", 0x1234abcd, sh.context_id);
  check("cpu 1 mpidr", 0x80000001, sh.mpidr);
  check("cpu 1 entry cpsr (SVC, A/I/F masked, ARM)", 0x1d3, sh.cpsr & 0x3ff);
  check("AFFINITY_INFO(cpu 1) after CPU_ON: ON", 0, psci_call(PSCI_AFFINITY_INFO, 1, 0, 0));
  check("CPU_ON(cpu 1) again ALREADY_ON", PSCI_ALREADY_ON, psci_call(PSCI_CPU_ON, 1, (u32)secondary_start, 0));

  puts("# sgi\n");
  IRQ_ENABLE();
  for (u32 round = 1; round <= ROUNDS; round++) {
    sh.token = 0x100 + round;
    sgi(SGI_PING, 1u << 1, 0);
    int got = wait_for(&sh.pong_seen, round);
    check_true("pong arrived", got);
    if (!got) finish();
    check("cpu 1 IAR: SGI 1 from cpu 0", (0u << 10) | SGI_PING, sh.ping_iar[round - 1]);
    check("cpu 0 IAR: SGI 2 from cpu 1", (1u << 10) | SGI_PONG, sh.pong_iar[round - 1]);
    check("reply through shared memory", (0x100 + round) * 3, sh.reply);
  }
  check("pings taken by cpu 1", ROUNDS, sh.ping_seen);
  sgi(SGI_SELF, 0, 2);
  check_true("SGI to self (filter 2) taken", wait_for(&sh.self_seen, 1));
  check("self SGI IAR: SGI 3 from cpu 0", SGI_SELF, sh.self_iar);
  check("GICC_RPR idle after EOI", 0xff, REG32(GICC_RPR) & 0xff);

  puts("# cpu_off\n");
  sgi(SGI_STOP, 1u << 1, 0);
  check("AFFINITY_INFO(cpu 1) after CPU_OFF: OFF", 1, wait_affinity(1));
  check("pongs taken by cpu 0", ROUNDS, sh.pong_seen);
  return 0;
}
