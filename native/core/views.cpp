// Core entry points that only change how storage is viewed (reshape, permute, slice, expand,
// real <-> complex): no op is queued, except the copy reshape makes of a non-contiguous tensor.
#include "ops.h"
#include "submit.h"

namespace wt {

Tensor reshape(Env& env, const Tensor& t, Shape shape) {
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer >= 0) fail(WT_E_SHAPE, "reshape: argument 'shape' ", shapeStr(shape), " has more than one -1");
      infer = (int64_t)i;
    } else if (shape[i] < 0) {
      fail(WT_E_SHAPE, "reshape: argument 'shape' ", shapeStr(shape), " has a negative size");
    } else {
      known *= shape[i];
    }
  }
  if (infer >= 0) {
    if (known == 0 || t.numel() % known != 0)
      fail(WT_E_SHAPE, "reshape: cannot infer -1 in ", shapeStr(shape), " for ", t.numel(), " elements");
    shape[infer] = t.numel() / known;
  }
  if (numelOf(shape) != t.numel())
    fail(WT_E_SHAPE, "reshape: argument 'shape' ", shapeStr(shape), " has ", numelOf(shape),
         " elements; the tensor of shape ", shapeStr(t.shape), " has ", t.numel());
  if (shape.size() > WT_MAX_DIMS) fail(WT_E_SHAPE, "reshape: at most ", WT_MAX_DIMS, " dimensions");
  Tensor src = t.isContiguous() ? t : contiguous(env, t);
  Tensor out = src;
  out.shape = shape;
  out.strides = contiguousStrides(shape);
  return out;
}

Tensor permute(const Tensor& t, const std::vector<int64_t>& axes) {
  const int64_t nd = t.ndim();
  if ((int64_t)axes.size() != nd)
    fail(WT_E_SHAPE, "permute: argument 'axes' has ", axes.size(), " entries; expected ", nd);
  std::vector<bool> seen((size_t)nd, false);
  Tensor out = t;
  for (int64_t i = 0; i < nd; ++i) {
    int64_t a = normAxis(axes[i], nd, "permute", "axes");
    if (seen[a]) fail(WT_E_SHAPE, "permute: argument 'axes' repeats axis ", a);
    seen[a] = true;
    out.shape[i] = t.shape[a];
    out.strides[i] = t.strides[a];
  }
  return out;
}

Tensor slice(const Tensor& t, const std::vector<int64_t>& start, const std::vector<int64_t>& stop,
             const std::vector<int64_t>& step) {
  const int64_t nd = t.ndim();
  if ((int64_t)start.size() != nd || (int64_t)stop.size() != nd || (int64_t)step.size() != nd)
    fail(WT_E_SHAPE, "slice: start/stop/step need one entry per axis (", nd, ")");
  Tensor out = t;
  for (int64_t i = 0; i < nd; ++i) {
    const int64_t n = t.shape[i], b = start[i], e = stop[i], s = step[i];
    if (s == 0) fail(WT_E_RANGE, "slice: argument 'step' is 0 on axis ", i);
    // Python's slice.indices(): start in [0, n] (or [-1, n-1] for negative steps).
    int64_t len = 0;
    if (s > 0) {
      if (b < 0 || b > n || e < b - 0 || e > n) {
        if (b < 0 || b > n || e < 0 || e > n)
          fail(WT_E_RANGE, "slice: axis ", i, " range [", b, ", ", e, ") is outside [0, ", n, "]");
      }
      len = e > b ? (e - b + s - 1) / s : 0;
    } else {
      if (b < -1 || b >= n || e < -1 || e >= n) {
        if (!(n == 0 && b == -1 && e == -1))
          fail(WT_E_RANGE, "slice: axis ", i, " reversed range (", b, " down to ", e, ") is outside [-1, ", n - 1, "]");
      }
      len = b > e ? (b - e - s - 1) / (-s) : 0;
    }
    out.shape[i] = len;
    out.strides[i] = t.strides[i] * s;
    if (len > 0) out.offset += b * t.strides[i];
  }
  return out;
}

Tensor expand(const Tensor& t, const Shape& shape) {
  if (shape.size() < t.shape.size() || shape.size() > WT_MAX_DIMS)
    fail(WT_E_SHAPE, "broadcastTo: cannot broadcast shape ", shapeStr(t.shape), " to ", shapeStr(shape));
  const size_t off = shape.size() - t.shape.size();
  Tensor out = t;
  out.shape = shape;
  out.strides.assign(shape.size(), 0);
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i < off) continue;
    int64_t s = t.shape[i - off];
    if (s == shape[i]) out.strides[i] = t.strides[i - off];
    else if (s != 1)
      fail(WT_E_SHAPE, "broadcastTo: cannot broadcast shape ", shapeStr(t.shape), " to ", shapeStr(shape));
  }
  return out;
}

Tensor viewAsReal(const Tensor& t) {
  if (!isComplex(t.dtype)) fail(WT_E_DTYPE, "viewAsReal: expected a complex tensor; got ", dtypeName(t.dtype));
  if (t.ndim() + 1 > WT_MAX_DIMS) fail(WT_E_SHAPE, "viewAsReal: too many dimensions");
  Tensor out = t;
  out.dtype = realOf(t.dtype);
  for (auto& s : out.strides) s *= 2;
  out.shape.push_back(2);
  out.strides.push_back(1);
  out.offset = t.offset * 2;
  return out;
}

Tensor viewAsComplex(const Tensor& t) {
  if (!isFloat(t.dtype)) fail(WT_E_DTYPE, "viewAsComplex: expected float32 or float64; got ", dtypeName(t.dtype));
  if (t.ndim() == 0 || t.shape.back() != 2 || t.strides.back() != 1 || t.offset % 2 != 0)
    fail(WT_E_SHAPE, "viewAsComplex: the last axis must have size 2 and unit stride; got shape ", shapeStr(t.shape));
  Tensor out = t;
  out.dtype = complexOf(t.dtype);
  out.shape.pop_back();
  out.strides.pop_back();
  for (auto& s : out.strides) {
    if (s % 2 != 0) fail(WT_E_SHAPE, "viewAsComplex: strides must be even; copy the tensor first");
    s /= 2;
  }
  out.offset = t.offset / 2;
  return out;
}

}  // namespace wt
