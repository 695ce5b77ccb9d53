// Core entry points of the soft-DTW family: validate, make the inputs contiguous and queue the
// forward (values and transition weights) and backward (gradients) ops of kernels/sdtw_*.h.
#pragma once
#include <string>

#include "env.h"
#include "tensor.h"

namespace wt {

// gamma >= 0 (0: hard DTW), band < 0 for none, width the stored columns per DP row (see ops.def).
struct SdtwConfig {
  double gamma;
  int64_t band;
  int64_t width;
};

// The values and the transition weights [P, Tx, width, 2] (the input's dtype) the backward reads;
// without keepWeights (a forward nobody differentiates) `transitions` has no storage: the op
// neither writes nor allocates them.
struct SdtwForward {
  Tensor values, transitions;
};

// Soft-DTW of pairs (X[pairs[p, 0]], Y[pairs[p, 1]]) with the squared Euclidean cost; `fn` is the
// public function named in messages.
SdtwForward sdtwPairs(Env& env, const Tensor& X, const Tensor& Y, const Tensor& pairs, const Tensor& lengthsX,
                      const Tensor& lengthsY, const SdtwConfig& cfg, bool keepWeights, const std::string& fn);
// Per-pair gradients ∂value[p]/∂x and ∂value[p]/∂y: [P, Tx, D] and [P, Ty, D].
struct SdtwPairGrads {
  Tensor dX, dY;
};
SdtwPairGrads sdtwPairsBackward(Env& env, const Tensor& X, const Tensor& Y, const Tensor& pairs, const Tensor& lengthsX,
                                const Tensor& lengthsY, const Tensor& transitions, const SdtwConfig& cfg, const std::string& fn);
// Soft-DTW of each cost matrix C[b] [Tx, Ty].
SdtwForward sdtwCost(Env& env, const Tensor& C, const Tensor& lengthsX, const Tensor& lengthsY, const SdtwConfig& cfg,
                     bool keepWeights, const std::string& fn);
// dvalue[b] · E[b], E the expected alignment: [B, Tx, Ty].
Tensor sdtwCostBackward(Env& env, const Tensor& C, const Tensor& lengthsX, const Tensor& lengthsY,
                        const Tensor& transitions, const Tensor& dvalue, const SdtwConfig& cfg, const std::string& fn);

}  // namespace wt
