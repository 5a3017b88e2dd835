/* Benchmark: double-precision floating point — an n-body style integration (VFP add, mul, div,
 * sqrt) and a polynomial series, printed to 10 significant digits. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define N 5
int main(int argc, char **argv) {
  unsigned steps = argc > 1 ? (unsigned)atoi(argv[1]) : 1000000;
  double x[N], y[N], z[N], vx[N], vy[N], vz[N], m[N];
  for (int i = 0; i < N; i++) { x[i] = i * 1.1; y[i] = i * -0.7 + 0.3; z[i] = i * 0.2; vx[i] = 0.01 * i; vy[i] = -0.02 * i; vz[i] = 0.005; m[i] = 1.0 + i * 0.5; }
  const double dt = 0.001;
  for (unsigned s = 0; s < steps; s++) {
    for (int i = 0; i < N; i++)
      for (int j = i + 1; j < N; j++) {
        double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
        double d2 = dx * dx + dy * dy + dz * dz + 0.01, mag = dt / (d2 * sqrt(d2));
        vx[i] -= dx * m[j] * mag; vy[i] -= dy * m[j] * mag; vz[i] -= dz * m[j] * mag;
        vx[j] += dx * m[i] * mag; vy[j] += dy * m[i] * mag; vz[j] += dz * m[i] * mag;
      }
    for (int i = 0; i < N; i++) { x[i] += dt * vx[i]; y[i] += dt * vy[i]; z[i] += dt * vz[i]; }
  }
  double e = 0;
  for (int i = 0; i < N; i++) e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
  printf("fpdouble steps=%u energy=%.10g x0=%.10g\n", steps, e, x[0]);
  return 0;
}
