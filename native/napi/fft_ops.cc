// Binding entries of the FFT family: unwrap (x, n, axis, scale[, inverse]), call core, wrap.
// n = -1 asks for the op's default length; the facade turns `norm` into `scale`.
#include "../core/fft.h"
#include "entries.h"

namespace wt {
namespace napi {

Napi::Value fft(const Args& a) {
  return a.wrap(wt::fft(a.data.env, a.tensor(0, "x"), a.integer(1, "n"), a.integer(2, "axis"), a.boolean(3, "inverse"),
                        a.number(4, "scale")));
}

Napi::Value rfft(const Args& a) {
  return a.wrap(wt::rfft(a.data.env, a.tensor(0, "x"), a.integer(1, "n"), a.integer(2, "axis"), a.number(3, "scale")));
}

Napi::Value irfft(const Args& a) {
  return a.wrap(wt::irfft(a.data.env, a.tensor(0, "x"), a.integer(1, "n"), a.integer(2, "axis"), a.number(3, "scale")));
}

}  // namespace napi
}  // namespace wt
