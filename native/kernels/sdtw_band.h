// The soft-DTW band rule shared by every forward and backward kernel: which cells (i, j) of a pair
// with valid lengths n, m are admissible under a Sakoe-Chiba radius r (slope-adjusted, always connected).
#pragma once
#include <stdint.h>

#include "hd.h"

namespace wt {
namespace sdtw {

// Cell (i, j) is admissible iff |2j(n-1) - 2i(m-1)| <= K with K = max(2r(n-1), max(n-1, m-1)),
// in int64 (r < 0: every cell). For n = m this is |i - j| <= r; the max(n-1, m-1) floor keeps
// consecutive rows connected when the lengths differ (proof in docs/kernels.md). Row i's admissible
// columns are the contiguous range [lo(i), hi(i)], both non-decreasing in i, lo(0) = 0, hi(n-1) = m-1.
struct Band {
  int64_t n, m;  // valid lengths, >= 1
  int64_t slope2;  // 2(m-1): the centre line's numerator step per row
  int64_t den2;    // 2(n-1)
  int64_t k;       // K above; -1 means no band

  WT_HD static Band make(int64_t n, int64_t m, int64_t r) {
    Band b;
    b.n = n;
    b.m = m;
    b.slope2 = 2 * (m - 1);
    b.den2 = 2 * (n - 1);
    if (r < 0 || n == 1) {
      b.k = -1;  // n == 1: the single row holds every column (K >= 2j·0 - 0 for all j)
    } else {
      const int64_t wide = 2 * r * (n - 1);
      const int64_t floor = (n > m ? n : m) - 1;
      b.k = wide > floor ? wide : floor;
    }
    return b;
  }
  // First admissible column of row i: ceil((2i(m-1) - K) / 2(n-1)), at least 0.
  WT_HD int64_t lo(int64_t i) const {
    if (k < 0) return 0;
    const int64_t num = i * slope2 - k;
    return num <= 0 ? 0 : (num + den2 - 1) / den2;
  }
  // Last admissible column of row i: floor((2i(m-1) + K) / 2(n-1)), at most m-1.
  WT_HD int64_t hi(int64_t i) const {
    if (k < 0) return m - 1;
    const int64_t h = (i * slope2 + k) / den2;
    return h < m - 1 ? h : m - 1;
  }
  WT_HD bool admissible(int64_t i, int64_t j) const {
    if (i < 0 || j < 0 || i >= n || j >= m) return false;
    if (k < 0) return true;
    const int64_t d = j * den2 - i * slope2;
    return (d < 0 ? -d : d) <= k;
  }
};

// Stored columns per DP row that every pair with lengths n >= nMin (and m <= mMax, n <= nMax) fits
// in under radius r: a row spans at most floor(K / (n-1)) + 1 columns, K/(n-1) = max(2r, (max(n,m)-1)/(n-1)).
WT_HD int64_t storedWidth(int64_t nMin, int64_t nMax, int64_t mMax, int64_t r) {
  if (r < 0 || nMin <= 1) return mMax;
  const int64_t longest = (nMax > mMax ? nMax : mMax) - 1;
  const int64_t steep = longest / (nMin - 1);
  const int64_t w = (2 * r > steep ? 2 * r : steep) + 1;
  return w < mMax ? w : mMax;
}

}  // namespace sdtw
}  // namespace wt
