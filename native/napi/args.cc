// Argument unwrapping and result wrapping shared by every binding entry.
#include "args.h"

#include <cmath>

#include "../core/device.h"
#include "../core/error.h"

namespace wt {
namespace napi {

bool handleId(const Napi::Value& v, HandleTable::Id* out) {
  if (!v.IsNumber()) return false;
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= HandleTable::kMaxId) || d != std::floor(d)) return false;
  *out = (HandleTable::Id)d;
  return true;
}

const Tensor& Args::tensor(size_t i, const char* name) const {
  Napi::Value v = info[i];
  if (!v.IsNumber()) fail(WT_E_DTYPE, op, ": argument '", name, "' must be a Tensor");
  HandleTable::Id id;
  const Tensor* t = handleId(v, &id) ? data.handles.get(id) : nullptr;
  if (!t) fail(WT_E_DISPOSED, op, ": argument '", name, "' is a disposed tensor");
  return *t;
}

std::vector<int64_t> Args::ints(size_t i, const char* name) const {
  Napi::Value v = info[i];
  if (!v.IsArray()) fail(WT_E_SHAPE, op, ": argument '", name, "' must be an array of integers");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t k = 0; k < a.Length(); ++k) {
    Napi::Value e = a.Get(k);
    double d = e.IsNumber() ? e.As<Napi::Number>().DoubleValue() : NAN;
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740991.0)
      fail(WT_E_SHAPE, op, ": argument '", name, "' must be an array of integers; entry ", k, " is not");
    out[k] = (int64_t)d;
  }
  return out;
}

Shape Args::shape(size_t i, const char* name) const {
  Shape s = ints(i, name);
  if (s.size() > WT_MAX_DIMS) fail(WT_E_SHAPE, op, ": argument '", name, "' has ", s.size(), " dimensions; at most ", WT_MAX_DIMS);
  for (int64_t d : s)
    if (d < 0) fail(WT_E_SHAPE, op, ": argument '", name, "' ", shapeStr(s), " has a negative size");
  return s;
}

int64_t Args::integer(size_t i, const char* name) const {
  double d = number(i, name);
  if (d != std::floor(d) || std::fabs(d) > 9007199254740991.0)
    fail(WT_E_RANGE, op, ": argument '", name, "' = ", d, "; expected an integer");
  return (int64_t)d;
}

double Args::number(size_t i, const char* name) const {
  Napi::Value v = info[i];
  if (!v.IsNumber()) fail(WT_E_RANGE, op, ": argument '", name, "' must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (std::isnan(d)) fail(WT_E_RANGE, op, ": argument '", name, "' is NaN");
  return d;
}

bool Args::boolean(size_t i, const char* name) const {
  Napi::Value v = info[i];
  if (!v.IsBoolean()) fail(WT_E_RANGE, op, ": argument '", name, "' must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

std::string Args::string(size_t i, const char* name) const {
  Napi::Value v = info[i];
  if (!v.IsString()) fail(WT_E_RANGE, op, ": argument '", name, "' must be a string");
  return v.As<Napi::String>().Utf8Value();
}

DType Args::dtype(size_t i, const char* name) const {
  std::string s = string(i, name);
  DType d;
  if (!parseDType(s, &d))
    fail(WT_E_DTYPE, op, ": argument '", name, "' = '", s, "'; expected float32, float64, complex64, complex128 or int32");
  return d;
}

Device* Args::device(size_t i, const char* name) const {
  std::string s = string(i, name);
  Device* d = findDevice(s);
  if (!d) {
    std::string known;
    for (Device* k : devices()) known += (known.empty() ? "" : ", ") + k->name();
    fail(WT_E_DEVICE, op, ": argument '", name, "' = '", s, "' is not an available device; available: ", known);
  }
  return d;
}

Napi::Value Args::wrap(Tensor t) const {
  return Napi::Number::New(info.Env(), (double)data.handles.add(std::move(t)));
}

}  // namespace napi
}  // namespace wt
