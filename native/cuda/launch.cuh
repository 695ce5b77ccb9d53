// The one kernel-launch helper and the dynamic-shared-memory macro, so every .cu file here compiles
// unchanged under nvcc and under the SIMT emulator (g++ with native/simt/cuda_shim.h).
#pragma once
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "../abi/plugin_abi.h"

namespace wt {
namespace cuda {

// A runtime failure inside the plugin; the C entry points turn it into a status and a message.
class Failure : public std::runtime_error {
 public:
  Failure(wt_status status, const std::string& msg) : std::runtime_error(msg), status_(status) {}
  wt_status status() const { return status_; }

 private:
  wt_status status_;
};

inline wt_status statusOf(cudaError_t e) {
  return e == cudaErrorMemoryAllocation ? WT_E_OOM : WT_E_CUDA;
}

// Throws Failure naming `what` when `e` is an error.
inline void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw Failure(statusOf(e), std::string(what) + ": " + cudaGetErrorString(e));
}

// True when every launch should be followed by a stream synchronize that names the failing kernel.
bool debugSynchronize();

#ifdef WAVETAPE_SIMT
#define WT_DYNAMIC_SMEM(T, name) T* name = reinterpret_cast<T*>(wt::simt::dynamicSharedMemory())
#else
#define WT_DYNAMIC_SMEM(T, name)                                   \
  extern __shared__ __align__(16) unsigned char wt_smem_raw[]; \
  T* name = reinterpret_cast<T*>(wt_smem_raw)
#endif

// Launches `kernel` on `stream`; throws Failure (naming the kernel) if the launch is rejected or,
// in debug mode, if the kernel fails.
template <class... KArgs, class... Args>
void launch(const char* name, void (*kernel)(KArgs...), dim3 grid, dim3 block, size_t smem, cudaStream_t stream,
            Args&&... args) {
#ifdef WAVETAPE_SIMT
  cudaError_t e = wt::simt::launch(name, kernel, grid, block, smem, stream, std::forward<Args>(args)...);
  if (e != cudaSuccess) throw Failure(statusOf(e), wt::simt::lastLaunchError());
#else
  kernel<<<grid, block, smem, stream>>>(std::forward<Args>(args)...);
  cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess) throw Failure(statusOf(e), std::string("launching ") + name + ": " + cudaGetErrorString(e));
#endif
  if (debugSynchronize()) {
    e = cudaStreamSynchronize(stream);
    if (e != cudaSuccess) throw Failure(statusOf(e), std::string("kernel ") + name + ": " + cudaGetErrorString(e));
  }
}

}  // namespace cuda
}  // namespace wt
