// Core entry point of the reductions (WT_OP_REDUCE): axis checks, the output shape, and the
// [O, R, I] layout the backends reduce over, copying only when the reduced axes are not one run.
#include <algorithm>

#include "ops.h"
#include "submit.h"

namespace wt {

namespace {

const char* reduceName(int code) {
  static const char* names[] = {"sum", "mean", "max", "min", "prod", "logsumexp", "norm", "argmax", "argmin"};
  return code >= 0 && code < WT_RED_COUNT ? names[code] : "reduce";
}

// A view whose axes, reordered by decreasing stride, make a contiguous tensor (a transpose, a
// swapped-axes view of a dense array): that order in `order`, the reordered view in `dense`. Size-1
// axes keep their place.
bool denseOrder(const Tensor& x, std::vector<int64_t>& order, Tensor& dense) {
  const int64_t nd = x.ndim();
  std::vector<int64_t> axes;  // the axes longer than 1, in x's order
  for (int64_t i = 0; i < nd; ++i)
    if (x.shape[i] != 1) axes.push_back(i);
  std::vector<int64_t> sorted = axes;
  std::stable_sort(sorted.begin(), sorted.end(), [&](int64_t a, int64_t b) { return x.strides[a] > x.strides[b]; });
  order.resize((size_t)nd);
  for (int64_t i = 0; i < nd; ++i) order[(size_t)i] = i;
  for (size_t j = 0; j < axes.size(); ++j) order[(size_t)axes[j]] = sorted[j];
  dense = permute(x, order);
  return dense.isContiguous();
}

}  // namespace

Tensor reduce(Env& env, int code, const Tensor& x, std::vector<int64_t> axes, bool keepdims) {
  if (code < 0 || code >= WT_RED_COUNT) fail(WT_E_RANGE, "reduce: unknown op code ", code);
  const char* name = reduceName(code);
  const int64_t nd = x.ndim();
  const bool arg = code == WT_RED_ARGMAX || code == WT_RED_ARGMIN;
  if (isComplex(x.dtype)) {
    if (code != WT_RED_SUM && code != WT_RED_MEAN)
      fail(WT_E_DTYPE, name, ": argument 'x' is ", dtypeName(x.dtype), "; expected float32 or float64");
  } else {
    requireFloat(name, "x", x);
  }
  std::vector<bool> red((size_t)nd, false);
  for (int64_t a : axes) {
    int64_t k = normAxis(a, nd, name, "axis");
    if (red[k]) fail(WT_E_SHAPE, name, ": argument 'axis' repeats axis ", k);
    red[k] = true;
  }
  if (arg && axes.size() != 1) fail(WT_E_SHAPE, name, ": argument 'axis' must name exactly one axis");
  Shape outShape, kept;
  int64_t R = 1;
  for (int64_t i = 0; i < nd; ++i) {
    if (red[i]) {
      R *= x.shape[i];
      if (keepdims) outShape.push_back(1);
    } else {
      outShape.push_back(x.shape[i]);
    }
  }
  // numpy: max, min, argmax and argmin have no identity, so an empty reduced axis is an error
  // even when the output itself is empty.
  const bool noIdentity = arg || code == WT_RED_MAX || code == WT_RED_MIN;
  if (noIdentity && R == 0)
    fail(WT_E_SHAPE, name, ": argument 'x' ", shapeStr(x.shape), " has an empty reduced axis; ", name,
         " of an empty axis is undefined");
  DType outT = arg ? WT_I32 : x.dtype;
  Tensor out = emptyTensor(x.device(), outT, outShape, name);
  if (out.numel() == 0) return out;
  // Lay the input out as [O, R, I]: directly when the reduced axes are one contiguous run of a
  // contiguous tensor, else by moving them last with one copy. A permuted view of a dense tensor is
  // first taken in its storage's order when the kept axes keep their order there (so the output's
  // layout is unchanged): reducing a transposed matrix along its rows then reads it as columns,
  // where the copy would cost more than the reduction.
  Tensor v = x;  // the layout's view of x
  if (!v.isContiguous()) {
    std::vector<int64_t> order;
    Tensor dense;
    if (denseOrder(v, order, dense)) {
      int64_t prevKept = -1;
      bool keptInOrder = true;
      for (int64_t k : order)
        if (!red[(size_t)k] && v.shape[k] != 1) {
          keptInOrder = keptInOrder && k > prevKept;
          prevKept = k;
        }
      if (keptInOrder) {
        std::vector<bool> r2((size_t)nd);
        for (int64_t i = 0; i < nd; ++i) r2[(size_t)i] = red[(size_t)order[(size_t)i]];
        v = dense;
        red = r2;
      }
    }
  }
  int64_t first = -1, last = -1;
  for (int64_t i = 0; i < nd; ++i)
    if (red[i]) {
      if (first < 0) first = i;
      last = i;
    }
  bool run = first >= 0;
  for (int64_t i = first; run && i <= last; ++i) run = red[i];
  Tensor src;
  int64_t O = 1, I = 1;
  if (first < 0) {  // nothing reduced: every element is its own group
    src = contiguous(env, v);
    O = v.numel();
  } else if (run) {
    src = contiguous(env, v);
    for (int64_t i = 0; i < first; ++i) O *= v.shape[i];
    for (int64_t i = last + 1; i < nd; ++i) I *= v.shape[i];
  } else {
    std::vector<int64_t> perm;
    for (int64_t i = 0; i < nd; ++i)
      if (!red[i]) {
        perm.push_back(i);
        O *= v.shape[i];
      }
    for (int64_t i = 0; i < nd; ++i)
      if (red[i]) perm.push_back(i);
    src = contiguous(env, permute(v, perm));
  }
  wt_op op = makeOp(WT_OP_REDUCE);
  op.n_in = 1;
  op.n_out = 1;
  op.in[0] = contiguousView(src, {O, R, I});
  op.out[0] = contiguousView(out, {O, I});
  op.params.reduce = {code};
  submit(env, x.device(), op, {src.storage}, {out.storage}, x.numel());
  return out;
}

}  // namespace wt
