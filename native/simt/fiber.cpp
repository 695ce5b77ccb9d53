// Fiber stacks and the context switch: hand-written for x86-64 (callee-saved registers only: kernels
// never change the floating-point control words, which all fibers of a thread share), ucontext elsewhere.
#include "fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

#if defined(__x86_64__)
// wt_simt_fiber_switch(void** saveSp, void* newSp): push callee-saved state, swap stacks, pop.
// wt_simt_fiber_start: the first "return" of a new fiber lands here and calls r13(r12).
asm(R"(
  .text
  .globl wt_simt_fiber_switch
  .hidden wt_simt_fiber_switch
  .type wt_simt_fiber_switch, @function
  .p2align 4
wt_simt_fiber_switch:
  endbr64
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size wt_simt_fiber_switch, .-wt_simt_fiber_switch

  .globl wt_simt_fiber_start
  .hidden wt_simt_fiber_start
  .type wt_simt_fiber_start, @function
  .p2align 4
wt_simt_fiber_start:
  movq %r12, %rdi
  callq *%r13
  ud2
  .size wt_simt_fiber_start, .-wt_simt_fiber_start
)");
extern "C" void wt_simt_fiber_switch(void** saveSp, void* newSp);
extern "C" void wt_simt_fiber_start();
#endif

namespace wt {
namespace simt {

#if defined(__x86_64__)
void fiberInit(FiberContext* ctx, void* stackLow, size_t stackBytes, void (*entry)(void*), void* arg) {
  const uintptr_t top = (reinterpret_cast<uintptr_t>(stackLow) + stackBytes) & ~uintptr_t(15);
  // The frame wt_simt_fiber_switch pops: r15, r14, r13, r12, rbx, rbp, return address. After the
  // final ret the stack pointer is `top`, 16-byte aligned as a call site requires.
  uint64_t* frame = reinterpret_cast<uint64_t*>(top - 56);
  frame[0] = 0;
  frame[1] = 0;
  frame[2] = reinterpret_cast<uint64_t>(entry);
  frame[3] = reinterpret_cast<uint64_t>(arg);
  frame[4] = 0;
  frame[5] = 0;
  frame[6] = reinterpret_cast<uint64_t>(&wt_simt_fiber_start);
  ctx->sp = frame;
}

void fiberSwitch(FiberContext* from, FiberContext* to) { wt_simt_fiber_switch(&from->sp, to->sp); }
#else
namespace {
// makecontext passes only int arguments, so the entry and its argument travel as 32-bit halves.
void ucontextTrampoline(unsigned entryHi, unsigned entryLo, unsigned argHi, unsigned argLo) {
  auto entry = reinterpret_cast<void (*)(void*)>((uintptr_t(entryHi) << 32) | entryLo);
  entry(reinterpret_cast<void*>((uintptr_t(argHi) << 32) | argLo));
}
}  // namespace

void fiberInit(FiberContext* ctx, void* stackLow, size_t stackBytes, void (*entry)(void*), void* arg) {
  getcontext(&ctx->uc);
  ctx->uc.uc_stack.ss_sp = stackLow;
  ctx->uc.uc_stack.ss_size = stackBytes;
  ctx->uc.uc_link = nullptr;
  const uintptr_t e = reinterpret_cast<uintptr_t>(entry), a = reinterpret_cast<uintptr_t>(arg);
  makecontext(&ctx->uc, reinterpret_cast<void (*)()>(&ucontextTrampoline), 4, unsigned(e >> 32), unsigned(e),
              unsigned(a >> 32), unsigned(a));
}

void fiberSwitch(FiberContext* from, FiberContext* to) { swapcontext(&from->uc, &to->uc); }
#endif

StackPool::~StackPool() {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  for (void* s : stacks_) munmap(static_cast<char*>(s) - page, kStackBytes + page);
}

bool StackPool::reserve(size_t n) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  while (stacks_.size() < n) {
    void* m = mmap(nullptr, kStackBytes + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (m == MAP_FAILED) return false;
    mprotect(m, page, PROT_NONE);
    stacks_.push_back(static_cast<char*>(m) + page);
  }
  return true;
}

}  // namespace simt
}  // namespace wt
