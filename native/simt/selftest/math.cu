// Math intrinsics as kernels see them: sincospi's exact reduction, the fast single-precision forms,
// fused multiply-add and bit reinterpretation, checked against libm on a few known values.
#include <cmath>

#include "selftest.h"

namespace {

__global__ void mathIntrinsics(const double* x, double* out) {
  const int t = threadIdx.x;
  const double v = __ldg(x + t);
  double s, c;
  sincospi(v, &s, &c);
  float sf, cf;
  sincospif(float(v), &sf, &cf);
  out[8 * t + 0] = s;
  out[8 * t + 1] = c;
  out[8 * t + 2] = sf;
  out[8 * t + 3] = __expf(float(v));
  out[8 * t + 4] = __fdividef(1.0f, float(v) + 4.0f);
  out[8 * t + 5] = rsqrtf(float(v) + 4.0f);
  out[8 * t + 6] = fma(v, v, -1.0);
  out[8 * t + 7] = __int_as_float(__float_as_int(float(v)));
}

}  // namespace

SIMT_SELFTEST(math_intrinsics) {
  const std::vector<double> x = {0.0, 0.5, 1.0, 1.5, 2.0, -0.5, -1.0, 0.25, 0.125, 3.75, 1e6 + 0.5, -2.5};
  const int n = int(x.size());
  simt_selftest::DeviceArray<double> in(n, x), out(8 * n);
  if (!simt_selftest::launched(wt::simt::launch("mathIntrinsics", mathIntrinsics, dim3(1), dim3(n), 0, nullptr,
                                                in.get(), out.get()),
                               why))
    return false;
  const std::vector<double> got = out.read();
  for (int t = 0; t < n; ++t) {
    const double v = x[t], *g = &got[8 * t];
    // Exact at multiples of 1/2 (k/2 with k mod 4 = 0, 1, 2, 3), within a few ulps elsewhere.
    const double half = 2.0 * v;
    const bool exact = half == std::nearbyint(half);
    const int k = exact ? int((static_cast<long long>(half) % 4 + 4) % 4) : 0;
    const double s = exact ? (k == 1 ? 1.0 : k == 3 ? -1.0 : 0.0) : std::sin(M_PI * v);
    const double c = exact ? (k == 0 ? 1.0 : k == 2 ? -1.0 : 0.0) : std::cos(M_PI * v);
    const float f = float(v);
    const bool ok = (exact ? g[0] == s && g[1] == c : std::fabs(g[0] - s) < 1e-9 && std::fabs(g[1] - c) < 1e-9) &&
                    std::fabs(g[2] - s) < 1e-6 && g[3] == double(std::exp(f)) &&
                    g[4] == double(1.0f / (f + 4.0f)) && g[5] == double(1.0f / std::sqrt(f + 4.0f)) &&
                    g[6] == std::fma(v, v, -1.0) && g[7] == double(f);
    if (!ok) {
      why = "x = " + std::to_string(v) + ": sincospi " + std::to_string(g[0]) + ", " + std::to_string(g[1]) +
            " (expected " + std::to_string(s) + ", " + std::to_string(c) + "), sincospif " + std::to_string(g[2]) +
            ", __expf " + std::to_string(g[3]) + ", __fdividef " + std::to_string(g[4]) + ", rsqrtf " +
            std::to_string(g[5]) + ", fma " + std::to_string(g[6]);
      return false;
    }
  }
  return true;
}
