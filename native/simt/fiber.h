// Fibers for the SIMT emulator: guard-paged stacks and a user-space context switch.
// One fiber per CUDA thread; a switch saves only callee-saved state, with no signal-mask syscall.
#pragma once

#include <cstddef>
#include <vector>
#if !defined(__x86_64__)
#include <ucontext.h>
#endif

namespace wt {
namespace simt {

struct FiberContext {
#if defined(__x86_64__)
  void* sp = nullptr;
#else
  ucontext_t uc;
#endif
};

// Prepares `ctx` so that the first switch to it runs entry(arg) on [stackLow, stackLow + stackBytes).
// `entry` must never return: it ends by switching away for good.
void fiberInit(FiberContext* ctx, void* stackLow, size_t stackBytes, void (*entry)(void*), void* arg);
// Saves the running context into `from` and resumes `to`.
void fiberSwitch(FiberContext* from, FiberContext* to);

// Stacks reused from block to block on one worker thread; each has a PROT_NONE page below it so an
// overflow faults instead of silently corrupting a neighbour.
class StackPool {
 public:
  static constexpr size_t kStackBytes = 64 * 1024;
  StackPool() = default;
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;
  ~StackPool();
  // Makes at least n stacks available; false when the memory cannot be mapped.
  bool reserve(size_t n);
  void* stack(size_t i) const { return stacks_[i]; }
  // Usable bytes of stack i: the tops are staggered by a cache line, so the hot frames of a block's
  // fibers do not all fall into the same cache set.
  static size_t bytes(size_t i) { return kStackBytes - (i % 64) * 64; }

 private:
  std::vector<void*> stacks_;
};

}  // namespace simt
}  // namespace wt
