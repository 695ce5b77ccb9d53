// Names of the status codes (the stable `code` of a JS WavetapeError) and dtype parsing.
#include "dtype.h"
#include "error.h"

namespace wt {

const char* statusName(wt_status s) {
  switch (s) {
    case WT_OK: return "OK";
    case WT_E_SHAPE: return "E_SHAPE";
    case WT_E_DTYPE: return "E_DTYPE";
    case WT_E_RANGE: return "E_RANGE";
    case WT_E_DEVICE: return "E_DEVICE";
    case WT_E_OOM: return "E_OOM";
    case WT_E_DISPOSED: return "E_DISPOSED";
    case WT_E_CUDA: return "E_CUDA";
    case WT_E_INTERNAL: return "E_INTERNAL";
  }
  return "E_INTERNAL";
}

bool parseDType(const std::string& s, DType* out) {
  static const struct { const char* name; DType d; } table[] = {
      {"float32", WT_F32}, {"float64", WT_F64}, {"complex64", WT_C64}, {"complex128", WT_C128}, {"int32", WT_I32}};
  for (const auto& e : table)
    if (s == e.name) {
      *out = e.d;
      return true;
    }
  return false;
}

}  // namespace wt
