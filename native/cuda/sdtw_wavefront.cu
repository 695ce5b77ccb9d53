// The soft-DTW family on CUDA: anti-diagonal wavefronts over each pair's band, cell update and band
// rule from kernels/sdtw_softmin.h and kernels/sdtw_band.h (shared with the CPU backend).
//   sdtwForwardWavefront   one block per pair (grid-stride over pairs); diagonal d = i + j done by the
//                          block's threads in parallel, one barrier per diagonal; cost on the fly; R's
//                          three live diagonals (indexed by row) in shared memory when 3·Tx doubles fit,
//                          else in a global scratch slice per block — so any length runs (no 1024 cap);
//                          the transition weights go to global memory once (the backward's only input),
//                          or nowhere for a forward nobody differentiates.
//   sdtwBackwardWavefront  the E recursion on the diagonals in reverse, E's three live diagonals held
//                          like R; per cell it reads the successors' stored weights, then accumulates
//                          the x/y gradients (pairs) or writes dC (cost). Cells on one diagonal have
//                          distinct rows and columns, so the accumulation needs no atomics and is
//                          deterministic.
#include <stdint.h>

#include "dtype_dispatch.cuh"
#include "kernels/sdtw_band.h"
#include "kernels/sdtw_softmin.h"
#include "launch.cuh"
#include "ops.cuh"

