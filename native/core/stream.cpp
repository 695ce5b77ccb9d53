// Stream execution: error propagation from inputs to outputs, inline fast path, shutdown.
#include "stream.h"

#include "thread_priority.h"

namespace wt {

namespace {

// Runs f, turning what it throws into the error the task's outputs and reader receive.
template <class F>
std::shared_ptr<const Error> guarded(F&& f, Device* d) {
  try {
    f();
  } catch (const Error& e) {
    return std::make_shared<Error>(e);
  } catch (const std::bad_alloc&) {
    return std::make_shared<Error>(WT_E_OOM, "out of host memory while running an op on " + d->name());
  } catch (const std::exception& e) {
    return std::make_shared<Error>(WT_E_INTERNAL, e.what());
  }
  return nullptr;
}

}  // namespace

void Stream::poisonUnconfirmed(const std::shared_ptr<const Error>& err) {
  for (const auto& w : unconfirmed_)
    if (auto s = w.lock()) s->setError(err);
  unconfirmed_.clear();
}

void Stream::settle(Task& t, const std::shared_ptr<const Error>& err, bool ran) {
  if (err) {
    // An input's error only propagates; a failure the device reported may be any earlier task's.
    if (ran) poisonUnconfirmed(err);
    return;
  }
  if (t.confirms) {
    unconfirmed_.clear();
    return;
  }
  for (const auto& w : t.writes) unconfirmed_.push_back(w);
  if (unconfirmed_.size() < kMaxUnconfirmed) return;
  if (auto late = guarded([&] { device_->synchronize(); }, device_)) poisonUnconfirmed(late);
  else unconfirmed_.clear();
}

void Stream::execute(Task& t) {
  std::shared_ptr<const Error> err;
  for (const auto& r : t.reads)
    if (auto e = r->error()) {
      err = e;
      break;
    }
  const bool ran = !err;
  if (ran)
    err = guarded(
        [&] {
          if (t.run) t.run();
        },
        device_);
  if (err)
    for (const auto& w : t.writes) w->setError(err);
  if (device_->failsLate()) settle(t, err, ran);
  // Release the task's storages (and whatever run captured) before signalling completion: a
  // reader woken by done() must already see the memory of temporaries returned (wt.memory()).
  t.reads.clear();
  t.writes.clear();
  t.run = nullptr;
  if (t.done) t.done(err);
  t.done = nullptr;
}

void Stream::submit(Task t, bool small) {
  {
    std::unique_lock<std::mutex> lk(m_);
    if (stopping_) {
      lk.unlock();
      if (t.done) t.done(std::make_shared<Error>(WT_E_INTERNAL, "environment shut down"));
      return;
    }
    if (!(small && queue_.empty() && !busy_)) {
      // The thread first: if it cannot start, the task is not queued and the caller sees the throw.
      if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
      queue_.push_back(std::move(t));
      cv_.notify_all();
      return;
    }
    busy_ = true;
  }
  execute(t);
  std::lock_guard<std::mutex> g(m_);
  busy_ = false;
  cv_.notify_all();
}

void Stream::loop() {
  lowerComputeThreadPriority();
  std::unique_lock<std::mutex> lk(m_);
  for (;;) {
    cv_.wait(lk, [&] { return stopping_ || (!queue_.empty() && !busy_); });
    if (queue_.empty() && stopping_) return;
    if (queue_.empty() || busy_) continue;
    Task t = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lk.unlock();
    execute(t);
    lk.lock();
    busy_ = false;
    cv_.notify_all();
  }
}

void Stream::drain() {
  std::unique_lock<std::mutex> lk(m_);
  cv_.wait(lk, [&] { return queue_.empty() && !busy_; });
}

void Stream::shutdown() {
  std::deque<Task> dropped;
  {
    std::unique_lock<std::mutex> lk(m_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    dropped.swap(queue_);
    cv_.notify_all();
  }
  auto err = std::make_shared<Error>(WT_E_INTERNAL, "environment shut down");
  for (auto& t : dropped)
    if (t.done) t.done(err);
  dropped.clear();
  if (thread_.joinable()) thread_.join();
  std::unique_lock<std::mutex> lk(m_);
  cv_.wait(lk, [&] { return !busy_; });
}

}  // namespace wt
