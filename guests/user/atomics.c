/* Atomic builtins (LDREX/STREX, and LDREXD/STREXD for 64-bit), __atomic with memory orders,
 * compare-and-swap loops, plus ctype classification, strtol/strtoul/strtoll with bases and
 * errno on overflow, and strtod/atof on decimal, hex and special inputs. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static volatile uint32_t c32;
static volatile uint64_t c64;

int main(void) {
  uint32_t old = 0;
  for (int i = 0; i < 1000; i++) {
    old ^= __sync_fetch_and_add(&c32, (uint32_t)i);
    __sync_fetch_and_xor(&c32, 0x5a5a0000u);
    __sync_fetch_and_or(&c32, 1u << (i % 32));
    __sync_fetch_and_and(&c32, ~(1u << ((i * 7) % 32)));
    __sync_fetch_and_sub(&c64, 0x100000001ull * (uint64_t)i);
    __sync_fetch_and_add(&c64, 3);
  }
  uint32_t cas_ok = __sync_bool_compare_and_swap(&c32, c32, 77u);
  uint32_t cas_bad = __sync_bool_compare_and_swap(&c32, 78u, 99u);
  uint64_t prev64 = __sync_val_compare_and_swap(&c64, c64, 0x123456789abcdef0ull);
  printf("sync: old^=%08x c32=%u cas %u %u prev64=%016llx c64=%016llx\n", old, c32, cas_ok, cas_bad,
         (unsigned long long)prev64, (unsigned long long)c64);
  uint64_t v = 5, expected = 5;
  int ok = __atomic_compare_exchange_n(&v, &expected, 9, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  int ko = __atomic_compare_exchange_n(&v, &expected, 11, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
  uint64_t x = __atomic_exchange_n(&v, 0xffffffff00000001ull, __ATOMIC_SEQ_CST);
  uint64_t y = __atomic_add_fetch(&v, 0xffffffffull, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  printf("atomic: ok=%d ko=%d expected=%llu x=%llu y=%016llx lockfree8=%d\n", ok, ko, (unsigned long long)expected,
         (unsigned long long)x, (unsigned long long)y, (int)__atomic_always_lock_free(8, 0));

  for (int c = 0; c < 128; c++) {
    unsigned m = (!!isalpha(c)) | (!!isdigit(c)) << 1 | (!!isspace(c)) << 2 | (!!ispunct(c)) << 3 | (!!isupper(c)) << 4 |
                 (!!islower(c)) << 5 | (!!isxdigit(c)) << 6 | (!!iscntrl(c)) << 7 | (!!isprint(c)) << 8;
    printf("%03x%c", m, c % 16 == 15 ? '\n' : ' ');
  }
  printf("toupper/tolower: %c%c%c %c%c%c\n", toupper('a'), toupper('Z'), toupper('5'), tolower('Q'), tolower('q'), tolower('@'));

  static const char *nums[] = {"0", "-17", "+42abc", "0x7fffffff", "0X80000000", "2147483648", "-2147483649",
                               "  077", "z", "11111111111111111111", "-9223372036854775808", "0b101", "  -0x1F"};
  for (unsigned i = 0; i < sizeof nums / sizeof nums[0]; i++) {
    char *end; errno = 0;
    long l = strtol(nums[i], &end, 0);
    int e1 = errno; errno = 0;
    unsigned long ul = strtoul(nums[i], NULL, 16);
    int e2 = errno; errno = 0;
    long long ll = strtoll(nums[i], NULL, 10);
    int e3 = errno;
    printf("'%s': strtol=%ld(%d, rest '%s') strtoul16=%lu(%d) strtoll=%lld(%d) base36=%ld\n", nums[i], l, e1, end, ul,
           e2, ll, e3, strtol(nums[i], NULL, 36));
  }
  static const char *reals[] = {"3.14159", "-0.0", "1e308", "1e309", "4.9e-324", "1e-400", "0x1.8p3", "inf", "-nan",
                                "  +12.5e-1xyz", ".5", "1,5"};
  for (unsigned i = 0; i < sizeof reals / sizeof reals[0]; i++) {
    char *end; errno = 0;
    double d = strtod(reals[i], &end);
    printf("'%s': %.17g errno=%d rest '%s' atof=%g strtof=%a\n", reals[i], d, errno, end, atof(reals[i]),
           (double)strtof(reals[i], NULL));
  }
  return 0;
}
