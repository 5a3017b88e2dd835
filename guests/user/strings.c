/* String and memory functions over every size and alignment 0..67: memcpy, memmove (both
 * directions, overlapping), memset, memcmp, strlen, strcmp/strncmp, strchr/strrchr, strstr, strtok,
 * snprintf. glibc's ARM versions take different paths per size and alignment, so each pair counts. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 67
static unsigned char src[256], dst[256];
static uint32_t h = 5381;
static void mix(const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) h = h * 33 ^ b[i];
}
static void fill(unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(seed * 131 + i * 7 + 1);
}

int main(void) {
  for (int len = 0; len <= N; len++) {
    for (int sa = 0; sa < 8; sa++) {
      for (int da = 0; da < 8; da++) {
        fill(src, sizeof src, (unsigned)(len + sa));
        memset(dst, 0xee, sizeof dst);
        memcpy(dst + da, src + sa, (size_t)len);
        mix(dst, 96);
        int c = memcmp(dst + da, src + sa, (size_t)len);
        if (c != 0) { printf("memcpy mismatch len=%d sa=%d da=%d\n", len, sa, da); return 1; }
        if (len > 0) {
          dst[da + len - 1] ^= 0x80;
          c = memcmp(dst + da, src + sa, (size_t)len);
          h = h * 3 + (c < 0 ? 1u : c > 0 ? 2u : 0u);
        }
        memset(dst + da, sa * 16 + da, (size_t)len);
        mix(dst, 96);
      }
    }
    /* overlapping moves, forwards and backwards */
    for (int off = -9; off <= 9; off++) {
      fill(dst, sizeof dst, (unsigned)len);
      memmove(dst + 64 + off, dst + 64, (size_t)len);
      mix(dst, 160);
    }
    /* strings of this length at each alignment */
    for (int a = 0; a < 4; a++) {
      char *s = (char *)dst + a;
      for (int i = 0; i < len; i++) s[i] = (char)('a' + (i * 5 + len) % 26);
      s[len] = 0;
      char *t = (char *)src + (3 - a);
      memcpy(t, s, (size_t)len + 1);
      h = h * 7 + (uint32_t)strlen(s) + (uint32_t)(strcmp(s, t) == 0);
      if (len > 2) {
        t[len / 2] = 'Z';
        int r = strcmp(s, t), rn = strncmp(s, t, (size_t)len / 2), rn2 = strncmp(s, t, (size_t)len);
        h = h * 7 + (uint32_t)((r > 0) - (r < 0)) + 3u * (uint32_t)(rn == 0) + 5u * (uint32_t)((rn2 > 0) - (rn2 < 0));
        char *p = strchr(s, 'q'), *q = strrchr(s, 'e');
        h = h * 7 + (uint32_t)(p ? p - s : -1) + (uint32_t)(q ? q - s : -1);
        char *f = strstr(s, "pu"), *g = strstr(s, s + len / 3);
        h = h * 7 + (uint32_t)(f ? f - s : -1) + (uint32_t)(g ? g - s : -1);
      }
    }
  }
  char text[] = "  the quick,brown fox;; jumps over,,the lazy dog  ";
  int words = 0;
  for (char *tok = strtok(text, " ,;"); tok; tok = strtok(NULL, " ,;")) {
    printf("[%s]", tok);
    words++;
  }
  printf(" %d words\n", words);
  char buf[80];
  for (int w = 0; w <= 12; w += 3) {
    int n = snprintf(buf, (size_t)w + 5, "%*d|%-*s|%.3s", w, -42, w, "ab", "truncated");
    printf("snprintf(%d) -> %d \"%s\"\n", w + 5, n, buf);
  }
  printf("hash = %08x\n", h);
  return 0;
}
