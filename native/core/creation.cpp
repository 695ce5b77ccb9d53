// Core entry points that create tensors: from host data, constant fills, ramps and the
// counter-based random streams (WT_OP_FILL / IOTA / RANDOM).
#include <cmath>

#include "ops.h"
#include "submit.h"

namespace wt {

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
  op.out[0] = dst.view();
  op.params.fill = {re, im};
  submit(env, dst.device(), op, {}, {dst.storage}, dst.numel());
}

Tensor iota(Env& env, Device* d, DType dt, int64_t n, double start, double step) {
  if (isComplex(dt)) fail(WT_E_DTYPE, "arange: dtype must be real or int32; got ", dtypeName(dt));
  Tensor t = emptyTensor(d, dt, {n}, "arange");
  wt_op op = makeOp(WT_OP_IOTA);
  op.n_out = 1;
  op.out[0] = t.view();
  op.params.iota = {start, step};
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
  wt_op op = makeOp(WT_OP_RANDOM);
  op.n_out = 1;
  op.out[0] = t.view();
  op.params.random = {code, seed, offset, f0, f1};
  submit(env, d, op, {}, {t.storage}, t.numel());
  return t;
}

}  // namespace wt