namespace wt {
namespace cuda {
namespace {

constexpr int kSdtwThreads = 128;
// Shared memory for the live diagonals: 3 · Tx doubles up to this many bytes.
constexpr int64_t kDiagonalSmemBytes = 24 * 1024;

using sdtw::Band;

// The packed index of ops.def: pairs (2P entries, or none), then N lengths of x, M of y.
struct PairIndex {
  const int32_t* pairs;  // null: pair q is (q, q)
  const int32_t* lx;
  const int32_t* ly;
  int64_t N, M, tx, ty;
};

struct Geometry {
  int64_t count;  // pairs
  int64_t width;  // stored columns per row
  int64_t band;
  double gamma;
};

template <class T>
struct EuclideanCost {
  const T* X;
  const T* Y;
  int64_t d;
  __device__ double at(int64_t xi, int64_t yj, int64_t tx, int64_t ty, int64_t i, int64_t j) const {
    return sdtw::squaredDistance(X + (xi * tx + i) * d, Y + (yj * ty + j) * d, d);
  }
};

template <class T>
struct MatrixCost {
  const T* C;
  __device__ double at(int64_t q, int64_t, int64_t tx, int64_t ty, int64_t i, int64_t j) const {
    return double(C[(q * tx + i) * ty + j]);
  }
};

// Pair q's (x index, y index, band), or false (after raising the index flag) for a bad index or a
// band row wider than the stored width. Every thread of the block evaluates it identically.
__device__ bool resolvePair(const PairIndex& ix, const Geometry& g, int64_t q, int* errorFlag, int kind, int64_t& xi,
                            int64_t& yj, Band& b) {
  xi = ix.pairs == nullptr ? q : ix.pairs[2 * q];
  yj = ix.pairs == nullptr ? q : ix.pairs[2 * q + 1];
  if (xi < 0 || xi >= ix.N || yj < 0 || yj >= ix.M) {
    *errorFlag = kind;
    return false;
  }
  const int64_t n = ix.lx[xi], m = ix.ly[yj];
  if (n < 1 || n > ix.tx || m < 1 || m > ix.ty) {
    *errorFlag = kind;
    return false;
  }
  b = Band::make(n, m, g.band);
  // The widest row of a band is bounded by storedWidth for this pair's own lengths.
  if (sdtw::storedWidth(n, n, m, g.band) > g.width) {
    *errorFlag = kind;
    return false;
  }
  return true;
}

// The rows [first, last] of anti-diagonal d inside the band, advanced as d grows: row i is on it iff
// i + lo(i) <= d <= i + hi(i), and both i + lo(i) and i + hi(i) increase with i.
struct DiagonalRange {
  int64_t first = 0, last = -1;
  __device__ void advance(const Band& b, int64_t d) {
    while (last + 1 < b.n && last + 1 + b.lo(last + 1) <= d) ++last;
    while (first < b.n && first + b.hi(first) < d) ++first;
  }
  __device__ void retreat(const Band& b, int64_t d) {
    while (last >= 0 && last + b.lo(last) > d) --last;
    while (first > 0 && first - 1 + b.hi(first - 1) >= d) --first;
  }
};

__device__ double* liveDiagonals(double* smem, double* scratch, int64_t tx, bool shared) {
  return shared ? smem : scratch + int64_t(blockIdx.x) * 3 * tx;
}

// Grid: blocks grid-stride over pairs. Block: kSdtwThreads threads stride over the cells of each
// anti-diagonal; one __syncthreads per diagonal. Dynamic smem: 3·Tx doubles when `shared`.
template <class T, class Cost>
__global__ void __launch_bounds__(kSdtwThreads)
    sdtwForwardWavefront(Cost cost, PairIndex ix, Geometry g, T* values, T* trans, double* scratch, bool shared,
                         int* errorFlag, int kind) {
  WT_DYNAMIC_SMEM(double, smem);
  double* live = liveDiagonals(smem, scratch, ix.tx, shared);
  const double invGamma = g.gamma > 0 ? 1.0 / g.gamma : 0.0;
  for (int64_t q = blockIdx.x; q < g.count; q += gridDim.x) {
    int64_t xi, yj;
    Band b;
    if (!resolvePair(ix, g, q, errorFlag, kind, xi, yj, b)) {
      if (threadIdx.x == 0) values[q] = T(sdtw::kInf - sdtw::kInf);
      continue;
    }
    T* tr = trans ? trans + q * ix.tx * g.width * 2 : nullptr;  // null: values only
    const int64_t costRow = ix.pairs == nullptr ? q : xi;
    DiagonalRange range;
    DiagonalRange prev1, prev2;  // ranges of diagonals d-1 and d-2
    for (int64_t d = 0; d <= b.n + b.m - 2; ++d) {
      prev2 = prev1;
      prev1 = range;
      range.advance(b, d);
      double* cur = live + (d % 3) * ix.tx;
      const double* dm1 = live + ((d + 2) % 3) * ix.tx;
      const double* dm2 = live + ((d + 1) % 3) * ix.tx;
      for (int64_t i = range.first + threadIdx.x; i <= range.last; i += blockDim.x) {
        const int64_t j = d - i;
        const double c = cost.at(costRow, yj, ix.tx, ix.ty, i, j);
        T* w = tr ? tr + (i * g.width + (j - b.lo(i))) * 2 : nullptr;
        if (d == 0) {
          cur[0] = c;
          if (w) w[0] = w[1] = T(0);
          continue;
        }
        const double diag = i >= 1 && i - 1 >= prev2.first && i - 1 <= prev2.last ? dm2[i - 1] : sdtw::kInf;
        const double up = i >= 1 && i - 1 >= prev1.first && i - 1 <= prev1.last ? dm1[i - 1] : sdtw::kInf;
        const double left = i >= prev1.first && i <= prev1.last ? dm1[i] : sdtw::kInf;
        const sdtw::Cell cell = sdtw::softMinCell(c, diag, up, left, g.gamma, invGamma);
        cur[i] = cell.r;
        if (w) {
          w[0] = T(cell.wDiag);
          w[1] = T(cell.wUp);
        }
      }
      __syncthreads();
    }
    if (threadIdx.x == 0) values[q] = T(live[((b.n + b.m - 2) % 3) * ix.tx + b.n - 1]);
    __syncthreads();
  }
}

// What the backward does with E at each cell: accumulate the pair's x/y gradients, or write dC.
template <class T>
struct PairGradientSink {
  const T* X;
  const T* Y;
  T* dX;
  T* dY;
  int64_t d;
  __device__ void zero(int64_t q, int64_t tx, int64_t ty) const {
    for (int64_t k = threadIdx.x; k < tx * d; k += blockDim.x) dX[q * tx * d + k] = T(0);
    for (int64_t k = threadIdx.x; k < ty * d; k += blockDim.x) dY[q * ty * d + k] = T(0);
  }
  __device__ void cell(int64_t q, int64_t xi, int64_t yj, int64_t tx, int64_t ty, int64_t i, int64_t j, double e) const {
    if (e == 0) return;
    const T* a = X + (xi * tx + i) * d;
    const T* b = Y + (yj * ty + j) * d;
    T* ga = dX + (q * tx + i) * d;
    T* gb = dY + (q * ty + j) * d;
    for (int64_t k = 0; k < d; ++k) {
      const double t = 2.0 * e * (double(a[k]) - double(b[k]));
      ga[k] = T(double(ga[k]) + t);
      gb[k] = T(double(gb[k]) - t);
    }
  }
};

template <class T>
struct CostGradientSink {
  const T* dvalue;
  T* dC;
  __device__ void zero(int64_t q, int64_t tx, int64_t ty) const {
    for (int64_t k = threadIdx.x; k < tx * ty; k += blockDim.x) dC[q * tx * ty + k] = T(0);
  }
  __device__ void cell(int64_t q, int64_t, int64_t, int64_t tx, int64_t ty, int64_t i, int64_t j, double e) const {
    dC[(q * tx + i) * ty + j] = T(double(dvalue[q]) * e);
  }
};

// Grid/Block as the forward; diagonals from the end cell back to (0, 0). E[i, j] sums over the
// successors (i+1, j) [up weight], (i+1, j+1) [diagonal], (i, j+1) [left] on diagonals d+1, d+2.
template <class T, class Sink>
__global__ void __launch_bounds__(kSdtwThreads)
    sdtwBackwardWavefront(Sink sink, PairIndex ix, Geometry g, const T* trans, double* scratch, bool shared,
                          int* errorFlag, int kind) {
  WT_DYNAMIC_SMEM(double, smem);
  double* live = liveDiagonals(smem, scratch, ix.tx, shared);
  for (int64_t q = blockIdx.x; q < g.count; q += gridDim.x) {
    sink.zero(q, ix.tx, ix.ty);
    int64_t xi, yj;
    Band b;
    const bool ok = resolvePair(ix, g, q, errorFlag, kind, xi, yj, b);
    __syncthreads();
    if (!ok) continue;
    const T* tr = trans + q * ix.tx * g.width * 2;
    const int64_t dEnd = b.n + b.m - 2;
    DiagonalRange range;
    range.advance(b, dEnd);  // from row 0 up: O(n) once
    DiagonalRange next1, next2;  // diagonals d+1 and d+2 (empty beyond the end)
    for (int64_t d = dEnd; d >= 0; --d) {
      if (d < dEnd) {
        next2 = next1;
        next1 = range;
        range.retreat(b, d);
      }
      double* cur = live + (d % 3) * ix.tx;
      const double* dp1 = live + ((d + 1) % 3) * ix.tx;
      const double* dp2 = live + ((d + 2) % 3) * ix.tx;
      for (int64_t i = range.first + threadIdx.x; i <= range.last; i += blockDim.x) {
        const int64_t j = d - i;
        double e = 0;
        if (d == dEnd) {
          e = 1;
        } else {
          if (i + 1 >= next1.first && i + 1 <= next1.last) {  // (i+1, j): its up weight
            const T* w = tr + ((i + 1) * g.width + (j - b.lo(i + 1))) * 2;
            e += dp1[i + 1] * double(w[1]);
          }
          if (i + 1 >= next2.first && i + 1 <= next2.last) {  // (i+1, j+1): its diagonal weight
            const T* w = tr + ((i + 1) * g.width + (j + 1 - b.lo(i + 1))) * 2;
            e += dp2[i + 1] * double(w[0]);
          }
          if (i >= next1.first && i <= next1.last) {  // (i, j+1): its left weight
            const T* w = tr + (i * g.width + (j + 1 - b.lo(i))) * 2;
            e += dp1[i] * double(sdtw::leftWeight(w[0], w[1]));
          }
          e = sdtw::flushSubnormalE(e);
        }
        cur[i] = e;
        sink.cell(q, xi, yj, ix.tx, ix.ty, i, j, e);
      }
      __syncthreads();
    }
  }
}

PairIndex indexOf(const wt_view& v, int64_t N, int64_t M, int64_t tx, int64_t ty) {
  const int32_t* base = static_cast<const int32_t*>(v.data);
  const int64_t p2 = v.shape[0] - N - M;
  return {p2 > 0 ? base : nullptr, base + p2, base + p2 + N, N, M, tx, ty};
}

// Live diagonals in shared memory when they fit, else a global slice per block.
struct LiveStorage {
  bool shared;
  size_t smem;
  unsigned blocks;
};

LiveStorage liveStorage(DeviceContext& ctx, int64_t count, int64_t tx) {
  const int64_t bytes = 3 * tx * int64_t(sizeof(double));
  const int64_t cap = int64_t(ctx.smCount()) * 8;
  const unsigned blocks = unsigned(count < cap ? count : cap);
  if (bytes <= kDiagonalSmemBytes) return {true, size_t(bytes), blocks};
  return {false, 0, blocks};
}

template <class T, class Cost>
void forward(DeviceContext& ctx, const Cost& cost, const PairIndex& ix, const Geometry& g, const wt_op& op, int kind) {
  const LiveStorage s = liveStorage(ctx, g.count, ix.tx);
  DeviceScratch scratch(ctx, s.shared ? 8 : size_t(s.blocks) * 3 * ix.tx * sizeof(double));
  launch("sdtwForwardWavefront", sdtwForwardWavefront<T, Cost>, dim3(s.blocks), dim3(kSdtwThreads), s.smem, ctx.stream(),
         cost, ix, g, static_cast<T*>(op.out[0].data), op.n_out > 1 ? static_cast<T*>(op.out[1].data) : nullptr,
         static_cast<double*>(scratch.get()), s.shared, ctx.rangeErrorFlag(), kind);
}

template <class T, class Sink>
void backward(DeviceContext& ctx, const Sink& sink, const PairIndex& ix, const Geometry& g, const T* trans, int kind) {
  const LiveStorage s = liveStorage(ctx, g.count, ix.tx);
  DeviceScratch scratch(ctx, s.shared ? 8 : size_t(s.blocks) * 3 * ix.tx * sizeof(double));
  launch("sdtwBackwardWavefront", sdtwBackwardWavefront<T, Sink>, dim3(s.blocks), dim3(kSdtwThreads), s.smem,
         ctx.stream(), sink, ix, g, trans, static_cast<double*>(scratch.get()), s.shared, ctx.rangeErrorFlag(), kind);
}

}  // namespace

void sdtwPairs(DeviceContext& ctx, const wt_op& op, const wt_sdtw_params& p) {
  withRealDtype(op.in[0].dtype, "sdtwPairs", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const PairIndex ix = indexOf(op.in[2], op.in[0].shape[0], op.in[1].shape[0], op.in[0].shape[1], op.in[1].shape[1]);
    const Geometry g{op.out[0].shape[0], p.width, p.band, p.gamma};
    const EuclideanCost<T> cost{static_cast<const T*>(op.in[0].data), static_cast<const T*>(op.in[1].data),
                                op.in[0].shape[2]};
    forward<T>(ctx, cost, ix, g, op, WT_OP_SDTW_PAIRS);
  });
}

void sdtwPairsBackward(DeviceContext& ctx, const wt_op& op, const wt_sdtw_params& p) {
  withRealDtype(op.in[0].dtype, "sdtwPairsBackward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const PairIndex ix = indexOf(op.in[2], op.in[0].shape[0], op.in[1].shape[0], op.in[0].shape[1], op.in[1].shape[1]);
    const Geometry g{op.out[0].shape[0], p.width, p.band, p.gamma};
    const PairGradientSink<T> sink{static_cast<const T*>(op.in[0].data), static_cast<const T*>(op.in[1].data),
                                   static_cast<T*>(op.out[0].data), static_cast<T*>(op.out[1].data), op.in[0].shape[2]};
    backward<T>(ctx, sink, ix, g, static_cast<const T*>(op.in[3].data), WT_OP_SDTW_PAIRS_BACKWARD);
  });
}

