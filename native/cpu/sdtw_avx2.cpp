// The soft-DTW lane forward for AVX2 + FMA: four pairs per 256-bit vector of doubles, the cell
// update of kernels/sdtw_softmin.h (branch-free exp/log) vectorised across the lanes by the compiler.
// Compiled for AVX2 through a pragma (the baseline is x86-64-v2); only called after a CPU check.
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <algorithm>

#include "sdtw_lanes.h"

#pragma GCC target("avx2,fma")
// No multiply-add contraction: a lane computes bit for bit what the scalar path (and simt) computes,
// so a value never depends on which pairs share its lane group. No trapping math: the selects of
// exp's underflow and log's range reduction then become blends; FP exceptions are never read.
#pragma GCC optimize("fp-contract=off", "no-trapping-math")

// The cell update is included under the pragmas so that its selects vectorise here. Its functions
// are all always-inline (WT_HD), so no out-of-line AVX2 copy exists for another unit to pick up.
#include "../kernels/sdtw_softmin.h"

namespace wt {
namespace cpu {
namespace {

constexpr int L = kSdtwLanes;
constexpr double kInfLanes[L] = {sdtw::kInf, sdtw::kInf, sdtw::kInf, sdtw::kInf};

// One cell of all lanes (gamma > 0); a separate function so the lane loop vectorises on its own.
void softLanes(const double* __restrict c, const double* pd, const double* pu, const double* pl, double* __restrict r,
               double* __restrict wd, double* __restrict wu, double gamma, double invGamma) {
  for (int l = 0; l < L; ++l) {
    const sdtw::Cell cell = sdtw::softMinSoft(c[l], pd[l], pu[l], pl[l], gamma, invGamma);
    r[l] = cell.r;
    wd[l] = cell.wDiag;
    wu[l] = cell.wUp;
  }
}

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
      // Admissibility is the same for every lane (one geometry): an absent predecessor reads +inf
      // lanes, so the lane loops below have no branch and vectorise.
      const double* pd = j - 1 >= loP && j - 1 <= hiP ? prev + (j - 1 - loP) * L : kInfLanes;
      const double* pu = j >= loP && j <= hiP ? prev + (j - loP) * L : kInfLanes;
      const double* pl = j > lo ? cur + (k - 1) * L : kInfLanes;
      double wd[L], wu[L];
      if (g.gamma > 0) {
        softLanes(c, pd, pu, pl, r, wd, wu, g.gamma, invGamma);
      } else {
        for (int l = 0; l < L; ++l) {
          const sdtw::Cell cell = sdtw::hardMinCell(c[l], pd[l], pu[l], pl[l]);
          r[l] = cell.r;
          wd[l] = cell.wDiag;
          wu[l] = cell.wUp;
        }
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
