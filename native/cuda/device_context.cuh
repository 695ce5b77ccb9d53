// Per-device state of the CUDA plugin: the device's one stream, its caching allocator, pinned staging
// buffers for host copies and the flag through which kernels report out-of-range arguments.
#pragma once
#include <cuda_runtime.h>

#include <stdint.h>

#include <mutex>

#include "../abi/plugin_abi.h"
#include "allocator.cuh"

namespace wt {
namespace cuda {

class DeviceContext {
 public:
  explicit DeviceContext(int index);

  // Held by every plugin entry point for the whole call: core may call from several host threads.
  std::mutex mutex;

  // Makes the device current on this thread and creates the stream, staging buffers and index flag
  // on first use. Call with `mutex` held before any other member below.
  void makeCurrent();

  int index() const { return index_; }
  int smCount() const { return smCount_; }
  cudaStream_t stream() const { return stream_; }
  CachingAllocator& allocator() { return allocator_; }

  // Returns once `src` may be reused; the device copy completes in stream order.
  void copyToDevice(void* dst, const void* src, size_t bytes);
  // Waits for preceding work, copies, and throws Failure for an earlier asynchronous failure.
  void copyToHost(void* dst, const void* src, size_t bytes);
  // Waits for all queued work; throws Failure (WT_E_RANGE / WT_E_CUDA) for an asynchronous failure.
  void synchronize();

  // Records that an op of this kind was queued, so an asynchronous failure can name the candidates.
  void noteOp(int kind) {
    if (kind > 0 && kind < WT_OP_KIND_LIMIT) opsSinceSync_ |= uint64_t(1) << kind;
  }
  // Device word a kernel sets to its op kind when it meets a value outside its range (an index, a
  // trust radius); the host reads it at the next synchronize / copyToHost, reports E_RANGE with the
  // kind's reason (rangeFailureText) and resets it.
  int* rangeErrorFlag() {
    rangeCheckPending_ = true;
    return rangeErrorDevice_;
  }

 private:
  static constexpr size_t kStagingBytes = size_t(4) << 20;

  void queueIndexFlagRead();
  // Turns the outcome of waiting on the stream into a Failure, or resets the error state.
  void reportAsyncFailure(cudaError_t waitResult);

  int index_;
  int smCount_ = 0;
  cudaStream_t stream_ = nullptr;
  CachingAllocator allocator_;
  unsigned char* staging_[2] = {nullptr, nullptr};  // pinned, kStagingBytes each
  cudaEvent_t stagingFree_[2] = {nullptr, nullptr};  // recorded after each copy out of / into staging_
  int* rangeErrorDevice_ = nullptr;
  int* rangeErrorHost_ = nullptr;  // pinned
  bool rangeCheckPending_ = false;
  uint64_t opsSinceSync_ = 0;  // bit k: an op of kind k (every kind is below WT_OP_KIND_LIMIT = 64)
};

// Device memory for the duration of one op's launches. Releasing right after queueing is safe: the
// allocator only hands the block to work queued later on the same stream.
class DeviceScratch {
 public:
  DeviceScratch(DeviceContext& ctx, size_t bytes) : ctx_(ctx), ptr_(ctx.allocator().allocate(bytes)) {}
  ~DeviceScratch() { ctx_.allocator().release(ptr_); }
  DeviceScratch(const DeviceScratch&) = delete;
  DeviceScratch& operator=(const DeviceScratch&) = delete;
  void* get() const { return ptr_; }

 private:
  DeviceContext& ctx_;
  void* ptr_;
};


}  // namespace cuda
}  // namespace wt
