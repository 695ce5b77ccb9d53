// The CPU device: host memory from the allocator, ops dispatched to native/cpu kernels.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>

#include "../core/device.h"
#include "../core/dtype.h"
#include "../core/error.h"
#include "dispatch.h"
#include "kernels.h"
#include "thread_pool.h"

namespace wt {
namespace {

// Large blocks are kept for reuse: glibc returns them to the kernel on free (they are mmap'd),
// so every new big tensor would pay a page fault per 4 KiB on first touch — slower than the
// op itself for a streaming add. Small blocks go straight to malloc, which already caches them.
class BlockCache {
 public:
  static constexpr size_t kMinCached = size_t(1) << 16;  // 64 KiB

  static size_t roundUp(size_t bytes) {
    return bytes >= kMinCached ? (bytes + 4095) / 4096 * 4096 : (bytes + 63) / 64 * 64;
  }
  void* take(size_t rounded) {
    if (rounded < kMinCached) return nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = free_.find(rounded);
    if (it == free_.end()) return nullptr;
    void* p = it->second;
    free_.erase(it);
    cached_ -= rounded;
    return p;
  }
  bool give(void* p, size_t rounded) {
    if (rounded < kMinCached) return false;
    std::lock_guard<std::mutex> lock(mu_);
    if (cached_ + rounded > maxCached_) return false;
    free_.emplace(rounded, p);
    cached_ += rounded;
    return true;
  }
  void clear() { trim(0); }
  // Frees the largest idle blocks first until at most keep bytes stay cached.
  void trim(size_t keep) {
    std::lock_guard<std::mutex> lock(mu_);
    while (cached_ > keep && !free_.empty()) {
      auto last = std::prev(free_.end());
      std::free(last->second);
      cached_ -= last->first;
      free_.erase(last);
    }
  }
  size_t cached() const {
    std::lock_guard<std::mutex> lock(mu_);
    return cached_;
  }

 private:
  // Idle bytes kept: an eighth of physical memory, within [1 GiB, 8 GiB]. A step that allocates
  // the same big blocks every time (soft-DTW's weights: 2 GiB for 64 x 64 pairs at T = 256) then
  // reuses them instead of having the kernel zero fresh pages for each call.
  static size_t idleLimit() {
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
    const size_t physical = pages > 0 && pageSize > 0 ? size_t(pages) * size_t(pageSize) : 0;
    return std::min(std::max(physical / 8, size_t(1) << 30), size_t(8) << 30);
  }

  mutable std::mutex mu_;
  std::multimap<size_t, void*> free_;
  size_t cached_ = 0;
  const size_t maxCached_ = idleLimit();
};

class CpuDevice final : public Device {
  static constexpr size_t kHugePage = size_t(2) << 20;
  static constexpr size_t kHugeFrom = size_t(32) << 20;

 public:
  CpuDevice() : Device("cpu") {}
  void* alloc(size_t bytes) override {
    const size_t rounded = BlockCache::roundUp(bytes);
    if (void* p = cache_.take(rounded)) return p;
    // 64-byte alignment: whole cache lines and aligned AVX-512 loads. Blocks of kHugeFrom or more
    // (too big to stay cached, such as soft-DTW's weights for many pairs) are 2 MiB-aligned and
    // asked for transparent huge pages: the first touch of a fresh mmap'd block then faults once
    // per 2 MiB, not once per 4 KiB (in a VM each fault is microseconds).
    const size_t align = rounded >= kHugeFrom ? kHugePage : 64;
    void* p = std::aligned_alloc(align, rounded);
    if (!p) {
      cache_.clear();  // out of memory: give back what is idle and try once more
      p = std::aligned_alloc(align, rounded);
    }
    if (!p) fail(WT_E_OOM, "out of host memory allocating ", bytes, " bytes");
#ifdef MADV_HUGEPAGE
    if (rounded >= kHugeFrom) madvise(p, rounded / kHugePage * kHugePage, MADV_HUGEPAGE);  // advice only
#endif
    return p;
  }
  void release(void* p, size_t bytes) override {
    if (!cache_.give(p, BlockCache::roundUp(bytes))) std::free(p);
  }
  void cacheInfo(uint64_t* cachedBytes) const override { *cachedBytes = cache_.cached(); }
  void releaseCache() override { cache_.clear(); }
  void trimCache(uint64_t keepBytes) override { cache_.trim((size_t)keepBytes); }
  void copyFromHost(void* dst, const void* src, size_t bytes) override { std::memcpy(dst, src, bytes); }
  void copyToHost(void* dst, const void* src, size_t bytes) override { std::memcpy(dst, src, bytes); }
  void synchronize() override {}
  int64_t inlineElements() const override { return 32768; }
  void run(const wt_op& op) override {
    switch (op.kind) {
#define WT_OP(KIND, id, name, entry, P) \
  case WT_OP_##KIND:                         \
    return cpu::entry(op, op.params.entry);
#include "../abi/ops.def"
      default: fail(WT_E_INTERNAL, "cpu: unknown op kind ", op.kind);
    }
  }

 private:
  BlockCache cache_;
};

}  // namespace

Device* makeCpuDevice() { return new CpuDevice(); }

int computeThreads() { return cpu::numThreads(); }
void setComputeThreads(int n) { cpu::setNumThreads(n); }
void checkComputeSettings() { cpu::checkCpuIsaCap(); }

}  // namespace wt
