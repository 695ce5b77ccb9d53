// The trust-region family on CUDA, every kernel one pass over its operands:
//   cauchyRowsSubwarp  rows of d <= 512: a power-of-two group of lanes per row, shuffles only;
//   cauchyRowsBlock    longer rows: one 256-thread block per row (grid-stride), blockReduce, then
//                      the step written by the same block while the row is still in L1/L2;
//   updateRadiusKernel, adamKernel, sgdKernel: grid-stride elementwise passes.
// The formulas are kernels/trust_region.h's, shared with the CPU backend; reductions accumulate in double.
#include <stdint.h>

#include "block_reduce.cuh"
#include "dtype_dispatch.cuh"
#include "kernels/trust_region.h"
#include "launch.cuh"
#include "ops.cuh"

namespace wt {
namespace cuda {
namespace {

constexpr int kThreads = 256;
constexpr int64_t kSubwarpMaxD = 512;
using Monoid = tr::CauchyRowMonoid<double>;
using Acc = Monoid::Acc;

struct CauchyArgs {
  int64_t rows, d;
  int diagonal;
};

// Folds g[j], model[j] for j = first, first + step, ... < d; four loads in flight per thread.
template <class T>
__device__ __forceinline__ Acc rowAccumulate(const T* g, const T* model, int64_t d, int64_t first, int64_t step,
                                             bool diagonal) {
  const Monoid m;
  Acc acc = m.init();
  int64_t j = first;
  for (; j + 3 * step < d; j += 4 * step) {
    const double g0 = g[j], g1 = g[j + step], g2 = g[j + 2 * step], g3 = g[j + 3 * step];
    const double b0 = model[j], b1 = model[j + step], b2 = model[j + 2 * step], b3 = model[j + 3 * step];
    acc = m.combine(m.combine(m.combine(m.combine(acc, m.lift(g0, b0, diagonal)), m.lift(g1, b1, diagonal)),
                              m.lift(g2, b2, diagonal)),
                    m.lift(g3, b3, diagonal));
  }
  for (; j < d; j += step) acc = m.combine(acc, m.lift(double(g[j]), double(model[j]), diagonal));
  return acc;
}

template <class T>
__device__ __forceinline__ void writeRowScalars(T* packed, int64_t rows, int64_t r, const tr::CauchyRow<double>& row) {
  packed[r] = T(row.predicted);
  packed[rows + r] = T(row.tau);
  packed[2 * rows + r] = row.onBoundary ? T(1) : T(0);
}

// Grid: x = groups of kThreads / lanes rows (grid-stride). Block: kThreads threads; `lanes` consecutive
// lanes (a power of two <= 32) share a row, reduce it by shuffles, and lane 0's coefficient is
// broadcast to the group for the step write.
template <class T>
__global__ void __launch_bounds__(kThreads, kMinBlocksPerSm)
    cauchyRowsSubwarp(const T* g, const T* model, const T* delta, T* step, T* packed, CauchyArgs a, int lanes,
                      int* rangeFlag) {
  const Monoid m;
  const int rowsPerBlock = kThreads / lanes;
  const int lane = threadIdx.x % lanes;
  for (int64_t first = int64_t(blockIdx.x) * rowsPerBlock; first < a.rows; first += int64_t(gridDim.x) * rowsPerBlock) {
    const int64_t r = first + threadIdx.x / lanes;
    const bool live = r < a.rows;
    Acc acc = live ? rowAccumulate(g + r * a.d, model + r * a.d, a.d, lane, lanes, a.diagonal != 0) : m.init();
    acc = warpReduce(m, acc, lanes);
    double coef = 0;
    if (lane == 0 && live) {
      if (!tr::validRadius(delta[r])) *rangeFlag = WT_OP_CAUCHY_STEP;
      const tr::CauchyRow<double> row = tr::cauchyFinish(acc, double(delta[r]));
      coef = row.coef;
      writeRowScalars(packed, a.rows, r, row);
    }
    coef = __shfl_sync(0xffffffffu, coef, 0, lanes);
    if (live)
      for (int64_t j = lane; j < a.d; j += lanes) step[r * a.d + j] = T(coef * double(g[r * a.d + j]));
  }
}

// Grid: x = rows (grid-stride). Block: kThreads threads stride over the row, blockReduce, thread 0
// finishes the row and shares its coefficient through shared memory; the block then writes the step.
template <class T>
__global__ void __launch_bounds__(kThreads, kMinBlocksPerSm)
    cauchyRowsBlock(const T* g, const T* model, const T* delta, T* step, T* packed, CauchyArgs a, int* rangeFlag) {
  __shared__ Acc warpTotals[kThreads / 32];
  __shared__ double coefShared;
  const Monoid m;
  for (int64_t r = blockIdx.x; r < a.rows; r += gridDim.x) {
    const T* gr = g + r * a.d;
    Acc acc = rowAccumulate(gr, model + r * a.d, a.d, threadIdx.x, kThreads, a.diagonal != 0);
    acc = blockReduce<kThreads>(m, acc, warpTotals);
    if (threadIdx.x == 0) {
      if (!tr::validRadius(delta[r])) *rangeFlag = WT_OP_CAUCHY_STEP;
      const tr::CauchyRow<double> row = tr::cauchyFinish(acc, double(delta[r]));
      coefShared = row.coef;
      writeRowScalars(packed, a.rows, r, row);
    }
    __syncthreads();
    const double coef = coefShared;
    T* sr = step + r * a.d;
    for (int64_t j = threadIdx.x; j < a.d; j += kThreads) sr[j] = T(coef * double(gr[j]));
  }
}

// Grid: x covers n (grid-stride). Block: kThreads threads, one element each per iteration.
template <class T>
__global__ void __launch_bounds__(kThreads, kMinBlocksPerSm)
    updateRadiusKernel(const T* actual, const T* predicted, const T* delta, const T* onBoundary, T* packed, int64_t n,
                       wt_radius_params p, int* rangeFlag) {
  const tr::RadiusConsts<T> c(p);
  for (int64_t i = int64_t(blockIdx.x) * kThreads + threadIdx.x; i < n; i += int64_t(gridDim.x) * kThreads) {
    if (!tr::validRadius(delta[i])) *rangeFlag = WT_OP_UPDATE_RADIUS;
    const tr::RadiusOut<T> r = tr::updateRadius(actual[i], predicted[i], delta[i], onBoundary[i] != T(0), c);
    packed[i] = r.delta;
    packed[n + i] = r.accept;
    packed[2 * n + i] = r.rho;
  }
}

// Grid: x covers n (grid-stride). Block: kThreads threads; m, v null on the first step (zero state).
template <class T>
__global__ void __launch_bounds__(kThreads, kMinBlocksPerSm)
    adamKernel(const T* theta, const T* g, const T* m, const T* v, T* outTheta, T* outState, int64_t n, wt_adam_params p) {
  const tr::AdamConsts<T> c(p);
  for (int64_t i = int64_t(blockIdx.x) * kThreads + threadIdx.x; i < n; i += int64_t(gridDim.x) * kThreads) {
    T th = theta[i], mi = m ? m[i] : T(0), vi = v ? v[i] : T(0);
    tr::adamElement(th, g[i], mi, vi, c);
    outTheta[i] = th;
    outState[i] = mi;
    outState[n + i] = vi;
  }
}

// Grid: x covers n (grid-stride). Block: kThreads threads; buf null on a first step, outBuf null without momentum.
template <class T>
__global__ void __launch_bounds__(kThreads, kMinBlocksPerSm)
    sgdKernel(const T* theta, const T* g, const T* buf, T* outTheta, T* outBuf, int64_t n, wt_sgd_params p) {
  for (int64_t i = int64_t(blockIdx.x) * kThreads + threadIdx.x; i < n; i += int64_t(gridDim.x) * kThreads) {
    T th = theta[i], bi = buf ? buf[i] : T(0);
    tr::sgdElement(th, g[i], bi, p);
    outTheta[i] = th;
    if (outBuf) outBuf[i] = bi;
  }
}

unsigned lanesFor(int64_t d) {
  unsigned w = 1;
  while (w < 32 && int64_t(w) < d) w *= 2;
  return w;
}

}  // namespace

void cauchyStep(DeviceContext& ctx, const wt_op& op, const wt_cauchy_params& p) {
  withRealDtype(op.in[0].dtype, "cauchyStep", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const CauchyArgs a{op.in[0].shape[0], op.in[0].shape[1], p.diagonal};
    const T* g = static_cast<const T*>(op.in[0].data);
    const T* model = static_cast<const T*>(op.in[1].data);
    const T* delta = static_cast<const T*>(op.in[2].data);
    T* step = static_cast<T*>(op.out[0].data);
    T* packed = static_cast<T*>(op.out[1].data);
    if (a.d <= kSubwarpMaxD) {
      const unsigned lanes = lanesFor(a.d);
      launch("cauchyRowsSubwarp", cauchyRowsSubwarp<T>, dim3(gridFor(ctx, a.rows * lanes, kThreads)), dim3(kThreads), 0,
             ctx.stream(), g, model, delta, step, packed, a, int(lanes), ctx.rangeErrorFlag());
    } else {
      const int64_t cap = int64_t(ctx.smCount()) * 32;
      launch("cauchyRowsBlock", cauchyRowsBlock<T>, dim3(unsigned(a.rows < cap ? a.rows : cap)), dim3(kThreads), 0,
             ctx.stream(), g, model, delta, step, packed, a, ctx.rangeErrorFlag());
    }
  });
}

void updateRadius(DeviceContext& ctx, const wt_op& op, const wt_radius_params& p) {
  withRealDtype(op.in[0].dtype, "updateRadius", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const int64_t n = op.in[0].shape[0];
    launch("updateRadiusKernel", updateRadiusKernel<T>, dim3(gridFor(ctx, n, kThreads)), dim3(kThreads), 0, ctx.stream(),
           static_cast<const T*>(op.in[0].data), static_cast<const T*>(op.in[1].data),
           static_cast<const T*>(op.in[2].data), static_cast<const T*>(op.in[3].data), static_cast<T*>(op.out[0].data), n,
           p, ctx.rangeErrorFlag());
  });
}

