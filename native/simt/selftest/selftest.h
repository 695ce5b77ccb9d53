// The self-test harness shared by native/simt/selftest/*.cu: case registration, device buffers and
// checks that a launch failed with a message naming what it must.
#pragma once

#include <string>
#include <vector>

namespace simt_selftest {

struct Case {
  const char* name;
  bool (*run)(std::string& why);  // false with `why` set on failure
};
std::vector<Case>& registry();

struct Registrar {
  Registrar(const char* name, bool (*run)(std::string&)) { registry().push_back({name, run}); }
};

#define SIMT_SELFTEST(name)                                                  \
  static bool selftest_##name(std::string& why);                            \
  static const ::simt_selftest::Registrar registrar_##name(#name, &selftest_##name); \
  static bool selftest_##name(std::string& why)

// A cudaMalloc'd array freed on scope exit.
template <class T>
class DeviceArray {
 public:
  explicit DeviceArray(size_t n, const std::vector<T>& init = {}) : n_(n) {
    cudaMalloc(&p_, n * sizeof(T));
    if (!init.empty()) cudaMemcpy(p_, init.data(), n * sizeof(T), cudaMemcpyHostToDevice);
  }
  ~DeviceArray() { cudaFree(p_); }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  T* get() const { return p_; }
  std::vector<T> read() const {
    std::vector<T> out(n_);
    cudaMemcpy(out.data(), p_, n_ * sizeof(T), cudaMemcpyDeviceToHost);
    return out;
  }

 private:
  T* p_ = nullptr;
  size_t n_;
};

// True when the launch succeeded; otherwise sets `why` to the emulator's message.
inline bool launched(cudaError_t e, std::string& why) {
  if (e == cudaSuccess) return true;
  why = std::string("launch failed: ") + wt::simt::lastLaunchError();
  return false;
}

// True when the launch failed with `code` and a message containing every one of `parts`; the message
// is then left in `why`, so the report shows what the detector said.
inline bool failedWith(cudaError_t e, cudaError_t code, std::initializer_list<const char*> parts, std::string& why) {
  const std::string msg = wt::simt::lastLaunchError();
  if (e != code) {
    why = std::string("expected ") + cudaGetErrorName(code) + ", got " + cudaGetErrorName(e) + " (" + msg + ")";
    return false;
  }
  for (const char* p : parts) {
    if (msg.find(p) == std::string::npos) {
      why = "message lacks \"" + std::string(p) + "\": " + msg;
      return false;
    }
  }
  why = "(caught: " + msg + ")";
  return true;
}

}  // namespace simt_selftest
