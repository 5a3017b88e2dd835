/*
 * Console (PL011: wait while UARTFR.TXFF, then one byte to UARTDR), checks, PSCI calls, exit.
 */
#include "kvm-guest.h"


void *memset(void *d, int c, unsigned n) {
  u8 *p = d;
  while (n--) *p++ = (u8)c;
  return d;
}

/* putc, puts, put_hex, put_dec, check, check_true: guests/common/console.c */

/* SMCCC over HVC: function id in r0, arguments r1..r3, result in r0 (r1..r3 may be clobbered). */
u32 psci_call(u32 fn, u32 a1, u32 a2, u32 a3) {
  register u32 r0 __asm__("r0") = fn;
  register u32 r1 __asm__("r1") = a1;
  register u32 r2 __asm__("r2") = a2;
  register u32 r3 __asm__("r3") = a3;
  __asm__ volatile("hvc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)::"memory");
  return r0;
}

void finish_with(u32 psci_fn) {
  puts("EXIT ");
  put_dec(failures);
  putc('\n');
  psci_call(psci_fn, 0, 0, 0);
  puts("FAIL PSCI SYSTEM_OFF/RESET returned\n");
  for (;;) WFI();
}

void finish(void) { finish_with(PSCI_SYSTEM_OFF); }

static const char *const vector_names[8] = {"reset", "undef", "svc", "prefetch-abort", "data-abort", "unused", "irq", "fiq"};

void exc_fatal(u32 vector, u32 lr, u32 spsr) {
  puts("FAIL unexpected ");
  puts(vector_names[vector & 7]);
  puts(" on cpu ");
  put_dec(read_mpidr() & 0xff);
  puts(" lr=");
  put_hex(lr);
  puts(" spsr=");
  put_hex(spsr);
  if (vector == 4) puts(" dfsr="), put_hex(MRC(0, c5, c0, 0)), puts(" dfar="), put_hex(MRC(0, c6, c0, 0));
  if (vector == 3) puts(" ifsr="), put_hex(MRC(0, c5, c0, 1)), puts(" ifar="), put_hex(MRC(0, c6, c0, 2));
  putc('\n');
  failures++;
  finish();
}

__attribute__((weak)) void irq_handler(void) {
  u32 iar = REG32(GICC_IAR);
  puts("FAIL unexpected irq iar=");
  put_hex(iar);
  putc('\n');
  failures++;
  finish();
}

__attribute__((weak)) void secondary_main(u32 context_id) { (void)context_id; }
