// The FFT lane kernels for the x86-64-v2 baseline: 4 float or 2 double rows per SSE vector.
// Every x86-64 machine can run these; fft_avx2.cpp replaces them where AVX2 and FMA exist.
#include <immintrin.h>

#include "fft_lanes.h"

namespace wt {
namespace cpu {
namespace {

// Plain GCC vectors: the intrinsic types carry may_alias, which template arguments drop.
typedef float F32x4 __attribute__((vector_size(16)));
typedef double F64x2 __attribute__((vector_size(16)));

struct Sse4F32 {
  using V = F32x4;
  using T = float;
  static constexpr int W = 4;
  static void transpose(V* v) { _MM_TRANSPOSE4_PS(v[0], v[1], v[2], v[3]); }
};

struct Sse4F64 {
  using V = F64x2;
  using T = double;
  static constexpr int W = 2;
  static void transpose(V* v) {
    const V lo = _mm_unpacklo_pd(v[0], v[1]);
    v[1] = _mm_unpackhi_pd(v[0], v[1]);
    v[0] = lo;
  }
};

}  // namespace

LaneKernels<float> sse4KernelsF32() { return LaneFft<Sse4F32>::kernels(); }
LaneKernels<double> sse4KernelsF64() { return LaneFft<Sse4F64>::kernels(); }

}  // namespace cpu
}  // namespace wt
