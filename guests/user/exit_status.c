/* Exits with a non-zero status through exit(), after atexit handlers that run in reverse order of
 * registration and a fully buffered stdout that must be flushed at exit. */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit: registered first, runs last\n"); }
static void second(void) { printf("atexit: registered second, runs first\n"); }

int main(int argc, char **argv) {
  static char buf[4096];
  setvbuf(stdout, buf, _IOFBF, sizeof buf);
  atexit(first);
  atexit(second);
  for (int i = 0; i < 20; i++) printf("buffered line %d\n", i);
  int status = argc > 1 ? atoi(argv[1]) : 3;
  printf("exiting with %d\n", status);
  exit(status);
}
