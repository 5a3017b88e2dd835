/*
 * Console, checks, exit and the exception dispatcher shared by every bare-metal guest.
 */
#include "baremetal.h"

volatile struct exc_record exc;
volatile u32 exc_resume;
volatile u32 exc_armed;
int (*exc_hook)(struct frame *f, u32 vector);

void *memset(void *d, int c, unsigned n) {
  u8 *p = d;
  while (n--) *p++ = (u8)c;
  return d;
}

void *memcpy(void *d, const void *s, unsigned n) {
  u8 *p = d;
  const u8 *q = s;
  while (n--) *p++ = *q++;
  return d;
}

/* putc, puts, put_hex, put_dec, check, check_true: guests/common/console.c */

void finish(void) {
  puts("EXIT ");
  put_dec(failures);
  putc('\n');
  register u32 r0 __asm__("r0") = 0x84000008u; /* PSCI SYSTEM_OFF */
  __asm__ volatile("hvc #0" : "+r"(r0)::"memory");
  puts("FAIL PSCI SYSTEM_OFF returned\n");
  for (;;) __asm__ volatile("wfi");
}

void exc_reset(void) {
  memset((void *)&exc, 0, sizeof exc);
  exc_resume = 0;
  exc_armed = 0;
}

static const char *const vector_names[8] = {"reset", "undef", "svc", "prefetch-abort", "data-abort", "unused", "irq", "fiq"};

static void report(u32 vector, u32 lr, u32 spsr) {
  puts("FAIL unexpected ");
  puts(vector_names[vector & 7]);
  puts(" lr=");
  put_hex(lr);
  puts(" spsr=");
  put_hex(spsr);
  if (vector == VEC_DABT) puts(" dfsr="), put_hex(read_dfsr()), puts(" dfar="), put_hex(read_dfar());
  if (vector == VEC_PABT) puts(" ifsr="), put_hex(read_ifsr()), puts(" ifar="), put_hex(read_ifar());
  putc('\n');
  failures++;
}

/* Reached through vectors_fatal (or the reset/unused entries): the guest cannot continue. */
void exc_fatal(u32 vector, u32 lr, u32 spsr) {
  report(vector, lr, spsr);
  finish();
}

static u32 insn_size_at(u32 addr, u32 thumb) {
  if (!thumb) return 4;
  return *(volatile u16 *)addr >= 0xe800 ? 4 : 2;
}

void exc_dispatch(struct frame *f, u32 vector) {
  if (exc_hook && exc_hook(f, vector)) return; /* handled entirely by the guest: not recorded */
  exc.count++;
  exc.vector = vector;
  exc.cpsr = f->cpsr;
  exc.spsr = f->spsr;
  exc.lr = f->lr;
  exc.sp = (u32)f + sizeof *f;
  if (vector == VEC_SVC) {
    exc.insn = (f->spsr & PSR_T) ? *(volatile u16 *)(f->lr - 2) : *(volatile u32 *)(f->lr - 4);
  }
  u32 resume = exc_resume;
  exc_resume = 0;
  switch (vector) {
  case VEC_SVC:
    if (resume) f->lr = resume;
    return;
  case VEC_IRQ:
  case VEC_FIQ:
    return;
  case VEC_UND:
  case VEC_PABT:
  case VEC_DABT:
    if (!exc_armed) {
      report(vector, f->lr, f->spsr);
      finish();
    }
    exc_armed = 0;
    if (vector == VEC_UND) {
      /* LR = UNDEF address + 2 in Thumb state even for a 32-bit instruction (B1.8.3): skip it whole. */
      if (resume) f->lr = resume;
      else if ((f->spsr & PSR_T) && *(volatile u16 *)(f->lr - 2) >= 0xe800) f->lr += 2;
    } else if (vector == VEC_PABT) {
      if (resume) f->lr = resume + 4;
      else {
        report(vector, f->lr, f->spsr);
        finish();
      }
    } else {
      if (resume) f->lr = resume + 8;
      else f->lr += insn_size_at(f->lr - 8, f->spsr & PSR_T);
    }
    return;
  default:
    report(vector, f->lr, f->spsr);
    finish();
  }
}
