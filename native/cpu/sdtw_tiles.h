// One long pair on several threads: its DP matrix cut into tiles, each tile run as soon as the
// tiles it depends on are done (forward: the ones above, to the left and diagonally up-left;
// backward: below, right, down-right). The threads claim tiles in anti-diagonal order from one
// counter, so every dependency is claimed before its dependents and a waiting thread always waits
// on a running one. Include inside sdtw.cpp's anonymous namespace (after forwardPair /
// backwardPair). With AVX2 the forward tiles run in sdtw_avx2.cpp's sdtwForwardTileAvx2, four rows
// at a time in lanes, and then tiles are used on one thread as well.
//
// Each cell computes exactly what forwardPair / backwardPair compute (the same predecessors or
// successors, +inf / 0 for inadmissible ones, the same order of E's terms), so values, weights and
// gradients are bit for bit those of the one-thread sweep: a row's dx still accumulates its cells
// right to left (tile J + 1 before tile J), a column's dy bottom to top (tile I + 1 before tile I),
// and two tiles of one tile row or column never run at once (no two threads add to one element).
//
// Between tiles only their edges travel. Along a row of tiles one buffer per DP row carries the
// edge column: a tile reads row i's entry before it overwrites it, and the next reader of that row
// depends on it. Down (up) the tiles, each tile row keeps its own last (first) DP row, stored as
// the band stores a row: the corner a tile reads from there would otherwise be overwritten by the
// tile it depends on.

constexpr int64_t kTileRows = 64, kTileCols = kSdtwTileCols;
// A pair with fewer cells runs on one thread (waking the pool costs tens of microseconds).
constexpr int64_t kTiledMinCells = int64_t(1) << 16;

// Tiles pay on several threads, and on one with AVX2, whose tile forward runs four rows in lanes.
inline bool wantTiles(const Band& b) { return (numThreads() > 1 || cpuHasAvx2Fma()) && b.n * b.m >= kTiledMinCells; }

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Whether tile (I, J) holds an admissible cell: some row of it reaches column j0 and starts by
// j1 − 1. Exact since consecutive rows' ranges overlap or touch (the band is connected).
inline bool tileHasCells(const Band& b, int64_t I, int64_t J) {
  const int64_t i0 = I * kTileRows, i1 = std::min(b.n, i0 + kTileRows);
  const int64_t j0 = J * kTileCols, j1 = std::min(b.m, j0 + kTileCols);
  return b.lo(i0) <= j1 - 1 && b.hi(i1 - 1) >= j0;
}

// fn(I, J) for every tile with admissible cells, each once the (up to three) neighbouring tiles it
// depends on are done: forward those at (I − 1, J), (I, J − 1), (I − 1, J − 1), backward at
// (I + 1, J), (I, J + 1), (I + 1, J + 1). Tiles without cells never run: every edge value a tile
// reads is used only for an admissible neighbour cell, whose tile has run.
template <class F>
void tileDataflow(const Band& b, bool forward, F&& fn) {
  const int64_t TI = (b.n + kTileRows - 1) / kTileRows, TJ = (b.m + kTileCols - 1) / kTileCols;
  std::vector<int64_t> order;  // tile indices I·TJ + J with cells, in anti-diagonal order
  std::unique_ptr<std::atomic<uint8_t>[]> done(new std::atomic<uint8_t>[size_t(TI * TJ)]);
  for (int64_t t = 0; t < TI * TJ; ++t) done[size_t(t)].store(1, std::memory_order_relaxed);
  for (int64_t s = 0; s < TI + TJ - 1; ++s) {
    const int64_t d = forward ? s : TI + TJ - 2 - s;
    for (int64_t I = std::max<int64_t>(0, d - (TJ - 1)); I <= std::min(TI - 1, d); ++I)
      if (tileHasCells(b, I, d - I)) {
        order.push_back(I * TJ + d - I);
        done[size_t(I * TJ + d - I)].store(0, std::memory_order_relaxed);
      }
  }
  const int64_t step = forward ? -1 : 1;
  auto ready = [&](int64_t I, int64_t J) {
    return I < 0 || J < 0 || I >= TI || J >= TJ || done[size_t(I * TJ + J)].load(std::memory_order_acquire) != 0;
  };
  std::atomic<int64_t> next{0};
  const int64_t workers = std::min<int64_t>(numThreads(), int64_t(order.size()));
  parallelFor(workers, 1, [&](int64_t, int64_t) {
    for (;;) {
      const int64_t k = next.fetch_add(1, std::memory_order_relaxed);
      if (k >= int64_t(order.size())) return;
      const int64_t I = order[size_t(k)] / TJ, J = order[size_t(k)] % TJ;
      while (!ready(I + step, J) || !ready(I, J + step) || !ready(I + step, J + step)) cpuRelax();
      fn(I, J);
      done[size_t(I * TJ + J)].store(1, std::memory_order_release);
    }
  });
}

