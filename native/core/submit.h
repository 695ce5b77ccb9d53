// What every core op family shares: building a wt_op, the argument checks and backend views the
// families have in common, and queueing the op on its device's stream.
#pragma once
#include <memory>
#include <vector>

#include "env.h"
#include "tensor.h"

namespace wt {

// A zeroed op of this kind; its parameters go in op.params.<entry> (see abi/ops.def).
wt_op makeOp(wt_op_kind kind);

// Queues op on the stream of `d`; `reads` and `writes` are kept alive until it has run. `work`
// counts element-sized steps (an elementwise op: its elements); at most d's inline threshold, the
// op may run on the caller's thread when the stream is idle.
void submit(Env& env, Device* d, const wt_op& op, std::vector<std::shared_ptr<Storage>> reads,
            std::vector<std::shared_ptr<Storage>> writes, int64_t work);

// ---- argument checks (messages name the op and the argument) ----
void sameDevice(const char* op, const Tensor& a, const char* an, const Tensor& b, const char* bn);
void requireFloat(const char* op, const char* arg, const Tensor& t);
// axis in [-ndim, ndim) -> [0, ndim); E_RANGE otherwise.
int64_t normAxis(int64_t axis, int64_t ndim, const char* op, const char* arg);
Shape broadcastShapes(const Shape& a, const Shape& b, const char* op, const char* argA, const char* argB);

// ---- views handed to backends ----
// A view of t broadcast to `shape` (t's dims right-aligned; missing or size-1 dims get stride 0).
wt_view broadcastView(const Tensor& t, const Shape& shape);
// The contiguous tensor t seen with another shape of the same element count (e.g. [O, R, I]).
wt_view contiguousView(const Tensor& t, const Shape& shape);

}  // namespace wt
