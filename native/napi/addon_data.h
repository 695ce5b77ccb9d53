// Per-environment state of the binding (context-aware: one per main thread, worker or Electron
// context): its streams, its live tensors and their accounting, and the JS error class.
#pragma once
#include <napi.h>

#include <map>
#include <optional>
#include <vector>

#include "../core/env.h"
#include "../core/tensor.h"

namespace wt {
namespace napi {

// Live tensors of one environment, addressed from JS by numeric ids: cheaper to create and pass
// than wrapped objects (no weak handle per tensor). An id is generation · 2^22 + slot index, a
// JS double that is exact below 2^53, so the 31-bit generation of a slot never wraps in practice;
// a slot whose generation is exhausted is retired, never reused. So an id used after dispose()
// is recognised however many tensors were made since.
class HandleTable {
 public:
  using Id = uint64_t;
  static constexpr uint32_t kIndexBits = 22;
  static constexpr uint64_t kIndexMask = (uint64_t(1) << kIndexBits) - 1;
  static constexpr uint64_t kMaxGeneration = (uint64_t(1) << 31) - 1;
  static constexpr double kMaxId = 9007199254740991.0;  // 2^53 - 1

  // Bytes of live storage are reported to V8 (napi_adjust_external_memory) on env's thread, so
  // undisposed tensors are collected under memory pressure. Call once, at module init.
  void bind(napi_env env) { env_ = env; }
  Id add(Tensor t);
  // nullptr when the id is not live (disposed, or never issued).
  const Tensor* get(Id id) const;
  void release(Id id);
  // At environment teardown: drops every tensor (nothing is reported to the dying isolate).
  void clear();

  // This environment's live handles on one device, storages shared by several handles (views)
  // counted once.
  struct Usage {
    int64_t tensors = 0;
    int64_t bytes = 0;
  };
  Usage usage(Device* d) const;

 private:
  struct Slot {
    std::optional<Tensor> tensor;
    uint64_t generation = 0;
  };
  void account(const Tensor& t, int sign);

  napi_env env_ = nullptr;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  std::map<Device*, Usage> usage_;
  // What V8 has been told (reported_) trails this environment's live bytes (live_). Changes go in
  // steps of kReportBytes, except that a rise of less than kDeferBytes over the level the live
  // bytes last fell to (settled_) is not reported at all. V8 starts a full collection whenever its
  // external memory grows by 64 MB over its level at the last one, so a training step's short-lived
  // blocks (soft-DTW's 68 MB of weights at (256, 512, 1) band 32), reported as they came and went,
  // set off a mark-compact every few steps, whose marking threads took ~8 % of two busy cores.
  // Growth past the slack (undisposed tensors piling up) is reported step by step as before.
  static constexpr int64_t kReportBytes = int64_t(1) << 18;
  static constexpr int64_t kDeferBytes = int64_t(128) << 20;
  int64_t live_ = 0, reported_ = 0, settled_ = 0;
};

struct AddonData {
  Env env;
  HandleTable handles;
  Napi::FunctionReference errorClass;  // WavetapeError from lib/errors.ts, set by init()
  // Settles t.data() promises on the JS thread when a stream finishes the read (runtime.cc).
  napi_threadsafe_function readCompletions = nullptr;
  int64_t pendingReads = 0;  // JS thread only; readCompletions keeps the loop alive while > 0
};

}  // namespace napi
}  // namespace wt
