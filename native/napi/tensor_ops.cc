// Binding entries for tensor creation, views and compute ops: unwrap, call core, wrap.
#include "../core/ops.h"
#include "entries.h"

namespace wt {
namespace napi {

Napi::Value fromData(const Args& a) {
  Napi::Value v = a.info[0];
  DType dt = a.dtype(2, "dtype");
  Shape shape = a.shape(1, "shape");
  if (!v.IsTypedArray()) fail(WT_E_DTYPE, a.op, ": argument 'data' must be a typed array");
  Napi::TypedArray ta = v.As<Napi::TypedArray>();
  napi_typedarray_type want = (dt == WT_F32 || dt == WT_C64) ? napi_float32_array
                              : (dt == WT_I32)                ? napi_int32_array
                                                              : napi_float64_array;
  if (ta.TypedArrayType() != want)
    fail(WT_E_DTYPE, a.op, ": argument 'data' has the wrong typed array type for dtype ", dtypeName(dt));
  const char* base = static_cast<const char*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
  return a.wrap(fromHost(a.data.env, a.device(3, "device"), dt, shape, base, ta.ByteLength()));
}

Napi::Value full(const Args& a) {
  return a.wrap(wt::full(a.data.env, a.device(2, "device"), a.dtype(1, "dtype"), a.shape(0, "shape"),
                         a.number(3, "value"), a.number(4, "imag")));
}

Napi::Value iota(const Args& a) {
  int64_t n = a.integer(0, "n");
  if (n < 0) fail(WT_E_SHAPE, a.op, ": length ", n, " is negative");
  return a.wrap(wt::iota(a.data.env, a.device(2, "device"), a.dtype(1, "dtype"), n, a.number(3, "start"),
                         a.number(4, "step")));
}

Napi::Value random(const Args& a) {
  int64_t code = a.integer(0, "kind");
  if (code < WT_RNG_UNIFORM || code > WT_RNG_BERNOULLI) fail(WT_E_RANGE, a.op, ": unknown distribution ", code);
  int64_t seed = a.integer(4, "seed"), offset = a.integer(5, "offset");
  if (seed < 0 || offset < 0) fail(WT_E_RANGE, a.op, ": seed and offset must be >= 0");
  return a.wrap(randomTensor(a.data.env, a.device(3, "device"), a.dtype(2, "dtype"), a.shape(1, "shape"), (int)code,
                             (uint64_t)seed, (uint64_t)offset, a.number(6, "p0"), a.number(7, "p1")));
}

// A second handle to the same tensor: the tape saves inputs this way, independent of the
// caller's dispose().
Napi::Value alias(const Args& a) { return a.wrap(a.tensor(0, "x")); }

Napi::Value reshape(const Args& a) {
  return a.wrap(wt::reshape(a.data.env, a.tensor(0, "x"), a.ints(1, "shape")));
}
Napi::Value permute(const Args& a) { return a.wrap(wt::permute(a.tensor(0, "x"), a.ints(1, "axes"))); }
Napi::Value slice(const Args& a) {
  return a.wrap(wt::slice(a.tensor(0, "x"), a.ints(1, "start"), a.ints(2, "stop"), a.ints(3, "step")));
}
Napi::Value expand(const Args& a) { return a.wrap(wt::expand(a.tensor(0, "x"), a.shape(1, "shape"))); }
Napi::Value viewAsReal(const Args& a) { return a.wrap(wt::viewAsReal(a.tensor(0, "x"))); }
Napi::Value viewAsComplex(const Args& a) { return a.wrap(wt::viewAsComplex(a.tensor(0, "x"))); }
Napi::Value contiguous(const Args& a) { return a.wrap(wt::contiguous(a.data.env, a.tensor(0, "x"))); }
Napi::Value cast(const Args& a) { return a.wrap(wt::cast(a.data.env, a.tensor(0, "x"), a.dtype(1, "dtype"))); }

Napi::Value copyInto(const Args& a) {
  wt::copyInto(a.data.env, a.tensor(0, "out"), a.tensor(1, "x"), a.op);
  return a.info.Env().Undefined();
}

Napi::Value unary(const Args& a) {
  return a.wrap(wt::unary(a.data.env, (int)a.integer(0, "code"), a.tensor(1, "x"), a.number(2, "p0"), a.number(3, "p1")));
}
Napi::Value binary(const Args& a) {
  return a.wrap(wt::binary(a.data.env, (int)a.integer(0, "code"), a.tensor(1, "a"), a.tensor(2, "b")));
}
Napi::Value where(const Args& a) {
  return a.wrap(wt::where(a.data.env, a.tensor(0, "cond"), a.tensor(1, "a"), a.tensor(2, "b")));
}
Napi::Value reduce(const Args& a) {
  return a.wrap(wt::reduce(a.data.env, (int)a.integer(0, "code"), a.tensor(1, "x"), a.ints(2, "axis"),
                           a.boolean(3, "keepdims")));
}
Napi::Value matmul(const Args& a) { return a.wrap(wt::matmul(a.data.env, a.tensor(0, "a"), a.tensor(1, "b"))); }
Napi::Value gather(const Args& a) {
  return a.wrap(wt::gather(a.data.env, a.tensor(0, "x"), a.tensor(1, "indices"), a.integer(2, "axis")));
}
Napi::Value scatterAdd(const Args& a) {
  return a.wrap(wt::scatterAdd(a.data.env, a.tensor(0, "src"), a.tensor(1, "indices"), a.integer(2, "axis"),
                               a.integer(3, "size")));
}
Napi::Value to(const Args& a) {
  return a.wrap(wt::toDevice(a.data.env, a.tensor(0, "x"), a.device(1, "device")));
}

}  // namespace napi
}  // namespace wt
