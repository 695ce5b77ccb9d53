// Argument unwrapping for binding entries: each helper checks one JS value against the op's
// signature and throws wt::Error naming the op and the argument on a mismatch.
#pragma once
#include <napi.h>

#include <string>
#include <vector>

#include "../core/tensor.h"
#include "addon_data.h"

namespace wt {
namespace napi {

// The id a JS value carries as a tensor handle: an integer double in [0, 2^53). False for anything
// else (such a value names no tensor).
bool handleId(const Napi::Value& v, HandleTable::Id* out);

struct Args {
  const Napi::CallbackInfo& info;
  AddonData& data;
  const char* op;

  const Tensor& tensor(size_t i, const char* name) const;
  Shape shape(size_t i, const char* name) const;
  std::vector<int64_t> ints(size_t i, const char* name) const;
  int64_t integer(size_t i, const char* name) const;
  double number(size_t i, const char* name) const;
  bool boolean(size_t i, const char* name) const;
  std::string string(size_t i, const char* name) const;
  DType dtype(size_t i, const char* name) const;
  Device* device(size_t i, const char* name) const;
  Napi::Value wrap(Tensor t) const;
};

}  // namespace napi
}  // namespace wt
