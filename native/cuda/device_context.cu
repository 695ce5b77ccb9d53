// DeviceContext: lazy per-device set-up, chunked double-buffered host copies through pinned staging
// buffers, and the reporting of asynchronous failures at synchronisation points.
#include <string.h>

#include <algorithm>
#include <string>

#include "device_context.cuh"
#include "launch.cuh"

namespace wt {
namespace cuda {

DeviceContext::DeviceContext(int index) : index_(index) {}

void DeviceContext::makeCurrent() {
  check(cudaSetDevice(index_), "cudaSetDevice");
  if (stream_) return;
  check(cudaDeviceGetAttribute(&smCount_, cudaDevAttrMultiProcessorCount, index_), "cudaDeviceGetAttribute");
  cudaStream_t stream;
  check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
  for (int b = 0; b < 2; ++b) {
    check(cudaMallocHost(reinterpret_cast<void**>(&staging_[b]), kStagingBytes), "cudaMallocHost");
    check(cudaEventCreateWithFlags(&stagingFree_[b], cudaEventDisableTiming), "cudaEventCreateWithFlags");
  }
  check(cudaMallocHost(reinterpret_cast<void**>(&rangeErrorHost_), sizeof(int)), "cudaMallocHost");
  *rangeErrorHost_ = 0;
  check(cudaMalloc(reinterpret_cast<void**>(&rangeErrorDevice_), sizeof(int)), "cudaMalloc");
  check(cudaMemsetAsync(rangeErrorDevice_, 0, sizeof(int), stream), "cudaMemsetAsync");
  stream_ = stream;  // last: a failure above leaves the context to be set up again
}

void DeviceContext::copyToDevice(void* dst, const void* src, size_t bytes) {
  unsigned char* d = static_cast<unsigned char*>(dst);
  const unsigned char* s = static_cast<const unsigned char*>(src);
  for (size_t done = 0, chunk = 0; done < bytes; done += kStagingBytes, ++chunk) {
    int b = chunk % 2;
    size_t n = std::min(kStagingBytes, bytes - done);
    check(cudaEventSynchronize(stagingFree_[b]), "waiting for a staging buffer");
    memcpy(staging_[b], s + done, n);
    check(cudaMemcpyAsync(d + done, staging_[b], n, cudaMemcpyHostToDevice, stream_), "cudaMemcpyAsync");
    check(cudaEventRecord(stagingFree_[b], stream_), "cudaEventRecord");
  }
}

void DeviceContext::copyToHost(void* dst, const void* src, size_t bytes) {
  queueIndexFlagRead();
  unsigned char* d = static_cast<unsigned char*>(dst);
  const unsigned char* s = static_cast<const unsigned char*>(src);
  size_t chunks = (bytes + kStagingBytes - 1) / kStagingBytes;
  cudaError_t waitResult = cudaSuccess;
  // Chunk c + 1 is copied off the device while chunk c is copied out of pinned memory.
  auto queueChunk = [&](size_t c) {
    size_t off = c * kStagingBytes;
    check(cudaMemcpyAsync(staging_[c % 2], s + off, std::min(kStagingBytes, bytes - off), cudaMemcpyDeviceToHost,
                          stream_),
          "cudaMemcpyAsync");
    check(cudaEventRecord(stagingFree_[c % 2], stream_), "cudaEventRecord");
  };
  if (chunks > 0) queueChunk(0);
  for (size_t c = 0; c < chunks && waitResult == cudaSuccess; ++c) {
    if (c + 1 < chunks) queueChunk(c + 1);
    waitResult = cudaEventSynchronize(stagingFree_[c % 2]);
    if (waitResult == cudaSuccess) {
      size_t off = c * kStagingBytes;
      memcpy(d + off, staging_[c % 2], std::min(kStagingBytes, bytes - off));
    }
  }
  if (waitResult == cudaSuccess) waitResult = cudaStreamSynchronize(stream_);
  reportAsyncFailure(waitResult);
}

void DeviceContext::synchronize() {
  queueIndexFlagRead();
  reportAsyncFailure(cudaStreamSynchronize(stream_));
}

void DeviceContext::queueIndexFlagRead() {
  if (rangeCheckPending_)
    check(cudaMemcpyAsync(rangeErrorHost_, rangeErrorDevice_, sizeof(int), cudaMemcpyDeviceToHost, stream_),
          "cudaMemcpyAsync");
}

namespace {
// What the range flag means for the op kind that raised it; the data-dependent checks that core
// cannot make without reading device memory back.
std::string rangeFailureText(int kind) {
  switch (kind) {
    case WT_OP_CAUCHY_STEP: return "tr.cauchyStep: argument 'delta' holds a trust radius that is not finite and > 0";
    case WT_OP_UPDATE_RADIUS: return "tr.updateRadius: argument 'delta' holds a trust radius that is not finite and > 0";
    case WT_OP_SDTW_PAIRS:
    case WT_OP_SDTW_PAIRS_BACKWARD:
    case WT_OP_SDTW_COST:
    case WT_OP_SDTW_COST_BACKWARD:
      return std::string(wt_op_kind_name(kind)) + ": a length outside [1, T] or a pair index out of range";
    default: return std::string(wt_op_kind_name(kind)) + ": index out of range";
  }
}
}  // namespace

void DeviceContext::reportAsyncFailure(cudaError_t waitResult) {
  const uint64_t ops = opsSinceSync_;
  opsSinceSync_ = 0;
  if (waitResult != cudaSuccess) {
    std::string queued;
    for (int kind = 0; kind < WT_OP_KIND_LIMIT; ++kind)
      if (ops & (uint64_t(1) << kind)) queued += std::string(queued.empty() ? "" : ", ") + wt_op_kind_name(kind);
    throw Failure(statusOf(waitResult), std::string(cudaGetErrorString(waitResult)) +
                                            " (in work queued since the last synchronize: " +
                                            (queued.empty() ? "copies only" : queued) +
                                            "; WAVETAPE_CUDA_DEBUG=1 names the failing kernel)");
  }
  if (!rangeCheckPending_) return;
  rangeCheckPending_ = false;
  int failedKind = *rangeErrorHost_;
  if (failedKind == 0) return;
  *rangeErrorHost_ = 0;
  check(cudaMemsetAsync(rangeErrorDevice_, 0, sizeof(int), stream_), "cudaMemsetAsync");
  throw Failure(WT_E_RANGE, rangeFailureText(failedKind));
}

}  // namespace cuda
}  // namespace wt