void adamStep(DeviceContext& ctx, const wt_op& op, const wt_adam_params& p) {
  withRealDtype(op.in[0].dtype, "adamStep", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const int64_t n = op.in[0].shape[0];
    const bool state = op.n_in == 4;
    launch("adamKernel", adamKernel<T>, dim3(gridFor(ctx, n, kThreads)), dim3(kThreads), 0, ctx.stream(),
           static_cast<const T*>(op.in[0].data), static_cast<const T*>(op.in[1].data),
           state ? static_cast<const T*>(op.in[2].data) : nullptr, state ? static_cast<const T*>(op.in[3].data) : nullptr,
           static_cast<T*>(op.out[0].data), static_cast<T*>(op.out[1].data), n, p);
  });
}

void sgdStep(DeviceContext& ctx, const wt_op& op, const wt_sgd_params& p) {
  withRealDtype(op.in[0].dtype, "sgdStep", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const int64_t n = op.in[0].shape[0];
    launch("sgdKernel", sgdKernel<T>, dim3(gridFor(ctx, n, kThreads)), dim3(kThreads), 0, ctx.stream(),
           static_cast<const T*>(op.in[0].data), static_cast<const T*>(op.in[1].data),
           op.n_in == 3 ? static_cast<const T*>(op.in[2].data) : nullptr, static_cast<T*>(op.out[0].data),
           op.n_out == 2 ? static_cast<T*>(op.out[1].data) : nullptr, n, p);
  });
}

}  // namespace cuda
}  // namespace wt
