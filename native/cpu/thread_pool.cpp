// Fork-join pool: a parallelFor posts one job whose chunks are claimed by an atomic counter, by the
// workers and by the caller alike, so concurrent callers never wait on each other's whole job.
#include "thread_pool.h"

#include "../core/thread_priority.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace wt {
namespace cpu {
namespace {

struct Job {
  const std::function<void(int64_t, int64_t)>* fn;
  int64_t n, chunks;
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> done{0};
  std::mutex m;
  std::condition_variable cv;

  // Claims and runs chunks until none are left; true if this call finished the last one.
  void work() {
    for (;;) {
      int64_t c = next.fetch_add(1);
      if (c >= chunks) return;
      int64_t b = n * c / chunks, e = n * (c + 1) / chunks;
      (*fn)(b, e);
      if (done.fetch_add(1) + 1 == chunks) {
        std::lock_guard<std::mutex> g(m);
        cv.notify_all();
      }
    }
  }
};

int defaultThreads() {
  if (const char* s = std::getenv("WAVETAPE_NUM_THREADS")) {
    int v = std::atoi(s);
    if (v > 0) return std::min(v, 256);
  }
  unsigned hc = std::thread::hardware_concurrency();
  return hc ? (int)hc : 1;
}

class Pool {
 public:
  Pool() : threads_(defaultThreads()) {}
  // Workers are detached and live for the process: joining them from a static destructor would
  // race with other static destructors at exit.
  int threads() const { return threads_.load(); }
  void setThreads(int n) { threads_.store(std::max(1, std::min(n, 256))); }

  void run(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
    if (n <= 0) return;
    // A few chunks per thread, claimed dynamically: a worker that wakes late (or a core taken by
    // another process) then costs a small chunk, not half the op.
    const int64_t t = threads();
    const int64_t g = std::max<int64_t>(grain, 1);
    int64_t chunks = std::min<int64_t>(t == 1 ? 1 : 4 * t, (n + g - 1) / g);
    if (chunks <= 1) {
      fn(0, n);
      return;
    }
    const int64_t helpers = std::min<int64_t>(t, chunks) - 1;
    ensureWorkers((int)helpers);
    auto job = std::make_shared<Job>();
    job->fn = &fn;
    job->n = n;
    job->chunks = chunks;
    {
      std::lock_guard<std::mutex> g(m_);
      for (int64_t i = 0; i < helpers; ++i) queue_.push_back(job);
    }
    cv_.notify_all();
    job->work();
    std::unique_lock<std::mutex> lk(job->m);
    job->cv.wait(lk, [&] { return job->done.load() == job->chunks; });
  }

 private:
  void ensureWorkers(int want) {
    std::lock_guard<std::mutex> g(m_);
    while (spawned_ < want) {
      std::thread([this] { loop(); }).detach();
      ++spawned_;
    }
  }
  void loop() {
    lowerComputeThreadPriority();
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lk(m_);
        cv_.wait(lk, [&] { return !queue_.empty(); });
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job->work();
    }
  }

  std::atomic<int> threads_;
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  int spawned_ = 0;
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: detached workers reference it until exit
  return *p;
}

}  // namespace

int numThreads() { return pool().threads(); }
void setNumThreads(int n) { pool().setThreads(n); }
void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  pool().run(n, grain, fn);
}

}  // namespace cpu
}  // namespace wt
