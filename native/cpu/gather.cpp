// gather / scatter-add along the middle axis of [O, A, I] (picking pairs for losses, and its
// gradient).
#include <cstring>

#include "../core/dtype.h"
#include "dispatch.h"
#include "kernels.h"
#include "thread_pool.h"

namespace wt {
namespace cpu {
namespace {

void checkIndices(const int32_t* idx, int64_t G, int64_t A, const char* what) {
  for (int64_t g = 0; g < G; ++g)
    if (idx[g] < 0 || idx[g] >= A)
      fail(WT_E_RANGE, what, ": index ", idx[g], " at position ", g, " is outside [0, ", A, ")");
}

}  // namespace

void gather(const wt_op& op, const wt_none_params&) {
  const int64_t O = op.in[0].shape[0], A = op.in[0].shape[1], I = op.in[0].shape[2];
  const int64_t G = op.in[1].shape[0];
  const int32_t* idx = static_cast<const int32_t*>(op.in[1].data);
  checkIndices(idx, G, A, "gather");
  const size_t row = (size_t)I * dtypeSize((DType)op.in[0].dtype);
  const char* x = static_cast<const char*>(op.in[0].data);
  char* out = static_cast<char*>(op.out[0].data);
  parallelFor(O * G, (1 << 16) / (int64_t)(row + 1) + 1, [&](int64_t b, int64_t e) {
    for (int64_t w = b; w < e; ++w) {
      const int64_t o = w / G, g = w % G;
      std::memcpy(out + (size_t)w * row, x + ((size_t)o * A + idx[g]) * row, row);
    }
  });
}

void scatterAdd(const wt_op& op, const wt_none_params&) {
  const int64_t O = op.in[0].shape[0], G = op.in[0].shape[1], I = op.in[0].shape[2];
  const int64_t A = op.out[0].shape[1];
  const int32_t* idx = static_cast<const int32_t*>(op.in[1].data);
  checkIndices(idx, G, A, "scatterAdd");
  visitDType(op.out[0].dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* src = static_cast<const T*>(op.in[0].data);
    T* out = static_cast<T*>(op.out[0].data);
    // Parallel over O only: different g may hit the same output row.
    parallelFor(O, 1, [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o)
        for (int64_t g = 0; g < G; ++g) {
          T* dst = out + ((size_t)o * A + idx[g]) * I;
          const T* s = src + ((size_t)o * G + g) * I;
          for (int64_t i = 0; i < I; ++i) dst[i] = dst[i] + s[i];
        }
    });
  });
}

}  // namespace cpu
}  // namespace wt
