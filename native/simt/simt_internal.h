// Interfaces between the emulator's parts: the launcher (launch.cpp), the per-worker block scheduler
// (block_scheduler.cpp), device memory with guard zones (device_memory.cpp) and error state (runtime_api.cpp).
#pragma once

#include <cstdint>
#include <string>

namespace wt {
namespace simt {
namespace detail {

// The emulated device's memory, as cudaMemGetInfo and cudaDeviceProp report it.
constexpr size_t kDeviceCapacity = size_t(8) << 30;

// One kernel launch as the block scheduler sees it.
struct LaunchPlan {
  const char* name;
  dim3 grid;
  dim3 block;
  size_t dynamicSmemBytes;
  KernelCall call;
  uint64_t seed;  // the interleaving of block b uses a stream derived from (seed, b)
};

// Runs blocks on the calling OS thread; one per worker thread, which runs nothing but kernels
// (block start poisons the thread's whole thread-local segment of this module).
class BlockScheduler;
BlockScheduler* createBlockScheduler(std::string* error);
void destroyBlockScheduler(BlockScheduler* s);
// Runs one block to completion; false with *error set (without the kernel's name) when a detector fired.
bool runBlock(BlockScheduler* s, const LaunchPlan& plan, unsigned blockLinear, std::string* error);

// Checks (and re-arms) the guard zones of every live cudaMalloc allocation; "" when all are intact.
std::string checkGuardZones();

// The value cudaGetLastError/cudaPeekAtLastError report on the calling host thread.
void setLastError(cudaError_t e);

}  // namespace detail
}  // namespace simt
}  // namespace wt
