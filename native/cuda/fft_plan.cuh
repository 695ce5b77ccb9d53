// Device FFT plans for the CUDA plugin: per (device, n, precision), built once on the host (radices,
// twiddles and Bluestein chirps computed in double, rounded once) and uploaded to device memory.
// Cached for the life of the process; lookups are thread-safe.
#pragma once
#include <stdint.h>

#include <memory>
#include <vector>

#include "device_context.cuh"
#include "kernels/complex.h"

namespace wt {
namespace cuda {

// A forward complex DFT of length n: mixed-radix Stockham (radices from {2,3,4,5,7,8,11}) or, when n
// has another prime factor, Bluestein through an inner 2^a 3^b Stockham plan.
template <class T>
struct DeviceFftPlan {
  int64_t n = 0;
  std::vector<int> radices;            // Stockham passes in execution order (empty for n = 1)
  std::vector<int64_t> twiddleOffset;  // pass p's block in `twiddles`: exp(-2 pi i r k/(ns R)), [k][r-1]
  cplx<T>* twiddles = nullptr;         // device
  // Bluestein: X = chirp . IFFT_M(FFT_M(chirp . x) . spectrum)
  std::shared_ptr<const DeviceFftPlan<T>> inner;  // length M >= 2n - 1
  cplx<T>* chirp = nullptr;                       // device, exp(-pi i k^2 / n), k < n
  cplx<T>* spectrum = nullptr;                    // device, FFT_M(conj chirp, wrapped) / M
  bool isBluestein() const { return inner != nullptr; }
};

// A real DFT of length n: even n through an n/2-point complex plan plus the packing twiddles
// exp(-2 pi i k / n), k <= n/4; odd n through an n-point complex plan.
template <class T>
struct DeviceRealFftPlan {
  int64_t n = 0;
  std::shared_ptr<const DeviceFftPlan<T>> inner;
  cplx<T>* pack = nullptr;  // device, even n only
};

// Call with ctx's mutex held and the device current (inside a plugin entry point).
template <class T>
std::shared_ptr<const DeviceFftPlan<T>> deviceFftPlan(DeviceContext& ctx, int64_t n);
template <class T>
std::shared_ptr<const DeviceRealFftPlan<T>> deviceRealFftPlan(DeviceContext& ctx, int64_t n);

}  // namespace cuda
}  // namespace wt
