// Batched matmul [B, M, K] x [B, K, N] -> [B, M, N] on strided 3-D views: rows of C are computed
// as sums of scaled rows of B (i-k-j order), so the inner loop is a contiguous, vectorised axpy.
#include <vector>

#include "dispatch.h"
#include "kernels.h"
#include "thread_pool.h"

namespace wt {
namespace cpu {
namespace {

template <class T>
void matmulTyped(const wt_op& op) {
  const wt_view& A = op.in[0];
  const wt_view& Bv = op.in[1];
  const int64_t batch = op.out[0].shape[0], M = op.out[0].shape[1], N = op.out[0].shape[2], K = A.shape[2];
  const T* a = static_cast<const T*>(A.data);
  const T* b = static_cast<const T*>(Bv.data);
  T* c = static_cast<T*>(op.out[0].data);
  const bool bRowsContiguous = Bv.strides[2] == 1;
  parallelFor(batch * M, (1 << 14) / (N * K + 1) + 1, [&](int64_t lo, int64_t hi) {
    std::vector<T> brow(bRowsContiguous ? 0 : (size_t)N);
    for (int64_t w = lo; w < hi; ++w) {
      const int64_t bi = w / M, i = w % M;
      T* crow = c + (bi * M + i) * N;
      for (int64_t j = 0; j < N; ++j) crow[j] = T(0);
      const T* arow = a + bi * A.strides[0] + i * A.strides[1];
      for (int64_t k = 0; k < K; ++k) {
        const T av = arow[k * A.strides[2]];
        const T* br = b + bi * Bv.strides[0] + k * Bv.strides[1];
        if (!bRowsContiguous) {
          for (int64_t j = 0; j < N; ++j) brow[(size_t)j] = br[j * Bv.strides[2]];
          br = brow.data();
        }
        for (int64_t j = 0; j < N; ++j) crow[j] += av * br[j];
      }
    }
  });
}

}  // namespace

void matmul(const wt_op& op, const wt_none_params&) {
  visitFloat(op.out[0].dtype, [&](auto tag) { matmulTyped<typename decltype(tag)::type>(op); });
}

}  // namespace cpu
}  // namespace wt
