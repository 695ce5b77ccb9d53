// float/double overloads of the C math functions, spelled so that host (g++) and device (nvcc)
// resolve to the same single- or double-precision routine.
#pragma once
#include <math.h>
#include "hd.h"

namespace wt {
namespace m {
#define WT_MATH1(name, f32, f64) \
  WT_HD float name(float x) { return f32(x); } \
  WT_HD double name(double x) { return f64(x); }
WT_MATH1(exp, expf, ::exp)
WT_MATH1(log, logf, ::log)
WT_MATH1(log1p, log1pf, ::log1p)
WT_MATH1(expm1, expm1f, ::expm1)
WT_MATH1(sqrt, sqrtf, ::sqrt)
WT_MATH1(tanh, tanhf, ::tanh)
WT_MATH1(sin, sinf, ::sin)
WT_MATH1(cos, cosf, ::cos)
WT_MATH1(fabs, fabsf, ::fabs)
#undef WT_MATH1
WT_HD float pow(float x, float y) { return powf(x, y); }
WT_HD double pow(double x, double y) { return ::pow(x, y); }
WT_HD float atan2(float y, float x) { return atan2f(y, x); }
WT_HD double atan2(double y, double x) { return ::atan2(y, x); }
template <class T> WT_HD bool isnan(T x) { return x != x; }
}  // namespace m
}  // namespace wt
