// Background compute threads (stream drains, the CPU pool) run a few nice levels below the
// thread that owns the JS event loop. On a machine whose cores are all busy with an op, the
// mostly idle event loop then preempts a compute thread at once when a timer or I/O wakes it,
// instead of waiting out a scheduler slice (10+ ms seen on 2 cores); alone, the compute threads
// lose nothing. Linux applies setpriority to a single thread when given its tid.
#pragma once
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace wt {

constexpr int kComputeThreadNice = 10;

// Called at the start of each compute thread; best effort (a failure leaves the default).
inline void lowerComputeThreadPriority() {
  const int current = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
  if (current < kComputeThreadNice) (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), kComputeThreadNice);
}

}  // namespace wt
