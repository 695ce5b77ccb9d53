// The soft-DTW lane kernels, written once over the vector width: one pair per double lane. The
// forward on K vectors of N lanes (Vec = N doubles) whose cell chains interleave, the cell update of
// kernels/sdtw_softmin.h instantiated on them; the backward's E recursion and gradients on one Vec.
// Included by sdtw_avx2.cpp (N = 4) and sdtw_avx512.cpp (N = 8) after their target pragmas, so each
// compiles it for its own ISA; everything here has internal linkage, so no out-of-line copy of one
// ISA can stand in for the other's at link time.
#pragma once
#include <stdint.h>
#include <string.h>

#include <algorithm>
#include <type_traits>
#include <vector>

#include <immintrin.h>

#include "../kernels/sdtw_softmin.h"
#include "sdtw_lanes.h"

namespace wt {
namespace cpu {
namespace {

typedef double D4 __attribute__((vector_size(32)));
typedef int64_t M4 __attribute__((vector_size(32)));

// K vectors of N lanes, each operation issued on all K in turn. The operators, choose and
// exponentScale are what the cell update of kernels/sdtw_softmin.h needs of its lane type (found by
// argument-dependent lookup).
template <class Vec>
constexpr int kWidth = int(sizeof(Vec) / sizeof(double));
template <class Vec>
using MaskOf = decltype(Vec{} < Vec{});

// A Vec at any double's alignment: the unaligned vector moves.
template <class Vec>
WT_HD Vec loadVec(const double* p) {
  typedef double Unaligned __attribute__((vector_size(sizeof(Vec)), aligned(8)));
  return *reinterpret_cast<const Unaligned*>(p);
}
template <class Vec>
WT_HD void storeVec(double* p, Vec v) {
  typedef double Unaligned __attribute__((vector_size(sizeof(Vec)), aligned(8)));
  *reinterpret_cast<Unaligned*>(p) = v;
}

template <class Vec, int K>
struct Mask {
  MaskOf<Vec> v[K];
};

template <class Vec, int K>
struct Lanes {
  Vec v[K];
  Lanes() = default;
  WT_HD explicit Lanes(double a) {
    for (int k = 0; k < K; ++k)
      for (int l = 0; l < kWidth<Vec>; ++l) v[k][l] = a;
  }
  // One vector access per vector (a single memcpy of all K would go through the stack).
  WT_HD static Lanes load(const double* p) {
    Lanes r;
    for (int k = 0; k < K; ++k) r.v[k] = loadVec<Vec>(p + kWidth<Vec> * k);
    return r;
  }
  WT_HD void store(double* p) const {
    for (int k = 0; k < K; ++k) storeVec(p + kWidth<Vec> * k, v[k]);
  }
};

#define WT_SDTW_LANE_ARITHMETIC(op)                                                       \
  template <class Vec, int K>                                                             \
  WT_HD Lanes<Vec, K> operator op(const Lanes<Vec, K>& a, const Lanes<Vec, K>& b) {       \
    Lanes<Vec, K> r;                                                                      \
    for (int k = 0; k < K; ++k) r.v[k] = a.v[k] op b.v[k];                                \
    return r;                                                                             \
  }                                                                                       \
  template <class Vec, int K>                                                             \
  WT_HD Lanes<Vec, K> operator op(const Lanes<Vec, K>& a, double b) {                     \
    Lanes<Vec, K> r;                                                                      \
    for (int k = 0; k < K; ++k) r.v[k] = a.v[k] op b;                                     \
    return r;                                                                             \
  }                                                                                       \
  template <class Vec, int K>                                                             \
  WT_HD Lanes<Vec, K> operator op(double a, const Lanes<Vec, K>& b) {                     \
    Lanes<Vec, K> r;                                                                      \
    for (int k = 0; k < K; ++k) r.v[k] = a op b.v[k];                                     \
    return r;                                                                             \
  }
WT_SDTW_LANE_ARITHMETIC(+)
WT_SDTW_LANE_ARITHMETIC(-)
WT_SDTW_LANE_ARITHMETIC(*)
WT_SDTW_LANE_ARITHMETIC(/)
#undef WT_SDTW_LANE_ARITHMETIC

#define WT_SDTW_LANE_COMPARISON(op)                                                       \
  template <class Vec, int K>                                                             \
  WT_HD Mask<Vec, K> operator op(const Lanes<Vec, K>& a, const Lanes<Vec, K>& b) {        \
    Mask<Vec, K> r;                                                                       \
    for (int k = 0; k < K; ++k) r.v[k] = a.v[k] op b.v[k];                                \
    return r;                                                                             \
  }                                                                                       \
  template <class Vec, int K>                                                             \
  WT_HD Mask<Vec, K> operator op(const Lanes<Vec, K>& a, double b) {                      \
    Mask<Vec, K> r;                                                                       \
    for (int k = 0; k < K; ++k) r.v[k] = a.v[k] op b;                                     \
    return r;                                                                             \
  }
WT_SDTW_LANE_COMPARISON(<)
WT_SDTW_LANE_COMPARISON(>=)
#undef WT_SDTW_LANE_COMPARISON

template <class Vec, int K>
WT_HD Lanes<Vec, K> choose(const Mask<Vec, K>& c, const Lanes<Vec, K>& a, const Lanes<Vec, K>& b) {
  Lanes<Vec, K> r;
  for (int k = 0; k < K; ++k) r.v[k] = c.v[k] ? a.v[k] : b.v[k];
  return r;
}

template <class Vec, int K>
WT_HD Lanes<Vec, K> exponentScale(const Lanes<Vec, K>& biased) {
  typedef uint64_t U __attribute__((vector_size(sizeof(Vec))));
  Lanes<Vec, K> r;
  for (int k = 0; k < K; ++k) {
    U bits;
    memcpy(&bits, &biased.v[k], sizeof bits);
    bits <<= 52;
    memcpy(&r.v[k], &bits, sizeof bits);
  }
  return r;
}

// Writes four lanes' (wDiag, wUp) at element offset `at` of each lane's weights, rounded to T.
WT_HD void storeWeights(float* const* trans, int64_t at, D4 wd, D4 wu) {
  const __m128 d = _mm256_cvtpd_ps(__m256d(wd)), u = _mm256_cvtpd_ps(__m256d(wu));
  const __m128 lo = _mm_unpacklo_ps(d, u), hi = _mm_unpackhi_ps(d, u);  // (d0 u0 d1 u1), (d2 u2 d3 u3)
  _mm_storel_pi(reinterpret_cast<__m64*>(trans[0] + at), lo);
  _mm_storeh_pi(reinterpret_cast<__m64*>(trans[1] + at), lo);
  _mm_storel_pi(reinterpret_cast<__m64*>(trans[2] + at), hi);
  _mm_storeh_pi(reinterpret_cast<__m64*>(trans[3] + at), hi);
}
WT_HD void storeWeights(double* const* trans, int64_t at, D4 wd, D4 wu) {
  const __m256d lo = _mm256_unpacklo_pd(__m256d(wd), __m256d(wu));  // (d0 u0 d2 u2)
  const __m256d hi = _mm256_unpackhi_pd(__m256d(wd), __m256d(wu));  // (d1 u1 d3 u3)
  _mm_storeu_pd(trans[0] + at, _mm256_castpd256_pd128(lo));
  _mm_storeu_pd(trans[1] + at, _mm256_castpd256_pd128(hi));
  _mm_storeu_pd(trans[2] + at, _mm256_extractf128_pd(lo, 1));
  _mm_storeu_pd(trans[3] + at, _mm256_extractf128_pd(hi, 1));
}

// A lane-interleaved double copy of L series ([len, D] each): out[(t * D + e) * L + l], so that a
// cell's cost reads whole vectors.
template <class T>
void interleave(const T* const* series, int L, int64_t len, int64_t D, double* out) {
  for (int64_t t = 0; t < len; ++t)
    for (int64_t e = 0; e < D; ++e)
      for (int l = 0; l < L; ++l) out[(t * D + e) * L + l] = double(series[l][t * D + e]);
}

// Cell (i, j)'s cost in every lane from the pairs' cost matrices, as MatrixCost reads it.
template <class Vec, int K, class T>
WT_HD Lanes<Vec, K> matrixCost(const ForwardLanes<T>& g, int64_t at) {
  constexpr int N = kWidth<Vec>;
  Lanes<Vec, K> c;
  for (int k = 0; k < K; ++k)
    for (int l = 0; l < N; ++l) c.v[k][l] = double(g.cost[N * k + l][at]);
  return c;
}

// A swept row's weights (lane-interleaved doubles) on their way to the L pairs' arrays, a few
// cells' worth per cell of the next row's sweep: that sweep is one long dependency chain with idle
// issue slots, which the write-out's loads, conversions and stores (and its misses to memory) fill.
// Written after the sweep, it stood alone (about 5 of the 20 ms of a taped forward at (64, 512, 8)
// band 32); spread like this, fwd+bwd runs 3-5 % faster at D = 1 and with a band. Four pairs at a
// time, pair group after pair group (q-major): the pairs' arrays often lie a multiple of 4 KiB
// apart, and all L streams at once would share (and thrash) one L1 set.
template <int L, class T>
struct PendingRow {
  const double* diag = nullptr;
  const double* up = nullptr;
  int64_t at = 0, cells = 0;  // element offset of the row in each pair's array; admissible cells
  int64_t k = 0;
  int q = L / 4;  // the pair group being written; L / 4: nothing pending
  void start(const double* d, const double* u, int64_t offset, int64_t n) {
    diag = d;
    up = u;
    at = offset;
    cells = n;
    k = 0;
    q = 0;
  }
  // Writes up to `count` cells of one pair group, then moves on.
  void write(T* const* trans, int64_t count) {
    for (; count > 0 && q < L / 4; --count) {
      storeWeights(trans + 4 * q, at + k * 2, loadVec<D4>(diag + k * L + 4 * q), loadVec<D4>(up + k * L + 4 * q));
      if (++k == cells) {
        k = 0;
        ++q;
      }
    }
  }
  void finish(T* const* trans) { write(trans, (L / 4) * cells); }
};

// The forward of N·K lanes, rows in order: R rows in `prev`/`cur` ([width][N·K] doubles), the left
// neighbour in registers, each cell's cost from the interleaved copies (summed as squaredDistance).
// A row's weights are kept lane-interleaved (two buffers: the row being swept and the one being
// written out, see PendingRow). kHard: γ = 0 (hardMinOf); kMatrix: the costs come from
// the pairs' cost matrices (g.cost) instead; kWeights: the weights are kept (g.trans set), else the
// forward computes values only (the weights' division and products drop out of the cell update).
template <class Vec, int K, bool kHard, bool kMatrix, bool kWeights, class T>
void forwardLanes(const ForwardLanes<T>& g, const sdtw::Band& b, std::vector<double>& scratch, double* values) {
  constexpr int L = kWidth<Vec> * K;
  using V = Lanes<Vec, K>;
  const int64_t D = kMatrix ? 0 : g.d, W = g.width;
  scratch.resize(size_t((6 * W + (b.n + b.m) * D) * L));
  double* prev = scratch.data();
  double* cur = prev + W * L;
  double* rowDiag = cur + W * L;
  double* rowUp = rowDiag + W * L;
  double* rowDiagOut = rowUp + W * L;
  double* rowUpOut = rowDiagOut + W * L;
  double* xs = rowUpOut + W * L;
  double* ys = xs + b.n * D * L;
  if (!kMatrix) {
    interleave(g.x, L, b.n, D, xs);
    interleave(g.y, L, b.m, D, ys);
  }
  const double invGamma = kHard ? 0.0 : 1.0 / g.gamma;
  const V inf(sdtw::kInf);
  int64_t loP = 0, hiP = -1;  // the previous row's admissible range (none above row 0)
  PendingRow<L, T> pending;
  for (int64_t i = 0; i < b.n; ++i) {
    const int64_t lo = b.lo(i), hi = b.hi(i);
    const double* xi = xs + i * D * L;
    // The previous row's write-out, spread evenly over this row's cells.
    const int64_t perCell = kWeights ? ((L / 4) * pending.cells + hi - lo) / (hi - lo + 1) : 0;
    V left = inf;
    for (int64_t j = lo; j <= hi; ++j) {
      const int64_t k = j - lo;
      const double* yj = ys + j * D * L;
      if (kWeights) pending.write(g.trans, perCell);
      V c(0.0);
      if (kMatrix) c = matrixCost<Vec, K>(g, i * g.costStride + j);
      for (int64_t e = 0; e < D; ++e) {
        const V t = V::load(xi + e * L) - V::load(yj + e * L);
        c = c + t * t;
      }
      if (i == 0 && j == 0) {
        if (kWeights) {
          V(0.0).store(rowDiag);
          V(0.0).store(rowUp);
        }
        left = c;
      } else {
        // Admissibility is the same for every lane: an absent predecessor is +inf in all of them.
        const V diag = j - 1 >= loP && j - 1 <= hiP ? V::load(prev + (j - 1 - loP) * L) : inf;
        const V up = j >= loP && j <= hiP ? V::load(prev + (j - loP) * L) : inf;
        const sdtw::CellOf<V> cell =
            kHard ? sdtw::hardMinOf(c, diag, up, left) : sdtw::softMinSoft(c, diag, up, left, g.gamma, invGamma);
        if (kWeights) {
          cell.wDiag.store(rowDiag + k * L);
          cell.wUp.store(rowUp + k * L);
        }
        left = cell.r;
      }
      left.store(cur + k * L);
    }
    if (kWeights) {
      pending.finish(g.trans);
      std::swap(rowDiag, rowDiagOut);
      std::swap(rowUp, rowUpOut);
      pending.start(rowDiagOut, rowUpOut, i * W * 2, hi - lo + 1);
    }
    std::swap(prev, cur);
    loP = lo;
    hiP = hi;
  }
  if (kWeights) pending.finish(g.trans);
  for (int l = 0; l < L; ++l) values[l] = prev[(b.m - 1 - loP) * L + l];
}

// f(std::true_type) or f(std::false_type), as b: a runtime flag made a template argument.
template <class F>
void withFlag(bool b, F&& f) {
  if (b)
    f(std::true_type{});
  else
    f(std::false_type{});
}

// The forward of a group (g.lanes pairs) in K vectors of Vec: γ = 0 or not, series or cost
// matrices, weights kept or not.
template <class Vec, int K, class T>
void forwardGroup(const ForwardLanes<T>& g, const sdtw::Band& b, std::vector<double>& scratch, double* values) {
  withFlag(g.gamma == 0, [&](auto hard) {
    withFlag(g.cost[0] != nullptr, [&](auto matrix) {
      withFlag(g.trans[0] != nullptr, [&](auto weights) {
        forwardLanes<Vec, K, decltype(hard)::value, decltype(matrix)::value, decltype(weights)::value>(g, b, scratch, values);
      });
    });
  });
}

// Reads four lanes' (wDiag, wUp) at element offset `at`: wDiag and wUp as doubles, and the left
// weight sdtw::leftWeight computes, in T as it does.
template <class Vec>
struct WeightsOf {
  Vec diag, up, left;
};
using Weights = WeightsOf<D4>;
WT_HD Weights loadWeights(const float* const* trans, int64_t at) {
  __m128 a = _mm_setzero_ps(), b = _mm_setzero_ps();
  a = _mm_loadl_pi(a, reinterpret_cast<const __m64*>(trans[0] + at));
  a = _mm_loadh_pi(a, reinterpret_cast<const __m64*>(trans[1] + at));
  b = _mm_loadl_pi(b, reinterpret_cast<const __m64*>(trans[2] + at));
  b = _mm_loadh_pi(b, reinterpret_cast<const __m64*>(trans[3] + at));
  const __m128 d = _mm_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)), u = _mm_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
  // max(w, +0) is leftWeight's `w > 0 ? w : 0` (maxps returns its second operand for -0 or equal).
  const __m128 l = _mm_max_ps(_mm_sub_ps(_mm_sub_ps(_mm_set1_ps(1.0f), d), u), _mm_setzero_ps());
  return {D4(_mm256_cvtps_pd(d)), D4(_mm256_cvtps_pd(u)), D4(_mm256_cvtps_pd(l))};
}
WT_HD Weights loadWeights(const double* const* trans, int64_t at) {
  const __m256d a = _mm256_set_m128d(_mm_loadu_pd(trans[2] + at), _mm_loadu_pd(trans[0] + at));  // (d0 u0 d2 u2)
  const __m256d b = _mm256_set_m128d(_mm_loadu_pd(trans[3] + at), _mm_loadu_pd(trans[1] + at));  // (d1 u1 d3 u3)
  const __m256d d = _mm256_unpacklo_pd(a, b), u = _mm256_unpackhi_pd(a, b);
  const __m256d l = _mm256_max_pd(_mm256_sub_pd(_mm256_sub_pd(_mm256_set1_pd(1.0), d), u), _mm256_setzero_pd());
  return {D4(d), D4(u), D4(l)};
}

// What the backward needs of a vector type beyond arithmetic: each lane's weights at `at` (from its
// pair's array) and whether a mask holds in every lane. Specialised per vector type: here for D4,
// in sdtw_avx512.cpp for 8 doubles.
template <class Vec>
struct LaneOps;
template <>
struct LaneOps<D4> {
  template <class T>
  WT_HD static Weights weights(const T* const* trans, int64_t at) {
    return loadWeights(trans, at);
  }
  WT_HD static bool all(M4 m) { return _mm256_movemask_pd(__m256d(m)) == 0xF; }
};

// The backward of N lanes (one Vec): backwardPair of sdtw.cpp (rows last to first, columns right to left,
// E's terms in the same order) with the gradient accumulation of sdtwPairsBackward, lane by lane.
// DC > 0: D = DC at compile time, and the row's x gradient stays in registers (through memory it
// would chain every cell on a store-to-load round trip); DC = 0: any D, accumulated in memory.
// kCost: the cost gradient instead (DC unused): every admissible cell's dscale·E, written as
// sdtwCostBackward's scalar sweep writes it (also where E is 0: the sign of dscale·0 is kept).
template <class Vec, int DC, bool kCost, class T>
void backwardLanes(const BackwardLanes<T>& g, const sdtw::Band& b, std::vector<double>& scratch) {
  constexpr int L = kWidth<Vec>;
  using Ops = LaneOps<Vec>;
  const int64_t D = kCost ? 0 : DC > 0 ? DC : g.d, W = g.width;
  scratch.resize(size_t((6 * W + b.n * D + 2 * b.m * D + D) * L));
  double* next = scratch.data();
  double* cur = next + W * L;
  // The weights (diag, up) of the row just swept and of the current one, lane-interleaved: each
  // cell's weights are gathered from the L pairs once, when its own row is swept.
  double* weightsNext = cur + W * L;
  double* weightsCur = weightsNext + 2 * W * L;
  double* xs = weightsCur + 2 * W * L;
  double* ys = xs + b.n * D * L;
  double* dyAcc = ys + b.m * D * L;
  double* dxRow = dyAcc + b.m * D * L;
  if (!kCost) {
    interleave(g.x, L, b.n, D, xs);
    interleave(g.y, L, b.m, D, ys);
    std::fill(dyAcc, dyAcc + b.m * D * L, 0.0);
  }
  const Vec zero = Vec{};
  Vec dscale, one;
  for (int l = 0; l < L; ++l) {
    dscale[l] = g.dscale[l];
    one[l] = 1.0;
  }
  int64_t loN = 0, hiN = -1;  // the next row's admissible range (none below row n-1)
  for (int64_t i = b.n - 1; i >= 0; --i) {
    const int64_t lo = b.lo(i), hi = b.hi(i);
    const double* xi = xs + i * D * L;
    Vec acc[DC > 0 ? DC : 1];
    for (Vec& a : acc) a = zero;
    if (DC == 0) std::fill(dxRow, dxRow + D * L, 0.0);
    Vec right = zero, rightLeftWeight = zero;  // E and left weight of (i, j+1)
    // The diagonal weight of (i+1, j+1).
    Vec nextDiagWeight = hi + 1 >= loN && hi + 1 <= hiN ? loadVec<Vec>(weightsNext + (hi + 1 - loN) * 2 * L) : zero;
    for (int64_t j = hi; j >= lo; --j) {
      const int64_t k = j - lo;
      Vec e = zero;
      if (i == b.n - 1 && j == b.m - 1) {
        e = one;
      } else {
        const bool below = j >= loN && j <= hiN;
        if (below) e += loadVec<Vec>(next + (j - loN) * L) * loadVec<Vec>(weightsNext + ((j - loN) * 2 + 1) * L);
        if (j + 1 >= loN && j + 1 <= hiN) e += loadVec<Vec>(next + (j + 1 - loN) * L) * nextDiagWeight;
        if (j < hi) e += right * rightLeftWeight;
        nextDiagWeight = below ? loadVec<Vec>(weightsNext + (j - loN) * 2 * L) : zero;
        e = e < sdtw::kMinNormalE ? zero : e;  // sdtw::flushSubnormalE
      }
      storeVec(cur + k * L, e);
      right = e;
      const WeightsOf<Vec> own = Ops::weights(g.trans, (i * W + k) * 2);
      storeVec(weightsCur + k * 2 * L, own.diag);
      storeVec(weightsCur + (k * 2 + 1) * L, own.up);
      rightLeftWeight = own.left;
      if (kCost) {
        alignas(64) double v[L];
        storeVec(v, dscale * e);
        for (int l = 0; l < L; ++l) g.dcost[l][i * g.ty + j] = T(v[l]);
        continue;
      }
      // Cells with E = 0 add nothing (as the scalar path skips them); far from the soft path E
      // underflows to 0 in whole stretches, which are skipped outright.
      const MaskOf<Vec> none = e == zero;
      if (Ops::all(none)) continue;
      double* dyj = dyAcc + j * D * L;
      const double* yj = ys + j * D * L;
      for (int64_t c = 0; c < D; ++c) {
        const Vec t = e * (loadVec<Vec>(xi + c * L) - loadVec<Vec>(yj + c * L));
        const Vec add = none ? zero : t;
        if (DC > 0)
          acc[DC > 0 ? c : 0] += add;
        else
          storeVec(dxRow + c * L, loadVec<Vec>(dxRow + c * L) + add);
        storeVec(dyj + c * L, loadVec<Vec>(dyj + c * L) - add);
      }
    }
    if (!kCost) {
      if (DC > 0)
        for (int64_t c = 0; c < D; ++c) storeVec(dxRow + c * L, acc[DC > 0 ? c : 0]);
      for (int64_t c = 0; c < D; ++c)
        for (int l = 0; l < L; ++l) g.dx[l][i * D + c] = T(2.0 * dxRow[c * L + l]);
    }
    std::swap(next, cur);
    std::swap(weightsNext, weightsCur);
    loN = lo;
    hiN = hi;
  }
  if (kCost) return;
  for (int l = 0; l < L; ++l) {
    std::fill(g.dx[l] + b.n * D, g.dx[l] + g.tx * D, T(0));
    for (int64_t t = 0; t < b.m * D; ++t) g.dy[l][t] = T(2.0 * dyAcc[t * L + l]);
    std::fill(g.dy[l] + b.m * D, g.dy[l] + g.ty * D, T(0));
  }
}

// The backward of a group of kWidth<Vec> pairs: the cost gradient, or the pair gradients with D
// at compile time for 1, 2, 3, 4 and 8.
template <class Vec, class T>
void backwardGroup(const BackwardLanes<T>& g, const sdtw::Band& b, std::vector<double>& scratch) {
  if (g.dcost[0] != nullptr) return backwardLanes<Vec, 0, true>(g, b, scratch);
  switch (g.d) {
    case 1: return backwardLanes<Vec, 1, false>(g, b, scratch);
    case 2: return backwardLanes<Vec, 2, false>(g, b, scratch);
    case 3: return backwardLanes<Vec, 3, false>(g, b, scratch);
    case 4: return backwardLanes<Vec, 4, false>(g, b, scratch);
    case 8: return backwardLanes<Vec, 8, false>(g, b, scratch);
    default: return backwardLanes<Vec, 0, false>(g, b, scratch);
  }
}


}  // namespace
}  // namespace cpu
}  // namespace wt
