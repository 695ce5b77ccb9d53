// The CPU backend's FFT entry points (WT_OP_FFT, WT_OP_RFFT, WT_OP_IRFFT): fetch the cached plan,
// pick the lane kernels for this CPU once, and spread packs of rows over the thread pool.
#include <algorithm>
#include <atomic>
#include <new>

#include "../core/error.h"
#include "dispatch.h"
#include "fft_plan.h"
#include "kernels.h"
#include "thread_pool.h"

namespace wt {
namespace cpu {
namespace {

template <class T>
const LaneKernels<T>& laneKernels();
template <>
const LaneKernels<float>& laneKernels<float>() {
  static const LaneKernels<float> kernels = cpuHasAvx2Fma() ? avx2KernelsF32() : sse4KernelsF32();
  return kernels;
}
template <>
const LaneKernels<double>& laneKernels<double>() {
  static const LaneKernels<double> kernels = cpuHasAvx2Fma() ? avx2KernelsF64() : sse4KernelsF64();
  return kernels;
}

// Rows of a contiguous [..., last] view.
int64_t rowsOf(const wt_view& v) {
  int64_t rows = 1;
  for (int d = 0; d + 1 < v.ndim; ++d) rows *= v.shape[d];
  return rows;
}

template <class Build>
auto planOrFail(const char* op, int64_t n, Build build) -> decltype(build(n)) {
  if (n < 1) fail(WT_E_SHAPE, op, ": length must be at least 1, got ", n);
  try {
    return build(n);
  } catch (const std::bad_alloc&) {
    fail(WT_E_OOM, op, ": out of memory building the plan for length ", n);
  }
}

// Runs rowsFn(rowBegin, rowEnd) over whole packs of `lanes` rows; a chunk gets enough packs to
// amortise the hand-off (about 2^15 complex values of work per chunk at least).
template <class RowsFn>
void forEachPack(const char* op, int64_t rows, int lanes, int64_t workLength, const RowsFn& rowsFn) {
  const int64_t packs = (rows + lanes - 1) / lanes;
  const int64_t grain = std::max<int64_t>(1, (int64_t(1) << 15) / (lanes * std::max<int64_t>(workLength, 1)));
  std::atomic<bool> outOfMemory{false};
  parallelFor(packs, grain, [&](int64_t begin, int64_t end) {
    if (!rowsFn(begin * lanes, std::min(end * lanes, rows))) outOfMemory = true;
  });
  if (outOfMemory) fail(WT_E_OOM, op, ": out of memory for FFT scratch");
}

template <class T>
void complexTransform(const wt_op& op, const wt_fft_params& p) {
  const int64_t n = p.n, rows = rowsOf(op.in[0]);
  const auto plan = planOrFail("fft", n, complexPlan<T>);
  const LaneKernels<T>& k = laneKernels<T>();
  const auto* in = static_cast<const cplx<T>*>(op.in[0].data);
  auto* out = static_cast<cplx<T>*>(op.out[0].data);
  const bool inverse = p.sign > 0;
  forEachPack("fft", rows, k.lanes, plan->workLength(), [&](int64_t b, int64_t e) {
    return k.complexRows(*plan, in, out, b, e, inverse, (T)p.scale);
  });
}

template <class T>
void realForward(const wt_op& op, const wt_real_fft_params& p) {
  const int64_t n = p.n, rows = rowsOf(op.in[0]);
  const auto plan = planOrFail("rfft", n, realPlan<T>);
  const LaneKernels<T>& k = laneKernels<T>();
  const auto* in = static_cast<const T*>(op.in[0].data);
  auto* out = static_cast<cplx<T>*>(op.out[0].data);
  forEachPack("rfft", rows, k.lanes, plan->inner->workLength(), [&](int64_t b, int64_t e) {
    return k.realForwardRows(*plan, in, out, b, e, (T)p.scale);
  });
}

template <class T>
void realInverse(const wt_op& op, const wt_real_fft_params& p) {
  const int64_t n = p.n, rows = rowsOf(op.out[0]);
  const auto plan = planOrFail("irfft", n, realPlan<T>);
  const LaneKernels<T>& k = laneKernels<T>();
  const auto* in = static_cast<const cplx<T>*>(op.in[0].data);
  auto* out = static_cast<T*>(op.out[0].data);
  forEachPack("irfft", rows, k.lanes, plan->inner->workLength(), [&](int64_t b, int64_t e) {
    return k.realInverseRows(*plan, in, out, b, e, (T)p.scale);
  });
}

}  // namespace

void fft(const wt_op& op, const wt_fft_params& p) {
  switch (op.out[0].dtype) {
    case WT_C64: return complexTransform<float>(op, p);
    case WT_C128: return complexTransform<double>(op, p);
    default: fail(WT_E_DTYPE, "fft: expected a complex64 or complex128 output, got dtype ", op.out[0].dtype);
  }
}

void rfft(const wt_op& op, const wt_real_fft_params& p) {
  switch (op.out[0].dtype) {
    case WT_C64: return realForward<float>(op, p);
    case WT_C128: return realForward<double>(op, p);
    default: fail(WT_E_DTYPE, "rfft: expected a complex64 or complex128 output, got dtype ", op.out[0].dtype);
  }
}

void irfft(const wt_op& op, const wt_real_fft_params& p) {
  switch (op.out[0].dtype) {
    case WT_F32: return realInverse<float>(op, p);
    case WT_F64: return realInverse<double>(op, p);
    default: fail(WT_E_DTYPE, "irfft: expected a float32 or float64 output, got dtype ", op.out[0].dtype);
  }
}

}  // namespace cpu
}  // namespace wt
