/*
 * The KVM/ARM acceptance guests' runtime: console, checks, PSCI over HVC, the GICv2 registers, the
 * generic timer and per-CPU entry. The machine is QEMU's `virt` board as KVM presents it to a VMM
 * that uses QEMU's layout (tests/kvm/arm/guests/vmm.ts mirrors it):
 *   0x08000000 GIC distributor, 0x08010000 GIC CPU interface, 0x09000000 PL011 UART (UARTDR, UARTFR),
 *   0x40000000 RAM (256 MiB): image; 0x40100000 per-CPU stacks (32 KiB each); 0x40300000 shared data;
 *   0x4FFFF000 TESTDEV: the last RAM page under QEMU, a userspace MMIO device (RAM-like, logged) under
 *   the tskvm harness, which leaves that page out of its memory slot.
 * Only CPU 0 prints, so the console text is the same on every machine whatever the interleaving.
 */
#ifndef KVM_GUEST_H
#define KVM_GUEST_H

typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef unsigned short u16;
typedef unsigned char u8;
typedef signed char s8;
typedef short s16;

#define UART_BASE 0x09000000u
#define UART_DR (UART_BASE + 0x00)
#define UART_FR (UART_BASE + 0x18)
#define UART_FR_TXFF (1u << 5)
#define GICD_BASE 0x08000000u
#define GICC_BASE 0x08010000u
#define TESTDEV 0x4ffff000u
#define SHARED 0x40300000u

#define REG32(a) (*(volatile u32 *)(a))
#define REG8(a) (*(volatile u8 *)(a))

/* ---- GICv2 distributor and CPU interface (GIC architecture spec v2, 4.3 / 4.4) */
#define GICD_CTLR (GICD_BASE + 0x000)
#define GICD_TYPER (GICD_BASE + 0x004)
#define GICD_ISENABLER(n) (GICD_BASE + 0x100 + 4 * (n))
#define GICD_ICENABLER(n) (GICD_BASE + 0x180 + 4 * (n))
#define GICD_ISPENDR(n) (GICD_BASE + 0x200 + 4 * (n))
#define GICD_ICPENDR(n) (GICD_BASE + 0x280 + 4 * (n))
#define GICD_ISACTIVER(n) (GICD_BASE + 0x300 + 4 * (n))
#define GICD_IPRIORITYR(id) (GICD_BASE + 0x400 + (id))   /* byte access */
#define GICD_ITARGETSR(id) (GICD_BASE + 0x800 + (id))    /* byte access */
#define GICD_SGIR (GICD_BASE + 0xf00)
#define GICC_CTLR (GICC_BASE + 0x000)
#define GICC_PMR (GICC_BASE + 0x004)
#define GICC_BPR (GICC_BASE + 0x008)
#define GICC_IAR (GICC_BASE + 0x00c)
#define GICC_EOIR (GICC_BASE + 0x010)
#define GICC_RPR (GICC_BASE + 0x014)
#define GICC_HPPIR (GICC_BASE + 0x018)
#define GIC_SPURIOUS 1023u

/* ---- PSCI (DEN0022) function ids and return codes, 32-bit calling convention */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au
#define PSCI_SUCCESS 0u
#define PSCI_NOT_SUPPORTED 0xffffffffu
#define PSCI_INVALID_PARAMS 0xfffffffeu
#define PSCI_ALREADY_ON 0xfffffffcu

/* ---- console and checks (guests/common/console.h) */
#include "console.h"
/* Prints "EXIT <failures>" and powers the machine off with PSCI SYSTEM_OFF. */
void finish(void) __attribute__((noreturn));
/* The same, ending with the given PSCI call (SYSTEM_OFF or SYSTEM_RESET). */
void finish_with(u32 psci_fn) __attribute__((noreturn));
void *memset(void *d, int c, unsigned n);

u32 psci_call(u32 fn, u32 a1, u32 a2, u32 a3);

/* The IRQ vector calls this (each guest defines it; the default reports an unexpected IRQ). */
void irq_handler(void);
/* Entry of a CPU started with PSCI CPU_ON at `secondary_start`: its own stacks, then this. */
void secondary_main(u32 context_id);
extern char secondary_start[];

#define MRC(op1, crn, crm, op2) ({ u32 _v; __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(_v)); _v; })
#define MCR(op1, crn, crm, op2, v) ({ __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 ::"r"((u32)(v)) : "memory"); })
#define MRRC(op1, crm) ({ u32 _lo, _hi; __asm__ volatile("mrrc p15, " #op1 ", %0, %1, " #crm : "=r"(_lo), "=r"(_hi)); ((u64)_hi << 32) | _lo; })
#define ISB() __asm__ volatile("isb" ::: "memory")
#define DSB() __asm__ volatile("dsb" ::: "memory")
#define WFI() __asm__ volatile("wfi" ::: "memory")
#define IRQ_ENABLE() __asm__ volatile("cpsie i" ::: "memory")
#define IRQ_DISABLE() __asm__ volatile("cpsid i" ::: "memory")

static inline u32 read_mpidr(void) { return MRC(0, c0, c0, 5); }
static inline u32 read_cpsr(void) { u32 v; __asm__ volatile("mrs %0, cpsr" : "=r"(v)); return v; }
#endif
