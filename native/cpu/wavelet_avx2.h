// The AVX2 + FMA instantiation of the wavelet family's CPU schedule (wavelet_avx2.cpp); called only
// after a CPU check. dir: 0 analysis, 1 its adjoint, 2 synthesis, 3 its adjoint.
#pragma once
#include "../abi/plugin_abi.h"

namespace wt {
namespace cpu {

void waveletAvx2(int dir, const wt_op& op, const wt_wavelet_params& p);

}  // namespace cpu
}  // namespace wt
