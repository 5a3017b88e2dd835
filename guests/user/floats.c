/* Floating point in float and double: arithmetic, fused multiply-add (VFMA, VFPv4), division,
 * square root, comparisons with NaN and signed zero, conversions between integers and floats at
 * the edges (ARM's VCVT saturates and turns NaN into 0), and printf of the results. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

static volatile double ds[] = {0.0, -0.0, 1.0, -1.5, 0.1, 1e-310, 2.5, 3.5, -2.5, 1e300, -1e300, 4294967295.0,
                               4294967296.0, 2147483647.5, -2147483648.75, 9.2233720368547758e18, 1.0 / 3.0};
static volatile float fs[] = {0.0f, -0.0f, 1.0f, -1.5f, 0.1f, 1e-40f, 3.5f, 16777217.0f, 3.4e38f, -3.4e38f, 2.5f};

int main(void) {
  volatile double inf = INFINITY, nan_ = NAN;
  unsigned nd = sizeof ds / sizeof ds[0], nf = sizeof fs / sizeof fs[0];
  for (unsigned i = 0; i < nd; i++) {
    double a = ds[i], b = ds[(i * 7 + 3) % nd];
    printf("%.17g %.17g: + %.17g - %.17g * %.17g / %.17g fma %.17g sqrt %.17g\n", a, b, a + b, a - b, a * b,
           b != 0 ? a / b : 0.0, fma(a, b, 0.5), sqrt(fabs(a)));
    /* edge conversions through volatile so the compiler emits VCVT instead of folding */
    volatile double v = a;
    int32_t si = (int32_t)v; uint32_t ui = (uint32_t)v;
    printf("  bits %016llx -> int %d uint %u float %.9g\n", (unsigned long long)dbits(a), si, ui, (double)(float)v);
  }
  for (unsigned i = 0; i < nf; i++) {
    float a = fs[i], b = fs[(i * 5 + 2) % nf];
    volatile float v = a;
    printf("%a %a: + %a * %a / %a fma %a -> int %d uint %u bits %08x\n", (double)a, (double)b, (double)(a + b),
           (double)(a * b), (double)(b != 0 ? a / b : 0.0f), (double)fmaf(a, b, -1.0f), (int32_t)v, (uint32_t)v,
           fbits(a));
  }
  volatile double x = inf, y = nan_;
  volatile int32_t imin = INT32_MIN, imax = INT32_MAX; volatile uint32_t umax = UINT32_MAX;
  volatile int64_t lmin = INT64_MIN; volatile uint64_t lmax = UINT64_MAX;
  printf("int->double: %.17g %.17g %.17g %.17g %.17g\n", (double)imin, (double)imax, (double)umax, (double)lmin, (double)lmax);
  printf("int->float: %.9g %.9g %.9g\n", (double)(float)imax, (double)(float)umax, (double)(float)lmax);
  printf("inf: %g %g %g nan: %g cmp %d%d%d%d%d\n", x, -x, x - x, y, y == y, y != y, y < 1.0, x > DBL_MAX, -0.0 == 0.0);
  printf("signbit: %d %d copysign %g\n", signbit(-0.0), signbit(0.0), copysign(3.0, -0.0));
  /* accumulation: rounding differences show up in the low bits */
  double acc = 0; float facc = 0;
  for (int i = 1; i <= 10000; i++) { acc += 1.0 / i; facc += 1.0f / (float)i; acc = acc * 1.0000001 - 1e-9; }
  printf("harmonic: %.17g %.9g\n", acc, (double)facc);
  printf("limits: %g %g %g %g\n", DBL_MAX, DBL_MIN, (double)FLT_MAX, DBL_EPSILON);
  return 0;
}