void sdtwCost(DeviceContext& ctx, const wt_op& op, const wt_sdtw_params& p) {
  withRealDtype(op.in[0].dtype, "sdtwCost", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const int64_t B = op.in[0].shape[0];
    const PairIndex ix = indexOf(op.in[1], B, B, op.in[0].shape[1], op.in[0].shape[2]);
    const Geometry g{B, p.width, p.band, p.gamma};
    const MatrixCost<T> cost{static_cast<const T*>(op.in[0].data)};
    forward<T>(ctx, cost, ix, g, op, WT_OP_SDTW_COST);
  });
}

void sdtwCostBackward(DeviceContext& ctx, const wt_op& op, const wt_sdtw_params& p) {
  withRealDtype(op.out[0].dtype, "sdtwCostBackward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const int64_t B = op.out[0].shape[0];
    const PairIndex ix = indexOf(op.in[0], B, B, op.out[0].shape[1], op.out[0].shape[2]);
    const Geometry g{B, p.width, p.band, p.gamma};
    const CostGradientSink<T> sink{static_cast<const T*>(op.in[2].data), static_cast<T*>(op.out[0].data)};
    backward<T>(ctx, sink, ix, g, static_cast<const T*>(op.in[1].data), WT_OP_SDTW_COST_BACKWARD);
  });
}

}  // namespace cuda
}  // namespace wt
