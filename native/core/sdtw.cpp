// Soft-DTW entry points: argument checks naming the public function, contiguous views in the
// layout ops.def states (the integer inputs packed into one index vector), and op submission.
#include "sdtw.h"

#include <cmath>

#include "ops.h"
#include "submit.h"

namespace wt {
namespace {

void requireShape(const char* fn, const char* arg, const Tensor& t, const Shape& want) {
  if (t.shape != want)
    fail(WT_E_SHAPE, fn, ": argument '", arg, "' has shape ", shapeStr(t.shape), "; expected ", shapeStr(want));
}

void requireInt32(const char* fn, const char* arg, const Tensor& t) {
  if (t.dtype != WT_I32) fail(WT_E_DTYPE, fn, ": argument '", arg, "' must be int32; got ", dtypeName(t.dtype));
}

void requireDType(const char* fn, const char* arg, const Tensor& t, DType want) {
  if (t.dtype != want)
    fail(WT_E_DTYPE, fn, ": argument '", arg, "' is ", dtypeName(t.dtype), "; expected ", dtypeName(want));
}

void checkConfig(const char* fn, const SdtwConfig& cfg, int64_t ty) {
  if (!std::isfinite(cfg.gamma) || cfg.gamma < 0)
    fail(WT_E_RANGE, fn, ": argument 'gamma' = ", cfg.gamma, "; expected a finite number >= 0");
  if (cfg.band < -1) fail(WT_E_RANGE, fn, ": argument 'band' = ", cfg.band, "; expected >= 0 (or -1: no band)");
  const int64_t want = cfg.band < 0 ? ty : cfg.width;
  if (cfg.width < 1 || cfg.width > ty || cfg.width != want)
    fail(WT_E_RANGE, fn, ": argument 'width' = ", cfg.width, "; expected the stored row width in [1, ", ty, "] (", ty,
         " without a band)");
}

void checkLengths(const char* fn, const char* arg, const Tensor& lengths, int64_t count, const Tensor& like,
                  const char* likeName) {
  requireInt32(fn, arg, lengths);
  sameDevice(fn, like, likeName, lengths, arg);
  requireShape(fn, arg, lengths, {count});
}

void checkSeries(const char* fn, const Tensor& X, const Tensor& Y) {
  requireFloat(fn, "x", X);
  if (X.ndim() != 3) fail(WT_E_SHAPE, fn, ": argument 'x' has shape ", shapeStr(X.shape), "; expected [N, Tx, D]");
  if (Y.ndim() != 3) fail(WT_E_SHAPE, fn, ": argument 'y' has shape ", shapeStr(Y.shape), "; expected [M, Ty, D]");
  requireDType(fn, "y", Y, X.dtype);
  sameDevice(fn, X, "x", Y, "y");
  if (Y.shape[2] != X.shape[2])
    fail(WT_E_SHAPE, fn, ": 'x' has D = ", X.shape[2], " features and 'y' has ", Y.shape[2], "; expected the same");
  if (X.shape[1] < 1 || Y.shape[1] < 1)
    fail(WT_E_SHAPE, fn, ": series lengths must be >= 1; got Tx = ", X.shape[1], ", Ty = ", Y.shape[1]);
}

void checkPairs(const char* fn, const Tensor& X, const Tensor& pairs) {
  requireInt32(fn, "pairs", pairs);
  sameDevice(fn, X, "x", pairs, "pairs");
  if (pairs.ndim() != 2 || pairs.shape[1] != 2)
    fail(WT_E_SHAPE, fn, ": argument 'pairs' has shape ", shapeStr(pairs.shape), "; expected [P, 2]");
}

// Everything the two pair ops check before their own inputs.
void checkPairOp(const char* fn, const Tensor& X, const Tensor& Y, const Tensor& pairs, const Tensor& lengthsX,
                 const Tensor& lengthsY, const SdtwConfig& cfg) {
  checkSeries(fn, X, Y);
  checkPairs(fn, X, pairs);
  checkLengths(fn, "lengthsX", lengthsX, X.shape[0], X, "x");
  checkLengths(fn, "lengthsY", lengthsY, Y.shape[0], X, "x");
  checkConfig(fn, cfg, Y.shape[1]);
}

// Everything the two cost ops check before their own inputs.
void checkCostOp(const char* fn, const Tensor& C, const Tensor& lengthsX, const Tensor& lengthsY, const SdtwConfig& cfg) {
  requireFloat(fn, "cost", C);
  if (C.ndim() != 3) fail(WT_E_SHAPE, fn, ": argument 'cost' has shape ", shapeStr(C.shape), "; expected [B, Tx, Ty]");
  if (C.shape[1] < 1 || C.shape[2] < 1)
    fail(WT_E_SHAPE, fn, ": series lengths must be >= 1; got Tx = ", C.shape[1], ", Ty = ", C.shape[2]);
  checkLengths(fn, "lengthsX", lengthsX, C.shape[0], C, "cost");
  checkLengths(fn, "lengthsY", lengthsY, C.shape[0], C, "cost");
  checkConfig(fn, cfg, C.shape[2]);
}

// A backward input saved from the forward (or its incoming gradient): like's dtype and device, this shape.
void checkSaved(const char* fn, const char* arg, const Tensor& t, const Tensor& like, const char* likeName, const Shape& shape) {
  requireDType(fn, arg, t, like.dtype);
  sameDevice(fn, like, likeName, t, arg);
  requireShape(fn, arg, t, shape);
}

// The pairs (flattened, if any), lengthsX and lengthsY in one contiguous int32 vector.
Tensor packIndex(Env& env, const Tensor* pairs, const Tensor& lx, const Tensor& ly, const char* fn) {
  const int64_t p2 = pairs == nullptr ? 0 : pairs->numel(), n = lx.numel(), m = ly.numel();
  Tensor index = emptyTensor(lx.device(), WT_I32, {p2 + n + m}, fn);
  int64_t at = 0;
  auto put = [&](const Tensor& part, int64_t count) {
    if (count > 0) copyInto(env, slice(index, {at}, {at + count}, {1}), reshape(env, part, {count}), fn);
    at += count;
  };
  if (pairs != nullptr) put(*pairs, p2);
  put(lx, n);
  put(ly, m);
  return index;
}

wt_sdtw_params paramsOf(const SdtwConfig& cfg) { return {cfg.gamma, cfg.band, cfg.width}; }

// The forward's weights tensor, or (not kept) one without storage.
Tensor weightsFor(const Tensor& like, const Shape& shape, bool keep, const char* fn) {
  return keep ? emptyTensor(like.device(), like.dtype, shape, fn) : Tensor{};
}

// out[0] the values, out[1] the weights when kept (n_out = 1 without: see ops.def).
void setValuesAndWeights(wt_op& o, const SdtwForward& r) {
  o.out[0] = r.values.view();
  o.n_out = 1;
  if (r.transitions.storage) o.out[o.n_out++] = r.transitions.view();
}

std::vector<std::shared_ptr<Storage>> outputsOf(const SdtwForward& r) {
  if (r.transitions.storage) return {r.values.storage, r.transitions.storage};
  return {r.values.storage};
}

// Elementwise-pass equivalents per stored DP cell: a forward or backward cell costs about a dozen.
int64_t cellWork(int64_t pairs, int64_t tx, int64_t width, int64_t d) { return pairs * tx * width * (12 + d); }

}  // namespace

SdtwForward sdtwPairs(Env& env, const Tensor& X, const Tensor& Y, const Tensor& pairs, const Tensor& lengthsX,
                      const Tensor& lengthsY, const SdtwConfig& cfg, bool keepWeights, const std::string& fnName) {
  const char* fn = fnName.c_str();
  checkPairOp(fn, X, Y, pairs, lengthsX, lengthsY, cfg);
  const int64_t tx = X.shape[1], D = X.shape[2], P = pairs.shape[0];
  SdtwForward r{emptyTensor(X.device(), X.dtype, {P}, fn), weightsFor(X, {P, tx, cfg.width, 2}, keepWeights, fn)};
  if (P == 0) return r;
  const Tensor xc = contiguous(env, X), yc = contiguous(env, Y), index = packIndex(env, &pairs, lengthsX, lengthsY, fn);
  wt_op o = makeOp(WT_OP_SDTW_PAIRS);
  o.n_in = 3;
  o.in[0] = xc.view();
  o.in[1] = yc.view();
  o.in[2] = index.view();
  setValuesAndWeights(o, r);
  o.params.sdtwPairs = paramsOf(cfg);
  submit(env, X.device(), o, {xc.storage, yc.storage, index.storage}, outputsOf(r), cellWork(P, tx, cfg.width, D));
  return r;
}

SdtwPairGrads sdtwPairsBackward(Env& env, const Tensor& X, const Tensor& Y, const Tensor& pairs, const Tensor& lengthsX,
                                const Tensor& lengthsY, const Tensor& transitions, const SdtwConfig& cfg,
                                const std::string& fnName) {
  const char* fn = fnName.c_str();
  checkPairOp(fn, X, Y, pairs, lengthsX, lengthsY, cfg);
  const int64_t tx = X.shape[1], D = X.shape[2], ty = Y.shape[1], P = pairs.shape[0];
  checkSaved(fn, "transitions", transitions, X, "x", {P, tx, cfg.width, 2});
  SdtwPairGrads g{emptyTensor(X.device(), X.dtype, {P, tx, D}, fn), emptyTensor(X.device(), X.dtype, {P, ty, D}, fn)};
  if (P == 0) return g;
  if (D == 0) return g;
  const Tensor xc = contiguous(env, X), yc = contiguous(env, Y), tc = contiguous(env, transitions),
               index = packIndex(env, &pairs, lengthsX, lengthsY, fn);
  wt_op o = makeOp(WT_OP_SDTW_PAIRS_BACKWARD);
  o.n_in = 4;
  o.n_out = 2;
  o.in[0] = xc.view();
  o.in[1] = yc.view();
  o.in[2] = index.view();
  o.in[3] = tc.view();
  o.out[0] = g.dX.view();
  o.out[1] = g.dY.view();
  o.params.sdtwPairsBackward = paramsOf(cfg);
  submit(env, X.device(), o, {xc.storage, yc.storage, index.storage, tc.storage}, {g.dX.storage, g.dY.storage},
         cellWork(P, tx, cfg.width, 2 * D));
  return g;
}

SdtwForward sdtwCost(Env& env, const Tensor& C, const Tensor& lengthsX, const Tensor& lengthsY, const SdtwConfig& cfg,
                     bool keepWeights, const std::string& fnName) {
  const char* fn = fnName.c_str();
  checkCostOp(fn, C, lengthsX, lengthsY, cfg);
  const int64_t B = C.shape[0], tx = C.shape[1];
  SdtwForward r{emptyTensor(C.device(), C.dtype, {B}, fn), weightsFor(C, {B, tx, cfg.width, 2}, keepWeights, fn)};
  if (B == 0) return r;
  const Tensor cc = contiguous(env, C), index = packIndex(env, nullptr, lengthsX, lengthsY, fn);
  wt_op o = makeOp(WT_OP_SDTW_COST);
  o.n_in = 2;
  o.in[0] = cc.view();
  o.in[1] = index.view();
  setValuesAndWeights(o, r);
  o.params.sdtwCost = paramsOf(cfg);
  submit(env, C.device(), o, {cc.storage, index.storage}, outputsOf(r), cellWork(B, tx, cfg.width, 1));
  return r;
}

Tensor sdtwCostBackward(Env& env, const Tensor& C, const Tensor& lengthsX, const Tensor& lengthsY,
                        const Tensor& transitions, const Tensor& dvalue, const SdtwConfig& cfg, const std::string& fnName) {
  const char* fn = fnName.c_str();
  checkCostOp(fn, C, lengthsX, lengthsY, cfg);
  const int64_t B = C.shape[0], tx = C.shape[1], ty = C.shape[2];
  checkSaved(fn, "transitions", transitions, C, "cost", {B, tx, cfg.width, 2});
  checkSaved(fn, "dvalue", dvalue, C, "cost", {B});
  Tensor dC = emptyTensor(C.device(), C.dtype, C.shape, fn);
  if (B == 0) return dC;
  const Tensor index = packIndex(env, nullptr, lengthsX, lengthsY, fn), tc = contiguous(env, transitions),
               dv = contiguous(env, dvalue);
  wt_op o = makeOp(WT_OP_SDTW_COST_BACKWARD);
  o.n_in = 3;
  o.n_out = 1;
  o.in[0] = index.view();
  o.in[1] = tc.view();
  o.in[2] = dv.view();
  o.out[0] = dC.view();
  o.params.sdtwCostBackward = paramsOf(cfg);
  submit(env, C.device(), o, {index.storage, tc.storage, dv.storage}, {dC.storage}, cellWork(B, tx, ty, 1));
  return dC;
}

}  // namespace wt
