// The caching device allocator: binning, reuse, the out-of-memory retry and cache emptying
// (the policy is described in allocator.cuh).
#include <cuda_runtime.h>

#include <string>

#include "allocator.cuh"
#include "launch.cuh"

namespace wt {
namespace cuda {

size_t CachingAllocator::binSize(size_t bytes) {
  const size_t kSmallStep = 512, kLargeFrom = size_t(1) << 20;
  if (bytes == 0) return kSmallStep;
  if (bytes <= kLargeFrom) return (bytes + kSmallStep - 1) / kSmallStep * kSmallStep;
  size_t pow2 = kLargeFrom;
  while (pow2 < bytes) pow2 <<= 1;
  size_t step = pow2 / 8;
  return (bytes + step - 1) / step * step;
}

void* CachingAllocator::allocate(size_t bytes) {
  size_t bin = binSize(bytes);
  void* ptr = nullptr;
  auto cachedBin = freeBins_.find(bin);
  if (cachedBin != freeBins_.end() && !cachedBin->second.empty()) {
    ptr = cachedBin->second.back();
    cachedBin->second.pop_back();
    cached_ -= bin;
  } else {
    cudaError_t e = cudaMalloc(&ptr, bin);
    if (e == cudaErrorMemoryAllocation && cached_ > 0) {
      cudaGetLastError();  // clear the (non-sticky) allocation error before retrying
      emptyCache();
      e = cudaMalloc(&ptr, bin);
    }
    if (e == cudaErrorMemoryAllocation) {
      cudaGetLastError();
      throw Failure(WT_E_OOM, "out of device memory allocating " + std::to_string(bytes) + " bytes (" +
                                  std::to_string(live_) + " bytes in use)");
    }
    check(e, "cudaMalloc");
  }
  liveBlocks_.emplace(ptr, bin);
  live_ += bin;
  return ptr;
}

void CachingAllocator::release(void* ptr) {
  auto block = liveBlocks_.find(ptr);
  if (block == liveBlocks_.end()) return;  // not ours (or already released): nothing to return
  size_t bin = block->second;
  liveBlocks_.erase(block);
  live_ -= bin;
  freeBins_[bin].push_back(ptr);
  cached_ += bin;
}

void CachingAllocator::emptyCache() {
  for (auto& bin : freeBins_)
    for (void* ptr : bin.second) cudaFree(ptr);
  freeBins_.clear();
  cached_ = 0;
}

}  // namespace cuda
}  // namespace wt
