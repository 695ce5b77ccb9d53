// Device FFT plans for the CUDA plugin: per (device, n, precision), built once on the host (radices,
// twiddles and Bluestein chirps computed in double, rounded once) and uploaded to device memory.
// Cached for the life of the process; lookups are thread-safe.
#pragma once
#include <stdint.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "device_context.cuh"
#include "kernels/complex.h"

namespace wt {
namespace cuda {

// The one-block FFT kernel: a block holds whole rows in shared memory, one thread per butterfly of
// the plan's smallest radix. 512 threads leave 128 registers a thread; radix 11, and double precision
// (radix 7/8 in double), need up to 255 and are bounded at 256 threads.
constexpr int kSharedFftMaxN = 4096;
constexpr size_t kSharedFftBytes = 48 * 1024;
constexpr int kSharedMaxThreads = 512;
constexpr int kMaxPasses = 24;
constexpr int sharedThreadLimit(bool eleven, bool isDouble) {
  return eleven || isDouble ? kSharedMaxThreads / 2 : kSharedMaxThreads;
}
// Plans with a radix-11 pass run a separate kernel instantiation bounded at 256 threads.
inline bool hasRadix11(const std::vector<int>& radices) {
  return std::find(radices.begin(), radices.end(), 11) != radices.end();
}
// Threads a block needs per row to run a Stockham plan of length n with these radices in shared
// memory (`pitch` complex values a row), or 0 when one row does not fit one block.
int oneBlockWidth(int64_t n, const std::vector<int>& radices, size_t complexBytes, int64_t pitch);
// How many transforms of length n a four-step block runs side by side (rows padded to n + 1 values,
// so reading down columns is free of bank conflicts): up to 16, 0 if not even one fits.
int fourStepTile(int64_t n, const std::vector<int>& radices, size_t complexBytes);

// A forward complex DFT of length n, one of:
//  - mixed-radix Stockham (radices from {2,3,4,5,7,8,11}) in one block when it fits (oneBlockWidth);
//  - four-step: n = n1 n2 with both one-block lengths; FFTs of length n1 down the columns of the
//    row read as n1 x n2, a twiddle exp(-2 pi i j2 k1 / n), FFTs of length n2 along its rows;
//  - Stockham in one global-memory pass per radix, for long lengths with no such split;
//  - Bluestein through an inner 2^a 3^b 5^c 7^d plan (bluesteinLength) when n has another prime factor.
template <class T>
struct DeviceFftPlan {
  int64_t n = 0;
  std::vector<int> radices;            // Stockham passes in execution order (empty for n = 1)
  std::vector<int64_t> twiddleOffset;  // pass p's block in `twiddles`: exp(-2 pi i r k/(ns R)), [k][r-1]
  cplx<T>* twiddles = nullptr;         // device; unused by four-step plans
  // Four-step: columnPlan has length n1, rowPlan n2; stepTwiddles holds exp(-2 pi i a / n1), a < n1,
  // then exp(-2 pi i b / n), b < n2, whose products give exp(-2 pi i q / n) for q = a n2 + b < n.
  std::shared_ptr<const DeviceFftPlan<T>> columnPlan, rowPlan;
  cplx<T>* stepTwiddles = nullptr;
  bool isFourStep() const { return columnPlan != nullptr; }
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
