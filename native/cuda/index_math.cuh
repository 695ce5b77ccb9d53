// Index arithmetic shared by the kernels: division by a runtime constant through a multiply-high
// (for decomposing flat indices into coordinates), aligned packs, and kernels/merged_dims.h's layouts.
#pragma once
#include <stdint.h>

#include "kernels/hd.h"
#include "kernels/merged_dims.h"

namespace wt {
namespace cuda {

WT_HD uint64_t mulhi64(uint64_t a, uint64_t b) {
#ifdef __CUDA_ARCH__
  return __umul64hi(a, b);
#else
  return (uint64_t)(((unsigned __int128)a * b) >> 64);
#endif
}

// n / d and n % d for 0 <= n < 2^63 by a fixed d >= 1 (Granlund–Montgomery with the add step, as in
// PyTorch's IntDivider): q = (mulhi(n, magic) + n) >> shift. A 64-bit hardware divide costs ~70 instructions.
struct IntDivider {
  uint64_t divisor;
  uint64_t magic;
  uint32_t shift;

  static IntDivider of(uint64_t d) {
    IntDivider v;
    v.divisor = d;
    v.shift = 0;
    while (v.shift < 63 && (uint64_t(1) << v.shift) < d) ++v.shift;
    unsigned __int128 num = (unsigned __int128)((uint64_t(1) << v.shift) - d) << 64;
    v.magic = (uint64_t)(num / d) + 1;
    return v;
  }
  WT_HD uint64_t div(uint64_t n) const { return (mulhi64(n, magic) + n) >> shift; }
};

// N consecutive values loaded or stored as one (or a few) vector instructions.
template <class T, int N>
struct alignas(sizeof(T) * N) Pack {
  T v[N];
};

}  // namespace cuda
}  // namespace wt
