// Core op entry points: argument and shape validation, output allocation, view arithmetic, and
// submission of wt_ops to the device's stream. No math: kernels live in the backends.
#include "ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "../kernels/elementwise.h"
#include "../kernels/philox.h"

namespace wt {
namespace {

wt_op makeOp(int kind, int code = 0) {
  wt_op op;
  std::memset(&op, 0, sizeof op);
  op.kind = kind;
  op.code = code;
  return op;
}

// Queues op on the stream of `d`; `reads` and `writes` are kept alive until it has run.
void submit(Env& env, Device* d, const wt_op& op, std::vector<std::shared_ptr<Storage>> reads,
            std::vector<std::shared_ptr<Storage>> writes, int64_t elements) {
  Task t;
  t.run = [d, op] { d->run(op); };
  t.reads = std::move(reads);
  t.writes = std::move(writes);
  env.stream(d).submit(std::move(t), elements <= d->inlineElements());
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

// A view of t broadcast to `shape` (t's dims right-aligned; missing or size-1 dims get stride 0).
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

wt_view viewOf(const Tensor& t) { return t.view(); }

}  // namespace

const char* unaryName(int code) {
  static const char* names[] = {"neg", "abs", "square", "sqrt", "exp", "log", "log1p", "expm1",
                                "sigmoid", "tanh", "relu", "softplus", "sin", "cos", "sign",
                                "reciprocal", "pow", "clamp", "affine", "conj", "abs2", "angle"};
  return code >= 0 && code < WT_UN_COUNT ? names[code] : "unary";
}
const char* binaryName(int code) {
  static const char* names[] = {"add", "sub", "mul", "div", "pow", "maximum", "minimum", "equal",
                                "notEqual", "less", "lessEqual", "greater", "greaterEqual", "complex"};
  return code >= 0 && code < WT_BIN_COUNT ? names[code] : "binary";
}
const char* reduceName(int code) {
  static const char* names[] = {"sum", "mean", "max", "min", "prod", "logsumexp", "norm", "argmax", "argmin"};
  return code >= 0 && code < WT_RED_COUNT ? names[code] : "reduce";
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

// ---- creation ----

Tensor fromHost(Env&, Device* d, DType dt, const Shape& shape, const void* src, size_t bytes) {
  Tensor t = emptyTensor(d, dt, shape, "tensor");
  if (bytes != t.storage->bytes())
    fail(WT_E_SHAPE, "tensor: data has ", bytes / dtypeSize(dt), " elements but shape ", shapeStr(shape),
         " needs ", t.numel());
  // The storage is fresh, so no queued task can touch it: copy now, on this thread, while the
  // JS-owned source is guaranteed to be alive and unchanged.
  if (bytes) d->copyFromHost(t.storage->data(), src, bytes);
  return t;
}

Tensor full(Env& env, Device* d, DType dt, const Shape& shape, double re, double im) {
  Tensor t = emptyTensor(d, dt, shape, "full");
  fillInto(env, t, re, im);
  return t;
}

void fillInto(Env& env, const Tensor& dst, double re, double im) {
  wt_op op = makeOp(WT_OP_FILL);
  op.n_out = 1;
  op.out[0] = viewOf(dst);
  op.f[0] = re;
  op.f[1] = im;
  submit(env, dst.device(), op, {}, {dst.storage}, dst.numel());
}

Tensor iota(Env& env, Device* d, DType dt, int64_t n, double start, double step) {
  if (isComplex(dt)) fail(WT_E_DTYPE, "arange: dtype must be real or int32; got ", dtypeName(dt));
  Tensor t = emptyTensor(d, dt, {n}, "arange");
  wt_op op = makeOp(WT_OP_IOTA);
  op.n_out = 1;
  op.out[0] = viewOf(t);
  op.f[0] = start;
  op.f[1] = step;
  submit(env, d, op, {}, {t.storage}, n);
  return t;
}

Tensor randomTensor(Env& env, Device* d, DType dt, const Shape& shape, int code, uint64_t seed, uint64_t offset,
                    double f0, double f1) {
  const char* name = code == WT_RNG_NORMAL ? "normal" : code == WT_RNG_BERNOULLI ? "bernoulli" : "uniform";
  if (!isFloat(dt)) fail(WT_E_DTYPE, name, ": dtype must be float32 or float64; got ", dtypeName(dt));
  if (code == WT_RNG_BERNOULLI && !(f0 >= 0 && f0 <= 1))
    fail(WT_E_RANGE, name, ": argument 'p' = ", f0, "; expected a probability in [0, 1]");
  if (code == WT_RNG_NORMAL && !(f1 >= 0 && std::isfinite(f1)))
    fail(WT_E_RANGE, name, ": argument 'std' = ", f1, "; expected a finite value >= 0");
  if (code == WT_RNG_UNIFORM && !(std::isfinite(f0) && std::isfinite(f1) && f0 <= f1))
    fail(WT_E_RANGE, name, ": arguments 'low' = ", f0, " and 'high' = ", f1, "; expected finite low <= high");
  Tensor t = emptyTensor(d, dt, shape, name);
  wt_op op = makeOp(WT_OP_RANDOM, code);
  op.n_out = 1;
  op.out[0] = viewOf(t);
  op.i[0] = (int64_t)seed;
  op.i[1] = (int64_t)offset;
  op.f[0] = f0;
  op.f[1] = f1;
  submit(env, d, op, {}, {t.storage}, t.numel());
  return t;
}

// ---- views ----

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

// ---- compute ----

void copyInto(Env& env, const Tensor& dst, const Tensor& src, const char* op) {
  sameDevice(op, dst, "out", src, "x");
  if (dst.shape != src.shape)
    fail(WT_E_SHAPE, op, ": destination shape ", shapeStr(dst.shape), " differs from source ", shapeStr(src.shape));
  if (isComplex(src.dtype) && !isComplex(dst.dtype))
    fail(WT_E_DTYPE, op, ": cannot convert ", dtypeName(src.dtype), " to ", dtypeName(dst.dtype),
         "; take real() or abs() first");
  if (dst.numel() == 0) return;
  wt_op o = makeOp(WT_OP_COPY);
  o.n_in = 1;
  o.n_out = 1;
  o.in[0] = viewOf(src);
  o.out[0] = viewOf(dst);
  submit(env, dst.device(), o, {src.storage}, {dst.storage}, dst.numel());
}

Tensor contiguous(Env& env, const Tensor& t) {
  if (t.isContiguous()) return t;
  Tensor out = emptyTensor(t.device(), t.dtype, t.shape, "contiguous");
  copyInto(env, out, t, "contiguous");
  return out;
}

Tensor cast(Env& env, const Tensor& t, DType dt) {
  if (dt == t.dtype) return t;
  Tensor out = emptyTensor(t.device(), dt, t.shape, "cast");
  copyInto(env, out, t, "cast");
  return out;
}

Tensor unary(Env& env, int code, const Tensor& x, double p0, double p1) {
  const char* name = unaryName(code);
  if (code < 0 || code >= WT_UN_COUNT) fail(WT_E_RANGE, "unary: unknown op code ", code);
  DType outT = x.dtype;
  if (isComplex(x.dtype)) {
    if (!ew::unaryAcceptsComplex(code))
      fail(WT_E_DTYPE, name, ": argument 'x' is ", dtypeName(x.dtype), "; ", name, " needs float32 or float64");
    if (ew::unaryComplexToReal(code)) outT = realOf(x.dtype);
  } else {
    if (!isFloat(x.dtype))
      fail(WT_E_DTYPE, name, ": argument 'x' must be float32 or float64", (code == WT_UN_CONJ ? " or complex" : ""),
           "; got ", dtypeName(x.dtype));
    if (code == WT_UN_CONJ) fail(WT_E_DTYPE, "conj: argument 'x' must be complex; got ", dtypeName(x.dtype));
  }
  if (code == WT_UN_CLAMP && (std::isnan(p0) || std::isnan(p1) || p0 > p1))
    fail(WT_E_RANGE, "clamp: bounds [", p0, ", ", p1, "] are invalid; expected min <= max, not NaN");
  Tensor out = emptyTensor(x.device(), outT, x.shape, name);
  if (out.numel() == 0) return out;
  wt_op op = makeOp(WT_OP_UNARY, code);
  op.n_in = 1;
  op.n_out = 1;
  op.in[0] = viewOf(x);
  op.out[0] = viewOf(out);
  op.f[0] = p0;
  op.f[1] = p1;
  submit(env, x.device(), op, {x.storage}, {out.storage}, out.numel());
  return out;
}

Tensor binary(Env& env, int code, const Tensor& a, const Tensor& b) {
  if (code < 0 || code >= WT_BIN_COUNT) fail(WT_E_RANGE, "binary: unknown op code ", code);
  const char* name = binaryName(code);
  sameDevice(name, a, "a", b, "b");
  if (a.dtype != b.dtype)
    fail(WT_E_DTYPE, name, ": arguments 'a' (", dtypeName(a.dtype), ") and 'b' (", dtypeName(b.dtype),
         ") must have the same dtype; cast one with .cast()");
  DType outT = a.dtype;
  if (code == WT_BIN_COMPLEX) {
    requireFloat(name, "re", a);
    outT = complexOf(a.dtype);
  } else if (isComplex(a.dtype)) {
    if (!ew::binaryAcceptsComplex(code))
      fail(WT_E_DTYPE, name, ": complex arguments are not supported; got ", dtypeName(a.dtype));
  } else {
    requireFloat(name, "a", a);
  }
  Shape shape = broadcastShapes(a.shape, b.shape, name, "a", "b");
  Tensor out = emptyTensor(a.device(), outT, shape, name);
  if (out.numel() == 0) return out;
  wt_op op = makeOp(WT_OP_BINARY, code);
  op.n_in = 2;
  op.n_out = 1;
  op.in[0] = broadcastView(a, shape);
  op.in[1] = broadcastView(b, shape);
  op.out[0] = viewOf(out);
  submit(env, a.device(), op, {a.storage, b.storage}, {out.storage}, out.numel());
  return out;
}

Tensor where(Env& env, const Tensor& cond, const Tensor& a, const Tensor& b) {
  sameDevice("where", a, "a", b, "b");
  sameDevice("where", a, "a", cond, "cond");
  if (a.dtype != b.dtype)
    fail(WT_E_DTYPE, "where: arguments 'a' (", dtypeName(a.dtype), ") and 'b' (", dtypeName(b.dtype),
         ") must have the same dtype");
  if (cond.dtype != WT_I32 && cond.dtype != a.dtype)
    fail(WT_E_DTYPE, "where: argument 'cond' must be int32 or ", dtypeName(a.dtype), "; got ", dtypeName(cond.dtype));
  Shape shape = broadcastShapes(broadcastShapes(cond.shape, a.shape, "where", "cond", "a"), b.shape, "where", "a", "b");
  Tensor out = emptyTensor(a.device(), a.dtype, shape, "where");
  if (out.numel() == 0) return out;
  wt_op op = makeOp(WT_OP_WHERE);
  op.n_in = 3;
  op.n_out = 1;
  op.in[0] = broadcastView(cond, shape);
  op.in[1] = broadcastView(a, shape);
  op.in[2] = broadcastView(b, shape);
  op.out[0] = viewOf(out);
  submit(env, a.device(), op, {cond.storage, a.storage, b.storage}, {out.storage}, out.numel());
  return out;
}

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
  // contiguous tensor, else by moving them last with one copy.
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
    src = contiguous(env, x);
    O = x.numel();
  } else if (run) {
    src = contiguous(env, x);
    for (int64_t i = 0; i < first; ++i) O *= x.shape[i];
    for (int64_t i = last + 1; i < nd; ++i) I *= x.shape[i];
  } else {
    std::vector<int64_t> perm;
    for (int64_t i = 0; i < nd; ++i)
      if (!red[i]) {
        perm.push_back(i);
        O *= x.shape[i];
      }
    for (int64_t i = 0; i < nd; ++i)
      if (red[i]) perm.push_back(i);
    src = contiguous(env, permute(x, perm));
  }
  wt_op op = makeOp(WT_OP_REDUCE, code);
  op.n_in = 1;
  op.n_out = 1;
  op.in[0] = viewOf(src);
  op.in[0].ndim = 3;
  op.in[0].shape[0] = O;
  op.in[0].shape[1] = R;
  op.in[0].shape[2] = I;
  op.in[0].strides[0] = R * I;
  op.in[0].strides[1] = I;
  op.in[0].strides[2] = 1;
  op.out[0] = viewOf(out);
  op.out[0].ndim = 2;
  op.out[0].shape[0] = O;
  op.out[0].shape[1] = I;
  op.out[0].strides[0] = I;
  op.out[0].strides[1] = 1;
  submit(env, x.device(), op, {src.storage}, {out.storage}, x.numel());
  return out;
}

namespace {
// A [B, r, c] view of t (batch dims broadcast to `batch`), copying only when the batch dims
// cannot be collapsed into one stride.
wt_view batched3d(Env& env, const Tensor& t, const Shape& batch, Tensor& keep) {
  Shape full = batch;
  full.push_back(t.shape[t.ndim() - 2]);
  full.push_back(t.shape[t.ndim() - 1]);
  Tensor e = expand(t, full);
  const size_t nb = batch.size();
  bool collapsible = true;
  for (size_t i = 0; i + 1 < nb; ++i)
    if (e.strides[i] != e.strides[i + 1] * e.shape[i + 1] && e.shape[i] != 1) collapsible = false;
  if (!collapsible) e = contiguous(env, e);
  keep = e;
  wt_view v = e.view();
  int64_t B = numelOf(batch);
  int64_t bs = 0;
  for (size_t i = nb; i-- > 0;)
    if (e.shape[i] != 1) {
      bs = e.strides[i];
      break;
    }
  v.ndim = 3;
  v.shape[0] = B;
  v.strides[0] = bs;
  v.shape[1] = e.shape[nb];
  v.strides[1] = e.strides[nb];
  v.shape[2] = e.shape[nb + 1];
  v.strides[2] = e.strides[nb + 1];
  return v;
}
}  // namespace

Tensor matmul(Env& env, const Tensor& a, const Tensor& b) {
  sameDevice("matmul", a, "a", b, "b");
  requireFloat("matmul", "a", a);
  if (a.dtype != b.dtype)
    fail(WT_E_DTYPE, "matmul: arguments 'a' (", dtypeName(a.dtype), ") and 'b' (", dtypeName(b.dtype), ") differ");
  if (a.ndim() < 2 || b.ndim() < 2)
    fail(WT_E_SHAPE, "matmul: arguments need at least 2 dimensions; got ", shapeStr(a.shape), " and ", shapeStr(b.shape));
  const int64_t M = a.shape[a.ndim() - 2], K = a.shape[a.ndim() - 1];
  const int64_t K2 = b.shape[b.ndim() - 2], N = b.shape[b.ndim() - 1];
  if (K != K2)
    fail(WT_E_SHAPE, "matmul: inner dimensions differ: 'a' ", shapeStr(a.shape), " has ", K, " columns, 'b' ",
         shapeStr(b.shape), " has ", K2, " rows");
  Shape ba(a.shape.begin(), a.shape.end() - 2), bb(b.shape.begin(), b.shape.end() - 2);
  Shape batch = broadcastShapes(ba, bb, "matmul", "a", "b");
  Shape outShape = batch;
  outShape.push_back(M);
  outShape.push_back(N);
  Tensor out = emptyTensor(a.device(), a.dtype, outShape, "matmul");
  if (out.numel() == 0) return out;
  if (K == 0) {
    fillInto(env, out, 0, 0);
    return out;
  }
  Tensor ka, kb;
  wt_op op = makeOp(WT_OP_MATMUL);
  op.n_in = 2;
  op.n_out = 1;
  op.in[0] = batched3d(env, a, batch, ka);
  op.in[1] = batched3d(env, b, batch, kb);
  op.out[0] = viewOf(out);
  op.out[0].ndim = 3;
  op.out[0].shape[0] = numelOf(batch);
  op.out[0].shape[1] = M;
  op.out[0].shape[2] = N;
  op.out[0].strides[0] = M * N;
  op.out[0].strides[1] = N;
  op.out[0].strides[2] = 1;
  submit(env, a.device(), op, {ka.storage, kb.storage}, {out.storage}, numelOf(batch) * M * N * K);
  return out;
}

namespace {
void checkIndexTensor(const char* op, const Tensor& x, const Tensor& idx) {
  sameDevice(op, x, "x", idx, "indices");
  if (idx.dtype != WT_I32) fail(WT_E_DTYPE, op, ": argument 'indices' must be int32; got ", dtypeName(idx.dtype));
}
wt_view as3d(const Tensor& t, int64_t O, int64_t A, int64_t I) {
  wt_view v = t.view();
  v.ndim = 3;
  v.shape[0] = O;
  v.shape[1] = A;
  v.shape[2] = I;
  v.strides[0] = A * I;
  v.strides[1] = I;
  v.strides[2] = 1;
  return v;
}
wt_view as1d(const Tensor& t) {
  wt_view v = t.view();
  v.ndim = 1;
  v.shape[0] = t.numel();
  v.strides[0] = 1;
  return v;
}
}  // namespace

Tensor gather(Env& env, const Tensor& x, const Tensor& idx, int64_t axis) {
  checkIndexTensor("gather", x, idx);
  if (x.ndim() == 0) fail(WT_E_SHAPE, "gather: argument 'x' must have at least one dimension");
  axis = normAxis(axis, x.ndim(), "gather", "axis");
  Shape outShape(x.shape.begin(), x.shape.begin() + axis);
  outShape.insert(outShape.end(), idx.shape.begin(), idx.shape.end());
  outShape.insert(outShape.end(), x.shape.begin() + axis + 1, x.shape.end());
  Tensor out = emptyTensor(x.device(), x.dtype, outShape, "gather");
  if (out.numel() == 0) return out;
  int64_t O = 1, I = 1;
  for (int64_t i = 0; i < axis; ++i) O *= x.shape[i];
  for (int64_t i = axis + 1; i < x.ndim(); ++i) I *= x.shape[i];
  Tensor xc = contiguous(env, x), ic = contiguous(env, idx);
  wt_op op = makeOp(WT_OP_GATHER);
  op.n_in = 2;
  op.n_out = 1;
  op.in[0] = as3d(xc, O, x.shape[axis], I);
  op.in[1] = as1d(ic);
  op.out[0] = as3d(out, O, idx.numel(), I);
  submit(env, x.device(), op, {xc.storage, ic.storage}, {out.storage}, out.numel());
  return out;
}

Tensor scatterAdd(Env& env, const Tensor& src, const Tensor& idx, int64_t axis, int64_t size) {
  checkIndexTensor("scatterAdd", src, idx);
  if (size < 0) fail(WT_E_RANGE, "scatterAdd: argument 'size' = ", size, "; expected >= 0");
  const int64_t nd = src.ndim() - idx.ndim() + 1;
  if (nd < 1) fail(WT_E_SHAPE, "scatterAdd: 'src' ", shapeStr(src.shape), " has fewer dims than 'indices'");
  axis = normAxis(axis, nd, "scatterAdd", "axis");
  for (int64_t i = 0; i < idx.ndim(); ++i)
    if (src.shape[axis + i] != idx.shape[i])
      fail(WT_E_SHAPE, "scatterAdd: 'src' ", shapeStr(src.shape), " does not contain 'indices' shape ",
           shapeStr(idx.shape), " at axis ", axis);
  Shape outShape(src.shape.begin(), src.shape.begin() + axis);
  outShape.push_back(size);
  outShape.insert(outShape.end(), src.shape.begin() + axis + idx.ndim(), src.shape.end());
  Tensor out = full(env, src.device(), src.dtype, outShape, 0, 0);
  if (src.numel() == 0) return out;
  int64_t O = 1, I = 1;
  for (int64_t i = 0; i < axis; ++i) O *= src.shape[i];
  for (int64_t i = axis + idx.ndim(); i < src.ndim(); ++i) I *= src.shape[i];
  Tensor sc = contiguous(env, src), ic = contiguous(env, idx);
  wt_op op = makeOp(WT_OP_SCATTER_ADD);
  op.n_in = 2;
  op.n_out = 1;
  op.in[0] = as3d(sc, O, idx.numel(), I);
  op.in[1] = as1d(ic);
  op.out[0] = as3d(out, O, size, I);
  submit(env, src.device(), op, {sc.storage, ic.storage}, {out.storage}, src.numel());
  return out;
}

Tensor toDevice(Env& env, const Tensor& t, Device* d) {
  if (t.device() == d) return t;
  Tensor src = contiguous(env, t);
  Tensor out = emptyTensor(d, t.dtype, t.shape, "to");
  const size_t bytes = out.storage->bytes();
  if (bytes == 0) return out;
  // Hop through host memory: the source stream reads into a staging buffer, the destination
  // stream waits for it and uploads. Reads never wait on other streams, so no cycle can form.
  struct Hop {
    std::vector<char> buf;
    std::mutex m;
    std::condition_variable cv;
    bool ready = false;
    std::shared_ptr<const Error> err;
  };
  auto hop = std::make_shared<Hop>();
  hop->buf.resize(bytes);
  Device* sd = src.device();
  const void* sp = src.view().data;
  Task rd;
  rd.run = [sd, sp, hop, bytes] { sd->copyToHost(hop->buf.data(), sp, bytes); };
  rd.reads = {src.storage};
  rd.done = [hop](std::shared_ptr<const Error> e) {
    std::lock_guard<std::mutex> g(hop->m);
    hop->err = e;
    hop->ready = true;
    hop->cv.notify_all();
  };
  env.stream(sd).submit(std::move(rd), false);
  Task up;
  void* dp = out.storage->data();
  up.run = [d, dp, hop, bytes] {
    std::unique_lock<std::mutex> lk(hop->m);
    hop->cv.wait(lk, [&] { return hop->ready; });
    if (hop->err) throw *hop->err;
    d->copyFromHost(dp, hop->buf.data(), bytes);
  };
  up.writes = {out.storage};
  env.stream(d).submit(std::move(up), false);
  return out;
}

void readInto(Env& env, const Tensor& t, void* dst, std::function<void(std::shared_ptr<const Error>)> done) {
  Tensor src = contiguous(env, t);
  Device* d = src.device();
  const size_t bytes = (size_t)src.numel() * dtypeSize(src.dtype);
  const void* sp = src.view().data;
  Task task;
  task.run = [d, sp, dst, bytes] {
    if (bytes) d->copyToHost(dst, sp, bytes);
    d->synchronize();
  };
  task.reads = {src.storage};
  task.done = std::move(done);
  env.stream(d).submit(std::move(task), src.numel() <= d->inlineElements());
}

}  // namespace wt
