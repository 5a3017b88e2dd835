/*
 * The bare-metal test guests' library: console (PL011 data register of QEMU's `virt` board), checks
 * that print one `ok <what>` or `FAIL <what> expected <x> got <y>` line each, exit through PSCI
 * SYSTEM_OFF, CP15 accessors, and the exception record every vector fills in.
 *
 * Memory map (QEMU `virt`, as tskvm's test bus mirrors it):
 *   0x08000000 GIC distributor, 0x08010000 GIC CPU interface, 0x09000000 PL011 UART,
 *   0x40000000 RAM (256 MiB): guest image; 0x40100000 mode stacks; 0x40200000.. free for page
 *   tables and test pages (each guest documents its own use).
 */
#ifndef BAREMETAL_H
#define BAREMETAL_H

typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef unsigned short u16;
typedef unsigned char u8;

#define UART_DR   0x09000000u
#define GICD_BASE 0x08000000u
#define GICC_BASE 0x08010000u
#define RAM_BASE  0x40000000u
#define SCRATCH   0x40200000u

#define MODE_USR 0x10
#define MODE_FIQ 0x11
#define MODE_IRQ 0x12
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_UND 0x1b
#define MODE_SYS 0x1f
#define PSR_T (1u << 5)
#define PSR_F (1u << 6)
#define PSR_I (1u << 7)
#define PSR_A (1u << 8)
#define PSR_E (1u << 9)

/* Vector numbers (offset / 4 in the vector table). */
#define VEC_UND 1
#define VEC_SVC 2
#define VEC_PABT 3
#define VEC_DABT 4
#define VEC_IRQ 6
#define VEC_FIQ 7

#define REG32(a) (*(volatile u32 *)(a))

/* ---- console and checks (guests/common/console.h) */
#include "console.h"
/* Prints "EXIT <failures>" and powers off through PSCI SYSTEM_OFF (hvc #0, r0 = 0x84000008). */
void finish(void) __attribute__((noreturn));
void *memset(void *d, int c, unsigned n);
void *memcpy(void *d, const void *s, unsigned n);

/* ---- exceptions: every vector in vectors.S saves a frame and calls exc_dispatch. */
struct frame {
  u32 spsr;   /* the SPSR of the exception mode; a handler may change it (restored on return) */
  u32 cpsr;   /* CPSR at handler entry */
  u32 r[13];  /* r0..r12 of the interrupted code (restored on return) */
  u32 lr;     /* the exception mode's LR as the exception set it; returned through by each vector's form */
};

struct exc_record {
  u32 count;  /* exceptions taken since exc_reset */
  u32 vector; /* VEC_* of the last one */
  u32 cpsr;   /* CPSR at handler entry */
  u32 spsr;
  u32 lr;     /* raw LR on entry */
  u32 sp;     /* the exception mode's SP on entry */
  u32 insn;   /* for SVC: the SVC instruction (16 bits in Thumb state) */
};
extern volatile struct exc_record exc;
/*
 * Where an expected abort returns to: 0 = skip the faulting instruction (data abort), the address
 * in `exc_resume` otherwise (cleared when used). An abort with exc_armed == 0 is a FAIL and ends
 * the guest.
 */
extern volatile u32 exc_resume;
extern volatile u32 exc_armed;
/* Optional per-guest hook run first by the dispatcher (return 1 = handled, and not recorded in exc). */
extern int (*exc_hook)(struct frame *f, u32 vector);
void exc_reset(void);
/* The vector tables (vectors.S): ARM entries, Thumb entries (for SCTLR.TE), and one that fails. */
extern u32 vectors_arm[], vectors_thumb[], vectors_fatal[];

/* ---- CP15 */
#define MRC(op1, crn, crm, op2) ({ u32 _v; __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(_v)); _v; })
#define MCR(op1, crn, crm, op2, v) ({ __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 ::"r"((u32)(v)) : "memory"); })
#define MRRC(op1, crm) ({ u32 _lo, _hi; __asm__ volatile("mrrc p15, " #op1 ", %0, %1, " #crm : "=r"(_lo), "=r"(_hi)); ((u64)_hi << 32) | _lo; })
#define MCRR(op1, crm, v) ({ __asm__ volatile("mcrr p15, " #op1 ", %0, %1, " #crm ::"r"((u32)(v)), "r"((u32)((u64)(v) >> 32)) : "memory"); })
#define ISB() ({ __asm__ volatile("isb" ::: "memory"); })
#define DSB() ({ __asm__ volatile("dsb" ::: "memory"); })

