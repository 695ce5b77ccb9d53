// WT_OP_GATHER and WT_OP_SCATTER_ADD along the middle axis of [O, A, I] with an int32 index vector;
// an index outside [0, A) raises the device's index-error flag, reported at the next synchronisation.
#include <stdint.h>

#include "dtype_dispatch.cuh"
#include "index_math.cuh"
#include "kernels/complex.h"
#include "launch.cuh"
#include "ops.cuh"

namespace wt {
namespace cuda {
namespace {

constexpr int kGatherThreads = 256;

// Gathered values are moved, never computed on, so one kernel per element size serves every dtype.
struct alignas(16) Bytes16 {
  uint64_t lo, hi;
};

// The flat [O, G, I] position p split into (o, g, i) by two multiply-high divisions.
struct RowColumn {
  IntDivider inner;   // I
  IntDivider gathered;  // G
};

// Grid: 1-D grid-stride over the O*G*I outputs, so consecutive threads copy consecutive i (coalesced
// along I, or along G when I == 1). out[o, g, i] = in[o, index[g], i]; a bad index writes 0 and sets the flag.
template <class T>
__global__ void __launch_bounds__(kGatherThreads, kMinBlocksPerSm)
    gatherRows(const T* in, const int32_t* index, T* out, int64_t total, int64_t extent, RowColumn split, int* errorFlag) {
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t p = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; p < total; p += stride) {
    uint64_t row = split.inner.div(uint64_t(p));
    uint64_t i = uint64_t(p) - row * split.inner.divisor;
    uint64_t o = split.gathered.div(row);
    uint64_t g = row - o * split.gathered.divisor;
    int32_t a = index[g];
    if (a < 0 || a >= extent) {
      *errorFlag = WT_OP_GATHER;
      out[p] = T{};
    } else {
      out[p] = in[(int64_t(o) * extent + a) * int64_t(split.inner.divisor) + int64_t(i)];
    }
  }
}

// Grid: 1-D grid-stride over the O*I columns (o, i). Each thread walks g = 0..G-1 in order and
// adds in[o, g, i] into out[o, index[g], i]: the CPU backend's order, so results are bitwise equal
// and deterministic, and no two threads touch the same output element. A bad index sets the flag.
template <class T>
__global__ void __launch_bounds__(kGatherThreads, kMinBlocksPerSm)
    scatterAddColumns(const T* in, const int32_t* index, T* out, int64_t columns, int64_t gathered, int64_t extent,
                      IntDivider inner, int* errorFlag) {
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t c = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; c < columns; c += stride) {
    int64_t o = int64_t(inner.div(uint64_t(c)));
    int64_t i = c - o * int64_t(inner.divisor);
    int64_t width = int64_t(inner.divisor);
    const T* src = in + o * gathered * width + i;
    T* dst = out + o * extent * width + i;
    for (int64_t g = 0; g < gathered; ++g) {
      int32_t a = index[g];
      if (a < 0 || a >= extent) {
        *errorFlag = WT_OP_SCATTER_ADD;
        continue;
      }
      dst[a * width] = dst[a * width] + src[g * width];
    }
  }
}

__device__ __forceinline__ void atomicAccumulate(float* dst, float v) { atomicAdd(dst, v); }
__device__ __forceinline__ void atomicAccumulate(double* dst, double v) { atomicAdd(dst, v); }
__device__ __forceinline__ void atomicAccumulate(int32_t* dst, int32_t v) { atomicAdd(dst, v); }
template <class T>
__device__ __forceinline__ void atomicAccumulate(cplx<T>* dst, cplx<T> v) {
  atomicAdd(&dst->re, v.re);
  atomicAdd(&dst->im, v.im);
}

// Grid: 1-D grid-stride over the O*G*I inputs. out[o, index[g], i] += in[o, g, i] with atomics, for
// few long columns (O*I small, G large) where one thread per column would serialise; floating sums
// then depend on the order the atomics land in. A bad index skips the element and sets the flag.
template <class T>
__global__ void __launch_bounds__(kGatherThreads, kMinBlocksPerSm)
    scatterAddAtomic(const T* in, const int32_t* index, T* out, int64_t total, int64_t extent, RowColumn split,
                     int* errorFlag) {
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t p = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; p < total; p += stride) {
    uint64_t row = split.inner.div(uint64_t(p));
    uint64_t i = uint64_t(p) - row * split.inner.divisor;
    uint64_t o = split.gathered.div(row);
    uint64_t g = row - o * split.gathered.divisor;
    int32_t a = index[g];
    if (a < 0 || a >= extent)
      *errorFlag = WT_OP_SCATTER_ADD;
    else
      atomicAccumulate(&out[(int64_t(o) * extent + a) * int64_t(split.inner.divisor) + int64_t(i)], in[p]);
  }
}

