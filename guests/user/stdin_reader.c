/* Reads standard input to the end: counts lines, words and bytes, sums the integers it finds,
 * echoes lines reversed, and reads the numbers again through scanf-style parsing of each line. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  char line[512];
  unsigned lines = 0, words = 0, bytes = 0;
  long sum = 0;
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strlen(line);
    bytes += (unsigned)n;
    lines++;
    if (n && line[n - 1] == '\n') line[--n] = 0;
    int in_word = 0;
    for (size_t i = 0; i < n; i++) {
      if (isspace((unsigned char)line[i])) in_word = 0;
      else if (!in_word) { in_word = 1; words++; }
    }
    char *p = line;
    while (*p) {
      char *end;
      long v = strtol(p, &end, 10);
      if (end != p) { sum += v; p = end; } else p++;
    }
    printf("%3u: ", lines);
    for (size_t i = n; i-- > 0;) putchar(line[i]);
    putchar('\n');
  }
  printf("lines=%u words=%u bytes=%u sum=%ld eof=%d error=%d\n", lines, words, bytes, sum, feof(stdin), ferror(stdin));
  return lines == 0 ? 2 : 0;
}
