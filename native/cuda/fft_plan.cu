// Building and caching device FFT plans from the shared tables of kernels/fft_tables.h (radix choice,
// twiddles and Bluestein in double, rounded once), plus the four-step split and its twiddles.
#include "fft_plan.cuh"

#include <stdint.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "kernels/fft_factor.h"
#include "kernels/fft_plan_cache.h"
#include "kernels/fft_tables.h"
#include "kernels/fft_twiddle.h"
#include "launch.cuh"

namespace wt {
namespace cuda {
namespace {

template <class T>
cplx<T>* upload(DeviceContext& ctx, const std::vector<cplx<double>>& values) {
  if (values.empty()) return nullptr;
  const std::vector<cplx<T>> rounded = fft::rounded<T>(values);
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
    fft::StockhamTwiddles tw = fft::stockhamTwiddles(radices);
    plan->twiddleOffset = std::move(tw.offsets);
    plan->twiddles = upload<T>(ctx, tw.values);
    return plan;
  }
  if (n >= fft::kMaxBluesteinLength)
    throw Failure(WT_E_SHAPE, "fft: length " + std::to_string(n) + " is too long for Bluestein (< 2^30)");
  const fft::BluesteinTables tables = fft::bluesteinTables(n);
  plan->inner = deviceFftPlan<T>(ctx, tables.m);
  plan->chirp = upload<T>(ctx, tables.chirp);
  plan->spectrum = upload<T>(ctx, tables.spectrum);
  return plan;
}

template <class T>
std::shared_ptr<const DeviceRealFftPlan<T>> buildRealPlan(DeviceContext& ctx, int64_t n) {
  auto plan = std::make_shared<DeviceRealFftPlan<T>>();
  plan->n = n;
  plan->inner = deviceFftPlan<T>(ctx, n % 2 == 0 ? n / 2 : n);
  if (n % 2 == 0) plan->pack = upload<T>(ctx, fft::realPackTwiddles(n));
  return plan;
}

// (device, n) -> plan; every plan is kept, since its device tables are never freed. The caller holds
// the device mutex, so one device never builds the same plan twice at once.
template <class P>
using DevicePlanCache = fft::PlanCache<std::pair<int, int64_t>, P, 0>;

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
  return DevicePlanCache<DeviceFftPlan<T>>::instance().get({ctx.index(), n}, [&] { return buildPlan<T>(ctx, n); });
}
template <class T>
std::shared_ptr<const DeviceRealFftPlan<T>> deviceRealFftPlan(DeviceContext& ctx, int64_t n) {
  return DevicePlanCache<DeviceRealFftPlan<T>>::instance().get({ctx.index(), n},
                                                                [&] { return buildRealPlan<T>(ctx, n); });
}
template std::shared_ptr<const DeviceFftPlan<float>> deviceFftPlan<float>(DeviceContext&, int64_t);
template std::shared_ptr<const DeviceFftPlan<double>> deviceFftPlan<double>(DeviceContext&, int64_t);
template std::shared_ptr<const DeviceRealFftPlan<float>> deviceRealFftPlan<float>(DeviceContext&, int64_t);
template std::shared_ptr<const DeviceRealFftPlan<double>> deviceRealFftPlan<double>(DeviceContext&, int64_t);

}  // namespace cuda
}  // namespace wt
