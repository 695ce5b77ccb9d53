// The soft-DTW lane kernels for AVX2 + FMA: those of sdtw_lane_kernels.h on 4-double vectors (the
// forward of 4- or 16-pair groups, one or four vectors; the backward of 4-pair groups), and a long
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
#include "sdtw_lane_kernels.h"

namespace wt {
namespace cpu {
namespace {

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
            if (i == 0 && jj == 0) {  // the start cell: R = its cost, no predecessor
              r[l] = cc[l];
              wd[l] = wu[l] = 0;
            }
            if (t.trans) {  // null: values only
              T* tr = t.trans + i * t.width * 2;
              tr[2 * k] = T(wd[l]);
              tr[2 * k + 1] = T(wu[l]);
            }
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
  backwardGroup<D4>(g, b, scratch);
}
void sdtwBackwardLanesAvx2(const BackwardLanes<double>& g, const sdtw::Band& b, std::vector<double>& scratch) {
  backwardGroup<D4>(g, b, scratch);
}
double sdtwForwardTileAvx2(const ForwardTile<float>& t, const sdtw::Band& b) { return forwardTileOf(t, b); }
double sdtwForwardTileAvx2(const ForwardTile<double>& t, const sdtw::Band& b) { return forwardTileOf(t, b); }

}  // namespace cpu
}  // namespace wt
