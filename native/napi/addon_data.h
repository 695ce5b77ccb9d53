// Per-environment state of the binding (context-aware: one per main thread, worker or Electron
// context): its streams, its live tensors and the JS error class.
#pragma once
#include <napi.h>

#include <optional>
#include <vector>

#include "../core/env.h"
#include "../core/tensor.h"

namespace wt {
namespace napi {

// Live tensors of one environment, addressed from JS by small integer ids: cheaper to create
// and pass than wrapped objects (no weak handle per tensor). An id packs a slot index and the
// slot's generation, so an id used after dispose() is recognised even once the slot is reused.
class HandleTable {
 public:
  static constexpr uint32_t kIndexBits = 22;
  static constexpr uint32_t kIndexMask = (1u << kIndexBits) - 1;

  int32_t add(Tensor t);
  // nullptr when the id is not live (disposed, or never issued).
  const Tensor* get(int32_t id) const;
  void release(int32_t id);
  void clear();

 private:
  struct Slot {
    std::optional<Tensor> tensor;
    uint32_t generation = 0;
  };
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
};

struct AddonData {
  Env env;
  HandleTable handles;
  Napi::FunctionReference errorClass;  // WavetapeError from lib/errors.ts, set by init()
};

}  // namespace napi
}  // namespace wt
