/* Console and checks for every test guest (see console.h). */
#include "console.h"

#define UART_DR 0x09000000u
#define UART_FR 0x09000018u
#define UART_FR_TXFF (1u << 5)
#define REG32(a) (*(volatile unsigned int *)(a))

unsigned int failures;

void putc(char c) {
  while (REG32(UART_FR) & UART_FR_TXFF) {
  }
  REG32(UART_DR) = (unsigned char)c;
}

void puts(const char *s) {
  while (*s) putc(*s++);
}

void put_hex(unsigned int v) {
  puts("0x");
  for (int i = 28; i >= 0; i -= 4) putc("0123456789abcdef"[(v >> i) & 0xf]);
}

void put_dec(unsigned int v) {
  char buf[12];
  int n = 0;
  do buf[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (n) putc(buf[--n]);
}

void check(const char *what, unsigned int expected, unsigned int got) {
  if (expected == got) {
    puts("ok ");
    puts(what);
  } else {
    failures++;
    puts("FAIL ");
    puts(what);
    puts(" expected ");
    put_hex(expected);
    puts(" got ");
    put_hex(got);
  }
  putc('\n');
}

void check_true(const char *what, int cond) {
  if (cond) puts("ok ");
  else failures++, puts("FAIL ");
  puts(what);
  putc('\n');
}
