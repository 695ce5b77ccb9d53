// Core entry points of the trust-region family: the batched Cauchy point, scipy's radius rule and
// the fused Adam / SGD parameter steps. Each validates, makes its inputs contiguous and queues one op.
#pragma once
#include "env.h"
#include "tensor.h"

namespace wt {

// The Cauchy point of every row of g [..., d] (model: the diagonal of B when `diagonal`, else
// B·g, shaped like g; delta: the radii, batch shape). predicted, tau, onBoundary have the batch shape.
struct CauchyResult {
  Tensor step, predicted, tau, onBoundary;
};
CauchyResult cauchyStep(Env& env, const Tensor& g, const Tensor& model, bool diagonal, const Tensor& delta);

// scipy's radius rule, elementwise over four tensors of one shape; results have that shape.
struct RadiusResult {
  Tensor delta, accept, rho;
};
RadiusResult updateRadius(Env& env, const Tensor& actual, const Tensor& predicted, const Tensor& delta,
                          const Tensor& onBoundary, const wt_radius_params& rule);

// One Adam step: new tensors for θ, m, v (functional; the inputs are not written). m and v are
// null on the first step (zero state).
struct AdamResult {
  Tensor theta, m, v;
};
AdamResult adamStep(Env& env, const Tensor& theta, const Tensor& g, const Tensor* m, const Tensor* v,
                    const wt_adam_params& p);

// One SGD step: the new θ and, with momentum, the new buffer (buf is null on the first step or
// without momentum; result.buf is then empty when momentum is 0).
struct SgdResult {
  Tensor theta, buf;
  bool hasBuf = false;
};
SgdResult sgdStep(Env& env, const Tensor& theta, const Tensor& g, const Tensor* buf, const wt_sgd_params& p);

}  // namespace wt
