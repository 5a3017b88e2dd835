/*
 * The guests' console and checks, shared by the bare-metal (guests/baremetal) and KVM/ARM
 * (guests/kvm) test guests: one line per check, "ok <what>" or "FAIL <what> expected <x> got <y>",
 * written to the PL011 of QEMU's virt board (UARTDR at 0x09000000, UARTFR.TXFF waited on).
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

void putc(char c);
void puts(const char *s);
void put_hex(unsigned int v);
void put_dec(unsigned int v);
void check(const char *what, unsigned int expected, unsigned int got);
void check_true(const char *what, int cond);
/* Number of failed checks so far. */
extern unsigned int failures;

#endif
