// Building and caching the CPU FFT plans from the shared tables of kernels/fft_tables.h (radix
// choice, twiddles and Bluestein in double, rounded once); plus the per-thread scratch of the lanes.
#include "fft_plan.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "../core/error.h"
#include "../kernels/fft_factor.h"
#include "../kernels/fft_plan_cache.h"
#include "../kernels/fft_tables.h"

namespace wt {
namespace cpu {
namespace {

template <class T>
std::shared_ptr<const ComplexPlan<T>> buildComplexPlan(int64_t n) {
  auto plan = std::make_shared<ComplexPlan<T>>();
  plan->n = n;
  std::vector<int> radices = stockhamRadices(n);
  if (n == 1 || !radices.empty()) {
    fft::StockhamTwiddles tw = fft::stockhamTwiddles(radices);
    plan->radices = std::move(radices);
    plan->twiddles = fft::rounded<T>(tw.values);
    plan->twiddleOffset = std::move(tw.offsets);
    return plan;
  }
  if (n >= fft::kMaxBluesteinLength)
    fail(WT_E_SHAPE, "fft: length ", n, " has a prime factor above 11 and is too long for Bluestein (< 2^30)");
  const fft::BluesteinTables tables = fft::bluesteinTables(n);
  plan->bluesteinInner = complexPlan<T>(tables.m);
  plan->chirp = fft::rounded<T>(tables.chirp);
  plan->chirpSpectrum = fft::rounded<T>(tables.spectrum);
  return plan;
}

template <class T>
std::shared_ptr<const RealPlan<T>> buildRealPlan(int64_t n) {
  auto plan = std::make_shared<RealPlan<T>>();
  plan->n = n;
  plan->inner = complexPlan<T>(n % 2 == 0 ? n / 2 : n);
  if (n % 2 == 0) plan->packTwiddles = fft::rounded<T>(fft::realPackTwiddles(n));
  return plan;
}

// Past 256 plans of one type the cache starts over; running transforms keep theirs alive.
template <class P>
using CpuPlanCache = fft::PlanCache<int64_t, P, 256>;

struct ThreadScratch {
  void* data = nullptr;
  size_t bytes = 0;
  ~ThreadScratch() { std::free(data); }
};

}  // namespace

template <class T>
std::shared_ptr<const ComplexPlan<T>> complexPlan(int64_t n) {
  return CpuPlanCache<ComplexPlan<T>>::instance().get(n, [n] { return buildComplexPlan<T>(n); });
}
template <class T>
std::shared_ptr<const RealPlan<T>> realPlan(int64_t n) {
  return CpuPlanCache<RealPlan<T>>::instance().get(n, [n] { return buildRealPlan<T>(n); });
}
template std::shared_ptr<const ComplexPlan<float>> complexPlan<float>(int64_t);
template std::shared_ptr<const ComplexPlan<double>> complexPlan<double>(int64_t);
template std::shared_ptr<const RealPlan<float>> realPlan<float>(int64_t);
template std::shared_ptr<const RealPlan<double>> realPlan<double>(int64_t);

void* fftScratch(size_t bytes) noexcept {
  thread_local ThreadScratch scratch;
  if (bytes <= scratch.bytes) return scratch.data;
  std::free(scratch.data);
  scratch.bytes = (bytes + 63) / 64 * 64;
  scratch.data = std::aligned_alloc(64, scratch.bytes);
  if (!scratch.data) scratch.bytes = 0;
  return scratch.data;
}

}  // namespace cpu
}  // namespace wt
