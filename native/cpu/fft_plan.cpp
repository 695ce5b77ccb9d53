// Building and caching FFT plans: radix choice, twiddle tables in double rounded once, Bluestein's
// chirp and its spectrum; plus the per-thread scratch the lane kernels run in.
#include "fft_plan.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>

#include "../core/error.h"
#include "../kernels/fft_factor.h"
#include "../kernels/fft_twiddle.h"

namespace wt {
namespace cpu {
namespace {

template <class T>
cplx<T> rounded(cplx<double> z) {
  return {(T)z.re, (T)z.im};
}

template <class T>
void buildStockham(ComplexPlan<T>& plan, std::vector<int> radices) {
  plan.radices = std::move(radices);
  int64_t ns = 1;
  for (int radix : plan.radices) {
    plan.twiddleOffset.push_back((int64_t)plan.twiddles.size());
    for (int64_t k = 0; k < ns; ++k)
      for (int r = 1; r < radix; ++r) plan.twiddles.push_back(rounded<T>(fft::rootOfUnity(r * k, ns * radix)));
    ns *= radix;
  }
}

// chirpSpectrum = FFT_M(b) / M with b[k] = b[M-k] = conj(chirp[k]) for k < n, computed in double.
std::vector<cplx<double>> bluesteinSpectrum(int64_t n, int64_t m) {
  std::vector<cplx<double>> b(m, cplx<double>{0, 0}), spectrum(m);
  for (int64_t k = 0; k < n; ++k) {
    const cplx<double> w = fft::bluesteinChirp(k, n);
    b[k] = {w.re, -w.im};
    if (k > 0) b[m - k] = b[k];
  }
  const auto plan = complexPlan<double>(m);
  if (!sse4KernelsF64().complexRows(*plan, b.data(), spectrum.data(), 0, 1, false, 1.0 / (double)m))
    throw std::bad_alloc();
  return spectrum;
}

template <class T>
std::shared_ptr<const ComplexPlan<T>> buildComplexPlan(int64_t n) {
  auto plan = std::make_shared<ComplexPlan<T>>();
  plan->n = n;
  std::vector<int> radices = stockhamRadices(n);
  if (n == 1 || !radices.empty()) {
    buildStockham(*plan, std::move(radices));
    return plan;
  }
  if (n >= (int64_t(1) << 30))
    fail(WT_E_SHAPE, "fft: length ", n, " has a prime factor above 11 and is too long for Bluestein (< 2^30)");
  const int64_t m = bluesteinLength(2 * n - 1);
  plan->bluesteinInner = complexPlan<T>(m);
  plan->chirp.reserve(n);
  for (int64_t k = 0; k < n; ++k) plan->chirp.push_back(rounded<T>(fft::bluesteinChirp(k, n)));
  for (const cplx<double>& z : bluesteinSpectrum(n, m)) plan->chirpSpectrum.push_back(rounded<T>(z));
  return plan;
}

template <class T>
std::shared_ptr<const RealPlan<T>> buildRealPlan(int64_t n) {
  auto plan = std::make_shared<RealPlan<T>>();
  plan->n = n;
  plan->inner = complexPlan<T>(n % 2 == 0 ? n / 2 : n);
  if (n % 2 == 0)
    for (int64_t k = 0; k <= n / 4; ++k) plan->packTwiddles.push_back(rounded<T>(fft::rootOfUnity(k, n)));
  return plan;
}

// Plans are built outside the lock (a Bluestein plan fetches its inner plans); if two threads
// race, the first inserted wins and the other copy is dropped. Past kMaxPlans the map is cleared:
// running transforms keep their plans alive through shared_ptr.
template <class P>
class PlanCache {
 public:
  template <class Build>
  std::shared_ptr<const P> get(int64_t n, Build build) {
    {
      std::lock_guard<std::mutex> g(m_);
      auto it = plans_.find(n);
      if (it != plans_.end()) return it->second;
    }
    std::shared_ptr<const P> plan = build(n);
    std::lock_guard<std::mutex> g(m_);
    if (plans_.size() >= kMaxPlans) plans_.clear();
    return plans_.emplace(n, std::move(plan)).first->second;
  }

 private:
  static constexpr size_t kMaxPlans = 256;
  std::mutex m_;
  std::unordered_map<int64_t, std::shared_ptr<const P>> plans_;
};

// Never destroyed: a stream thread may still be transforming while static destructors run.
template <class P>
PlanCache<P>& planCache() {
  static PlanCache<P>* cache = new PlanCache<P>();
  return *cache;
}

struct ThreadScratch {
  void* data = nullptr;
  size_t bytes = 0;
  ~ThreadScratch() { std::free(data); }
};

}  // namespace

template <class T>
std::shared_ptr<const ComplexPlan<T>> complexPlan(int64_t n) {
  return planCache<ComplexPlan<T>>().get(n, buildComplexPlan<T>);
}
template <class T>
std::shared_ptr<const RealPlan<T>> realPlan(int64_t n) {
  return planCache<RealPlan<T>>().get(n, buildRealPlan<T>);
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
