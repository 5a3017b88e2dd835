/* Writes to stderr (unbuffered) and to stdout, uses perror/strerror for errno values the kernel
 * sets (ENOENT from open, EBADF from close, EISDIR from reading a directory), and fprintf(stderr). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  fprintf(stderr, "stderr: starting\n");
  printf("stdout: line 1\n");
  errno = 0;
  FILE *f = fopen("/nonexistent/tskvm-difftest", "r");
  printf("fopen -> %s, errno=%d\n", f ? "opened" : "NULL", errno);
  perror("fopen");
  int r = close(12345);
  printf("close(12345) -> %d errno=%d (%s)\n", r, errno, strerror(errno));
  int fd = open("/", O_RDONLY);
  char c;
  ssize_t n = fd >= 0 ? read(fd, &c, 1) : -2;
  printf("read(dir) -> %zd errno=%d\n", n, errno);
  if (fd >= 0) close(fd);
  for (int i = 0; i < 5; i++) fprintf(stderr, "stderr: %d squared is %d\n", i, i * i);
  write(2, "raw write to fd 2\n", 18);
  fputs("stdout: done\n", stdout);
  fprintf(stderr, "stderr: %s\n", strerror(EINVAL));
  return 0;
}
