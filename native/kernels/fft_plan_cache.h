// The FFT plan cache of both backends: one per plan type (so per precision), keyed by length (and device
// on CUDA); plans are immutable, shared by shared_ptr, and looked up thread-safely.
#pragma once
#include <stddef.h>

#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace wt {
namespace fft {

// Plans are built outside the lock (a Bluestein or four-step plan fetches its inner plans from the
// same cache); if two threads race, the first inserted wins and the other copy is dropped. With
// kMaxPlans > 0 the map is cleared once it holds that many (running transforms keep theirs alive);
// 0 keeps every plan, for plans whose memory must not be released (CUDA device tables).
template <class Key, class Plan, size_t kMaxPlans>
class PlanCache {
 public:
  template <class Build>
  std::shared_ptr<const Plan> get(const Key& key, Build&& build) {
    {
      std::lock_guard<std::mutex> g(m_);
      auto it = plans_.find(key);
      if (it != plans_.end()) return it->second;
    }
    std::shared_ptr<const Plan> plan = build();
    std::lock_guard<std::mutex> g(m_);
    if (kMaxPlans > 0 && plans_.size() >= kMaxPlans) plans_.clear();
    return plans_.emplace(key, std::move(plan)).first->second;
  }

  // The process's cache for this plan type. Never destroyed: a CPU stream thread may still be
  // transforming, and device memory must not be freed, while static destructors run.
  static PlanCache& instance() {
    static PlanCache* cache = new PlanCache();
    return *cache;
  }

 private:
  std::mutex m_;
  std::map<Key, std::shared_ptr<const Plan>> plans_;
};

}  // namespace fft
}  // namespace wt
