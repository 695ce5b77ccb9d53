// CPU schedules of the soft-DTW family: threads across pair groups; pairs of one geometry run in
// AVX2 lanes (sdtw_avx2.cpp: forward 16 or 4 pairs, backward 4; with AVX-512 also forward groups
// of 32 and backward groups of 8, sdtw_avx512.cpp) where the CPU has it, other pairs
// one at a time; with fewer pairs than threads (with AVX2: than a lane group), each long pair in
// tiles across all of them, the forward tiles' rows in lanes (sdtw_tiles.h). Each pair's DP runs row by row inside its band (kernels/sdtw_band.h), the cell
// update from kernels/sdtw_softmin.h.
#include <algorithm>
#include <atomic>
#include <memory>
#include <vector>

#include "../kernels/sdtw_band.h"
#include "../kernels/sdtw_softmin.h"
#include "dispatch.h"
#include "kernels.h"
#include "sdtw_lanes.h"
#include "thread_pool.h"

namespace wt {
namespace cpu {
namespace {

using sdtw::Band;

// The packed index of ops.def: `pairs` (2P entries, or none), then N lengths of x, M of y.
struct PairIndex {
  const int32_t* pairs;
  const int32_t* lx;
  const int32_t* ly;
  int64_t xi(int64_t q) const { return pairs == nullptr ? q : pairs[2 * q]; }
  int64_t yj(int64_t q) const { return pairs == nullptr ? q : pairs[2 * q + 1]; }
  Band band(int64_t q, int64_t r) const { return Band::make(lx[xi(q)], ly[yj(q)], r); }
};

void checkLengths(const int32_t* len, int64_t count, int64_t limit, const char* op, const char* what) {
  for (int64_t k = 0; k < count; ++k)
    if (len[k] < 1 || len[k] > limit)
      fail(WT_E_RANGE, op, ": ", what, "[", k, "] = ", len[k], " is outside [1, ", limit, "]");
}

// Checks the index (pairs in range, lengths in [1, T]) and that every admissible row of every pair
// fits the stored width (the facade sizes it from the shortest lengthsX).
PairIndex readIndex(const wt_view& v, int64_t pairs, int64_t N, int64_t M, int64_t tx, int64_t ty,
                    const wt_sdtw_params& p, const char* op) {
  const int32_t* base = static_cast<const int32_t*>(v.data);
  const int64_t p2 = v.shape[0] - N - M;
  const PairIndex ix{p2 > 0 ? base : nullptr, base + p2, base + p2 + N};
  for (int64_t q = 0; q < p2 / 2; ++q)
    if (base[2 * q] < 0 || base[2 * q] >= N || base[2 * q + 1] < 0 || base[2 * q + 1] >= M)
      fail(WT_E_RANGE, op, ": pair ", q, " = (", base[2 * q], ", ", base[2 * q + 1], ") is outside [0, ", N, ") x [0, ", M,
           ")");
  checkLengths(ix.lx, N, tx, op, "lengthsX");
  checkLengths(ix.ly, M, ty, op, "lengthsY");
  int64_t checkedN = -1, checkedM = -1;  // pairs of one geometry share their band: check it once
  for (int64_t q = 0; q < pairs; ++q) {
    const Band b = ix.band(q, p.band);
    if (b.n == checkedN && b.m == checkedM) continue;
    checkedN = b.n;
    checkedM = b.m;
    for (int64_t i = 0; i < b.n; ++i)
      if (b.hi(i) - b.lo(i) + 1 > p.width)
        fail(WT_E_RANGE, op, ": band row ", i, " of the ", b.n, " x ", b.m, " pair ", q, " spans ", b.hi(i) - b.lo(i) + 1,
             " columns; the stored width is ", p.width);
  }
  return ix;
}

// Squared Euclidean cost between x_i and y_j, in double.
template <class T>
struct EuclideanCost {
  const T* x;
  const T* y;
  int64_t d;
  double operator()(int64_t i, int64_t j) const { return sdtw::squaredDistance(x + i * d, y + j * d, d); }
};

template <class T>
struct MatrixCost {
  const T* c;
  int64_t ty;
  double operator()(int64_t i, int64_t j) const { return double(c[i * ty + j]); }
};

// The series or the cost matrix of a pair, for the AVX2 tile kernel (sdtw_lanes.h).
template <class T>
ForwardTile<T> tileInputs(const EuclideanCost<T>& c) {
  ForwardTile<T> t{};
  t.x = c.x;
  t.y = c.y;
  t.d = c.d;
  return t;
}
template <class T>
ForwardTile<T> tileInputs(const MatrixCost<T>& c) {
  ForwardTile<T> t{};
  t.cost = c.c;
  t.costStride = c.ty;
  return t;
}

// The forward DP of one pair, rows in order, R in double (two rows: `prev`, `cur`, each `width`
// long); writes the transition weights of every admissible cell (unless trans is null: a forward
// nobody differentiates) and returns R[n-1, m-1].
template <class T, class Cost>
double forwardPair(const Band& b, int64_t width, double gamma, const Cost& cost, T* trans, double* prev, double* cur) {
  const double invGamma = gamma > 0 ? 1.0 / gamma : 0.0;
  int64_t loP = 0, hiP = -1;  // the previous row's admissible range (none above row 0)
  for (int64_t i = 0; i < b.n; ++i) {
    const int64_t lo = b.lo(i), hi = b.hi(i);
    T* tr = trans ? trans + i * width * 2 : nullptr;
    for (int64_t j = lo; j <= hi; ++j) {
      const double c = cost(i, j);
      const int64_t k = j - lo;
      if (i == 0 && j == 0) {
        cur[0] = c;
        if (tr) tr[0] = tr[1] = T(0);
        continue;
      }
      const double diag = j - 1 >= loP && j - 1 <= hiP ? prev[j - 1 - loP] : sdtw::kInf;
      const double up = j >= loP && j <= hiP ? prev[j - loP] : sdtw::kInf;
      const double left = j > lo ? cur[k - 1] : sdtw::kInf;
      const sdtw::Cell cell = sdtw::softMinCell(c, diag, up, left, gamma, invGamma);
      cur[k] = cell.r;
      if (tr) {
        tr[2 * k] = T(cell.wDiag);
        tr[2 * k + 1] = T(cell.wUp);
      }
    }
    std::swap(prev, cur);
    loP = lo;
    hiP = hi;
  }
  return prev[b.m - 1 - loP];
}

// The backward E recursion of one pair, rows from last to first and columns from right to left:
// E[i, j] = sum over the admissible successors s of E[s] times the weight s drew on (i, j).
// sink(i, j, E) is called once per admissible cell.
template <class T, class Sink>
void backwardPair(const Band& b, int64_t width, const T* trans, double* next, double* cur, Sink&& sink) {
  int64_t loN = 0, hiN = -1;  // the next row's admissible range (none below row n-1)
  for (int64_t i = b.n - 1; i >= 0; --i) {
    const int64_t lo = b.lo(i), hi = b.hi(i);
    const T* tr = trans + i * width * 2;
    const T* trN = trans + (i + 1) * width * 2;
    for (int64_t j = hi; j >= lo; --j) {
      const int64_t k = j - lo;
      double e = 0;
      if (i == b.n - 1 && j == b.m - 1) {
        e = 1;
      } else {
        if (j >= loN && j <= hiN) e += next[j - loN] * double(trN[2 * (j - loN) + 1]);
        if (j + 1 >= loN && j + 1 <= hiN) e += next[j + 1 - loN] * double(trN[2 * (j + 1 - loN)]);
        if (j < hi) e += cur[k + 1] * double(sdtw::leftWeight(tr[2 * (k + 1)], tr[2 * (k + 1) + 1]));
        e = sdtw::flushSubnormalE(e);
      }
      cur[k] = e;
      sink(i, j, e);
    }
    std::swap(next, cur);
    loN = lo;
    hiN = hi;
  }
}

#include "sdtw_tiles.h"

// Whether pairs [q0, q1) can share lanes: a full group of one geometry.
bool laneGroup(const PairIndex& ix, int64_t q0, int64_t q1, int64_t lanes, const wt_sdtw_params& p) {
  if (!cpuHasAvx2Fma() || q1 - q0 != lanes) return false;
  const Band b0 = ix.band(q0, p.band);
  for (int64_t q = q0 + 1; q < q1; ++q) {
    const Band b = ix.band(q, p.band);
    if (b.n != b0.n || b.m != b0.m) return false;
  }
  return true;
}

// Fewer pairs than threads, or (with AVX2) than a lane group, each long enough to split: then every
// pair runs in tiles on all the threads, its rows in lanes inside each tile (otherwise threads take
// whole pairs or lane groups, and short pairs keep their lanes).
bool tilePairs(const PairIndex& ix, int64_t P, const wt_sdtw_params& p) {
  if (P >= std::max<int64_t>(numThreads(), cpuHasAvx2Fma() ? kSdtwLanes : 1)) return false;
  for (int64_t q = 0; q < P; ++q)
    if (!wantTiles(ix.band(q, p.band))) return false;
  return true;
}

struct Scratch {
  std::vector<double> a, b;  // backwardPair's / forwardPair's two DP rows
  std::vector<double> acc;   // pairGradients' accumulators
  explicit Scratch(int64_t width) : a(width), b(width) {}
};

// A pair's gradients from its backward sweep: sweep(sink) calls sink(i, j, E) per admissible cell
// (backwardPair or backwardPairTiled); dx[i], dy[j] accumulate 2·E·(x_i − y_j) in double in the
// sweep's order (a row's cells right to left, a column's bottom to top), zero beyond the lengths.
template <class T, class Sweep>
void pairGradients(const Band& b, const T* x, const T* y, int64_t D, int64_t tx, int64_t ty, T* dx, T* dy,
                   std::vector<double>& acc, Sweep&& sweep) {
  acc.assign(size_t((tx + ty) * D), 0.0);
  double* dxAcc = acc.data();
  double* dyAcc = dxAcc + tx * D;
  sweep([&](int64_t i, int64_t j, double e) {
    if (e == 0) return;  // adds nothing (and E underflows to 0 in long stretches)
    for (int64_t k = 0; k < D; ++k) {
      const double diff = double(x[i * D + k]) - double(y[j * D + k]);
      dxAcc[i * D + k] += e * diff;
      dyAcc[j * D + k] -= e * diff;
    }
  });
  for (int64_t k = 0; k < tx * D; ++k) dx[k] = k < b.n * D ? T(2.0 * dxAcc[k]) : T(0);
  for (int64_t k = 0; k < ty * D; ++k) dy[k] = k < b.m * D ? T(2.0 * dyAcc[k]) : T(0);
}

// The index in `widths` (lane widths, widest first) of the widest that still gives every thread a
// group of the P pairs, else of the last.
size_t widestForThreads(const std::vector<int>& widths, int64_t P) {
  size_t w = 0;
  while (w + 1 < widths.size() && (P + widths[w] - 1) / widths[w] < numThreads()) ++w;
  return w;
}

// Pairs [q0, q1) in lane groups of widths[w] (lanes(a, width)), narrower inside a group whose pairs
// do not share a geometry, at last one at a time (single(q)).
template <class Lanes, class Single>
void sweepGroups(const PairIndex& ix, const wt_sdtw_params& p, const std::vector<int>& widths, int64_t q0,
                 int64_t q1, size_t w, Lanes&& lanes, Single&& single) {
  for (int64_t a = q0; a < q1; a += widths[w]) {
    const int64_t b = std::min(q1, a + widths[w]);
    if (laneGroup(ix, a, b, widths[w], p))
      lanes(a, widths[w]);
    else if (w + 1 < widths.size())
      sweepGroups(ix, p, widths, a, b, w + 1, lanes, single);
    else
      for (int64_t q = a; q < b; ++q) single(q);
  }
}

// A forward's weights output, or null when it keeps none (n_out = 1: values only, see ops.def).
template <class T>
T* forwardWeights(const wt_op& op) {
  return op.n_out > 1 ? static_cast<T*>(op.out[1].data) : nullptr;
}

// Pair q's [tx, width, 2] weights in a forward's output, or null when the forward keeps none.
template <class T>
T* pairWeights(T* trans, int64_t q, int64_t tx, int64_t width) {
  return trans ? trans + q * tx * width * 2 : nullptr;
}

// The forward of pairs [0, P) over the pool in lane groups: the widest of 32 (AVX-512), 16 and 4
// pairs that still gives every thread a group; a group that does not share one geometry falls back
// to the next narrower width inside it, at last to single pairs. A lane computes what the
// single-pair path computes, bit for bit. fill(g, l, q) puts pair q into lane l of g (its inputs
// and weights); single(q, scratch) returns pair q's value from the one-pair sweep.
template <class T, class Fill, class Single>
void forwardGroups(const PairIndex& ix, int64_t P, const wt_sdtw_params& p, T* values, Fill&& fill, Single&& single) {
  std::vector<int> widths;
  if (cpuHasAvx512()) widths.push_back(kSdtwWidestLanes);
  widths.push_back(kSdtwWideLanes);
  widths.push_back(kSdtwLanes);
  const size_t top = widestForThreads(widths, P);
  const int64_t span = widths[top];
  parallelFor((P + span - 1) / span, 1, [&](int64_t first, int64_t last) {
    Scratch s(p.width);
    std::vector<double> laneScratch;
    auto lanes = [&](int64_t q0, int lanes) {
      ForwardLanes<T> g{};
      g.lanes = lanes;
      for (int l = 0; l < lanes; ++l) fill(g, l, q0 + l);
      g.width = p.width;
      g.gamma = p.gamma;
      double v[kSdtwWidestLanes];
      if (lanes == kSdtwWidestLanes)
        sdtwForwardLanesAvx512(g, ix.band(q0, p.band), laneScratch, v);
      else
        sdtwForwardLanesAvx2(g, ix.band(q0, p.band), laneScratch, v);
      for (int l = 0; l < lanes; ++l) values[q0 + l] = T(v[l]);
    };
    auto one = [&](int64_t q) { values[q] = T(single(q, s)); };
    for (int64_t grp = first; grp < last; ++grp)
      sweepGroups(ix, p, widths, grp * span, std::min(P, (grp + 1) * span), top, lanes, one);
  });
}

// The backward of pairs [0, P) over the pool: groups of 8 pairs (AVX-512) or 4 in lanes where they
// share a geometry (8 only while that still gives every thread a group), else one pair at a time.
// fill(g, l, q) puts pair q into lane l of g; single(q, scratch) runs pair q's one-pair sweep.
template <class T, class Fill, class Single>
void backwardGroups(const PairIndex& ix, int64_t P, const wt_sdtw_params& p, int64_t tx, int64_t ty, Fill&& fill,
                    Single&& single) {
  std::vector<int> widths;
  if (cpuHasAvx512()) widths.push_back(kSdtwWideBackwardLanes);
  widths.push_back(kSdtwLanes);
  const size_t top = widestForThreads(widths, P);
  const int64_t span = widths[top];
  parallelFor((P + span - 1) / span, 1, [&](int64_t first, int64_t last) {
    Scratch s(p.width);
    std::vector<double> laneScratch;
    auto lanes = [&](int64_t q0, int lanes) {
      BackwardLanes<T> g{};
      for (int l = 0; l < lanes; ++l) fill(g, l, q0 + l);
      g.width = p.width;
      g.tx = tx;
      g.ty = ty;
      if (lanes == kSdtwWideBackwardLanes)
        sdtwBackwardLanesAvx512(g, ix.band(q0, p.band), laneScratch);
      else
        sdtwBackwardLanesAvx2(g, ix.band(q0, p.band), laneScratch);
    };
    auto one = [&](int64_t q) { single(q, s); };
    for (int64_t grp = first; grp < last; ++grp)
      sweepGroups(ix, p, widths, grp * span, std::min(P, (grp + 1) * span), top, lanes, one);
  });
}

}  // namespace

void sdtwPairs(const wt_op& op, const wt_sdtw_params& p) {
  const int64_t N = op.in[0].shape[0], tx = op.in[0].shape[1], D = op.in[0].shape[2];
  const int64_t M = op.in[1].shape[0], ty = op.in[1].shape[1], P = op.out[0].shape[0];
  const PairIndex ix = readIndex(op.in[2], P, N, M, tx, ty, p, "sdtw_pairs");
  visitFloat(op.in[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* X = static_cast<const T*>(op.in[0].data);
    const T* Y = static_cast<const T*>(op.in[1].data);
    T* values = static_cast<T*>(op.out[0].data);
    T* trans = forwardWeights<T>(op);
    if (tilePairs(ix, P, p)) {
      for (int64_t q = 0; q < P; ++q) {
        const EuclideanCost<T> cost{X + ix.xi(q) * tx * D, Y + ix.yj(q) * ty * D, D};
        values[q] = T(forwardPairTiled(ix.band(q, p.band), p.width, p.gamma, cost, pairWeights(trans, q, tx, p.width)));
      }
      return;
    }
    forwardGroups(ix, P, p, values, [&](ForwardLanes<T>& g, int l, int64_t q) {
      g.x[l] = X + ix.xi(q) * tx * D;
      g.y[l] = Y + ix.yj(q) * ty * D;
      g.trans[l] = pairWeights(trans, q, tx, p.width);
      g.d = D;
    }, [&](int64_t q, Scratch& s) {
      const EuclideanCost<T> cost{X + ix.xi(q) * tx * D, Y + ix.yj(q) * ty * D, D};
      return forwardPair(ix.band(q, p.band), p.width, p.gamma, cost, pairWeights(trans, q, tx, p.width), s.a.data(), s.b.data());
    });
  });
}

void sdtwPairsBackward(const wt_op& op, const wt_sdtw_params& p) {
  const int64_t N = op.in[0].shape[0], tx = op.in[0].shape[1], D = op.in[0].shape[2];
  const int64_t M = op.in[1].shape[0], ty = op.in[1].shape[1], P = op.out[0].shape[0];
  const PairIndex ix = readIndex(op.in[2], P, N, M, tx, ty, p, "sdtw_pairs_backward");
  visitFloat(op.in[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* X = static_cast<const T*>(op.in[0].data);
    const T* Y = static_cast<const T*>(op.in[1].data);
    const T* trans = static_cast<const T*>(op.in[3].data);
    T* dX = static_cast<T*>(op.out[0].data);
    T* dY = static_cast<T*>(op.out[1].data);
    if (tilePairs(ix, P, p)) {
      std::vector<double> acc;
      for (int64_t q = 0; q < P; ++q) {
        const Band b = ix.band(q, p.band);
        const T* tr = trans + q * tx * p.width * 2;
        pairGradients(b, X + ix.xi(q) * tx * D, Y + ix.yj(q) * ty * D, D, tx, ty, dX + q * tx * D, dY + q * ty * D, acc,
                      [&](auto&& sink) { backwardPairTiled(b, p.width, tr, sink); });
      }
      return;
    }
    backwardGroups<T>(ix, P, p, tx, ty, [&](BackwardLanes<T>& g, int l, int64_t q) {
      g.x[l] = X + ix.xi(q) * tx * D;
      g.y[l] = Y + ix.yj(q) * ty * D;
      g.trans[l] = trans + q * tx * p.width * 2;
      g.dx[l] = dX + q * tx * D;
      g.dy[l] = dY + q * ty * D;
      g.d = D;
    }, [&](int64_t q, Scratch& s) {
      const Band b = ix.band(q, p.band);
      const T* tr = trans + q * tx * p.width * 2;
      pairGradients(b, X + ix.xi(q) * tx * D, Y + ix.yj(q) * ty * D, D, tx, ty, dX + q * tx * D, dY + q * ty * D, s.acc,
                    [&](auto&& sink) { backwardPair(b, p.width, tr, s.a.data(), s.b.data(), sink); });
    });
  });
}

void sdtwCost(const wt_op& op, const wt_sdtw_params& p) {
  const int64_t B = op.in[0].shape[0], tx = op.in[0].shape[1], ty = op.in[0].shape[2];
  const PairIndex ix = readIndex(op.in[1], B, B, B, tx, ty, p, "sdtw_cost");
  visitFloat(op.in[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* C = static_cast<const T*>(op.in[0].data);
    T* values = static_cast<T*>(op.out[0].data);
    T* trans = forwardWeights<T>(op);
    if (tilePairs(ix, B, p)) {
      for (int64_t q = 0; q < B; ++q) {
        const MatrixCost<T> cost{C + q * tx * ty, ty};
        values[q] = T(forwardPairTiled(ix.band(q, p.band), p.width, p.gamma, cost, pairWeights(trans, q, tx, p.width)));
      }
      return;
    }
    forwardGroups(ix, B, p, values, [&](ForwardLanes<T>& g, int l, int64_t q) {
      g.cost[l] = C + q * tx * ty;
      g.costStride = ty;
      g.trans[l] = pairWeights(trans, q, tx, p.width);
    }, [&](int64_t q, Scratch& s) {
      const MatrixCost<T> cost{C + q * tx * ty, ty};
      return forwardPair(ix.band(q, p.band), p.width, p.gamma, cost, pairWeights(trans, q, tx, p.width), s.a.data(), s.b.data());
    });
  });
}

void sdtwCostBackward(const wt_op& op, const wt_sdtw_params& p) {
  const int64_t B = op.out[0].shape[0], tx = op.out[0].shape[1], ty = op.out[0].shape[2];
  const PairIndex ix = readIndex(op.in[0], B, B, B, tx, ty, p, "sdtw_cost_backward");
  visitFloat(op.out[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* trans = static_cast<const T*>(op.in[1].data);
    const T* dvalue = static_cast<const T*>(op.in[2].data);
    T* dC = static_cast<T*>(op.out[0].data);
    if (tilePairs(ix, B, p)) {
      for (int64_t q = 0; q < B; ++q) {
        T* out = dC + q * tx * ty;
        std::fill(out, out + tx * ty, T(0));
        const double g = double(dvalue[q]);
        backwardPairTiled(ix.band(q, p.band), p.width, trans + q * tx * p.width * 2,
                          [&](int64_t i, int64_t j, double e) { out[i * ty + j] = T(g * e); });
      }
      return;
    }
    backwardGroups<T>(ix, B, p, tx, ty, [&](BackwardLanes<T>& g, int l, int64_t q) {
      std::fill(dC + q * tx * ty, dC + (q + 1) * tx * ty, T(0));
      g.trans[l] = trans + q * tx * p.width * 2;
      g.dcost[l] = dC + q * tx * ty;
      g.dscale[l] = double(dvalue[q]);
    }, [&](int64_t q, Scratch& s) {
      T* out = dC + q * tx * ty;
      std::fill(out, out + tx * ty, T(0));
      const double g = double(dvalue[q]);
      backwardPair(ix.band(q, p.band), p.width, trans + q * tx * p.width * 2, s.a.data(), s.b.data(),
                   [&](int64_t i, int64_t j, double e) { out[i * ty + j] = T(g * e); });
    });
  });
}

}  // namespace cpu
}  // namespace wt
