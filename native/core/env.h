// Per-Node-environment state (main thread, each worker, each Electron context): one stream per
// device it has used. The binding owns one Env per environment and shuts it down in the
// environment's cleanup hook.
#pragma once
#include <map>
#include <memory>
#include <mutex>

#include "stream.h"

namespace wt {

class Env {
 public:
  ~Env() { shutdown(); }
  Stream& stream(Device* d);
  // Waits for all queued work on every stream of this environment.
  void drain();
  // Drops queued work, waits for running work, joins the stream threads.
  void shutdown();

 private:
  std::mutex m_;
  std::map<Device*, std::unique_ptr<Stream>> streams_;
};

}  // namespace wt
