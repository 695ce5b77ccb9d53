// WT_OP_RANDOM: fills a contiguous float32/float64 tensor from the counter-based Philox stream of
// kernels/philox.h, element e taking the same value on every backend for a given seed and offset.
#include <stdint.h>

#include "dtype_dispatch.cuh"
#include "kernels/philox.h"
#include "launch.cuh"
#include "ops.cuh"

namespace wt {
namespace cuda {
namespace {

constexpr int kRandomThreads = 256;

struct RandomStream {
  int code;
  uint64_t seed, offset;
  double p0, p1;
};

// Grid: 1-D grid-stride over elements, each computed independently from its index by philox::sample;
// neighbouring threads write neighbouring elements (coalesced stores), no state is carried between them.
template <class T>
__global__ void __launch_bounds__(kRandomThreads, kMinBlocksPerSm) randomFill(T* out, int64_t n, RandomStream s) {
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  for (int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; e < n; e += stride)
    out[e] = philox::sample<T>(s.code, uint64_t(e), s.seed, s.offset, s.p0, s.p1);
}

}  // namespace

void random(DeviceContext& ctx, const wt_op& op, const wt_random_params& p) {
  const wt_view& out = op.out[0];
  if (p.code != WT_RNG_UNIFORM && p.code != WT_RNG_NORMAL && p.code != WT_RNG_BERNOULLI)
    throw Failure(WT_E_INTERNAL, "random: unknown distribution " + std::to_string(p.code));
  withRealDtype(out.dtype, "random", [&](auto tag) {
    using T = typename decltype(tag)::type;
    int64_t n = elementCount(out);
    if (n == 0) return;
    RandomStream s{p.code, p.seed, p.offset, p.p0, p.p1};
    launch("randomFill", randomFill<T>, dim3(gridFor(ctx, n, kRandomThreads)), dim3(kRandomThreads), 0, ctx.stream(),
           static_cast<T*>(out.data), n, s);
  });
}

}  // namespace cuda
}  // namespace wt
