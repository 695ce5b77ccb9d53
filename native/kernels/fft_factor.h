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

// Smallest 2^a 3^b >= m: Bluestein's convolution length, kept to the fastest Stockham radices.
inline int64_t smooth23AtLeast(int64_t m) {
  int64_t best = INT64_MAX;
  for (int64_t p3 = 1; p3 < 2 * m; p3 *= 3) {
    int64_t v = p3;
    while (v < m) v *= 2;
    best = std::min(best, v);
  }
  return best;
}

}  // namespace wt
