// Building and caching device FFT plans: radix choice, twiddles in double rounded once, Bluestein's
// chirp and its spectrum (a host Stockham FFT in double over the same butterflies as the kernels).
#include "fft_plan.cuh"

#include <stdint.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>

#include "kernels/fft_butterfly.h"
#include "kernels/fft_factor.h"
#include "kernels/fft_twiddle.h"
#include "launch.cuh"

namespace wt {
namespace cuda {
namespace {

void hostDft(int radix, cplx<double>* v) {
  switch (radix) {
    case 2: fft::dft<2, double>(v); break;
    case 3: fft::dft<3, double>(v); break;
    case 4: fft::dft<4, double>(v); break;
    case 5: fft::dft<5, double>(v); break;
    case 7: fft::dft<7, double>(v); break;
    case 11: fft::dft<11, double>(v); break;
    default: fft::dft<8, double>(v); break;
  }
}

// Forward Stockham FFT in double on the host, the kernels' pass structure with exact twiddles.
std::vector<cplx<double>> hostFft(std::vector<cplx<double>> x, const std::vector<int>& radices) {
  const int64_t n = (int64_t)x.size();
  std::vector<cplx<double>> y(x.size());
  int64_t ns = 1;
  for (int radix : radices) {
    const int64_t m = n / radix;
    for (int64_t j = 0; j < m; ++j) {
      const int64_t k = j % ns;
      cplx<double> v[11];
      for (int r = 0; r < radix; ++r) v[r] = x[j + r * m] * fft::rootOfUnity(r * k, ns * radix);
      hostDft(radix, v);
      const int64_t base = (j / ns) * ns * radix + k;
      for (int r = 0; r < radix; ++r) y[base + r * ns] = v[r];
    }
    std::swap(x, y);
    ns *= radix;
  }
  return x;
}

template <class T>
cplx<T>* upload(DeviceContext& ctx, const std::vector<cplx<double>>& values) {
  if (values.empty()) return nullptr;
  std::vector<cplx<T>> rounded(values.size());
  for (size_t i = 0; i < values.size(); ++i) rounded[i] = {(T)values[i].re, (T)values[i].im};
  void* p = nullptr;
  // Plain cudaMalloc, not the caching allocator: plans live until process exit and stay out of
  // the tensor memory statistics.
  check(cudaMalloc(&p, rounded.size() * sizeof(cplx<T>)), "fft plan: cudaMalloc");
  ctx.copyToDevice(p, rounded.data(), rounded.size() * sizeof(cplx<T>));
  return static_cast<cplx<T>*>(p);
}

// The four-step split n = n1 n2 of a Stockham length: both factors one-block lengths, the most
// transforms per block in the weaker of the two steps (wider tiles coalesce better), then the most
// balanced. Returns 0 when there is none.
int64_t fourStepSplit(int64_t n, size_t complexBytes) {
  int64_t best = 0;
  int bestTile = 0;
  for (int64_t n1 = 2; n1 <= kSharedFftMaxN && n1 < n; ++n1) {
    if (n % n1 != 0) continue;
    const int64_t n2 = n / n1;
    const int tile = std::min(fourStepTile(n1, stockhamRadices(n1), complexBytes),
                              fourStepTile(n2, stockhamRadices(n2), complexBytes));
    const auto imbalance = [n](int64_t a) { return std::fabs(std::log(double(a) * double(a) / double(n))); };
    if (tile > bestTile || (tile == bestTile && tile > 0 && imbalance(n1) < imbalance(best))) {
      best = n1;
      bestTile = tile;
    }
  }
  return best;
}

template <class T>
void buildFourStep(DeviceContext& ctx, DeviceFftPlan<T>& plan, int64_t n1) {
  const int64_t n2 = plan.n / n1;
  plan.columnPlan = deviceFftPlan<T>(ctx, n1);
  plan.rowPlan = deviceFftPlan<T>(ctx, n2);
  std::vector<cplx<double>> tw;
  for (int64_t a = 0; a < n1; ++a) tw.push_back(fft::rootOfUnity(a, n1));
  for (int64_t b = 0; b < n2; ++b) tw.push_back(fft::rootOfUnity(b, plan.n));
  plan.stepTwiddles = upload<T>(ctx, tw);
}

template <class T>
std::shared_ptr<const DeviceFftPlan<T>> buildPlan(DeviceContext& ctx, int64_t n) {
  auto plan = std::make_shared<DeviceFftPlan<T>>();
  plan->n = n;
  std::vector<int> radices = stockhamRadices(n);
  if (n == 1 || !radices.empty()) {
    plan->radices = radices;
    if (!oneBlockWidth(n, radices, sizeof(cplx<T>), n)) {
      if (const int64_t n1 = fourStepSplit(n, sizeof(cplx<T>))) {
        buildFourStep(ctx, *plan, n1);
        return plan;
      }
    }
    std::vector<cplx<double>> tw;
    int64_t ns = 1;
    for (int radix : radices) {
      plan->twiddleOffset.push_back((int64_t)tw.size());
      for (int64_t k = 0; k < ns; ++k)
        for (int r = 1; r < radix; ++r) tw.push_back(fft::rootOfUnity(r * k, ns * radix));
      ns *= radix;
    }
    plan->twiddles = upload<T>(ctx, tw);
    return plan;
  }
  if (n >= (int64_t(1) << 30))
    throw Failure(WT_E_SHAPE, "fft: length " + std::to_string(n) + " is too long for Bluestein (< 2^30)");
  const int64_t m = bluesteinLength(2 * n - 1);
  plan->inner = deviceFftPlan<T>(ctx, m);
  std::vector<cplx<double>> chirp(n), b(m, cplx<double>{0, 0});
  for (int64_t k = 0; k < n; ++k) {
    chirp[k] = fft::bluesteinChirp(k, n);
    b[k] = {chirp[k].re, -chirp[k].im};
    if (k > 0) b[m - k] = b[k];
  }
  std::vector<cplx<double>> spectrum = hostFft(std::move(b), stockhamRadices(m));
  for (cplx<double>& z : spectrum) z = {z.re / (double)m, z.im / (double)m};
  plan->chirp = upload<T>(ctx, chirp);
  plan->spectrum = upload<T>(ctx, spectrum);
  return plan;
}

template <class T>
std::shared_ptr<const DeviceRealFftPlan<T>> buildRealPlan(DeviceContext& ctx, int64_t n) {
  auto plan = std::make_shared<DeviceRealFftPlan<T>>();
  plan->n = n;
  plan->inner = deviceFftPlan<T>(ctx, n % 2 == 0 ? n / 2 : n);
  if (n % 2 == 0) {
    std::vector<cplx<double>> pack;
    for (int64_t k = 0; k <= n / 4; ++k) pack.push_back(fft::rootOfUnity(k, n));
    plan->pack = upload<T>(ctx, pack);
  }
  return plan;
}

// (device, n) -> plan. Plans are built outside the lock (a Bluestein plan fetches its inner plan);
// the caller holds the device mutex, so one device never builds the same plan twice at once.
template <class P>
class PlanCache {
 public:
  template <class Build>
  std::shared_ptr<const P> get(DeviceContext& ctx, int64_t n, Build build) {
    const auto key = std::make_pair(ctx.index(), n);
    {
      std::lock_guard<std::mutex> g(m_);
      auto it = plans_.find(key);
      if (it != plans_.end()) return it->second;
    }
    std::shared_ptr<const P> plan = build(ctx, n);
    std::lock_guard<std::mutex> g(m_);
    return plans_.emplace(key, std::move(plan)).first->second;
  }

