// The shared submission module (submit.h): op construction, the checks and views every family
// uses, and the hand-off of a wt_op to the device's stream.
#include "submit.h"

#include <algorithm>
#include <cstring>

#include "stream.h"

namespace wt {

wt_op makeOp(wt_op_kind kind) {
  wt_op op;
  std::memset(&op, 0, sizeof op);
  op.kind = kind;
  return op;
}

void submit(Env& env, Device* d, const wt_op& op, std::vector<std::shared_ptr<Storage>> reads,
            std::vector<std::shared_ptr<Storage>> writes, int64_t work) {
  Task t;
  t.run = [d, op] { d->run(op); };
  t.reads = std::move(reads);
  t.writes = std::move(writes);
  env.stream(d).submit(std::move(t), work <= d->inlineElements());
}

void sameDevice(const char* op, const Tensor& a, const char* an, const Tensor& b, const char* bn) {
  if (a.device() != b.device())
    fail(WT_E_DEVICE, op, ": argument '", bn, "' is on ", b.device()->name(), " but '", an, "' is on ",
         a.device()->name(), "; move one with .to(device)");
}

void requireFloat(const char* op, const char* arg, const Tensor& t) {
  if (!isFloat(t.dtype))
    fail(WT_E_DTYPE, op, ": argument '", arg, "' must be float32 or float64; got ", dtypeName(t.dtype));
}

int64_t normAxis(int64_t axis, int64_t ndim, const char* op, const char* arg) {
  if (axis < -ndim || axis >= ndim || (ndim == 0 && axis != 0))
    fail(WT_E_RANGE, op, ": argument '", arg, "' = ", axis, " is out of range for a ", ndim,
         "-d tensor; expected an axis in [", -ndim, ", ", ndim - 1, "]");
  return axis < 0 ? axis + ndim : axis;
}

Shape broadcastShapes(const Shape& a, const Shape& b, const char* op, const char* argA, const char* argB) {
  const size_t nd = std::max(a.size(), b.size());
  Shape out(nd);
  for (size_t i = 0; i < nd; ++i) {
    int64_t da = i + a.size() >= nd ? a[i + a.size() - nd] : 1;
    int64_t db = i + b.size() >= nd ? b[i + b.size() - nd] : 1;
    if (da != db && da != 1 && db != 1)
      fail(WT_E_SHAPE, op, ": shapes of '", argA, "' ", shapeStr(a), " and '", argB, "' ", shapeStr(b),
           " do not broadcast (dimension ", i, ": ", da, " vs ", db, ")");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

wt_view broadcastView(const Tensor& t, const Shape& shape) {
  wt_view v = t.view();
  const int64_t nd = (int64_t)shape.size(), off = nd - t.ndim();
  v.ndim = (int32_t)nd;
  for (int64_t i = 0; i < nd; ++i) {
    int64_t j = i - off;
    v.shape[i] = shape[i];
    v.strides[i] = (j >= 0 && t.shape[j] != 1) ? t.strides[j] : 0;
  }
  return v;
}

wt_view contiguousView(const Tensor& t, const Shape& shape) {
  if (!t.isContiguous() || numelOf(shape) != t.numel() || shape.size() > WT_MAX_DIMS)
    fail(WT_E_INTERNAL, "core: cannot view a tensor of shape ", shapeStr(t.shape), " as contiguous ", shapeStr(shape));
  wt_view v = t.view();
  v.ndim = (int32_t)shape.size();
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    v.shape[i] = shape[i];
    v.strides[i] = stride;
    stride *= shape[i];
  }
  return v;
}

}  // namespace wt
