// An in-order work queue for one device in one Node environment. Ops are validated on the JS
// thread, then queued here and run by the stream's own thread, so the event loop never waits.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "tensor.h"

namespace wt {

struct Task {
  std::function<void()> run;
  std::vector<std::shared_ptr<Storage>> reads;   // kept alive until the task ends
  std::vector<std::shared_ptr<Storage>> writes;  // receive the error if the task fails
  // Always called once, after run (err = its failure or an input's), or when the stream shuts
  // down before running it (err = E_INTERNAL "environment shut down").
  std::function<void(std::shared_ptr<const Error>)> done;
  // run() ends by synchronising the device: its success confirms every earlier task's results.
  bool confirms = false;
};

class Stream {
 public:
  explicit Stream(Device* d) : device_(d) {}
  ~Stream() { shutdown(); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  Device* device() const { return device_; }
  // Queues t; a small task may run at once on this thread when nothing is queued or running.
  void submit(Task t, bool small);
  // Blocks until every submitted task has finished.
  void drain();
  // Drops queued tasks (their `done` sees an error), waits for the running one, stops the thread.
  void shutdown();

 private:
  void execute(Task& t);
  void loop();
  // On a device that fails late: note t's outputs as unconfirmed, or poison every unconfirmed
  // output with err (the failure may belong to any task since the last confirmation).
  void settle(Task& t, const std::shared_ptr<const Error>& err, bool ran);
  void poisonUnconfirmed(const std::shared_ptr<const Error>& err);

  Device* device_;
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread thread_;
  // Outputs of tasks run since the device last confirmed success (touched only by the task that
  // is executing, so no lock); bounded by a synchronisation every kMaxUnconfirmed outputs.
  static constexpr size_t kMaxUnconfirmed = 4096;
  std::vector<std::weak_ptr<Storage>> unconfirmed_;
};

}  // namespace wt