// forwardPair over tiles; R in double as there.
template <class T, class Cost>
double forwardPairTiled(const Band& b, int64_t width, double gamma, const Cost& cost, T* trans) {
  const double invGamma = gamma > 0 ? 1.0 / gamma : 0.0;
  const double inf = sdtw::kInf;
  const int64_t TI = (b.n + kTileRows - 1) / kTileRows;
  std::vector<double> edgeCol(b.n);            // R[i][last column of the tile that ran last in row i's tiles]
  std::vector<double> tileRows(TI * width);    // R of each tile row's last DP row, band-relative
  double result = 0;
  const bool lanes = cpuHasAvx2Fma();
  tileDataflow(b, true, [&](int64_t I, int64_t J) {
    const int64_t i0 = I * kTileRows, i1 = std::min(b.n, i0 + kTileRows);
    const int64_t j0 = J * kTileCols, w = std::min(b.m, j0 + kTileCols) - j0;
    if (lanes) {
      ForwardTile<T> t = tileInputs(cost);
      t.trans = trans;
      t.width = width;
      t.gamma = gamma;
      t.i0 = i0;
      t.i1 = i1;
      t.j0 = j0;
      t.w = w;
      t.left = J > 0;
      t.edgeCol = edgeCol.data();
      t.top = I > 0 ? tileRows.data() + (I - 1) * width : nullptr;
      t.bottom = tileRows.data() + I * width;
      const double r = sdtwForwardTileAvx2(t, b);
      if (i1 == b.n && j0 + w == b.m) result = r;
      return;
    }
    // Entry c holds column j0 − 1 + c: entry 0 is the left neighbour's last column.
    double bufA[kTileCols + 1], bufB[kTileCols + 1];
    double* prev = bufA;
    double* cur = bufB;
    const int64_t loT = I > 0 ? b.lo(i0 - 1) : 0, hiT = I > 0 ? b.hi(i0 - 1) : -1;
    const double* top = I > 0 ? tileRows.data() + (I - 1) * width : nullptr;
    for (int64_t c = 0; c <= w; ++c) {
      const int64_t j = j0 - 1 + c;
      prev[c] = j >= loT && j <= hiT ? top[j - loT] : inf;
    }
    for (int64_t i = i0; i < i1; ++i) {
      const int64_t lo = b.lo(i), hi = b.hi(i);
      const int64_t loP = i > 0 ? b.lo(i - 1) : 0, hiP = i > 0 ? b.hi(i - 1) : -1;
      T* tr = trans ? trans + i * width * 2 : nullptr;  // null: values only
      cur[0] = J > 0 && j0 - 1 >= lo ? edgeCol[size_t(i)] : inf;
      for (int64_t c = 1; c <= w; ++c) {
        const int64_t j = j0 + c - 1;
        if (j < lo || j > hi) {
          cur[c] = inf;
          continue;
        }
        const double cc = cost(i, j);
        const int64_t k = j - lo;
        if (i == 0 && j == 0) {
          cur[c] = cc;
          if (tr) tr[0] = tr[1] = T(0);
          continue;
        }
        const double diag = j - 1 >= loP && j - 1 <= hiP ? prev[c - 1] : inf;
        const double up = j >= loP && j <= hiP ? prev[c] : inf;
        const double lf = j > lo ? cur[c - 1] : inf;
        const sdtw::Cell cell = sdtw::softMinCell(cc, diag, up, lf, gamma, invGamma);
        cur[c] = cell.r;
        if (tr) {
          tr[2 * k] = T(cell.wDiag);
          tr[2 * k + 1] = T(cell.wUp);
        }
      }
      edgeCol[size_t(i)] = cur[w];
      std::swap(prev, cur);
    }
    const int64_t loB = b.lo(i1 - 1), hiB = b.hi(i1 - 1);
    double* bottom = tileRows.data() + I * width;
    for (int64_t j = std::max(j0, loB); j <= std::min(j0 + w - 1, hiB); ++j) bottom[j - loB] = prev[j - j0 + 1];
    if (i1 == b.n && j0 + w == b.m) result = prev[w];
  });
  return result;
}

