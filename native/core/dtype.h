// dtypes: sizes, names and the real/complex pairing (float32 <-> complex64, float64 <-> complex128).
#pragma once
#include <cstddef>
#include <string>

#include "../abi/plugin_abi.h"

namespace wt {

using DType = wt_dtype;

inline size_t dtypeSize(DType d) {
  switch (d) {
    case WT_F32: return 4;
    case WT_F64: return 8;
    case WT_C64: return 8;
    case WT_C128: return 16;
    case WT_I32: return 4;
  }
  return 0;
}
inline const char* dtypeName(DType d) {
  switch (d) {
    case WT_F32: return "float32";
    case WT_F64: return "float64";
    case WT_C64: return "complex64";
    case WT_C128: return "complex128";
    case WT_I32: return "int32";
  }
  return "?";
}
inline bool isComplex(DType d) { return d == WT_C64 || d == WT_C128; }
inline bool isFloat(DType d) { return d == WT_F32 || d == WT_F64; }
inline DType realOf(DType d) { return d == WT_C64 ? WT_F32 : d == WT_C128 ? WT_F64 : d; }
inline DType complexOf(DType d) { return d == WT_F32 ? WT_C64 : d == WT_F64 ? WT_C128 : d; }
// Returns false for an unknown name.
bool parseDType(const std::string& s, DType* out);

}  // namespace wt