#define read_sctlr() MRC(0, c1, c0, 0)
#define write_sctlr(v) (MCR(0, c1, c0, 0, v), ISB())
#define write_ttbcr(v) MCR(0, c2, c0, 2, v)
#define write_dacr(v) MCR(0, c3, c0, 0, v)
#define write_ttbr0(v) MCR(0, c2, c0, 0, v)
#define read_dfsr() MRC(0, c5, c0, 0)
#define read_ifsr() MRC(0, c5, c0, 1)
#define read_dfar() MRC(0, c6, c0, 0)
#define read_ifar() MRC(0, c6, c0, 2)
#define write_vbar(v) (MCR(0, c12, c0, 0, v), ISB())
#define write_contextidr(v) (MCR(0, c13, c0, 1, v), ISB())
#define tlbiall() (MCR(0, c8, c7, 0, 0), DSB(), ISB())
#define tlbimva(va_asid) (MCR(0, c8, c7, 1, va_asid), DSB(), ISB())
#define tlbiasid(asid) (MCR(0, c8, c7, 2, asid), DSB(), ISB())
#define tlbimvaa(va) (MCR(0, c8, c7, 3, va), DSB(), ISB())

#define SCTLR_M (1u << 0)
#define SCTLR_A (1u << 1)
#define SCTLR_C (1u << 2)
#define SCTLR_V (1u << 13)
#define SCTLR_AFE (1u << 29)
#define SCTLR_TE (1u << 30)

static inline u32 read_cpsr(void) { u32 v; __asm__ volatile("mrs %0, cpsr" : "=r"(v)); return v; }

/* ---- short-descriptor identity map (mmu.c): 4096 sections covering RAM (normal, full access) and
 * the GIC/UART (device); everything else faults. l1 must be 16 KiB aligned. */
#define L1_SECTION 0x2u
#define L1_TABLE 0x1u
#define SECT_B (1u << 2)
#define SECT_C (1u << 3)
#define SECT_XN (1u << 4)
#define SECT_DOMAIN(d) ((u32)(d) << 5)
#define SECT_AP(ap) ((((u32)(ap) & 3) << 10) | (((u32)(ap) >> 2) << 15)) /* AP[2:0] -> APX:AP */
#define SECT_TEX(t) ((u32)(t) << 12)
#define SECT_S (1u << 16)
#define SECT_NG (1u << 17)
#define SECT_SUPER (1u << 18)
#define SECT_NORMAL (SECT_TEX(1) | SECT_C | SECT_B) /* normal, write-back (TEX remap off) */
#define SECT_DEVICE (SECT_B)                        /* shareable device */
void mmu_identity_short(u32 *l1, u32 ram_ap);
void mmu_enable(u32 *l1);
void mmu_disable(void);

/* ---- small assembly probes (probes.S) */
u32 probe_read32(u32 addr);            /* ldr r0, [r0] */
void probe_write32(u32 addr, u32 v);   /* str r1, [r0] */
u32 probe_read16(u32 addr);            /* ldrh r0, [r0] */
u64 probe_ldrd(u32 addr);              /* ldrd r0, r1, [r0] */
u32 probe_ldm2(u32 addr);              /* ldm r0, {r0, r1}: returns r0 + r1 */
u32 probe_ldrex(u32 addr);             /* ldrex r0, [r0] */
/* Calls fn (blx); an abort on the way (prefetch) resumes after the call with return value 0xdead. */
u32 probe_call(u32 fn);
/* Thumb-state sources (probes.S): thumb_udf (16-bit UDF), thumb_udf_w (UDF.W), thumb_svc (SVC #0x5a),
 * thumb_ldr (16-bit LDR r0, [r0]). */
void thumb_udf(void);
void thumb_udf_w(void);
void thumb_svc(void);
u32 thumb_ldr(u32 addr);
#endif
