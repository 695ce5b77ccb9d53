// Binding entries of the trust-region family: unwrap, call core, wrap the result tensors in an
// array. A null state argument (Adam's m and v, SGD's buffer) means a first step.
#include "../core/trust_region.h"
#include "entries.h"

namespace wt {
namespace napi {
namespace {

Napi::Array wrapAll(const Args& a, std::initializer_list<const Tensor*> ts) {
  Napi::Array out = Napi::Array::New(a.info.Env(), ts.size());
  uint32_t k = 0;
  for (const Tensor* t : ts) out.Set(k++, t == nullptr ? a.info.Env().Null() : a.wrap(*t));
  return out;
}

bool isNull(const Args& a, size_t i) { return i < a.info.Length() && a.info[i].IsNull(); }

}  // namespace

Napi::Value cauchyStep(const Args& a) {
  CauchyResult r = wt::cauchyStep(a.data.env, a.tensor(0, "g"), a.tensor(1, "model"), a.boolean(2, "diagonal"),
                                  a.tensor(3, "delta"));
  return wrapAll(a, {&r.step, &r.predicted, &r.tau, &r.onBoundary});
}

Napi::Value updateRadius(const Args& a) {
  const wt_radius_params rule{a.number(4, "eta1"),     a.number(5, "eta2"),     a.number(6, "gamma1"),
                              a.number(7, "gamma2"),   a.number(8, "deltaMax"), a.number(9, "deltaMin"),
                              a.number(10, "eta")};
  RadiusResult r = wt::updateRadius(a.data.env, a.tensor(0, "actual"), a.tensor(1, "predicted"), a.tensor(2, "delta"),
                                    a.tensor(3, "onBoundary"), rule);
  return wrapAll(a, {&r.delta, &r.accept, &r.rho});
}

Napi::Value adamStep(const Args& a) {
  const bool first = isNull(a, 2);
  const wt_adam_params p{a.number(4, "lr"),          a.number(5, "beta1"), a.number(6, "beta2"),
                         a.number(7, "eps"),         a.number(8, "weightDecay"), a.number(9, "bc1"),
                         a.number(10, "bc2Sqrt"),    a.boolean(11, "decoupled") ? 1 : 0};
  const Tensor* m = first ? nullptr : &a.tensor(2, "m");
  const Tensor* v = first ? nullptr : &a.tensor(3, "v");
  AdamResult r = wt::adamStep(a.data.env, a.tensor(0, "param"), a.tensor(1, "grad"), m, v, p);
  return wrapAll(a, {&r.theta, &r.m, &r.v});
}

Napi::Value sgdStep(const Args& a) {
  const wt_sgd_params p{a.number(3, "lr"),          a.number(4, "momentum"),           a.number(5, "dampening"),
                        a.number(6, "weightDecay"), a.boolean(7, "nesterov") ? 1 : 0, a.boolean(8, "first") ? 1 : 0};
  const Tensor* buf = isNull(a, 2) ? nullptr : &a.tensor(2, "buf");
  SgdResult r = wt::sgdStep(a.data.env, a.tensor(0, "param"), a.tensor(1, "grad"), buf, p);
  return wrapAll(a, {&r.theta, r.hasBuf ? &r.buf : nullptr});
}

}  // namespace napi
}  // namespace wt
