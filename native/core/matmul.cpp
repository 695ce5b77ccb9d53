// Core entry point of batched matrix products (WT_OP_MATMUL): batch broadcasting, and [B, r, c]
// views whose batch dims collapse to one stride (copying only when they cannot).
#include "ops.h"
#include "submit.h"

namespace wt {

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
  op.out[0] = contiguousView(out, {numelOf(batch), M, N});
  submit(env, a.device(), op, {ka.storage, kb.storage}, {out.storage}, numelOf(batch) * M * N * K);
  return out;
}

}  // namespace wt
