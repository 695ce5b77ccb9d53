// Warp intrinsics: shuffle reductions, scans and broadcasts (float, double, int, sub-warp widths),
// votes over full and partial masks, and the detector for a mask that names an exited lane.
#include "selftest.h"

namespace {

template <class T>
__global__ void warpSums(const T* in, T* downSums, T* xorSums, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  const T v = i < n ? in[i] : T(0);
  T down = v, butterfly = v;
  for (int offset = 16; offset > 0; offset >>= 1) {
    down += __shfl_down_sync(0xffffffffu, down, offset);
    butterfly += __shfl_xor_sync(0xffffffffu, butterfly, offset);
  }
  if ((threadIdx.x & 31) == 0) downSums[i / 32] = down;
  xorSums[i] = butterfly;
}

// Inclusive prefix sums with __shfl_up_sync, and broadcasts of lane 5 (whole warp) and of the first
// lane of each group of 8 (width 8).
__global__ void warpScanBroadcast(int* scan, int* bcast, int* groupFirst) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x, lane = threadIdx.x & 31;
  int x = lane + 1;
  for (int offset = 1; offset < 32; offset <<= 1) {
    const int y = __shfl_up_sync(0xffffffffu, x, offset);
    if (lane >= offset) x += y;
  }
  scan[i] = x;
  bcast[i] = __shfl_sync(0xffffffffu, i, 5);
  groupFirst[i] = __shfl_sync(0xffffffffu, i, 0, 8);
}

// Warp w votes on predicate pattern w % 3: all true, all false, every third lane. Lanes below 16 then
// vote again among themselves only.
__global__ void warpVotes(unsigned* ballots, int* anys, int* alls, unsigned* halfBallots, unsigned* active) {
  const int lane = threadIdx.x & 31, warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
  const unsigned activeAtStart = __activemask();  // no lane can have exited yet
  const int pattern = warp % 3;
  const int pred = pattern == 0 ? 1 : pattern == 1 ? 0 : lane % 3 == 0;
  const unsigned b = __ballot_sync(0xffffffffu, pred);
  const int any = __any_sync(0xffffffffu, pred), all = __all_sync(0xffffffffu, pred);
  if (lane == 0) {
    ballots[warp] = b;
    anys[warp] = any;
    alls[warp] = all;
    active[warp] = activeAtStart;
  }
  if (lane < 16) {
    const unsigned half = __ballot_sync(0x0000ffffu, lane % 2);
    if (lane == 0) halfBallots[warp] = half;
  }
}

// Planted bug: lane 3 returns early, then the rest of its warp shuffles with a full mask.
__global__ void shuffleAfterLaneExit(float* out) {
  if (threadIdx.x == 3) return;
  out[threadIdx.x] = __shfl_down_sync(0xffffffffu, float(threadIdx.x), 1);
}

template <class T> bool checkWarpSums(const char* name, std::string& why) {
  const int n = 1000, blocks = 8, threads = 128, total = blocks * threads;
  std::vector<T> host(n);
  for (int i = 0; i < n; ++i) host[i] = T(i % 11) - T(5);
  simt_selftest::DeviceArray<T> in(n, host), down(total / 32), butterfly(total);
  if (!simt_selftest::launched(wt::simt::launch(name, warpSums<T>, dim3(blocks), dim3(threads), 0, nullptr, in.get(),
                                                down.get(), butterfly.get(), n),
                               why))
    return false;
  const std::vector<T> d = down.read(), x = butterfly.read();
  for (int w = 0; w < total / 32; ++w) {
    T expect = 0;
    for (int i = w * 32; i < w * 32 + 32 && i < n; ++i) expect += host[i];
    if (d[w] != expect) {
      why = std::string(name) + ": __shfl_down_sync sum of warp " + std::to_string(w) + " is " + std::to_string(d[w]);
      return false;
    }
    for (int l = 0; l < 32; ++l)
      if (x[w * 32 + l] != expect) {
        why = std::string(name) + ": __shfl_xor_sync sum in lane " + std::to_string(w * 32 + l) + " is " +
              std::to_string(x[w * 32 + l]);
        return false;
      }
  }
  return true;
}

}  // namespace

SIMT_SELFTEST(warp_shuffle_reduce) {
  if (!checkWarpSums<float>("warpSums<float>", why) || !checkWarpSums<double>("warpSums<double>", why) ||
      !checkWarpSums<int>("warpSums<int>", why))
    return false;
  const int n = 2 * 64;
  simt_selftest::DeviceArray<int> scan(n), bcast(n), group(n);
  if (!simt_selftest::launched(wt::simt::launch("warpScanBroadcast", warpScanBroadcast, dim3(2), dim3(64), 0, nullptr,
                                                scan.get(), bcast.get(), group.get()),
                               why))
    return false;
  const std::vector<int> s = scan.read(), b = bcast.read(), g = group.read();
  for (int i = 0; i < n; ++i) {
    const int lane = i % 32;
    if (s[i] != (lane + 1) * (lane + 2) / 2 || b[i] != i - lane + 5 || g[i] != i - lane % 8) {
      why = "thread " + std::to_string(i) + ": scan " + std::to_string(s[i]) + ", broadcast " + std::to_string(b[i]) +
            ", group broadcast " + std::to_string(g[i]);
      return false;
    }
  }
  return true;
}

SIMT_SELFTEST(warp_votes) {
  const int blocks = 2, threads = 96, warps = blocks * threads / 32;
  simt_selftest::DeviceArray<unsigned> ballots(warps), halves(warps), active(warps);
  simt_selftest::DeviceArray<int> anys(warps), alls(warps);
  if (!simt_selftest::launched(wt::simt::launch("warpVotes", warpVotes, dim3(blocks), dim3(threads), 0, nullptr,
                                                ballots.get(), anys.get(), alls.get(), halves.get(), active.get()),
                               why))
    return false;
  const std::vector<unsigned> b = ballots.read(), h = halves.read(), a = active.read();
  const std::vector<int> any = anys.read(), all = alls.read();
  for (int w = 0; w < warps; ++w) {
    const unsigned expect = w % 3 == 0 ? 0xffffffffu : w % 3 == 1 ? 0u : 0x49249249u;
    if (b[w] != expect || any[w] != (expect != 0) || all[w] != (expect == 0xffffffffu) || h[w] != 0x0000aaaau ||
        a[w] != 0xffffffffu) {
      why = "warp " + std::to_string(w) + ": ballot " + std::to_string(b[w]) + ", any " + std::to_string(any[w]) +
            ", all " + std::to_string(all[w]) + ", half ballot " + std::to_string(h[w]) + ", active " +
            std::to_string(a[w]);
      return false;
    }
  }
  return true;
}

SIMT_SELFTEST(warp_mask_names_exited_lane_caught) {
  simt_selftest::DeviceArray<float> out(32);
  const cudaError_t e =
      wt::simt::launch("shuffleAfterLaneExit", shuffleAfterLaneExit, dim3(1), dim3(32), 0, nullptr, out.get());
  return simt_selftest::failedWith(e, cudaErrorLaunchFailure, {"shuffleAfterLaneExit: ", "lane 3", "exited"}, why);
}
