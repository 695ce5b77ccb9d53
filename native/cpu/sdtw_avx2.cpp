// The soft-DTW lane kernels for AVX2 + FMA: the forward of sdtw_forward_lanes.h on 4- or 16-lane
// groups (one or four 4-double vectors), the backward's E recursion in four lanes, and a long
// pair's forward tile with its rows in lanes. Compiled for AVX2 through a pragma (the baseline is
// x86-64-v2); only called after a CPU check.
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <algorithm>
#include <vector>

#include "sdtw_lanes.h"

#pragma GCC target("avx2,fma")
// No multiply-add contraction: a lane computes bit for bit what the scalar path (and simt) computes,
// so a value never depends on which pairs share its lane group. No trapping math: the selects of
// exp's underflow and log's range reduction then become blends; FP exceptions are never read.
#pragma GCC optimize("fp-contract=off", "no-trapping-math")

// The forward, its cell update and the lane vocabulary are included under the pragmas so that they
// compile to AVX2 here. The cell update's functions are all always-inline (WT_HD), and the rest has
// internal linkage, so no out-of-line AVX2 copy exists for another unit to pick up.
#include "sdtw_forward_lanes.h"

namespace wt {
namespace cpu {
namespace {

// Reads four lanes' (wDiag, wUp) at element offset `at`: wDiag and wUp as doubles, and the left
// weight sdtw::leftWeight computes, in T as it does.
struct Weights {
  D4 diag, up, left;
};
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

// The backward of four lanes: backwardPair of sdtw.cpp (rows last to first, columns right to left,
// E's terms in the same order) with the gradient accumulation of sdtwPairsBackward, lane by lane.
// DC > 0: D = DC at compile time, and the row's x gradient stays in registers (through memory it
// would chain every cell on a store-to-load round trip); DC = 0: any D, accumulated in memory.
// kCost: the cost gradient instead (DC unused): every admissible cell's dscale·E, written as
// sdtwCostBackward's scalar sweep writes it (also where E is 0: the sign of dscale·0 is kept).
template <int DC, bool kCost, class T>
void backwardLanes(const BackwardLanes<T>& g, const sdtw::Band& b, std::vector<double>& scratch) {
  constexpr int L = kSdtwLanes;
  const int64_t D = kCost ? 0 : DC > 0 ? DC : g.d, W = g.width;
  scratch.resize(size_t((6 * W + b.n * D + 2 * b.m * D + D) * L));
  double* next = scratch.data();
  double* cur = next + W * L;
  // The weights (diag, up) of the row just swept and of the current one, lane-interleaved: each
  // cell's weights are gathered from the four pairs once, when its own row is swept.
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
  const D4 zero = {0, 0, 0, 0};
  const D4 dscale = {g.dscale[0], g.dscale[1], g.dscale[2], g.dscale[3]};
  int64_t loN = 0, hiN = -1;  // the next row's admissible range (none below row n-1)
  for (int64_t i = b.n - 1; i >= 0; --i) {
    const int64_t lo = b.lo(i), hi = b.hi(i);
    const double* xi = xs + i * D * L;
    D4 acc[DC > 0 ? DC : 1];
    for (D4& a : acc) a = zero;
    if (DC == 0) std::fill(dxRow, dxRow + D * L, 0.0);
    D4 right = zero, rightLeftWeight = zero;  // E and left weight of (i, j+1)
    // The diagonal weight of (i+1, j+1).
    D4 nextDiagWeight = hi + 1 >= loN && hi + 1 <= hiN ? load(weightsNext + (hi + 1 - loN) * 2 * L) : zero;
    for (int64_t j = hi; j >= lo; --j) {
      const int64_t k = j - lo;
      D4 e = zero;
      if (i == b.n - 1 && j == b.m - 1) {
        e = D4{1, 1, 1, 1};
      } else {
        const bool below = j >= loN && j <= hiN;
        if (below) e += load(next + (j - loN) * L) * load(weightsNext + ((j - loN) * 2 + 1) * L);
        if (j + 1 >= loN && j + 1 <= hiN) e += load(next + (j + 1 - loN) * L) * nextDiagWeight;
        if (j < hi) e += right * rightLeftWeight;
        nextDiagWeight = below ? load(weightsNext + (j - loN) * 2 * L) : zero;
        e = e < sdtw::kMinNormalE ? zero : e;  // sdtw::flushSubnormalE
      }
      store(cur + k * L, e);
      right = e;
      const Weights own = loadWeights(g.trans, (i * W + k) * 2);
      store(weightsCur + k * 2 * L, own.diag);
      store(weightsCur + (k * 2 + 1) * L, own.up);
      rightLeftWeight = own.left;
      if (kCost) {
        alignas(32) double v[L];
        store(v, dscale * e);
        for (int l = 0; l < L; ++l) g.dcost[l][i * g.ty + j] = T(v[l]);
        continue;
      }
      // Cells with E = 0 add nothing (as the scalar path skips them); far from the soft path E
      // underflows to 0 in whole stretches, which are skipped outright.
      const M4 none = e == zero;
      if (_mm256_movemask_pd(__m256d(none)) == 0xF) continue;
      double* dyj = dyAcc + j * D * L;
      const double* yj = ys + j * D * L;
      for (int64_t c = 0; c < D; ++c) {
        const D4 t = e * (load(xi + c * L) - load(yj + c * L));
        const D4 add = none ? zero : t;
        if (DC > 0)
          acc[DC > 0 ? c : 0] += add;
        else
          store(dxRow + c * L, load(dxRow + c * L) + add);
        store(dyj + c * L, load(dyj + c * L) - add);
      }
    }
    if (!kCost) {
      if (DC > 0)
        for (int64_t c = 0; c < D; ++c) store(dxRow + c * L, acc[DC > 0 ? c : 0]);
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

template <class T>
void backward(const BackwardLanes<T>& g, const sdtw::Band& b, std::vector<double>& scratch) {
  if (g.dcost[0] != nullptr) return backwardLanes<0, true>(g, b, scratch);
  switch (g.d) {
    case 1: return backwardLanes<1, false>(g, b, scratch);
    case 2: return backwardLanes<2, false>(g, b, scratch);
    case 3: return backwardLanes<3, false>(g, b, scratch);
    case 4: return backwardLanes<4, false>(g, b, scratch);
    case 8: return backwardLanes<8, false>(g, b, scratch);
    default: return backwardLanes<0, false>(g, b, scratch);
  }
}

template <class T>
void forward(const ForwardLanes<T>& g, const sdtw::Band& b, std::vector<double>& scratch, double* values) {
  if (g.lanes == kSdtwWideLanes)
    forwardGroup<D4, kSdtwWideLanes / 4>(g, b, scratch, values);
  else
    forwardGroup<D4, 1>(g, b, scratch, values);
}

// Lanes (x, v0, v1, v2): each lane takes its left neighbour's value (lane l − 1's row is the row
// above lane l's), lane 0 the value from outside.
WT_HD Lanes<D4, 1> shiftIn(const Lanes<D4, 1>& v, double x) {
  Lanes<D4, 1> r;
  r.v[0] = D4(_mm256_permute4x64_pd(__m256d(v.v[0]), _MM_SHUFFLE(2, 1, 0, 0)));
  r.v[0][0] = x;
  return r;
}
WT_HD Mask<D4, 1> operator&(const Mask<D4, 1>& a, const Mask<D4, 1>& b) { return Mask<D4, 1>{{a.v[0] & b.v[0]}}; }
WT_HD Mask<D4, 1> operator|(const Mask<D4, 1>& a, const Mask<D4, 1>& b) { return Mask<D4, 1>{{a.v[0] | b.v[0]}}; }
WT_HD Mask<D4, 1> operator<=(const Lanes<D4, 1>& a, const Lanes<D4, 1>& b) { return Mask<D4, 1>{{a.v[0] <= b.v[0]}}; }
WT_HD Mask<D4, 1> operator>(const Lanes<D4, 1>& a, const Lanes<D4, 1>& b) { return Mask<D4, 1>{{a.v[0] > b.v[0]}}; }
WT_HD int bits(const Mask<D4, 1>& m) { return _mm256_movemask_pd(_mm256_castsi256_pd(__m256i(m.v[0]))); }

template <bool kHard, class T>
double forwardTile(const ForwardTile<T>& t, const sdtw::Band& b) {
  using V = Lanes<D4, 1>;
  const double inf = sdtw::kInf;
  const double invGamma = kHard ? 0.0 : 1.0 / t.gamma;
  const int64_t i0 = t.i0, i1 = t.i1, j0 = t.j0, w = t.w;
  // row[c]: column j0 − 1 + c of the row above the current four (the scalar tile's `prev`).
  double row[kSdtwTileCols + 1];
  {
    const int64_t loT = i0 > 0 ? b.lo(i0 - 1) : 0, hiT = i0 > 0 ? b.hi(i0 - 1) : -1;
    for (int64_t c = 0; c <= w; ++c) {
      const int64_t j = j0 - 1 + c;
      row[c] = j >= loT && j <= hiT ? t.top[j - loT] : inf;
    }
  }
  const V first = V(double(j0)), last = V(double(j0 + w - 1));
  for (int64_t iq = i0; iq < i1; iq += 4) {
    const int rows = int(std::min<int64_t>(4, i1 - iq));
    // Per lane: its row's range, the range of the row above, and its value left of the tile.
    alignas(32) double lo[4], hi[4], loP[4], hiP[4], start[4];
    for (int l = 0; l < 4; ++l) {
      const int64_t i = iq + l;
      if (l < rows) {
        lo[l] = double(b.lo(i));
        hi[l] = double(b.hi(i));
        loP[l] = i > 0 ? double(b.lo(i - 1)) : 0.0;
        hiP[l] = i > 0 ? double(b.hi(i - 1)) : -1.0;
        start[l] = t.left && j0 - 1 >= b.lo(i) ? t.edgeCol[i] : inf;
      } else {  // below the tile: never admissible
        lo[l] = 1.0;
        hi[l] = 0.0;
        loP[l] = 0.0;
        hiP[l] = -1.0;
        start[l] = inf;
      }
    }
    const V loV = V::load(lo), hiV = V::load(hi), loPV = V::load(loP), hiPV = V::load(hiP);
    const V one(1.0), infV(inf);
    // Each lane's latest value (the left neighbour of its next cell), and the same one and two
    // steps back (lane l − 1's up and diagonal neighbours of lane l).
    V cur = V::load(start), back1 = cur, back2 = cur;
    alignas(32) double jl[4] = {double(j0), double(j0 - 1), double(j0 - 2), double(j0 - 3)};
    V j = V::load(jl);
    const int steps = int(w) + rows - 1;
    // Lane 0's neighbours in the row above: up at column j0 + s is row[s + 1], its diagonal the up
    // of the step before (read then, since the last lane overwrites `row` behind lane 0).
    double diag0 = row[0];
    for (int s = 0; s < steps; ++s) {
      // Lane 0 reads the row above from `row`; lane l > 0 the cells lane l − 1 computed.
      const double up0 = row[s + 1 <= w ? s + 1 : w];
      const V upRaw = shiftIn(back1, up0);
      const V diagRaw = shiftIn(back2, diag0);
      diag0 = up0;
      const auto valid = (j >= first) & (j <= last) & (j >= loV) & (j <= hiV);
      const int live = bits(valid);
      V next = cur;
      if (live != 0) {
        const V jm = j - one;
        const V diag = choose((jm >= loPV) & (jm <= hiPV), diagRaw, infV);
        const V up = choose((j >= loPV) & (j <= hiPV), upRaw, infV);
        const V left = choose(j > loV, cur, infV);
        alignas(32) double cc[4] = {0, 0, 0, 0};
        for (int l = 0; l < 4; ++l)
          if (live >> l & 1) {
            const int64_t i = iq + l, jj = j0 + s - l;
            cc[l] = t.cost ? double(t.cost[i * t.costStride + jj]) : sdtw::squaredDistance(t.x + i * t.d, t.y + jj * t.d, t.d);
          }
        const V c = V::load(cc);
        const sdtw::CellOf<V> cell = kHard ? sdtw::hardMinOf(c, diag, up, left) : sdtw::softMinSoft(c, diag, up, left, t.gamma, invGamma);
        alignas(32) double r[4], wd[4], wu[4];
        cell.r.store(r);
        cell.wDiag.store(wd);
        cell.wUp.store(wu);
        for (int l = 0; l < 4; ++l)
          if (live >> l & 1) {
            const int64_t i = iq + l, jj = j0 + s - l, k = jj - int64_t(lo[l]);
            T* tr = t.trans + i * t.width * 2;
            if (i == 0 && jj == 0) {  // the start cell: R = its cost, no predecessor
              r[l] = cc[l];
              wd[l] = wu[l] = 0;
            }
            tr[2 * k] = T(wd[l]);
            tr[2 * k + 1] = T(wu[l]);
          }
        next = choose(valid, V::load(r), cur);
      }
      // Inside the tile but outside the band: +inf, as the scalar tile stores there.
      next = choose((j >= first) & (j <= last) & ((j < loV) | (j > hiV)), infV, next);
      // The last row of the four hands its cells to the next four (entry 0: its left edge).
      const int lastLane = rows - 1;
      const int64_t jLast = j0 + s - lastLane;
      if (s == 0) row[0] = start[lastLane];
      if (jLast >= j0 && jLast < j0 + w) {
        alignas(32) double nv[4];
        next.store(nv);
        row[jLast - j0 + 1] = nv[lastLane];
      }
      back2 = back1;
      back1 = next;
      cur = next;
      j = j + one;
    }
    alignas(32) double fin[4];
    cur.store(fin);
    for (int l = 0; l < rows; ++l) t.edgeCol[iq + l] = fin[l];
  }
  const int64_t loB = b.lo(i1 - 1), hiB = b.hi(i1 - 1);
  for (int64_t jj = std::max(j0, loB); jj <= std::min(j0 + w - 1, hiB); ++jj) t.bottom[jj - loB] = row[jj - j0 + 1];
  return row[w];
}

template <class T>
double forwardTileOf(const ForwardTile<T>& t, const sdtw::Band& b) {
  return t.gamma == 0 ? forwardTile<true>(t, b) : forwardTile<false>(t, b);
}

}  // namespace

void sdtwForwardLanesAvx2(const ForwardLanes<float>& g, const sdtw::Band& b, std::vector<double>& scratch,
                          double* values) {
  forward(g, b, scratch, values);
}
void sdtwForwardLanesAvx2(const ForwardLanes<double>& g, const sdtw::Band& b, std::vector<double>& scratch,
                          double* values) {
  forward(g, b, scratch, values);
}
void sdtwBackwardLanesAvx2(const BackwardLanes<float>& g, const sdtw::Band& b, std::vector<double>& scratch) {
  backward(g, b, scratch);
}
void sdtwBackwardLanesAvx2(const BackwardLanes<double>& g, const sdtw::Band& b, std::vector<double>& scratch) {
  backward(g, b, scratch);
}
double sdtwForwardTileAvx2(const ForwardTile<float>& t, const sdtw::Band& b) { return forwardTileOf(t, b); }
double sdtwForwardTileAvx2(const ForwardTile<double>& t, const sdtw::Band& b) { return forwardTileOf(t, b); }

}  // namespace cpu
}  // namespace wt
