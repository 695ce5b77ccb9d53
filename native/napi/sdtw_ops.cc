// Binding entries of the soft-DTW family: unwrap, call core, wrap. The trailing arguments of every
// entry are gamma, band (-1: none), width, (forwards) whether to keep the weights for a backward,
// and the public function's name for messages.
#include "../core/sdtw.h"
#include "entries.h"

namespace wt {
namespace napi {
namespace {

SdtwConfig configAt(const Args& a, size_t i) {
  return {a.number(i, "gamma"), a.integer(i + 1, "band"), a.integer(i + 2, "width")};
}

Napi::Array pairOf(const Args& a, const Tensor& first, const Tensor& second) {
  Napi::Array out = Napi::Array::New(a.info.Env(), 2);
  out.Set(0u, a.wrap(first));
  out.Set(1u, a.wrap(second));
  return out;
}

// [values, weights], the weights null when they were not kept.
Napi::Array forwardOf(const Args& a, const SdtwForward& r) {
  if (r.transitions.storage) return pairOf(a, r.values, r.transitions);
  Napi::Array out = Napi::Array::New(a.info.Env(), 2);
  out.Set(0u, a.wrap(r.values));
  out.Set(1u, a.info.Env().Null());
  return out;
}

}  // namespace

Napi::Value sdtwPairs(const Args& a) {
  SdtwForward r = wt::sdtwPairs(a.data.env, a.tensor(0, "x"), a.tensor(1, "y"), a.tensor(2, "pairs"),
                                a.tensor(3, "lengthsX"), a.tensor(4, "lengthsY"), configAt(a, 5),
                                a.boolean(8, "keepWeights"), a.string(9, "fn"));
  return forwardOf(a, r);
}

Napi::Value sdtwPairsBackward(const Args& a) {
  SdtwPairGrads g = wt::sdtwPairsBackward(a.data.env, a.tensor(0, "x"), a.tensor(1, "y"), a.tensor(2, "pairs"),
                                          a.tensor(3, "lengthsX"), a.tensor(4, "lengthsY"), a.tensor(5, "transitions"),
                                          configAt(a, 6), a.string(9, "fn"));
  return pairOf(a, g.dX, g.dY);
}

Napi::Value sdtwCost(const Args& a) {
  SdtwForward r = wt::sdtwCost(a.data.env, a.tensor(0, "cost"), a.tensor(1, "lengthsX"), a.tensor(2, "lengthsY"),
                               configAt(a, 3), a.boolean(6, "keepWeights"), a.string(7, "fn"));
  return forwardOf(a, r);
}

Napi::Value sdtwCostBackward(const Args& a) {
  return a.wrap(wt::sdtwCostBackward(a.data.env, a.tensor(0, "cost"), a.tensor(1, "lengthsX"), a.tensor(2, "lengthsY"),
                                     a.tensor(3, "transitions"), a.tensor(4, "dvalue"), configAt(a, 5),
                                     a.string(8, "fn")));
}

}  // namespace napi
}  // namespace wt
