/* malloc-heavy code: linked lists, a binary search tree, realloc growth from 1 byte to 1 MiB,
 * calloc zeroing, large blocks (glibc uses mmap past 128 KiB) and interleaved free patterns. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node { struct node *next; uint32_t value; char tag[12]; };
struct tree { struct tree *left, *right; int key; unsigned count; };
static uint32_t state = 7;
static uint32_t rnd(void) { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }

static struct tree *insert(struct tree *t, int key) {
  if (!t) { t = calloc(1, sizeof *t); if (!t) exit(3); t->key = key; t->count = 1; return t; }
  if (key < t->key) t->left = insert(t->left, key);
  else if (key > t->key) t->right = insert(t->right, key);
  else t->count++;
  return t;
}
static unsigned height(const struct tree *t) { if (!t) return 0; unsigned l = height(t->left), r = height(t->right); return 1 + (l > r ? l : r); }
static uint32_t walk(const struct tree *t, uint32_t h) { if (!t) return h; h = walk(t->left, h); h = h * 31 + (uint32_t)t->key * t->count; return walk(t->right, h); }
static void release(struct tree *t) { if (!t) return; release(t->left); release(t->right); free(t); }

int main(void) {
  /* a list built, reversed, filtered, freed */
  struct node *head = NULL;
  for (uint32_t i = 0; i < 5000; i++) {
    struct node *n = malloc(sizeof *n);
    if (!n) return 3;
    n->value = rnd() % 100000; snprintf(n->tag, sizeof n->tag, "n%u", i); n->next = head; head = n;
  }
  struct node *rev = NULL;
  while (head) { struct node *n = head; head = n->next; n->next = rev; rev = n; }
  unsigned kept = 0; uint32_t lh = 0;
  for (struct node **pp = &rev; *pp;) {
    if ((*pp)->value % 3 == 0) { struct node *dead = *pp; *pp = dead->next; free(dead); }
    else { lh = lh * 31 + (*pp)->value + (uint32_t)strlen((*pp)->tag); kept++; pp = &(*pp)->next; }
  }
  printf("list: kept %u, hash %08x\n", kept, lh);
  while (rev) { struct node *n = rev; rev = n->next; free(n); }

  struct tree *root = NULL;
  for (int i = 0; i < 20000; i++) root = insert(root, (int)(rnd() % 4096) - 2048);
  printf("tree: height %u, hash %08x\n", height(root), walk(root, 0));
  release(root);

  /* realloc growth, verifying the contents survive each move */
  unsigned char *buf = NULL; size_t cap = 0; uint32_t moved_ok = 1;
  for (size_t want = 1; want <= (1u << 20); want = want * 3 / 2 + 1) {
    unsigned char *nb = realloc(buf, want);
    if (!nb) return 3;
    for (size_t i = 0; i < cap && i < want; i++) if (nb[i] != (unsigned char)(i * 13)) moved_ok = 0;
    for (size_t i = cap; i < want; i++) nb[i] = (unsigned char)(i * 13);
    buf = nb; cap = want;
  }
  printf("realloc: reached %zu bytes, contents %s\n", cap, moved_ok ? "intact" : "CORRUPT");
  buf = realloc(buf, 10);
  printf("shrunk: %u %u\n", buf[3], buf[9]);
  free(buf);

  /* many blocks of mixed sizes freed in a scattered order, then calloc must return zeros */
  enum { SLOTS = 2000 };
  static void *slots[SLOTS]; static size_t sizes[SLOTS];
  uint32_t sum = 0;
  for (int round = 0; round < 4; round++) {
    for (int i = 0; i < SLOTS; i++) {
      unsigned k = rnd() % SLOTS;
      if (slots[k]) { unsigned char *p = slots[k]; sum += p[0] + p[sizes[k] - 1]; free(p); slots[k] = NULL; }
      else { size_t sz = 1 + rnd() % (round == 3 ? 300000 : 2000); unsigned char *p = malloc(sz); if (!p) return 3;
             memset(p, (int)(k & 0xff), sz); slots[k] = p; sizes[k] = sz; }
    }
  }
  for (int i = 0; i < SLOTS; i++) free(slots[i]);
  unsigned nonzero = 0;
  for (int i = 0; i < 100; i++) { unsigned char *z = calloc(100 + (size_t)i * 37, 1); for (int j = 0; j < 100 + i * 37; j++) nonzero += z[j] != 0; free(z); }
  printf("scatter: sum %u, calloc nonzero bytes %u\n", sum, nonzero);
  return moved_ok && nonzero == 0 ? 0 : 1;
}
