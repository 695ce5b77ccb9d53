// The trust-region family's core: argument checks naming the public function, contiguous [rows, d]
// or [N] views for the backends, and the packed outputs ([3, B], [2, N]) split into their tensors.
#include "trust_region.h"

#include "ops.h"
#include "submit.h"

namespace wt {
namespace {

void likeFirst(const char* op, const Tensor& first, const char* firstName, const Tensor& t, const char* name) {
  if (t.dtype != first.dtype)
    fail(WT_E_DTYPE, op, ": argument '", name, "' is ", dtypeName(t.dtype), "; expected '", firstName, "''s dtype ",
         dtypeName(first.dtype));
  sameDevice(op, first, firstName, t, name);
  if (t.shape != first.shape)
    fail(WT_E_SHAPE, op, ": argument '", name, "' has shape ", shapeStr(t.shape), "; expected ", shapeStr(first.shape),
         " (the shape of '", firstName, "')");
}

// Row k of a packed [K, n] tensor, seen with `shape` (n elements).
Tensor packedRow(Env& env, const Tensor& packed, int64_t k, const Shape& shape) {
  const int64_t n = packed.shape[1];
  return reshape(env, slice(packed, {k, 0}, {k + 1, n}, {1, 1}), shape);
}

}  // namespace

CauchyResult cauchyStep(Env& env, const Tensor& g, const Tensor& model, bool diagonal, const Tensor& delta) {
  const char* op = "tr.cauchyStep";
  const char* modelName = diagonal ? "hessDiag" : "hessVec";
  requireFloat(op, "g", g);
  if (g.ndim() < 1 || g.shape.back() < 1)
    fail(WT_E_SHAPE, op, ": argument 'g' has shape ", shapeStr(g.shape), "; expected [..., d] with d >= 1");
  likeFirst(op, g, "g", model, modelName);
  const Shape batch(g.shape.begin(), g.shape.end() - 1);
  if (delta.dtype != g.dtype)
    fail(WT_E_DTYPE, op, ": argument 'delta' is ", dtypeName(delta.dtype), "; expected g's dtype ", dtypeName(g.dtype));
  sameDevice(op, g, "g", delta, "delta");
  if (delta.shape != batch)
    fail(WT_E_SHAPE, op, ": argument 'delta' has shape ", shapeStr(delta.shape), "; expected the batch shape ",
         shapeStr(batch));
  const int64_t d = g.shape.back();
  const int64_t rows = g.numel() / d;
  Tensor step = emptyTensor(g.device(), g.dtype, g.shape, op);
  Tensor packed = emptyTensor(g.device(), g.dtype, {3, rows}, op);
  if (rows > 0) {
    const Tensor gc = contiguous(env, g), mc = contiguous(env, model), dc = contiguous(env, delta);
    wt_op o = makeOp(WT_OP_CAUCHY_STEP);
    o.n_in = 3;
    o.n_out = 2;
    o.in[0] = contiguousView(gc, {rows, d});
    o.in[1] = contiguousView(mc, {rows, d});
    o.in[2] = contiguousView(dc, {rows});
    o.out[0] = contiguousView(step, {rows, d});
    o.out[1] = packed.view();
    o.params.cauchyStep = {diagonal ? 1 : 0};
    // Two reads and one write per element.
    submit(env, g.device(), o, {gc.storage, mc.storage, dc.storage}, {step.storage, packed.storage}, rows * d * 3);
  }
  return {step, packedRow(env, packed, 0, batch), packedRow(env, packed, 1, batch), packedRow(env, packed, 2, batch)};
}

RadiusResult updateRadius(Env& env, const Tensor& actual, const Tensor& predicted, const Tensor& delta,
                          const Tensor& onBoundary, const wt_radius_params& rule) {
  const char* op = "tr.updateRadius";
  requireFloat(op, "actual", actual);
  likeFirst(op, actual, "actual", predicted, "predicted");
  likeFirst(op, actual, "actual", delta, "delta");
  likeFirst(op, actual, "actual", onBoundary, "onBoundary");
  const int64_t n = actual.numel();
  Tensor packed = emptyTensor(actual.device(), actual.dtype, {3, n}, op);
  if (n > 0) {
    const Tensor a = contiguous(env, actual), p = contiguous(env, predicted), d = contiguous(env, delta),
                 b = contiguous(env, onBoundary);
    wt_op o = makeOp(WT_OP_UPDATE_RADIUS);
    o.n_in = 4;
    o.n_out = 1;
    o.in[0] = contiguousView(a, {n});
    o.in[1] = contiguousView(p, {n});
    o.in[2] = contiguousView(d, {n});
    o.in[3] = contiguousView(b, {n});
    o.out[0] = packed.view();
    o.params.updateRadius = rule;
    submit(env, actual.device(), o, {a.storage, p.storage, d.storage, b.storage}, {packed.storage}, n * 7);
  }
  return {packedRow(env, packed, 0, actual.shape), packedRow(env, packed, 1, actual.shape),
          packedRow(env, packed, 2, actual.shape)};
}

AdamResult adamStep(Env& env, const Tensor& theta, const Tensor& g, const Tensor* m, const Tensor* v,
                    const wt_adam_params& p) {
  const char* op = "optim.Adam.step";
  requireFloat(op, "param", theta);
  likeFirst(op, theta, "param", g, "grad");
  if ((m == nullptr) != (v == nullptr)) fail(WT_E_INTERNAL, op, ": give both Adam buffers or neither");
  if (m != nullptr) {
    likeFirst(op, theta, "param", *m, "expAvg");
    likeFirst(op, theta, "param", *v, "expAvgSq");
  }
  const int64_t n = theta.numel();
  Tensor next = emptyTensor(theta.device(), theta.dtype, theta.shape, op);
  Tensor state = emptyTensor(theta.device(), theta.dtype, {2, n}, op);
  if (n > 0) {
    std::vector<std::shared_ptr<Storage>> reads;
    wt_op o = makeOp(WT_OP_ADAM_STEP);
    const Tensor tc = contiguous(env, theta), gc = contiguous(env, g);
    o.in[0] = contiguousView(tc, {n});
    o.in[1] = contiguousView(gc, {n});
    reads = {tc.storage, gc.storage};
    o.n_in = 2;
    Tensor mc, vc;
    if (m != nullptr) {
      mc = contiguous(env, *m);
      vc = contiguous(env, *v);
      o.in[2] = contiguousView(mc, {n});
      o.in[3] = contiguousView(vc, {n});
      reads.push_back(mc.storage);
      reads.push_back(vc.storage);
      o.n_in = 4;
    }
    o.n_out = 2;
    o.out[0] = contiguousView(next, {n});
    o.out[1] = state.view();
    o.params.adamStep = p;
    submit(env, theta.device(), o, reads, {next.storage, state.storage}, n * 7);
  }
  return {next, packedRow(env, state, 0, theta.shape), packedRow(env, state, 1, theta.shape)};
}

SgdResult sgdStep(Env& env, const Tensor& theta, const Tensor& g, const Tensor* buf, const wt_sgd_params& p) {
  const char* op = "optim.SGD.step";
  requireFloat(op, "param", theta);
  likeFirst(op, theta, "param", g, "grad");
  const bool momentum = p.momentum != 0;
  if (momentum && (buf == nullptr) != (p.first != 0))
    fail(WT_E_INTERNAL, op, ": the momentum buffer is given exactly when the step is not the first");
  if (buf != nullptr) likeFirst(op, theta, "param", *buf, "momentumBuffer");
  const int64_t n = theta.numel();
  SgdResult r;
  r.theta = emptyTensor(theta.device(), theta.dtype, theta.shape, op);
  r.hasBuf = momentum;
  if (momentum) r.buf = emptyTensor(theta.device(), theta.dtype, theta.shape, op);
  if (n > 0) {
    const Tensor tc = contiguous(env, theta), gc = contiguous(env, g);
    std::vector<std::shared_ptr<Storage>> reads{tc.storage, gc.storage}, writes{r.theta.storage};
    wt_op o = makeOp(WT_OP_SGD_STEP);
    o.n_in = 2;
    o.in[0] = contiguousView(tc, {n});
    o.in[1] = contiguousView(gc, {n});
    Tensor bc;
    if (momentum && buf != nullptr) {
      bc = contiguous(env, *buf);
      o.in[2] = contiguousView(bc, {n});
      reads.push_back(bc.storage);
      o.n_in = 3;
    }
    o.n_out = 1;
    o.out[0] = contiguousView(r.theta, {n});
    if (momentum) {
      o.out[1] = contiguousView(r.buf, {n});
      writes.push_back(r.buf.storage);
      o.n_out = 2;
    }
    o.params.sgdStep = p;
    submit(env, theta.device(), o, reads, writes, n * 5);
  }
  return r;
}

}  // namespace wt
