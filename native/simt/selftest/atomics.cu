// Atomics from many threads of many blocks (blocks run on several OS threads at once): adds of every
// type, min/max, a CAS loop, exchange, and a shared-memory counter.
#include "selftest.h"

namespace {

struct Totals {
  int addInt;
  unsigned addUnsigned;
  unsigned long long addU64;
  float addFloat;
  double addDouble;
  int subInt;
  int maxInt;
  int minInt;
  unsigned maxUnsigned;
  int casSum;
  unsigned exch;
};

__global__ void hammerAtomics(Totals* t, int* perBlock) {
  __shared__ int blockCount;
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (threadIdx.x == 0) blockCount = 0;
  __syncthreads();
  atomicAdd(&blockCount, 1);
  atomicAdd(&t->addInt, 1);
  atomicAdd(&t->addUnsigned, 2u);
  atomicAdd(&t->addU64, 3ull);
  atomicAdd(&t->addFloat, 1.0f);
  atomicAdd(&t->addDouble, 0.5);
  atomicSub(&t->subInt, 2);
  atomicMax(&t->maxInt, i);
  atomicMin(&t->minInt, -i);
  atomicMax(&t->maxUnsigned, unsigned(i) * 3u);
  int old = t->casSum, assumed;
  do {
    assumed = old;
    old = atomicCAS(&t->casSum, assumed, assumed + 1);
  } while (old != assumed);
  atomicExch(&t->exch, unsigned(i));
  __syncthreads();
  if (threadIdx.x == 0) perBlock[blockIdx.x] = blockCount;
}

}  // namespace

SIMT_SELFTEST(atomics_sum) {
  const int blocks = 32, threads = 128, n = blocks * threads;
  const Totals zero{0, 0, 0, 0.0f, 0.0, 0, -1, 1, 0, 0, 0};
  Totals* t = nullptr;
  cudaMalloc(&t, sizeof(Totals));
  cudaMemcpy(t, &zero, sizeof zero, cudaMemcpyHostToDevice);
  simt_selftest::DeviceArray<int> perBlock(blocks);
  const bool ok = simt_selftest::launched(
      wt::simt::launch("hammerAtomics", hammerAtomics, dim3(blocks), dim3(threads), 0, nullptr, t, perBlock.get()), why);
  Totals got;
  cudaMemcpy(&got, t, sizeof got, cudaMemcpyDeviceToHost);
  cudaFree(t);
  if (!ok) return false;
  if (got.addInt != n || got.addUnsigned != 2u * n || got.addU64 != 3ull * n || got.addFloat != float(n) ||
      got.addDouble != 0.5 * n || got.subInt != -2 * n || got.maxInt != n - 1 || got.minInt != -(n - 1) ||
      got.maxUnsigned != 3u * (n - 1) || got.casSum != n || got.exch >= unsigned(n)) {
    why = "totals: int " + std::to_string(got.addInt) + ", unsigned " + std::to_string(got.addUnsigned) + ", u64 " +
          std::to_string(got.addU64) + ", float " + std::to_string(got.addFloat) + ", double " +
          std::to_string(got.addDouble) + ", sub " + std::to_string(got.subInt) + ", max " + std::to_string(got.maxInt) +
          ", min " + std::to_string(got.minInt) + ", umax " + std::to_string(got.maxUnsigned) + ", cas " +
          std::to_string(got.casSum) + ", exch " + std::to_string(got.exch);
    return false;
  }
  for (int b : perBlock.read())
    if (b != threads) {
      why = "a block's shared counter reached " + std::to_string(b);
      return false;
    }
  return true;
}
