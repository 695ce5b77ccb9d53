// Roots of unity and Bluestein chirps for the FFT kernels, in double, on host and device.
// Angles are reduced as integer fractions before any floating point, so multiples of pi/4 are exact.
#pragma once
#include <math.h>
#include <stdint.h>

#include "complex.h"
#include "hd.h"

namespace wt {
namespace fft {

// exp(-2*pi*i*k/n) for any integer k and 1 <= n < 2^60.
WT_HD cplx<double> rootOfUnity(int64_t k, int64_t n) {
  int64_t r = k % n;
  if (r < 0) r += n;
  // angle = (pi/2) * (quadrant + rem/n): the quadrant turn is exact, only rem/n is rounded.
  const int64_t quarters = 4 * r;
  const int64_t quadrant = quarters / n;
  const int64_t rem = quarters - quadrant * n;
  const double halfPi = 1.57079632679489661923;
  double c, s;  // cos and sin of (pi/2) * rem/n, evaluated on an angle <= pi/4 for accuracy
  if (rem == 0) {
    c = 1.0;
    s = 0.0;
  } else if (2 * rem == n) {
    c = s = 0.70710678118654752440;
  } else if (2 * rem < n) {
    const double x = halfPi * ((double)rem / (double)n);
    c = cos(x);
    s = sin(x);
  } else {
    const double x = halfPi * ((double)(n - rem) / (double)n);
    c = sin(x);
    s = cos(x);
  }
  double cq, sq;  // rotated by quadrant * pi/2
  switch (quadrant) {
    case 0: cq = c; sq = s; break;
    case 1: cq = -s; sq = c; break;
    case 2: cq = -c; sq = -s; break;
    default: cq = s; sq = -c; break;
  }
  return {cq, -sq};
}

// Bluestein chirp exp(-pi*i*k^2/n) = exp(-2*pi*i*(k^2 mod 2n)/(2n)); k^2 mod 2n is formed in
// integers (exact for n < 2^31) so the chirp stays accurate for large k.
WT_HD cplx<double> bluesteinChirp(int64_t k, int64_t n) {
  const uint64_t twoN = 2 * (uint64_t)n;
  const uint64_t kk = (uint64_t)(k < 0 ? -k : k) % twoN;
  return rootOfUnity((int64_t)(kk * kk % twoN), (int64_t)twoN);
}

}  // namespace fft
}  // namespace wt
