// Storage (a reference-counted block of device memory) and Tensor (a strided view of one).
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "device.h"
#include "dtype.h"
#include "error.h"

namespace wt {

using Shape = std::vector<int64_t>;

class Storage {
 public:
  Storage(Device* device, size_t bytes);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  Device* device() const { return device_; }
  void* data() const { return data_; }
  size_t bytes() const { return bytes_; }

  // The first failure of a task that was to write this storage; reads reject with it.
  std::shared_ptr<const Error> error() const;
  void setError(std::shared_ptr<const Error> e);

  // JS handles naming this storage, kept by the binding's accounting: a storage belongs to one
  // environment's handles, and only that environment's JS thread touches the count.
  int64_t handles = 0;

 private:
  Device* device_;
  void* data_;
  size_t bytes_;
  mutable std::mutex m_;
  std::shared_ptr<const Error> error_;
};

struct Tensor {
  std::shared_ptr<Storage> storage;
  DType dtype = WT_F32;
  Shape shape;
  Shape strides;  // elements
  int64_t offset = 0;

  Device* device() const { return storage->device(); }
  int64_t numel() const;
  int64_t ndim() const { return (int64_t)shape.size(); }
  bool isContiguous() const;
  wt_view view() const;
};

int64_t numelOf(const Shape& s);
Shape contiguousStrides(const Shape& s);
std::string shapeStr(const Shape& s);
// Allocates a contiguous tensor; throws E_OOM / E_RANGE for impossible sizes.
Tensor emptyTensor(Device* d, DType dt, const Shape& shape, const char* op);

}  // namespace wt
