// The wavelet family on CUDA: one kernel, waveletRows, runs kernels/wavelet_lifting.h's row
// algorithm (every level of wavedec / waverec or its adjoint) with one block per row:
//   shared variant  the level buffers and both approximation rows live in dynamic shared memory
//                   (opted in up to the device's limit), so a row is read once and written once;
//   global variant  rows too long for shared memory keep the same buffers in a device scratch
//                   (one slice per row), each level one pass through L2.
// Rows along a middle axis ([B, len, C] views) are transposed into rows and back around it.
// Loads of the signal are pairs per thread, consecutive across a warp; stores are consecutive.
#include <stdint.h>

#include "device_context.cuh"
#include "dtype_dispatch.cuh"
#include "kernels/wavelet_lifting.h"
#include "launch.cuh"
#include "ops.cuh"

namespace wt {
namespace cuda {
namespace {

constexpr int kThreads = 256;

// The block's threads share every loop, strided: thread t takes lo + t, lo + t + 256, ...
struct BlockExec {
  template <class F>
  __device__ __forceinline__ void forRange(int64_t lo, int64_t hi, F&& f) {
    for (int64_t i = lo + threadIdx.x; i < hi; i += blockDim.x) f(i);
  }
  __device__ __forceinline__ void barrier() { __syncthreads(); }
  __device__ __forceinline__ bool leader() { return threadIdx.x == 0; }
};

struct RowShape {
  int64_t inLen, outLen, buffer, approx;
  int dir;  // 0 analysis, 1 its adjoint, 2 synthesis, 3 its adjoint
};

// Grid: x = rows. Block: kThreads threads, one row. Scratch: 2·buffer + 2·approx elements per row,
// in dynamic shared memory (kShared) or at row·that in `scratch`.
template <class T, bool kShared>
__global__ void __launch_bounds__(kThreads) waveletRows(const T* in, T* out, T* scratch, RowShape rs,
                                                        wt_wavelet_params p, wavelet::LiftPlan plan,
                                                        wavelet::TapStarts ts) {
  const int64_t row = blockIdx.x;
  T* base;
  if (kShared) {
    WT_DYNAMIC_SMEM(T, smem);
    base = smem;
  } else {
    base = scratch + row * (2 * rs.buffer + 2 * rs.approx);
  }
  T* s = base;
  T* d = s + rs.buffer;
  T* a0 = d + rs.buffer;
  T* a1 = a0 + rs.approx;
  const T* x = in + row * rs.inLen;
  T* y = out + row * rs.outLen;
  BlockExec ex;
  switch (rs.dir) {
    case 0: wavelet::analysisRow(ex, p, plan, ts, x, y, s, d, a0, a1); break;
    case 1: wavelet::analysisRowAdjoint(ex, p, plan, ts, x, y, s, d, a0, a1); break;
    case 2: wavelet::synthesisRow(ex, p, plan, ts, x, y, s, d, a0, a1); break;
    default: wavelet::synthesisRowAdjoint(ex, p, plan, ts, x, y, s, d, a0, a1); break;
  }
}

// Every level of `rows` rows (in: [rows, inLen], out: [rows, outLen], contiguous) on the stream.
template <class T>
void runRows(DeviceContext& ctx, int dir, const T* in, T* out, int64_t rows, int64_t inLen, int64_t outLen,
             const wt_wavelet_params& p) {
  const bool analysis = dir < 2;
  const wavelet::LiftPlan plan = analysis ? wavelet::analysisPlan(p) : wavelet::synthesisPlan(p);
  const wavelet::RowScratch sc = analysis ? wavelet::analysisScratch(p, plan, p.n) : wavelet::synthesisScratch(p, plan);
  const RowShape rs{inLen, outLen, sc.buffer, sc.approx, dir};
  const size_t perRow = size_t(2 * sc.buffer + 2 * sc.approx) * sizeof(T);
  int optin = 0;
  check(cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, ctx.index()), "wavelet: shared memory limit");
  const wavelet::TapStarts ts = wavelet::tapStarts(p);
  if (perRow <= size_t(optin)) {
    check(cudaFuncSetAttribute(waveletRows<T, true>, cudaFuncAttributeMaxDynamicSharedMemorySize, int(perRow)),
          "wavelet: shared memory opt-in");
    launch("waveletRows<shared>", waveletRows<T, true>, dim3(unsigned(rows)), dim3(kThreads), perRow, ctx.stream(), in,
           out, static_cast<T*>(nullptr), rs, p, plan, ts);
  } else {
    DeviceScratch scratch(ctx, perRow * size_t(rows));
    launch("waveletRows<global>", waveletRows<T, false>, dim3(unsigned(rows)), dim3(kThreads), 0, ctx.stream(), in, out,
           static_cast<T*>(scratch.get()), rs, p, plan, ts);
  }
}

// The contiguous [B, len, C] block `v` seen as its B·C rows, [B, C, len] with strides (len·C, 1, C).
wt_view rowsOfBlock(const wt_view& v) {
  wt_view r = v;
  const int64_t B = v.shape[0], len = v.shape[1], C = v.shape[2];
  const int64_t shape[3] = {B, C, len}, strides[3] = {len * C, 1, C};
  for (int k = 0; k < 3; ++k) {
    r.shape[k] = shape[k];
    r.strides[k] = strides[k];
  }
  return r;
}

// A transposing copy between a block's rows and contiguous ones, by the copy op's tiled kernels.
void copyRows(DeviceContext& ctx, const wt_view& to, const wt_view& from) {
  wt_op c{};
  c.kind = WT_OP_COPY;
  c.n_in = 1;
  c.n_out = 1;
  c.in[0] = from;
  c.out[0] = to;
  copy(ctx, c, wt_none_params{});
}

void run(DeviceContext& ctx, int dir, const wt_op& op, const wt_wavelet_params& p) {
  withRealDtype(op.in[0].dtype, "wavelet", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const int64_t inLen = op.in[0].shape[1], outLen = op.out[0].shape[1];
    if (op.in[0].ndim == 2)
      return runRows(ctx, dir, static_cast<const T*>(op.in[0].data), static_cast<T*>(op.out[0].data), op.in[0].shape[0],
                     inLen, outLen, p);
    // [B, len, C], rows along the middle axis: transposed into rows with coalesced tiles, transformed,
    // and transposed back (a block per row reading the middle axis in place would load one element
    // per C-strided address).
    const wt_view from = rowsOfBlock(op.in[0]), to = rowsOfBlock(op.out[0]);
    const int64_t rows = from.shape[0] * from.shape[1];
    DeviceScratch rowsIn(ctx, size_t(rows * inLen) * sizeof(T)), rowsOut(ctx, size_t(rows * outLen) * sizeof(T));
    wt_view in = from, out = to;
    in.data = rowsIn.get();
    out.data = rowsOut.get();
    for (wt_view* v : {&in, &out}) {
      v->strides[2] = 1;
      v->strides[1] = v->shape[2];
      v->strides[0] = v->shape[1] * v->shape[2];
    }
    copyRows(ctx, in, from);
    runRows(ctx, dir, static_cast<const T*>(rowsIn.get()), static_cast<T*>(rowsOut.get()), rows, inLen, outLen, p);
    copyRows(ctx, to, out);
  });
}

}  // namespace

void waveletAnalysis(DeviceContext& ctx, const wt_op& op, const wt_wavelet_params& p) { run(ctx, 0, op, p); }
void waveletAnalysisAdjoint(DeviceContext& ctx, const wt_op& op, const wt_wavelet_params& p) { run(ctx, 1, op, p); }
void waveletSynthesis(DeviceContext& ctx, const wt_op& op, const wt_wavelet_params& p) { run(ctx, 2, op, p); }
void waveletSynthesisAdjoint(DeviceContext& ctx, const wt_op& op, const wt_wavelet_params& p) { run(ctx, 3, op, p); }

}  // namespace cuda
}  // namespace wt
