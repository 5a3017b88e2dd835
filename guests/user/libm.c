/* libm: sin, cos, tan, atan2, exp, log, log10, pow, sqrt, cbrt, hypot, fmod, remainder, frexp,
 * ldexp, modf, and every rounding function (floor, ceil, round, trunc, rint, nearbyint, lrint,
 * llround), in double and float, printed exactly (%a) and in decimal. */
#include <math.h>
#include <stdio.h>

static volatile double xs[] = {0.0, 0.5, -0.5, 1.0, 1.5, 2.5, -2.5, 3.14159265358979, 10.0, -7.25, 1e-5, 123456.789, 1e10};

int main(void) {
  unsigned n = sizeof xs / sizeof xs[0];
  for (unsigned i = 0; i < n; i++) {
    double x = xs[i], y = xs[(i + 5) % n];
    int e;
    double m = frexp(x, &e), ip, fp = modf(x, &ip);
    printf("x=%g\n  sin=%a cos=%a tan=%.15g atan2=%.15g\n", x, sin(x), cos(x), tan(x), atan2(x, y));
    printf("  exp=%.15g log=%.15g log10=%.15g pow=%.15g sqrt=%.15g cbrt=%.15g hypot=%.15g\n", exp(x / 10),
           x > 0 ? log(x) : 0.0, x > 0 ? log10(x) : 0.0, pow(fabs(x), 1.0 / 3.0), sqrt(fabs(x)), cbrt(x), hypot(x, y));
    printf("  fmod=%.15g remainder=%.15g frexp=%.17g,%d ldexp=%.17g modf=%.17g,%.17g\n", y != 0 ? fmod(x, y) : 0.0,
           y != 0 ? remainder(x, y) : 0.0, m, e, ldexp(x, 7), fp, ip);
    printf("  floor=%g ceil=%g round=%g trunc=%g rint=%g nearbyint=%g lrint=%ld llround=%lld\n", floor(x), ceil(x),
           round(x), trunc(x), rint(x), nearbyint(x), fabs(x) < 2e9 ? lrint(x) : 0L, fabs(x) < 9e18 ? llround(x) : 0LL);
    float f = (float)x;
    printf("  f: sin=%a exp=%a sqrt=%a floor=%g round=%g pow=%a\n", (double)sinf(f), (double)expf(f / 10),
           (double)sqrtf(fabsf(f)), (double)floorf(f), (double)roundf(f), (double)powf(fabsf(f), 0.75f));
  }
  printf("special: %g %g %g %g %g\n", log(0.0), sqrt(-1.0) != sqrt(-1.0) ? 1.0 : 0.0, pow(0.0, 0.0), exp(1000.0), ldexp(1.0, -1074));
  double pi = 4 * atan(1.0);
  printf("pi=%.17g e=%.17g\n", pi, exp(1.0));
  return fabs(pi - 3.14159265358979323846) < 1e-15 ? 0 : 1;
}
