/* CPU-bound freestanding workload for the ARM core benchmark: CRC-32, a sieve and a 64-bit LCG. */
typedef unsigned int u32;
static void sys_exit(int code) {
  register long r0 __asm__("r0") = code;
  register long r7 __asm__("r7") = 1;
  __asm__ volatile("svc #0" : : "r"(r0), "r"(r7));
  for (;;) {}
}
static unsigned char buf[4096];
static unsigned char sieve[20000];
void _start(void) {
  u32 acc = 0;
  unsigned long long x = 1;
  for (int round = 0; round < 40; round++) {
    for (int i = 0; i < 4096; i++) { x = x * 6364136223846793005ull + 1442695040888963407ull; buf[i] = (unsigned char)(x >> 33); }
    u32 c = 0xffffffff;
    for (int i = 0; i < 4096; i++) { c ^= buf[i]; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320 & -(c & 1)); }
    acc += ~c;
    for (int i = 0; i < 20000; i++) sieve[i] = 1;
    for (int i = 2; i * i < 20000; i++) if (sieve[i]) for (int j = i * i; j < 20000; j += i) sieve[j] = 0;
    for (int i = 0; i < 20000; i++) acc += sieve[i];
  }
  sys_exit((int)(acc & 0xff));
}
