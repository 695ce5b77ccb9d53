// Philox4x32-10 (Salmon et al., SC'11) and the element -> random value mapping shared by every
// backend, so one seed gives the same stream on cpu, cuda and simt.
#pragma once
#include <stdint.h>
#include "../abi/plugin_abi.h"
#include "hd.h"
#include "scalar_math.h"

namespace wt {
namespace philox {

struct U4 { uint32_t x[4]; };

WT_HD uint32_t mulhilo(uint32_t a, uint32_t b, uint32_t* hi) {
  uint64_t p = (uint64_t)a * (uint64_t)b;
  *hi = (uint32_t)(p >> 32);
  return (uint32_t)p;
}

// Ten rounds of Philox4x32 on counter (block, 0, 0) under key (seed).
WT_HD U4 block(uint64_t ctr, uint64_t seed) {
  uint32_t c0 = (uint32_t)ctr, c1 = (uint32_t)(ctr >> 32), c2 = 0, c3 = 0;
  uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
  for (int r = 0; r < 10; ++r) {
    uint32_t hi0, hi1;
    uint32_t lo0 = mulhilo(0xD2511F53u, c0, &hi0);
    uint32_t lo1 = mulhilo(0xCD9E8D57u, c2, &hi1);
    uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  U4 out;
  out.x[0] = c0; out.x[1] = c1; out.x[2] = c2; out.x[3] = c3;
  return out;
}

// Uniform in [0, 1): float32 takes 24 bits of one word; float64 53 bits of two words.
// Element e of a float32 stream uses word e % 4 of block e / 4; of a float64 stream, words
// 2(e % 2) and 2(e % 2) + 1 of block e / 2.
WT_HD float uniform01(uint64_t e, uint64_t seed, uint64_t offset, float) {
  U4 b = block(e / 4 + offset, seed);
  return (float)(b.x[e % 4] >> 8) * (1.0f / 16777216.0f);
}
WT_HD double uniform01(uint64_t e, uint64_t seed, uint64_t offset, double) {
  U4 b = block(e / 2 + offset, seed);
  uint32_t hi = b.x[2 * (e % 2)], lo = b.x[2 * (e % 2) + 1];
  return ((double)(hi >> 5) * 67108864.0 + (double)(lo >> 6)) * (1.0 / 9007199254740992.0);
}

// Box–Muller on the pair (2p, 2p+1) of the uniform stream; element e takes cos or sin of pair e/2.
template <class T>
WT_HD T standardNormal(uint64_t e, uint64_t seed, uint64_t offset) {
  uint64_t p = e / 2;
  T u1 = T(1) - uniform01(2 * p, seed, offset, T(0));  // in (0, 1]: log is finite
  T u2 = uniform01(2 * p + 1, seed, offset, T(0));
  T r = m::sqrt(T(-2) * m::log(u1));
  T a = T(6.283185307179586476925) * u2;
  return (e % 2 == 0) ? r * m::cos(a) : r * m::sin(a);
}

// Value of element e for a WT_OP_RANDOM op.
template <class T>
WT_HD T sample(int code, uint64_t e, uint64_t seed, uint64_t offset, double f0, double f1) {
  if (code == WT_RNG_NORMAL) return T(f0) + T(f1) * standardNormal<T>(e, seed, offset);
  T u = uniform01(e, seed, offset, T(0));
  if (code == WT_RNG_BERNOULLI) return u < T(f0) ? T(1) : T(0);
  return T(f0) + (T(f1) - T(f0)) * u;
}

// Philox blocks a stream of n elements of dtype T consumes (normal uses two uniforms each).
WT_HD uint64_t blocksUsed(int code, uint64_t n, bool isDouble) {
  uint64_t uniforms = code == WT_RNG_NORMAL ? 2 * ((n + 1) / 2) : n;
  uint64_t perBlock = isDouble ? 2 : 4;
  return (uniforms + perBlock - 1) / perBlock;
}

}  // namespace philox
}  // namespace wt
