// The AVX2 instantiation of the trust-region family's CPU loops (trust_region_avx2.cpp); called
// only after a CPU check.
#pragma once
#include "../abi/plugin_abi.h"

namespace wt {
namespace cpu {

void cauchyStepAvx2(const wt_op& op, const wt_cauchy_params& p);
void updateRadiusAvx2(const wt_op& op, const wt_radius_params& p);
void adamStepAvx2(const wt_op& op, const wt_adam_params& p);

}  // namespace cpu
}  // namespace wt
