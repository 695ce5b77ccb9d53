// FFT entry points: argument checks (thrown at once, naming op and argument), the crop / zero-pad
// and axis move that give the backend a contiguous [rows, length] input, and op submission.
#include "fft.h"

#include <algorithm>
#include <vector>

#include "ops.h"
#include "submit.h"

namespace wt {
namespace {

// Longest transform accepted: plans and scratch index with int64 but size buffers of 2^30+ values,
// and Bluestein needs a length >= 2n - 1 (bluesteinLength in kernels/fft_factor.h).
constexpr int64_t kMaxLength = int64_t(1) << 30;

enum class Kind { Complex, RealForward, RealInverse };

const char* nameOf(Kind k, bool inverse) {
  switch (k) {
    case Kind::Complex: return inverse ? "ifft" : "fft";
    case Kind::RealForward: return "rfft";
    default: return "irfft";
  }
}

void checkInput(const char* op, Kind kind, const Tensor& x) {
  const bool wantComplex = kind != Kind::RealForward;
  if (wantComplex && !isComplex(x.dtype))
    fail(WT_E_DTYPE, op, ": argument 'x' must be complex64 or complex128; got ", dtypeName(x.dtype),
         kind == Kind::RealInverse ? " (irfft takes the half spectrum that rfft returns)" : " (use rfft for real input)");
  if (!wantComplex && !isFloat(x.dtype))
    fail(WT_E_DTYPE, op, ": argument 'x' must be float32 or float64; got ", dtypeName(x.dtype),
         isComplex(x.dtype) ? " (use fft for complex input)" : "");
  if (x.ndim() == 0) fail(WT_E_SHAPE, op, ": argument 'x' must have at least one axis; got a scalar");
}

// The transform length n from the argument (-1: the default for this op) and x's length along axis.
int64_t transformLength(const char* op, Kind kind, int64_t n, int64_t len) {
  if (n == -1) {
    if (kind == Kind::RealInverse) {
      if (len < 2)
        fail(WT_E_SHAPE, op, ": argument 'x' has ", len, " bin", len == 1 ? "" : "s",
             " along the transform axis; the default n = 2 (bins - 1) needs at least 2 (or pass n)");
      n = 2 * (len - 1);
    } else {
      if (len < 1) fail(WT_E_SHAPE, op, ": argument 'x' has length 0 along the transform axis; pass n >= 1");
      n = len;
    }
  }
  if (n < 1) fail(WT_E_RANGE, op, ": argument 'n' = ", n, "; expected a transform length >= 1");
  if (n > kMaxLength) fail(WT_E_RANGE, op, ": argument 'n' = ", n, "; expected a transform length <= 2^30");
  return n;
}

// x with `axis` moved last, as a contiguous tensor whose last axis has exactly `len` entries:
// x's first min(len, L) entries, then zeros. No copy when x already has that layout.
Tensor axisLastResized(Env& env, const Tensor& x, int64_t axis, int64_t len, const char* op) {
  const int64_t nd = x.ndim();
  std::vector<int64_t> perm;
  for (int64_t i = 0; i < nd; ++i)
    if (i != axis) perm.push_back(i);
  perm.push_back(axis);
  const Tensor moved = permute(x, perm);
  const int64_t have = x.shape[axis];
  if (have == len && moved.isContiguous()) return moved;
  Shape shape = moved.shape;
  shape.back() = len;
  Tensor buf = emptyTensor(x.device(), x.dtype, shape, op);
  if (buf.numel() == 0) return buf;
  const int64_t keep = std::min(have, len);
  std::vector<int64_t> start(nd, 0), stop(shape.begin(), shape.end()), step(nd, 1);
  if (keep > 0) {
    stop.back() = keep;
    std::vector<int64_t> srcStop(moved.shape.begin(), moved.shape.end());
    srcStop.back() = keep;
    copyInto(env, slice(buf, start, stop, step), slice(moved, start, srcStop, step), op);
  }
  if (keep < len) {
    start.back() = keep;
    stop.back() = len;
    fillInto(env, slice(buf, start, stop, step), 0, 0);
  }
  return buf;
}

Tensor transform(Env& env, Kind kind, const Tensor& x, int64_t n, int64_t axis, bool inverse, double scale) {
  const char* op = nameOf(kind, inverse);
  checkInput(op, kind, x);
  axis = normAxis(axis, x.ndim(), op, "axis");
  n = transformLength(op, kind, n, x.shape[axis]);
  const int64_t bins = n / 2 + 1;
  const int64_t inLen = kind == Kind::RealInverse ? bins : n;
  const int64_t outLen = kind == Kind::RealForward ? bins : n;
  const DType outType = kind == Kind::RealForward ? complexOf(x.dtype) : kind == Kind::RealInverse ? realOf(x.dtype) : x.dtype;

  const Tensor in = axisLastResized(env, x, axis, inLen, op);
  Shape outShape = in.shape;
  outShape.back() = outLen;
  Tensor out = emptyTensor(x.device(), outType, outShape, op);
  if (out.numel() > 0) {
    wt_op o = makeOp(kind == Kind::Complex ? WT_OP_FFT : kind == Kind::RealForward ? WT_OP_RFFT : WT_OP_IRFFT);
    o.n_in = 1;
    o.n_out = 1;
    // Rows x length: the transform axis is last and contiguous.
    const int64_t rows = out.numel() / outLen;
    o.in[0] = contiguousView(in, {rows, inLen});
    o.out[0] = contiguousView(out, {rows, outLen});
    if (kind == Kind::Complex) o.params.fft = {n, inverse ? 1 : -1, scale};
    else if (kind == Kind::RealForward) o.params.rfft = {n, scale};
    else o.params.irfft = {n, scale};
    // An FFT costs about eight elementwise passes per output element.
    submit(env, x.device(), o, {in.storage}, {out.storage}, out.numel() * 8);
  }
  // Move the transformed axis back to where it was.
  const int64_t nd = x.ndim();
  std::vector<int64_t> back(nd);
  for (int64_t i = 0, j = 0; i < nd; ++i) back[i] = i == axis ? nd - 1 : j++;
  return permute(out, back);
}

}  // namespace

Tensor fft(Env& env, const Tensor& x, int64_t n, int64_t axis, bool inverse, double scale) {
  return transform(env, Kind::Complex, x, n, axis, inverse, scale);
}

Tensor rfft(Env& env, const Tensor& x, int64_t n, int64_t axis, double scale) {
  return transform(env, Kind::RealForward, x, n, axis, false, scale);
}

Tensor irfft(Env& env, const Tensor& x, int64_t n, int64_t axis, double scale) {
  return transform(env, Kind::RealInverse, x, n, axis, false, scale);
}

}  // namespace wt
