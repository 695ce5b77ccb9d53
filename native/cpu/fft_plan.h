// FFT plans for the CPU backend (immutable once built, cached per length and precision) and the
// per-ISA lane kernels that execute them on packs of rows.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "../kernels/complex.h"

namespace wt {
namespace cpu {

// A forward complex DFT of length n. Either mixed-radix Stockham (radices from {2,3,4,5,7,8,11},
// twiddles per pass) or, when n has another prime factor, Bluestein through an inner Stockham plan.
template <class T>
struct ComplexPlan {
  int64_t n = 0;
  std::vector<int> radices;            // Stockham passes in execution order (empty for n = 1)
  std::vector<cplx<T>> twiddles;       // pass p: exp(-2 pi i r k / (ns R)), [k][r-1], k < ns
  std::vector<int64_t> twiddleOffset;  // start of each pass's block in `twiddles`
  // Bluestein: X = chirp . IFFT_M(FFT_M(chirp . x) . chirpSpectrum)
  std::shared_ptr<const ComplexPlan<T>> bluesteinInner;  // length M >= 2n - 1, 7-smooth (bluesteinLength)
  std::vector<cplx<T>> chirp;                            // exp(-pi i k^2 / n), k < n
  std::vector<cplx<T>> chirpSpectrum;                    // FFT_M(conj chirp, wrapped) / M
  bool isBluestein() const { return bluesteinInner != nullptr; }
  // Complex values one row's buffer must hold while this plan runs.
  int64_t workLength() const { return isBluestein() ? bluesteinInner->n : n; }
};

// A real DFT of length n: even n through an n/2-point complex plan and the R2C twiddle pass,
// odd n through an n-point complex plan of the real input.
template <class T>
struct RealPlan {
  int64_t n = 0;
  std::shared_ptr<const ComplexPlan<T>> inner;  // length n/2 (even n) or n (odd n)
  std::vector<cplx<T>> packTwiddles;            // even n: exp(-2 pi i k / n), k <= n/4
};

template <class T>
std::shared_ptr<const ComplexPlan<T>> complexPlan(int64_t n);
template <class T>
std::shared_ptr<const RealPlan<T>> realPlan(int64_t n);

// One ISA's kernels; each transforms rows [rowBegin, rowEnd) of a contiguous batch and returns
// false only when its scratch could not be allocated (they run inside parallelFor: no throwing).
template <class T>
struct LaneKernels {
  int lanes;  // rows transformed together, one per SIMD lane
  bool (*complexRows)(const ComplexPlan<T>& plan, const cplx<T>* in, cplx<T>* out, int64_t rowBegin,
                      int64_t rowEnd, bool inverse, T scale);
  bool (*realForwardRows)(const RealPlan<T>& plan, const T* in, cplx<T>* out, int64_t rowBegin,
                          int64_t rowEnd, T scale);
  bool (*realInverseRows)(const RealPlan<T>& plan, const cplx<T>* in, T* out, int64_t rowBegin,
                          int64_t rowEnd, T scale);
};

LaneKernels<float> sse4KernelsF32();   // cpu/fft_sse4.cpp, the x86-64-v2 baseline
LaneKernels<double> sse4KernelsF64();
LaneKernels<float> avx2KernelsF32();   // cpu/fft_avx2.cpp, only called where AVX2 and FMA exist
LaneKernels<double> avx2KernelsF64();

// A 64-byte aligned per-thread buffer of at least `bytes`, reused across calls; nullptr when
// allocation fails. Valid until the same thread asks again.
void* fftScratch(size_t bytes) noexcept;

}  // namespace cpu
}  // namespace wt
