// simt_selftest: runs the planted-bug and known-answer kernels of native/simt/selftest/ through the
// emulator and prints "ok <case>" or "FAIL <case>: why" per case; exits non-zero on any failure.
#include <algorithm>
#include <cstdio>

#include "selftest.h"

namespace simt_selftest {
std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}
}  // namespace simt_selftest

int main() {
  auto cases = simt_selftest::registry();
  std::sort(cases.begin(), cases.end(),
            [](const simt_selftest::Case& a, const simt_selftest::Case& b) { return std::string(a.name) < b.name; });
  int failures = 0;
  for (const simt_selftest::Case& c : cases) {
    std::string why;
    if (c.run(why)) {
      std::printf("ok %s%s%s\n", c.name, why.empty() ? "" : " ", why.c_str());
    } else {
      std::printf("FAIL %s: %s\n", c.name, why.c_str());
      ++failures;
    }
    std::fflush(stdout);
  }
  std::printf("%d of %zu cases failed\n", failures, cases.size());
  return failures == 0 ? 0 : 1;
}
