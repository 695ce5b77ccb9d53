// HandleTable: slot reuse through a free list, generation checks, and the accounting behind
// wt.memory()'s tensor counts.
#include "../core/device.h"
#include "addon_data.h"

namespace wt {
namespace napi {

int32_t HandleTable::add(Tensor t) {
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
  t.device()->liveTensors += 1;
  s.tensor = std::move(t);
  return (int32_t)(((s.generation & 0x1FF) << kIndexBits) | index);
}

const Tensor* HandleTable::get(int32_t id) const {
  if (id < 0) return nullptr;
  uint32_t index = (uint32_t)id & kIndexMask, gen = (uint32_t)id >> kIndexBits;
  if (index >= slots_.size()) return nullptr;
  const Slot& s = slots_[index];
  if (!s.tensor || (s.generation & 0x1FF) != gen) return nullptr;
  return &*s.tensor;
}

void HandleTable::release(int32_t id) {
  if (!get(id)) return;
  uint32_t index = (uint32_t)id & kIndexMask;
  Slot& s = slots_[index];
  s.tensor->device()->liveTensors -= 1;
  s.tensor.reset();
  ++s.generation;
  free_.push_back(index);
}

void HandleTable::clear() {
  for (Slot& s : slots_)
    if (s.tensor) {
      s.tensor->device()->liveTensors -= 1;
      s.tensor.reset();
    }
  slots_.clear();
  free_.clear();
}

}  // namespace napi
}  // namespace wt
