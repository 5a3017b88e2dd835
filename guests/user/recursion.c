/* Control flow beyond straight calls: setjmp/longjmp out of deep recursion (registers and the
 * stack pointer restored), Ackermann and Fibonacci recursion, mutual recursion, Towers of Hanoi. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;
static int depth_reached;

static void dive(int depth, int limit) { /* ends by longjmp at depth == limit */
  volatile char pad[64];
  pad[depth % 64] = (char)depth;
  depth_reached = depth + pad[depth % 64] - (char)depth;
  if (depth == limit) longjmp(env, depth);
  dive(depth + 1, limit);
}

static unsigned ackermann(unsigned m, unsigned n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}
static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static unsigned moves;
static void hanoi(int n, int from, int to, int via, unsigned *trace) {
  if (n == 0) return;
  hanoi(n - 1, from, via, to, trace);
  moves++;
  *trace = *trace * 3 + (unsigned)(from * 3 + to);
  hanoi(n - 1, via, to, from, trace);
}

int main(void) {
  for (int limit = 1; limit <= 1000; limit *= 10) {
    volatile int local = 1234;
    int r = setjmp(env);
    if (r == 0) {
      dive(0, limit);
      printf("not reached\n");
    } else {
      printf("longjmp from depth %d returned %d, local=%d\n", depth_reached, r, local);
    }
  }
  /* longjmp with 0 must make setjmp return 1 */
  int r = setjmp(env);
  if (r == 0) longjmp(env, 0);
  printf("longjmp(0) -> %d\n", r);

  printf("ackermann(2,3)=%u ackermann(3,5)=%u\n", ackermann(2, 3), ackermann(3, 5));
  for (unsigned n = 0; n <= 24; n += 6) printf("fib(%u)=%u\n", n, fib(n));
  printf("even(1001)=%d odd(777)=%d\n", is_even(1001), is_odd(777));
  unsigned trace = 0;
  hanoi(12, 0, 2, 1, &trace);
  printf("hanoi(12): %u moves, trace %08x\n", moves, trace);
  return (fib(20) == 6765 && ackermann(2, 3) == 9 && moves == 4095) ? 0 : 1;
}
