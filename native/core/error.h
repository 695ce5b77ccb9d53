// wavetape's one exception type: a stable status code plus a message naming op, argument and
// expectation. Thrown inside core and the CPU backend; the binding turns it into a WavetapeError.
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>

#include "../abi/plugin_abi.h"

namespace wt {

class Error : public std::runtime_error {
 public:
  Error(wt_status code, const std::string& msg) : std::runtime_error(msg), code_(code) {}
  wt_status code() const { return code_; }

 private:
  wt_status code_;
};

const char* statusName(wt_status s);  // "E_SHAPE", ...

namespace detail {
inline void append(std::ostringstream&) {}
template <class A, class... R>
void append(std::ostringstream& os, const A& a, const R&... r) {
  os << a;
  append(os, r...);
}
}  // namespace detail

// fail(WT_E_SHAPE, "add: argument 'b' has shape ", s, "; expected ...")
template <class... A>
[[noreturn]] void fail(wt_status code, const A&... parts) {
  std::ostringstream os;
  detail::append(os, parts...);
  throw Error(code, os.str());
}

}  // namespace wt
