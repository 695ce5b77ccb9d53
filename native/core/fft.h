// Core entry points of the FFT family: validate, move the transform axis last, crop or zero-pad
// it to the transform's input length (numpy's `n`), and queue WT_OP_FFT / RFFT / IRFFT.
#pragma once
#include "env.h"
#include "tensor.h"

namespace wt {

// Every entry transforms along `axis` (negative counts from the end) and returns a tensor of x's
// rank whose other axes are unchanged (a strided view when axis is not the last one). n = -1
// keeps the default length; `scale` multiplies the result (the facade turns norm into it).

// Complex -> complex DFT of length n (default x.shape[axis]); inverse selects exp(+2 pi i jk/n).
Tensor fft(Env& env, const Tensor& x, int64_t n, int64_t axis, bool inverse, double scale);
// Real -> the n/2+1 non-negative-frequency bins of the length-n DFT (default n = x.shape[axis]).
Tensor rfft(Env& env, const Tensor& x, int64_t n, int64_t axis, double scale);
// n/2+1 bins (x cropped or zero-padded to that many) -> n reals (default n = 2 (m - 1)).
Tensor irfft(Env& env, const Tensor& x, int64_t n, int64_t axis, double scale);

}  // namespace wt