// The atomic path is taken only when the ordered one would leave the GPU mostly idle: fewer columns
// than this many threads while each column is long.
constexpr int64_t kOrderedMinColumns = 4096;
constexpr int64_t kOrderedMaxSerial = 256;

template <class T>
void launchGather(DeviceContext& ctx, const wt_op& op) {
  const wt_view& in = op.in[0];
  const wt_view& out = op.out[0];
  int64_t total = elementCount(out);
  if (total == 0) return;
  RowColumn split{IntDivider::of(uint64_t(out.shape[2])), IntDivider::of(uint64_t(out.shape[1]))};
  launch("gatherRows", gatherRows<T>, dim3(gridFor(ctx, total, kGatherThreads)), dim3(kGatherThreads), 0, ctx.stream(),
         static_cast<const T*>(in.data), static_cast<const int32_t*>(op.in[1].data), static_cast<T*>(out.data), total,
         in.shape[1], split, ctx.rangeErrorFlag());
}

}  // namespace

void gather(DeviceContext& ctx, const wt_op& op, const wt_none_params&) {
  requireDtype(op.in[1], WT_I32, "gather index");
  requireDtype(op.out[0], op.in[0].dtype, "gather output");
  switch (op.in[0].dtype) {
    case WT_F32:
    case WT_I32: return launchGather<uint32_t>(ctx, op);
    case WT_F64:
    case WT_C64: return launchGather<uint64_t>(ctx, op);
    case WT_C128: return launchGather<Bytes16>(ctx, op);
    default: unsupportedDtype("gather", op.in[0].dtype);
  }
}

void scatterAdd(DeviceContext& ctx, const wt_op& op, const wt_none_params&) {
  const wt_view& in = op.in[0];
  const wt_view& out = op.out[0];
  requireDtype(op.in[1], WT_I32, "scatter_add index");
  requireDtype(out, in.dtype, "scatter_add output");
  withAnyDtype(in.dtype, "scatter_add", [&](auto tag) {
    using T = typename decltype(tag)::type;
    int64_t total = elementCount(in);
    if (total == 0) return;
    const int64_t outer = in.shape[0], gathered = in.shape[1], inner = in.shape[2], extent = out.shape[1];
    const T* src = static_cast<const T*>(in.data);
    const int32_t* index = static_cast<const int32_t*>(op.in[1].data);
    T* dst = static_cast<T*>(out.data);
    int64_t columns = outer * inner;
    if (columns >= kOrderedMinColumns || gathered <= kOrderedMaxSerial) {
      launch("scatterAddColumns", scatterAddColumns<T>, dim3(gridFor(ctx, columns, kGatherThreads)),
             dim3(kGatherThreads), 0, ctx.stream(), src, index, dst, columns, gathered, extent,
             IntDivider::of(uint64_t(inner)), ctx.rangeErrorFlag());
    } else {
      RowColumn split{IntDivider::of(uint64_t(inner)), IntDivider::of(uint64_t(gathered))};
      launch("scatterAddAtomic", scatterAddAtomic<T>, dim3(gridFor(ctx, total, kGatherThreads)),
             dim3(kGatherThreads), 0, ctx.stream(), src, index, dst, total, extent, split, ctx.rangeErrorFlag());
    }
  });
}

}  // namespace cuda
}  // namespace wt
