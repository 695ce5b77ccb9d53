// Binding entries of the wavelet family: unwrap (tensors, public name, mode, level, filter length,
// the flattened lifting scheme), call core, wrap. The scheme's layout is core's (waveletParams).
#include <cmath>

#include "../core/wavelet.h"
#include "entries.h"

namespace wt {
namespace napi {
namespace {

std::vector<double> numbers(const Args& a, size_t i, const char* name) {
  Napi::Value v = a.info[i];
  if (!v.IsArray()) fail(WT_E_RANGE, a.op, ": argument '", name, "' must be an array of numbers");
  Napi::Array arr = v.As<Napi::Array>();
  std::vector<double> out(arr.Length());
  for (uint32_t k = 0; k < arr.Length(); ++k) {
    Napi::Value e = arr.Get(k);
    if (!e.IsNumber()) fail(WT_E_RANGE, a.op, ": argument '", name, "' entry ", k, " is not a number");
    out[k] = e.As<Napi::Number>().DoubleValue();
  }
  return out;
}

std::vector<Tensor> tensors(const Args& a, size_t i, const char* name) {
  Napi::Value v = a.info[i];
  if (!v.IsArray()) fail(WT_E_DTYPE, a.op, ": argument '", name, "' must be an array of Tensors");
  Napi::Array arr = v.As<Napi::Array>();
  std::vector<Tensor> out;
  for (uint32_t k = 0; k < arr.Length(); ++k) {
    HandleTable::Id id;
    const Tensor* t = handleId(arr.Get(k), &id) ? a.data.handles.get(id) : nullptr;
    if (!t) fail(WT_E_DISPOSED, a.op, ": argument '", name, "' entry ", k, " is not a live Tensor");
    out.push_back(*t);
  }
  return out;
}

// (fn, mode, filterLen, scheme) at positions i .. i+3.
wt_wavelet_params params(const Args& a, size_t i, std::string& fn) {
  fn = a.string(i, "fn");
  return waveletParams(numbers(a, i + 3, "scheme"), a.integer(i + 2, "filterLen"), a.string(i + 1, "mode"), fn.c_str());
}

}  // namespace

Napi::Value waveletAnalysis(const Args& a) {
  std::string fn;
  const wt_wavelet_params p = params(a, 1, fn);
  return a.wrap(wt::waveletAnalysis(a.data.env, a.tensor(0, "x"), p, a.integer(5, "level"), fn.c_str()));
}

Napi::Value waveletAnalysisAdjoint(const Args& a) {
  std::string fn;
  const wt_wavelet_params p = params(a, 2, fn);
  return a.wrap(wt::waveletAnalysisAdjoint(a.data.env, a.tensor(0, "grad"), a.integer(1, "n"), p, a.integer(6, "level"),
                                           fn.c_str()));
}

Napi::Value waveletSynthesis(const Args& a) {
  std::string fn;
  const wt_wavelet_params p = params(a, 1, fn);
  return a.wrap(wt::waveletSynthesis(a.data.env, tensors(a, 0, "coeffs"), p, fn.c_str()));
}

Napi::Value waveletSynthesisAdjoint(const Args& a) {
  std::string fn;
  const wt_wavelet_params p = params(a, 2, fn);
  return a.wrap(wt::waveletSynthesisAdjoint(a.data.env, a.tensor(0, "grad"), a.ints(1, "lengths"), p, fn.c_str()));
}

}  // namespace napi
}  // namespace wt
