// Core entry points of indexing along one axis: gather and its adjoint scatterAdd
// (WT_OP_GATHER / SCATTER_ADD), each laid out as [outer, axis, inner] for the backends.
#include "ops.h"
#include "submit.h"

namespace wt {

namespace {
void checkIndexTensor(const char* op, const Tensor& x, const Tensor& idx) {
  sameDevice(op, x, "x", idx, "indices");
  if (idx.dtype != WT_I32) fail(WT_E_DTYPE, op, ": argument 'indices' must be int32; got ", dtypeName(idx.dtype));
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
  op.in[0] = contiguousView(xc, {O, x.shape[axis], I});
  op.in[1] = contiguousView(ic, {idx.numel()});
  op.out[0] = contiguousView(out, {O, idx.numel(), I});
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
  op.in[0] = contiguousView(sc, {O, idx.numel(), I});
  op.in[1] = contiguousView(ic, {idx.numel()});
  op.out[0] = contiguousView(out, {O, size, I});
  submit(env, src.device(), op, {sc.storage, ic.storage}, {out.storage}, src.numel());
  return out;
}

}  // namespace wt
