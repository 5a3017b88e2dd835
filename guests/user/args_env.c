/* The process's start: argc/argv (including empty and spaced arguments), the environment the
 * harness sets, auxv-independent facts (page size from sysconf), and the initial stack's alignment. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; i++) printf("argv[%d]=\"%s\" (%zu)\n", i, argv[i], strlen(argv[i]));
  printf("argv[argc]=%s\n", argv[argc] == NULL ? "NULL" : "non-NULL");
  static const char *names[] = {"PATH", "HOME", "LC_ALL", "TSKVM_DIFFTEST", "UNSET_VARIABLE"};
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
    const char *v = getenv(names[i]);
    printf("%s=%s\n", names[i], v ? v : "(unset)");
  }
  int n = 0, have_difftest = 0;
  for (char **e = environ; *e; e++) { n++; if (strncmp(*e, "TSKVM_DIFFTEST=", 15) == 0) have_difftest = 1; }
  printf("environ has %d entries, TSKVM_DIFFTEST %s\n", n, have_difftest ? "present" : "absent");
  setenv("NEW_VAR", "set-by-guest", 1);
  printf("after setenv: %s\n", getenv("NEW_VAR"));
  printf("pagesize=%ld\n", sysconf(_SC_PAGESIZE));
  volatile uint64_t aligned = 0;
  printf("8-byte local aligned: %d\n", ((uintptr_t)&aligned & 7) == 0);
  return argc - 1;
}
