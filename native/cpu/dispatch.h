// dtype -> C++ type dispatch for the CPU kernels.
#pragma once
#include <stdlib.h>

#include <algorithm>
#include <string>

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

// WAVETAPE_CPU_ISA caps the instruction-set tier, as PyTorch's ATEN_CPU_CAPABILITY does: to compare
// tiers on one machine, and for the tests that run every tier the machine has. Unset, empty or
// avx512: no cap; avx2; baseline. Any other value: no cap here, and checkCpuIsaCap (called by the
// binding's init) throws.
inline int cpuIsaCap() {
  const char* cap = getenv("WAVETAPE_CPU_ISA");
  const std::string c(cap == nullptr ? "" : cap);
  return c == "baseline" ? 0 : c == "avx2" ? 1 : c == "" || c == "avx512" ? 2 : -1;
}
inline void checkCpuIsaCap() {
  if (cpuIsaCap() < 0)
    fail(WT_E_RANGE, "wavetape: WAVETAPE_CPU_ISA = '", getenv("WAVETAPE_CPU_ISA"), "'; expected baseline, avx2 or avx512");
}

// The widest instruction-set tier the CPU kernels use, decided once: 0 the x86-64-v2 build, 1 AVX2
// + FMA, 2 AVX-512 F, DQ and VL (__builtin_cpu_supports also checks that the OS saves the registers).
inline int cpuTierOf() {
  static const int tier = [] {
    int t = 0;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) t = 1;
    if (t == 1 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl"))
      t = 2;
    const int cap = cpuIsaCap();
    return cap >= 0 ? std::min(t, cap) : t;
  }();
  return tier;
}

// AVX2 and FMA: each family's AVX2 unit (fft, wavelet, sdtw, trust region) runs only where this
// holds; the x86-64-v2 build runs everywhere else.
inline bool cpuHasAvx2Fma() { return cpuTierOf() >= 1; }
// AVX-512 F, DQ and VL: the soft-DTW lane kernels' 32-pair forward and 8-pair backward groups
// (sdtw_avx512.cpp).
inline bool cpuHasAvx512() { return cpuTierOf() >= 2; }

// Elements per parallelFor chunk for cheap elementwise work: big enough to amortise the hand-off.
constexpr int64_t kElementwiseGrain = 1 << 15;

}  // namespace cpu
}  // namespace wt
