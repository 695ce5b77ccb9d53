// Storage lifetime and accounting, and Tensor view helpers.
#include "tensor.h"

#include <sstream>

namespace wt {

Storage::Storage(Device* device, size_t bytes) : device_(device), data_(nullptr), bytes_(bytes) {
  data_ = device->alloc(bytes == 0 ? 1 : bytes);
  device_->liveBytes += (int64_t)bytes_;
}

Storage::~Storage() {
  device_->release(data_, bytes_ == 0 ? 1 : bytes_);
  device_->liveBytes -= (int64_t)bytes_;
}

std::shared_ptr<const Error> Storage::error() const {
  std::lock_guard<std::mutex> g(m_);
  return error_;
}

void Storage::setError(std::shared_ptr<const Error> e) {
  std::lock_guard<std::mutex> g(m_);
  if (!error_) error_ = std::move(e);
}

int64_t numelOf(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

Shape contiguousStrides(const Shape& s) {
  Shape st(s.size());
  int64_t acc = 1;
  for (size_t i = s.size(); i-- > 0;) {
    st[i] = acc;
    acc *= s[i] > 0 ? s[i] : 1;
  }
  return st;
}

std::string shapeStr(const Shape& s) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < s.size(); ++i) os << (i ? ", " : "") << s[i];
  os << "]";
  return os.str();
}

int64_t Tensor::numel() const { return numelOf(shape); }

bool Tensor::isContiguous() const {
  // An empty tensor has no element to misplace, whatever its strides (numpy: C-contiguous).
  for (int64_t n : shape)
    if (n == 0) return true;
  int64_t acc = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    if (shape[i] != 1 && strides[i] != acc) return false;
    acc *= shape[i];
  }
  return true;
}

wt_view Tensor::view() const {
  wt_view v{};
  v.data = static_cast<char*>(storage->data()) + offset * (int64_t)dtypeSize(dtype);
  v.dtype = dtype;
  v.ndim = (int32_t)shape.size();
  for (size_t i = 0; i < shape.size(); ++i) {
    v.shape[i] = shape[i];
    v.strides[i] = strides[i];
  }
  return v;
}

Tensor emptyTensor(Device* d, DType dt, const Shape& shape, const char* op) {
  if (shape.size() > WT_MAX_DIMS)
    fail(WT_E_SHAPE, op, ": tensors have at most ", WT_MAX_DIMS, " dimensions; got shape ", shapeStr(shape));
  // Overflow-safe size: anything over 2^48 bytes cannot be allocated on any device we support.
  const int64_t limit = int64_t(1) << 48;
  int64_t n = 1;
  for (int64_t s : shape) {
    if (s < 0) fail(WT_E_SHAPE, op, ": sizes must be >= 0; got shape ", shapeStr(shape));
    if (s != 0 && n > limit / s) fail(WT_E_OOM, op, ": shape ", shapeStr(shape), " is too large to allocate");
    n *= s;
  }
  if (n > limit / (int64_t)dtypeSize(dt)) fail(WT_E_OOM, op, ": shape ", shapeStr(shape), " is too large to allocate");
  Tensor t;
  try {
    t.storage = std::make_shared<Storage>(d, (size_t)n * dtypeSize(dt));
  } catch (const Error& e) {
    fail(e.code(), op, ": ", e.what());
  } catch (const std::bad_alloc&) {
    fail(WT_E_OOM, op, ": out of host memory allocating ", shapeStr(shape), " ", dtypeName(dt));
  }
  t.dtype = dt;
  t.shape = shape;
  t.strides = contiguousStrides(shape);
  return t;
}

}  // namespace wt
