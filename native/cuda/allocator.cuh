// A caching allocator over plain cudaMalloc for one device: size-binned free lists with
// stream-ordered reuse (the device has a single stream), live/cached byte counts and cache emptying.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include <map>
#include <unordered_map>
#include <vector>

namespace wt {
namespace cuda {

// Not thread-safe: the owning DeviceContext serialises calls under its mutex, with the device current.
class CachingAllocator {
 public:
  // Rounds `bytes` up to its bin: 512 B steps up to 1 MiB, then eighths of the next power of two
  // (at most 12.5% slack), so freed blocks are reused by requests of similar size.
  static size_t binSize(size_t bytes);

  // A block of at least `bytes`; on cudaMalloc failure empties the cache once and retries, then
  // throws Failure(WT_E_OOM).
  void* allocate(size_t bytes);
  // Returns the block to its bin. Work already queued on the device's stream may still use it; only
  // later work on that stream can receive it again, so no synchronisation is needed.
  void release(void* ptr);
  // Frees every cached block (cudaFree synchronises the device first).
  void emptyCache();

  uint64_t liveBytes() const { return live_; }
  uint64_t cachedBytes() const { return cached_; }

 private:
  std::map<size_t, std::vector<void*>> freeBins_;  // bin size -> cached blocks
  std::unordered_map<void*, size_t> liveBlocks_;   // handed-out block -> its bin size
  uint64_t live_ = 0;
  uint64_t cached_ = 0;
};

}  // namespace cuda
}  // namespace wt
