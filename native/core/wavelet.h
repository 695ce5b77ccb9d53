// Core entry points of the wavelet family: multilevel lifting analysis (pywt's wavedec) and
// synthesis (waverec) along the last axis, and their adjoints, each one native op on packed rows.
#pragma once
#include <string>
#include <vector>

#include "env.h"
#include "tensor.h"

namespace wt {

// The op parameters from a lifting scheme flattened as [scale, shiftA, shiftD, signD, nSteps, then
// per step: kind (0 predict, 1 update), offset, tap count, taps...], pywt's filter length and a mode
// name. `fn` is the public function named in errors.
wt_wavelet_params waveletParams(const std::vector<double>& scheme, int64_t filterLen, const std::string& mode,
                                const char* fn);

// x [..., n] -> packed [..., total]: [cA_L, cD_L, ..., cD_1] concatenated (levels >= 1).
Tensor waveletAnalysis(Env& env, const Tensor& x, wt_wavelet_params p, int64_t levels, const char* fn);
// The adjoint: packed [..., total] -> [..., n].
Tensor waveletAnalysisAdjoint(Env& env, const Tensor& g, int64_t n, wt_wavelet_params p, int64_t levels,
                              const char* fn);
// coeffs [cA_L, cD_L, ..., cD_1], each [..., m_i], with pywt's waverec rules -> [..., nOut].
Tensor waveletSynthesis(Env& env, const std::vector<Tensor>& coeffs, wt_wavelet_params p, const char* fn);
// The adjoint: g [..., nOut] -> packed [..., total] for coefficients of these lengths (cA's gradient
// covers its first len(cD_L) entries; a cropped last sample gets none).
Tensor waveletSynthesisAdjoint(Env& env, const Tensor& g, const std::vector<int64_t>& lengths, wt_wavelet_params p,
                               const char* fn);

}  // namespace wt
