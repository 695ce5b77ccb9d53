// dtype -> C++ type dispatch for the CPU kernels.
#pragma once
#include "../core/error.h"
#include "../kernels/complex.h"

namespace wt {
namespace cpu {

template <class T> struct Tag { using type = T; };

// visit(Tag<T>{}) with T the element type of dtype d.
template <class V>
void visitDType(int32_t d, V&& visit) {
  switch (d) {
    case WT_F32: return visit(Tag<float>{});
    case WT_F64: return visit(Tag<double>{});
    case WT_C64: return visit(Tag<cplx<float>>{});
    case WT_C128: return visit(Tag<cplx<double>>{});
    case WT_I32: return visit(Tag<int32_t>{});
  }
  fail(WT_E_DTYPE, "cpu: unknown dtype ", d);
}

template <class V>
void visitFloat(int32_t d, V&& visit) {
  if (d == WT_F32) return visit(Tag<float>{});
  if (d == WT_F64) return visit(Tag<double>{});
  fail(WT_E_DTYPE, "cpu: expected float32 or float64, got dtype ", d);
}

// AVX2 and FMA, checked once: each family's AVX2 unit (fft, wavelet, sdtw, trust region) runs only
// where this holds; the x86-64-v2 build runs everywhere else.
inline bool cpuHasAvx2Fma() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}

// Elements per parallelFor chunk for cheap elementwise work: big enough to amortise the hand-off.
constexpr int64_t kElementwiseGrain = 1 << 15;

}  // namespace cpu
}  // namespace wt