 private:
  std::mutex m_;
  std::map<std::pair<int, int64_t>, std::shared_ptr<const P>> plans_;
};

// Never destroyed, like the device contexts: device memory must not be freed from static destructors.
template <class P>
PlanCache<P>& planCache() {
  static PlanCache<P>* cache = new PlanCache<P>();
  return *cache;
}

}  // namespace

int oneBlockWidth(int64_t n, const std::vector<int>& radices, size_t complexBytes, int64_t pitch) {
  if (n > kSharedFftMaxN || size_t(pitch) * complexBytes > kSharedFftBytes || radices.size() > size_t(kMaxPasses))
    return 0;
  if (radices.empty()) return 1;
  const int minRadix = *std::min_element(radices.begin(), radices.end());
  const int64_t width = n / minRadix;
  return width <= sharedThreadLimit(hasRadix11(radices), complexBytes == 16) ? int(width) : 0;
}

int fourStepTile(int64_t n, const std::vector<int>& radices, size_t complexBytes) {
  const int width = oneBlockWidth(n, radices, complexBytes, n + 1);
  if (!width) return 0;
  const int threadLimit = sharedThreadLimit(hasRadix11(radices), complexBytes == 16);
  int tile = 16;
  while (tile > 1 && (width * tile > threadLimit ||
                      size_t(tile) * size_t(n + 1) * complexBytes > kSharedFftBytes))
    tile /= 2;
  return tile;
}

template <class T>
std::shared_ptr<const DeviceFftPlan<T>> deviceFftPlan(DeviceContext& ctx, int64_t n) {
  return planCache<DeviceFftPlan<T>>().get(ctx, n, buildPlan<T>);
}
template <class T>
std::shared_ptr<const DeviceRealFftPlan<T>> deviceRealFftPlan(DeviceContext& ctx, int64_t n) {
  return planCache<DeviceRealFftPlan<T>>().get(ctx, n, buildRealPlan<T>);
}
template std::shared_ptr<const DeviceFftPlan<float>> deviceFftPlan<float>(DeviceContext&, int64_t);
template std::shared_ptr<const DeviceFftPlan<double>> deviceFftPlan<double>(DeviceContext&, int64_t);
template std::shared_ptr<const DeviceRealFftPlan<float>> deviceRealFftPlan<float>(DeviceContext&, int64_t);
template std::shared_ptr<const DeviceRealFftPlan<double>> deviceRealFftPlan<double>(DeviceContext&, int64_t);

}  // namespace cuda
}  // namespace wt
