// Core op entry points of the built-in families (one .cpp each, named like the backends' files):
// validate arguments and shapes synchronously (throwing wt::Error that names the op and argument),
// allocate outputs, and queue the wt_op on the device's stream through submit.h.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "env.h"
#include "tensor.h"

namespace wt {

// ---- creation.cpp ----
Tensor fromHost(Env& env, Device* d, DType dt, const Shape& shape, const void* src, size_t bytes);
Tensor full(Env& env, Device* d, DType dt, const Shape& shape, double re, double im);
Tensor iota(Env& env, Device* d, DType dt, int64_t n, double start, double step);
Tensor randomTensor(Env& env, Device* d, DType dt, const Shape& shape, int code, uint64_t seed, uint64_t offset,
                    double f0, double f1);
void fillInto(Env& env, const Tensor& dst, double re, double im);  // dst: any view

// ---- views.cpp (no data movement) ----
Tensor reshape(Env& env, const Tensor& t, Shape shape);  // -1 infers one size; copies if not a view
Tensor permute(const Tensor& t, const std::vector<int64_t>& axes);
// Per axis: start, stop, step (numpy semantics after normalisation done by the caller: 0 <= start,
// stop within [-1, n], step != 0).
Tensor slice(const Tensor& t, const std::vector<int64_t>& start, const std::vector<int64_t>& stop,
             const std::vector<int64_t>& step);
Tensor expand(const Tensor& t, const Shape& shape);  // numpy broadcast_to
Tensor viewAsReal(const Tensor& t);                  // complex [..] -> real [.., 2]
Tensor viewAsComplex(const Tensor& t);               // real [.., 2] (unit last stride) -> complex [..]

// ---- elementwise.cpp ----
Tensor unary(Env& env, int code, const Tensor& x, double p0, double p1);
Tensor binary(Env& env, int code, const Tensor& a, const Tensor& b);
Tensor where(Env& env, const Tensor& cond, const Tensor& a, const Tensor& b);

// ---- reduce.cpp ----
Tensor reduce(Env& env, int code, const Tensor& x, std::vector<int64_t> axes, bool keepdims);

// ---- matmul.cpp ----
Tensor matmul(Env& env, const Tensor& a, const Tensor& b);

// ---- gather.cpp ----
Tensor gather(Env& env, const Tensor& x, const Tensor& idx, int64_t axis);
Tensor scatterAdd(Env& env, const Tensor& src, const Tensor& idx, int64_t axis, int64_t size);

// ---- transfer.cpp ----
Tensor contiguous(Env& env, const Tensor& t);
Tensor cast(Env& env, const Tensor& t, DType dt);
// Writes src into dst, a view of a tensor created by the caller; shapes must match.
void copyInto(Env& env, const Tensor& dst, const Tensor& src, const char* op);
Tensor toDevice(Env& env, const Tensor& t, Device* d);
// Copies t (any layout) into dst (numel * dtype size bytes, host memory that stays valid until
// done runs). done runs on a stream thread, or inline when the stream was idle.
void readInto(Env& env, const Tensor& t, void* dst, std::function<void(std::shared_ptr<const Error>)> done);

}  // namespace wt