// backwardPair over tiles: sink(i, j, E) once per admissible cell, from several threads (never two
// at once for one row or one column).
template <class T, class Sink>
void backwardPairTiled(const Band& b, int64_t width, const T* trans, Sink&& sink) {
  const int64_t TI = (b.n + kTileRows - 1) / kTileRows;
  std::vector<double> edgeCol(b.n);          // E[i][first column of the tile that ran last in row i's tiles]
  std::vector<double> tileRows(TI * width);  // E of each tile row's first DP row, band-relative
  tileDataflow(b, false, [&](int64_t I, int64_t J) {
    const int64_t i0 = I * kTileRows, i1 = std::min(b.n, i0 + kTileRows);
    const int64_t j0 = J * kTileCols, w = std::min(b.m, j0 + kTileCols) - j0;
    // Entry c holds column j0 + c: entry w is the right neighbour's first column.
    double bufA[kTileCols + 1], bufB[kTileCols + 1];
    double* next = bufA;
    double* cur = bufB;
    const int64_t loU = i1 < b.n ? b.lo(i1) : 0, hiU = i1 < b.n ? b.hi(i1) : -1;
    const double* below = i1 < b.n ? tileRows.data() + (I + 1) * width : nullptr;
    for (int64_t c = 0; c <= w; ++c) {
      const int64_t j = j0 + c;
      next[c] = j >= loU && j <= hiU ? below[j - loU] : 0.0;
    }
    for (int64_t i = i1 - 1; i >= i0; --i) {
      const int64_t lo = b.lo(i), hi = b.hi(i);
      const int64_t loN = i + 1 < b.n ? b.lo(i + 1) : 0, hiN = i + 1 < b.n ? b.hi(i + 1) : -1;
      const T* tr = trans + i * width * 2;
      const T* trN = trans + (i + 1) * width * 2;
      cur[w] = j0 + w <= hi ? edgeCol[size_t(i)] : 0.0;
      for (int64_t c = w - 1; c >= 0; --c) {
        const int64_t j = j0 + c;
        if (j < lo || j > hi) {
          cur[c] = 0.0;
          continue;
        }
        double e = 0;
        if (i == b.n - 1 && j == b.m - 1) {
          e = 1;
        } else {
          if (j >= loN && j <= hiN) e += next[c] * double(trN[2 * (j - loN) + 1]);
          if (j + 1 >= loN && j + 1 <= hiN) e += next[c + 1] * double(trN[2 * (j + 1 - loN)]);
          if (j < hi) e += cur[c + 1] * double(sdtw::leftWeight(tr[2 * (j + 1 - lo)], tr[2 * (j + 1 - lo) + 1]));
          e = sdtw::flushSubnormalE(e);
        }
        cur[c] = e;
        sink(i, j, e);
      }
      edgeCol[size_t(i)] = cur[0];
      std::swap(next, cur);
    }
    const int64_t loF = b.lo(i0), hiF = b.hi(i0);
    double* first = tileRows.data() + I * width;
    for (int64_t j = std::max(j0, loF); j <= std::min(j0 + w - 1, hiF); ++j) first[j - loF] = next[j - j0];
  });
}
