/* Prints, flushes, then stores through a null pointer on purpose: the kernel delivers SIGSEGV
 * with its default action, so the status seen by a shell is 128 + 11 = 139. */
#include <stdio.h>

int main(void) {
  printf("about to fault\n");
  fflush(stdout);
  fprintf(stderr, "stderr before the fault\n");
  volatile int *volatile p = (int *)0;
  *p = 42;
  printf("not reached\n");
  return 0;
}
