// The FFT lane kernels for AVX2 + FMA: 8 float or 4 double rows per vector.
// Compiled for AVX2 through a pragma (the build's baseline is x86-64-v2); only called after a CPU check.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

// Everything the baseline build also instantiates (std, plans) is included above the pragma, so no
// inline function shared with other translation units is compiled for AVX2.
#include "fft_plan.h"

#pragma GCC target("avx2,fma")

#include "avx2_transpose.h"
#include "fft_lanes.h"

namespace wt {
namespace cpu {
namespace {

// Plain GCC vectors: the intrinsic types carry may_alias, which template arguments drop.
typedef float F32x8 __attribute__((vector_size(32)));
typedef double F64x4 __attribute__((vector_size(32)));

struct Avx2F32 {
  using V = F32x8;
  using T = float;
  static constexpr int W = 8;
  static void transpose(V* v) { transpose8x8(v); }
};

struct Avx2F64 {
  using V = F64x4;
  using T = double;
  static constexpr int W = 4;
  static void transpose(V* v) { transpose4x4(v); }
};

}  // namespace

LaneKernels<float> avx2KernelsF32() { return LaneFft<Avx2F32>::kernels(); }
LaneKernels<double> avx2KernelsF64() { return LaneFft<Avx2F64>::kernels(); }

}  // namespace cpu
}  // namespace wt
