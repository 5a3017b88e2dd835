/* Benchmark: call-heavy code — naive recursive Fibonacci and an indirect-call dispatch loop
 * through a table of function pointers (BL, BLX register, push/pop of frames). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ (b << 1); }
static uint32_t op_mul(uint32_t a, uint32_t b) { return a * (b | 1); }
static uint32_t op_rot(uint32_t a, uint32_t b) { return (a << (b & 31)) | (a >> ((32 - b) & 31)); }
static uint32_t (*const ops[4])(uint32_t, uint32_t) = {op_add, op_xor, op_mul, op_rot};

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 36;
  uint32_t calls = argc > 2 ? (uint32_t)atoi(argv[2]) : 40000000u;
  unsigned f = fib(n);
  uint32_t h = 7;
  for (uint32_t i = 0; i < calls; i++) h = ops[(h ^ i) & 3](h, i);
  printf("calls fib(%u)=%u dispatch(%u)=%08x\n", n, f, calls, h);
  return 0;
}
