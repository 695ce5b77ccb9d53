// Maps wt_dtype codes to the C++ element types the kernels are instantiated for, and reads the
// element counts and contiguity of wt_views.
#pragma once
#include <stdint.h>

#include <string>

#include "../abi/plugin_abi.h"
#include "kernels/complex.h"
#include "launch.cuh"

namespace wt {
namespace cuda {

template <class T> struct TypeTag { using type = T; };

template <class T> constexpr int dtypeOf();
template <> constexpr int dtypeOf<float>() { return WT_F32; }
template <> constexpr int dtypeOf<double>() { return WT_F64; }
template <> constexpr int dtypeOf<cplx<float>>() { return WT_C64; }
template <> constexpr int dtypeOf<cplx<double>>() { return WT_C128; }
template <> constexpr int dtypeOf<int32_t>() { return WT_I32; }

inline std::string dtypeName(int dtype) {
  switch (dtype) {
    case WT_F32: return "float32";
    case WT_F64: return "float64";
    case WT_C64: return "complex64";
    case WT_C128: return "complex128";
    case WT_I32: return "int32";
    default: return "dtype " + std::to_string(dtype);
  }
}

[[noreturn]] inline void unsupportedDtype(const char* what, int dtype) {
  throw Failure(WT_E_DTYPE, std::string(what) + " does not support " + dtypeName(dtype));
}

// Calls f(TypeTag<T>{}) for a floating dtype (real or complex).
template <class F>
void withFloatingDtype(int dtype, const char* what, F&& f) {
  switch (dtype) {
    case WT_F32: return f(TypeTag<float>{});
    case WT_F64: return f(TypeTag<double>{});
    case WT_C64: return f(TypeTag<cplx<float>>{});
    case WT_C128: return f(TypeTag<cplx<double>>{});
    default: unsupportedDtype(what, dtype);
  }
}

// Calls f(TypeTag<T>{}) for any dtype.
template <class F>
void withAnyDtype(int dtype, const char* what, F&& f) {
  if (dtype == WT_I32) return f(TypeTag<int32_t>{});
  withFloatingDtype(dtype, what, f);
}

// Calls f(TypeTag<T>{}) for float32 / float64.
template <class F>
void withRealDtype(int dtype, const char* what, F&& f) {
  switch (dtype) {
    case WT_F32: return f(TypeTag<float>{});
    case WT_F64: return f(TypeTag<double>{});
    default: unsupportedDtype(what, dtype);
  }
}

inline void requireDtype(const wt_view& v, int dtype, const char* what) {
  if (v.dtype != dtype)
    throw Failure(WT_E_DTYPE, std::string(what) + " is " + dtypeName(v.dtype) + ", expected " + dtypeName(dtype));
}

inline int64_t elementCount(const wt_view& v) {
  int64_t n = 1;
  for (int d = 0; d < v.ndim; ++d) n *= v.shape[d];
  return n;
}

// True when the view is dense row-major (dims of size 1 may have any stride).
inline bool isContiguous(const wt_view& v) {
  int64_t expected = 1;
  for (int d = v.ndim - 1; d >= 0; --d) {
    if (v.shape[d] == 1) continue;
    if (v.strides[d] != expected) return false;
    expected *= v.shape[d];
  }
  return true;
}

}  // namespace cuda
}  // namespace wt
