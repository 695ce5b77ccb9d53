// The CPU device: host memory from the allocator, ops dispatched to native/cpu kernels.
#include <cstdlib>
#include <cstring>

#include "../core/device.h"
#include "../core/dtype.h"
#include "../core/error.h"
#include "kernels.h"

namespace wt {
namespace {

class CpuDevice final : public Device {
 public:
  CpuDevice() : Device("cpu") {}
  void* alloc(size_t bytes) override {
    // 64-byte alignment: whole cache lines and aligned AVX-512 loads.
    void* p = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!p) fail(WT_E_OOM, "out of host memory allocating ", bytes, " bytes");
    return p;
  }
  void release(void* p, size_t) override { std::free(p); }
  void copyFromHost(void* dst, const void* src, size_t bytes) override { std::memcpy(dst, src, bytes); }
  void copyToHost(void* dst, const void* src, size_t bytes) override { std::memcpy(dst, src, bytes); }
  void synchronize() override {}
  int64_t inlineElements() const override { return 32768; }
  void run(const wt_op& op) override {
    switch (op.kind) {
      case WT_OP_COPY: return cpu::copy(op);
      case WT_OP_FILL: return cpu::fill(op);
      case WT_OP_IOTA: return cpu::iota(op);
      case WT_OP_UNARY: return cpu::unary(op);
      case WT_OP_BINARY: return cpu::binary(op);
      case WT_OP_WHERE: return cpu::where(op);
      case WT_OP_REDUCE: return cpu::reduce(op);
      case WT_OP_MATMUL: return cpu::matmul(op);
      case WT_OP_GATHER: return cpu::gather(op);
      case WT_OP_SCATTER_ADD: return cpu::scatterAdd(op);
      case WT_OP_RANDOM: return cpu::random(op);
      default: fail(WT_E_INTERNAL, "cpu: unknown op kind ", op.kind);
    }
  }
};

}  // namespace

Device* makeCpuDevice() { return new CpuDevice(); }

}  // namespace wt
