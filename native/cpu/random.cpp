// Counter-based random streams (Philox4x32-10): element e depends only on (seed, offset, e), so
// any chunking across threads or devices gives the same numbers.
#include "../kernels/philox.h"
#include "dispatch.h"
#include "kernels.h"
#include "thread_pool.h"

namespace wt {
namespace cpu {

void random(const wt_op& op, const wt_random_params& p) {
  visitFloat(op.out[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* out = static_cast<T*>(op.out[0].data);
    int64_t n = 1;
    for (int d = 0; d < op.out[0].ndim; ++d) n *= op.out[0].shape[d];
    parallelFor(n, 1 << 13, [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) out[k] = philox::sample<T>(p.code, (uint64_t)k, p.seed, p.offset, p.p0, p.p1);
    });
  });
}

}  // namespace cpu
}  // namespace wt
