// HandleTable: slot reuse through a free list, generation checks, and the accounting behind
// wt.memory() (per environment and per process) and the external memory reported to V8.
#include "../core/device.h"
#include "addon_data.h"

namespace wt {
namespace napi {

void HandleTable::account(const Tensor& t, int sign) {
  Device* d = t.device();
  Usage& u = usage_[d];
  u.tensors += sign;
  d->liveTensors += sign;
  Storage* s = t.storage.get();
  s->handles += sign;
  int64_t bytes = 0;
  if (sign > 0 && s->handles == 1) bytes = (int64_t)s->bytes();
  if (sign < 0 && s->handles == 0) bytes = -(int64_t)s->bytes();
  if (bytes == 0) return;
  u.bytes += bytes;
  live_ += bytes;
  const int64_t change = live_ - reported_;
  const bool fall = change <= -kReportBytes;
  if (env_ && (fall || (change >= kReportBytes && live_ >= settled_ + kDeferBytes))) {
    int64_t total = 0;
    napi_adjust_external_memory(env_, change, &total);
    reported_ = live_;
    if (fall) settled_ = live_;
  }
}

HandleTable::Id HandleTable::add(Tensor t) {
  uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    if (slots_.size() > kIndexMask) fail(WT_E_OOM, "too many live tensors (", slots_.size(), "); dispose some");
    index = (uint32_t)slots_.size();
    slots_.emplace_back();
  }
  Slot& s = slots_[index];
  account(t, +1);
  s.tensor = std::move(t);
  return (s.generation << kIndexBits) | index;
}

const Tensor* HandleTable::get(Id id) const {
  const uint64_t index = id & kIndexMask, gen = id >> kIndexBits;
  if (index >= slots_.size()) return nullptr;
  const Slot& s = slots_[index];
  if (!s.tensor || s.generation != gen) return nullptr;
  return &*s.tensor;
}

void HandleTable::release(Id id) {
  if (!get(id)) return;
  const uint32_t index = (uint32_t)(id & kIndexMask);
  Slot& s = slots_[index];
  account(*s.tensor, -1);
  s.tensor.reset();
  // A slot whose next id would not fit in 53 bits is retired, so no id is ever issued twice.
  if (s.generation < kMaxGeneration) {
    ++s.generation;
    free_.push_back(index);
  }
}

void HandleTable::clear() {
  for (Slot& s : slots_)
    if (s.tensor) {
      s.tensor->device()->liveTensors -= 1;
      s.tensor->storage->handles -= 1;
      s.tensor.reset();
    }
  slots_.clear();
  free_.clear();
  usage_.clear();
  live_ = reported_ = settled_ = 0;
}

HandleTable::Usage HandleTable::usage(Device* d) const {
  auto it = usage_.find(d);
  return it == usage_.end() ? Usage{} : it->second;
}

}  // namespace napi
}  // namespace wt
