// Env: lazily created streams and their orderly shutdown.
#include "env.h"

namespace wt {

Stream& Env::stream(Device* d) {
  std::lock_guard<std::mutex> g(m_);
  auto& s = streams_[d];
  if (!s) s = std::make_unique<Stream>(d);
  return *s;
}

void Env::drain() {
  std::vector<Stream*> all;
  {
    std::lock_guard<std::mutex> g(m_);
    for (auto& kv : streams_) all.push_back(kv.second.get());
  }
  for (Stream* s : all) s->drain();
}

void Env::shutdown() {
  std::lock_guard<std::mutex> g(m_);
  for (auto& kv : streams_) kv.second->shutdown();
}

}  // namespace wt
