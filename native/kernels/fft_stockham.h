// One pass of a mixed-radix Stockham FFT as every schedule runs it (CPU lanes, CUDA shared and global
// passes, the host reference in double): the radix dispatch and the pass's index map, on host and device.
#pragma once
#include <stdint.h>

#include "fft_butterfly.h"
#include "hd.h"

namespace wt {
namespace fft {

template <int R>
struct Radix {
  static constexpr int value = R;
};

// Calls visit(Radix<R>{}) for the runtime radix, R in {2, 3, 4, 5, 7, 8, 11} (fft_factor.h's choices);
// returns false for any other. kWithEleven = false leaves radix 11 uninstantiated, for kernels whose
// launch bounds leave it too few registers (their plans hold no 11).
WT_FORWARDS_TO_CALLABLE
template <bool kWithEleven = true, class F>
WT_HD bool withRadix(int radix, F&& visit) {
  switch (radix) {
    case 2: visit(Radix<2>{}); return true;
    case 3: visit(Radix<3>{}); return true;
    case 4: visit(Radix<4>{}); return true;
    case 5: visit(Radix<5>{}); return true;
    case 7: visit(Radix<7>{}); return true;
    case 8: visit(Radix<8>{}); return true;
    case 11:
      if constexpr (kWithEleven) {
        visit(Radix<11>{});
        return true;
      } else {
        return false;
      }
    default: return false;
  }
}

// The radix-R pass of a length-n Stockham FFT (decimation in time, self-sorting) once runs of ns points
// are transformed: butterfly j < n/R, k = j mod ns, reads x[j + r n/R], multiplies input r >= 1 by
// exp(-2 pi i r k / (ns R)) = tw[k (R-1) + r-1] (the pass's block of stockhamTwiddles), takes the
// length-R DFT and writes output r to y[(j - k) R + k + r ns]. I is the index type.
template <int R, class I>
struct StockhamPass {
  I m;   // butterflies, n / R
  I ns;  // points already transformed together

  WT_HD StockhamPass(I n, I transformed) : m(n / R), ns(transformed) {}
  WT_HD I input(I j, int r) const { return j + I(r) * m; }
  WT_HD I output(I j, I k, int r) const { return (j - k) * I(R) + k + I(r) * ns; }
  WT_HD I twiddle(I k, int r) const { return k * I(R - 1) + I(r - 1); }
};

// Multiplies inputs 1..R-1 of butterfly k by the pass's twiddles.
template <int R, class I, class V, class T>
WT_HD void applyTwiddles(const StockhamPass<R, I>& pass, cplx<V>* x, const cplx<T>* tw, I k) {
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int r = 1; r < R; ++r) x[r] = mulTwiddle(x[r], tw[pass.twiddle(k, r)]);
}

}  // namespace fft
}  // namespace wt
