// Core entry points of the elementwise family: unary functors, broadcasting binary ops and
// where (WT_OP_UNARY / BINARY / WHERE), with the dtype rules each code accepts.
#include <cmath>

#include "../kernels/elementwise.h"
#include "ops.h"
#include "submit.h"

namespace wt {

namespace {

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

}  // namespace

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
  wt_op op = makeOp(WT_OP_UNARY);
  op.n_in = 1;
  op.n_out = 1;
  op.in[0] = x.view();
  op.out[0] = out.view();
  op.params.unary = {code, p0, p1};
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
  wt_op op = makeOp(WT_OP_BINARY);
  op.params.binary = {code};
  op.n_in = 2;
  op.n_out = 1;
  op.in[0] = broadcastView(a, shape);
  op.in[1] = broadcastView(b, shape);
  op.out[0] = out.view();
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
  op.out[0] = out.view();
  submit(env, a.device(), op, {cond.storage, a.storage, b.storage}, {out.storage}, out.numel());
  return out;
}

}  // namespace wt
