// The soft-DTW lane forward for AVX2 + FMA: four pairs per 256-bit vector of doubles, the cell
// update of kernels/sdtw_softmin.h (branch-free exp/log) vectorised across the lanes by the compiler.
// Compiled for AVX2 through a pragma (the baseline is x86-64-v2); only called after a CPU check.
#include <algorithm>
#include <cstdint>

// The shared headers come above the pragma (as in fft_avx2.cpp): their always-inline functions are
// inlined into the AVX2 loop, and no out-of-line copy is compiled for AVX2.
#include "../kernels/sdtw_band.h"
#include "../kernels/sdtw_softmin.h"
#include "sdtw_lanes.h"

#pragma GCC target("avx2,fma")
// No multiply-add contraction: a lane computes bit for bit what the scalar path (and simt) computes,
// so a value never depends on which pairs share its lane group.
#pragma GCC optimize("fp-contract=off")

namespace wt {
namespace cpu {
namespace {

constexpr int L = kSdtwLanes;

template <class T>
void forwardLanes(const LaneGroup<T>& g, const sdtw::Band& b, double* prev, double* cur, double* values) {
  const double invGamma = g.gamma > 0 ? 1.0 / g.gamma : 0.0;
  const int64_t D = g.d, W = g.width;
  int64_t loP = 0, hiP = -1;
  for (int64_t i = 0; i < b.n; ++i) {
    const int64_t lo = b.lo(i), hi = b.hi(i);
    for (int64_t j = lo; j <= hi; ++j) {
      const int64_t k = j - lo;
      double c[L] = {};
      for (int64_t e = 0; e < D; ++e)
        for (int l = 0; l < L; ++l) {
          const double t = double(g.x[l][i * D + e]) - double(g.y[l][j * D + e]);
          c[l] += t * t;
        }
      double* r = cur + k * L;
      if (i == 0 && j == 0) {
        for (int l = 0; l < L; ++l) {
          r[l] = c[l];
          g.trans[l][0] = T(0);
          g.trans[l][1] = T(0);
        }
        continue;
      }
      // Admissibility is the same for every lane (one geometry): one branch per cell, not per lane.
      const bool hasDiag = j - 1 >= loP && j - 1 <= hiP, hasUp = j >= loP && j <= hiP, hasLeft = j > lo;
      const double* pd = prev + (j - 1 - loP) * L;
      const double* pu = prev + (j - loP) * L;
      const double* pl = cur + (k - 1) * L;
      double wd[L], wu[L];
      for (int l = 0; l < L; ++l) {
        const sdtw::Cell cell = sdtw::softMinCell(c[l], hasDiag ? pd[l] : sdtw::kInf, hasUp ? pu[l] : sdtw::kInf,
                                                  hasLeft ? pl[l] : sdtw::kInf, g.gamma, invGamma);
        r[l] = cell.r;
        wd[l] = cell.wDiag;
        wu[l] = cell.wUp;
      }
      for (int l = 0; l < L; ++l) {
        T* w = g.trans[l] + (i * W + k) * 2;
        w[0] = T(wd[l]);
        w[1] = T(wu[l]);
      }
    }
    std::swap(prev, cur);
    loP = lo;
    hiP = hi;
  }
  for (int l = 0; l < L; ++l) values[l] = prev[(b.m - 1 - loP) * L + l];
}

}  // namespace

void sdtwForwardLanesAvx2(const LaneGroup<float>& g, const sdtw::Band& b, double* prev, double* cur, double* values) {
  forwardLanes(g, b, prev, cur, values);
}
void sdtwForwardLanesAvx2(const LaneGroup<double>& g, const sdtw::Band& b, double* prev, double* cur, double* values) {
  forwardLanes(g, b, prev, cur, values);
}

}  // namespace cpu
}  // namespace wt
