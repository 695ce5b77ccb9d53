#!/usr/bin/python3
"""Generates lib/wavelets/filters.ts: every wavelet filter bank wavetape knows, at full double
precision, and its lifting factorisation (Daubechies & Sweldens 1998), from the math, not from pywt.

Where the numbers come from (all computed here in 80-digit arithmetic with mpmath, then rounded
once to double and printed with 17 significant digits, which round-trips):
  db N     spectral factorisation of the Daubechies polynomial P_N(y) = sum_k C(N-1+k, k) y^k,
           y = sin^2(w/2): the minimum-phase root of each reciprocal pair (Daubechies, Ten
           Lectures, sec. 6.1); h = sqrt(2) * ((1+z)/2)^N * prod (z - z_i) / normaliser.
  sym N    the same roots, with the subset of reciprocal pairs (a complex-conjugate pair moves
           together) that pywt (and Matlab's symaux) chose, the least-asymmetric one: every
           subset is enumerated and the one nearest pywt's rounded table is kept.
  coif N   the coiflet equations solved by Gauss-Newton in 80 digits, started from pywt's
           published (rounded) table: orthonormality sum h[k]h[k+2m] = delta_m, sum h = sqrt 2,
           2N vanishing moments of psi, 2N-1 vanishing moments of phi about k = 2N.
  bior/rbio Cohen-Daubechies-Feauveau: the reconstruction low-pass is
           sqrt 2 * ((1+z)/2)^a * prod of its share of the factors (y - y_r) of P_l(y), the
           decomposition low-pass the same with ((1+z)/2)^b and the other factors, a + b = 2l.
           For the spline families (Nr.Nd with Nr <= 3) all of P_l goes to the decomposition
           side (a = Nr, b = Nd: the binomial/spline closed form); bior4.4, 5.5 and 6.8 split the
           roots of P_l between the sides, and the split pywt uses is found by enumeration.
           rbio Nr.Nd is bior Nr.Nd with the low-passes swapped and reversed, as pywt does.
pywt is used only to pick the root subsets it chose (sym, bior4.4/5.5/6.8), to start the coiflet
Newton iteration, and to check that every filter agrees with pywt's to its precision (max diff
printed), that pywt's order, signs and zero padding are reproduced, and that the lifting steps
reproduce pywt.dwt(..., mode='periodization'). It is never a run-time or test dependency.

The lifting factorisation: the analysis polyphase matrix of pywt's periodization filter bank
(cA[n] = sum_j decLo[j] x[(2n + L/2 - j) mod N], likewise cD with decHi) is reduced by the
Euclidean algorithm on its low-pass row or (conjugated by the even/odd swap) its high-pass row;
at every division the quotient may cancel any split of leading and trailing coefficients, and an
exact branch-and-bound search over these choices keeps the factorisation with the smallest bound
on the growth of intermediate values (criterion 'growth', the default; 'coef' = smallest largest
|step coefficient| is the alternative, pass it as the first argument), ties to fewer steps. The
chosen path is then replayed in 80 digits. Semantics of the emitted steps: lib/wavelets/types.ts
and docs/wavelets.md. The log on stderr ends with the markdown table docs/wavelets.md quotes.

Rerun (from the repository root; needs Debian's python3-mpmath, python3-pywt, python3-numpy):
  /usr/bin/python3 scripts/wavelets/generate_filters.py > lib/wavelets/filters.ts
"""
import itertools
import sys

import mpmath as mp
import numpy as np
import pywt

mp.mp.dps = 80
SQRT2 = mp.sqrt(2)
EPS_HI = mp.mpf(10) ** -50
CRITERION = sys.argv[1] if len(sys.argv) > 1 else 'growth'


def log(*args):
    print(*args, file=sys.stderr)


# ---------------------------------------------------------------- polynomials (ascending powers)

def pmul(a, b):
    out = [mp.mpf(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] += x * y
    return out


def binom_poly(n):
    """(1 + z)^n."""
    return [mp.binomial(n, k) for k in range(n + 1)]


def daubechies_poly_roots(l):
    """Roots in y of P_l(y) = sum_{k<l} C(l-1+k, k) y^k."""
    if l <= 1:
        return []
    coeffs = [mp.binomial(l - 1 + k, k) for k in range(l)]
    return mp.polyroots(coeffs[::-1], maxsteps=500, extraprec=400)


def root_groups(roots):
    """Real roots alone, complex roots with their conjugates (kept together so filters are real)."""
    groups, used = [], [False] * len(roots)
    for i, r in enumerate(roots):
        if used[i]:
            continue
        used[i] = True
        if abs(mp.im(r)) < EPS_HI:
            groups.append([mp.re(r)])
            continue
        j = min((j for j in range(len(roots)) if not used[j]), key=lambda j: abs(roots[j] - mp.conj(r)))
        used[j] = True
        groups.append([r, roots[j]])
    return groups


def z_root(y, inside):
    """The root z of z + 1/z = 2 - 4y inside (or outside) the unit circle."""
    b = 2 - 4 * y
    disc = mp.sqrt(b * b - 4)
    z1, z2 = (b + disc) / 2, (b - disc) / 2
    small, large = (z1, z2) if abs(z1) < abs(z2) else (z2, z1)
    return small if inside else large


def normalised(coeffs):
    coeffs = [mp.re(c) for c in coeffs]
    s = mp.fsum(coeffs)
    return [c * SQRT2 / s for c in coeffs]


def orthogonal_from_roots(n, groups, inside_mask):
    poly = binom_poly(n)
    for g, inside in zip(groups, inside_mask):
        for y in g:
            poly = pmul(poly, [-z_root(y, inside), 1])
    return normalised(poly)


def symmetric_factor(y):
    """y - y_r with y = (2 - z - 1/z)/4, as coefficients of z^-1, z^0, z^1."""
    return [mp.mpf(-1) / 4, mp.mpf(1) / 2 - y, mp.mpf(-1) / 4]


def max_diff(a, b):
    return max(abs(float(x) - float(y)) for x, y in zip(a, b))


# ---------------------------------------------------------------- the families

def daubechies(n):
    groups = root_groups(daubechies_poly_roots(n))
    h = orthogonal_from_roots(n, groups, [True] * len(groups))
    return h[::-1]  # pywt's rec_lo is the minimum-phase sequence, largest taps first


def symlet(n):
    groups = root_groups(daubechies_poly_roots(n))
    ref = pywt.Wavelet(f'sym{n}').rec_lo
    best = None
    for mask in itertools.product([True, False], repeat=len(groups)):
        h = orthogonal_from_roots(n, groups, mask)
        for cand in (h, h[::-1]):
            d = max_diff(cand, ref)
            if best is None or d < best[0]:
                best = (d, cand)
    return best[1]


def coiflet(n):
    length = 6 * n
    h = mp.matrix([mp.mpf(v) for v in pywt.Wavelet(f'coif{n}').rec_lo])
    centre = 2 * n

    def residuals(h):
        r = [mp.fsum(h[k] * h[k + 2 * m] for k in range(length - 2 * m)) - (1 if m == 0 else 0)
             for m in range(length // 2)]
        r.append(mp.fsum(h) - SQRT2)
        r += [mp.fsum((-1) ** k * mp.mpf(k) ** j * h[k] for k in range(length)) for j in range(2 * n)]
        r += [mp.fsum(mp.mpf(k - centre) ** j * h[k] for k in range(length)) for j in range(1, 2 * n)]
        return mp.matrix(r)

    def jacobian(h):
        rows = []
        for m in range(length // 2):
            row = [mp.mpf(0)] * length
            for k in range(length - 2 * m):
                row[k] += h[k + 2 * m]
                row[k + 2 * m] += h[k]
            rows.append(row)
        rows.append([mp.mpf(1)] * length)
        rows += [[(-1) ** k * mp.mpf(k) ** j for k in range(length)] for j in range(2 * n)]
        rows += [[mp.mpf(k - centre) ** j for k in range(length)] for j in range(1, 2 * n)]
        return mp.matrix(rows)

    for _ in range(12):
        r = residuals(h)
        if mp.norm(r) < mp.mpf(10) ** -70:
            break
        step, _res = mp.qr_solve(jacobian(h), -r)
        h = h + step
    res = mp.norm(residuals(h))
    assert res < mp.mpf(10) ** -60, f'coif{n}: Newton did not converge ({res})'
    return [h[k] for k in range(length)]


def cdf_candidates(a, b):
    """All (recLo, decLo) of CDF type with (1+z)^a on the reconstruction side, (1+z)^b on the
    decomposition side and every split of the factors of P_l, l = (a + b)/2."""
    groups = root_groups(daubechies_poly_roots((a + b) // 2))
    for mask in itertools.product([True, False], repeat=len(groups)):
        rec, dec = binom_poly(a), binom_poly(b)
        for g, to_rec in zip(groups, mask):
            for y in g:
                if to_rec:
                    rec = pmul(rec, symmetric_factor(y))
                else:
                    dec = pmul(dec, symmetric_factor(y))
        yield normalised(rec), normalised(dec)


def pad_biorthogonal(rec, dec):
    """pywt's layout: both padded to the even length L >= max length, even-length filters centred
    at (L-1)/2, odd-length decLo centred at L/2 and odd-length recLo at L/2 - 1."""
    length = max(len(rec), len(dec))
    length += length % 2

    def place(f, centre2):  # centre2 = twice the centre index
        start = (centre2 - (len(f) - 1)) // 2
        out = [mp.mpf(0)] * length
        for i, v in enumerate(f):
            out[start + i] = v
        return out

    rec_c = length - 1 if len(rec) % 2 == 0 else length - 2
    dec_c = length - 1 if len(dec) % 2 == 0 else length
    return place(rec, rec_c), place(dec, dec_c)


def biorthogonal(nr, nd):
    ref = pywt.Wavelet(f'bior{nr}.{nd}')
    best = None
    splits = [(nr, nd)] if nr <= 3 else [(a, 2 * ((nr + nd) // 2) - a) for a in range(0, nr + nd + 1)]
    for a, b in splits:
        if b < 0 or (a + b) % 2:
            continue
        for rec, dec in cdf_candidates(a, b):
            rec_p, dec_p = pad_biorthogonal(rec, dec)
            if len(rec_p) != len(ref.rec_lo):
                continue
            d = max(max_diff(rec_p, ref.rec_lo), max_diff(dec_p, ref.dec_lo))
            if best is None or d < best[0]:
                best = (d, rec_p, dec_p)
    return best[2], best[1]  # decLo, recLo


# ---------------------------------------------------------------- filter banks as pywt lays them out

def bank_from_lowpasses(dec_lo, rec_lo):
    """pywt's relations: decHi[k] = (-1)^(k+1) recLo[k], recHi[k] = (-1)^k decLo[k]."""
    dec_hi = [(-1) ** (k + 1) * v for k, v in enumerate(rec_lo)]
    rec_hi = [(-1) ** k * v for k, v in enumerate(dec_lo)]
    return dec_lo, dec_hi, rec_lo, rec_hi


def all_banks():
    banks = {}
    for n in range(1, 11):
        h = daubechies(n)
        banks[f'db{n}'] = ('db', True, bank_from_lowpasses(h[::-1], h))
    banks['haar'] = ('haar', True, banks['db1'][2])
    for n in range(2, 11):
        h = symlet(n)
        banks[f'sym{n}'] = ('sym', True, bank_from_lowpasses(h[::-1], h))
    for n in range(1, 6):
        h = coiflet(n)
        banks[f'coif{n}'] = ('coif', True, bank_from_lowpasses(h[::-1], h))
    for nr, nd in [(1, 1), (1, 3), (1, 5), (2, 2), (2, 4), (2, 6), (2, 8), (3, 1), (3, 3), (3, 5),
                   (3, 7), (3, 9), (4, 4), (5, 5), (6, 8)]:
        dec_lo, rec_lo = biorthogonal(nr, nd)
        banks[f'bior{nr}.{nd}'] = ('bior', False, bank_from_lowpasses(dec_lo, rec_lo))
        banks[f'rbio{nr}.{nd}'] = ('rbio', False, bank_from_lowpasses(rec_lo[::-1], dec_lo[::-1]))
    return banks


# ---------------------------------------------------------------- Laurent polynomials and lifting

class Laurent:
    """sum_i c[i] z^(e + i), trimmed so c[0] and c[-1] are nonzero (empty = the zero polynomial)."""

    def __init__(self, coeffs, e, tol):
        coeffs = list(coeffs)
        scale = max((abs(c) for c in coeffs), default=0)
        lo, hi = 0, len(coeffs)
        while lo < hi and abs(coeffs[lo]) <= tol * max(scale, 1):
            lo += 1
        while hi > lo and abs(coeffs[hi - 1]) <= tol * max(scale, 1):
            hi -= 1
        self.c, self.e, self.tol = coeffs[lo:hi], e + lo, tol

    def __len__(self):
        return len(self.c)

    def mul_sub(self, q, b):
        """self - q * b."""
        if not q.c or not b.c:
            return self
        lo = min(self.e, q.e + b.e)
        hi = max(self.e + len(self.c), q.e + b.e + len(q.c) + len(b.c) - 1)
        out = [0 * self.tol] * (hi - lo)
        for i, v in enumerate(self.c):
            out[self.e - lo + i] += v
        for i, x in enumerate(q.c):
            for j, y in enumerate(b.c):
                out[q.e + b.e - lo + i + j] -= x * y
        return Laurent(out, lo, self.tol)


def division_choices(a, b):
    """Quotients q with len(a - q b) < len(b): cancel `top` leading and the rest trailing terms."""
    lq = len(a) - len(b) + 1
    for top in range(lq + 1):
        yield top, quotient(a, b, top)


def quotient(a, b, top):
    lq = len(a) - len(b) + 1
    rows = list(range(lq - top)) + list(range(len(a) - top, len(a)))
    matrix = [[(b.c[i - j] if 0 <= i - j < len(b.c) else 0 * a.tol) for j in range(lq)] for i in rows]
    rhs = [a.c[i] for i in rows]
    if isinstance(a.tol, float):
        m = np.array(matrix, dtype=float)
        if np.linalg.cond(m) > 1e10:
            return None
        q = list(np.linalg.solve(m, np.array(rhs, dtype=float)))
    else:
        q = list(mp.lu_solve(mp.matrix(matrix), mp.matrix(rhs)))
    return Laurent(q, a.e - b.e, a.tol)


def polyphase(filt, tol):
    """Row of the analysis polyphase matrix: out[n] = sum_j f[j] x[2n + L/2 - j] = (E, O) with
    E(z) = sum f[j] z^((L/2-j)/2) over even L/2-j, O(z) likewise over odd L/2-j, exponent (L/2-j-1)/2."""
    half = len(filt) // 2
    ev, od = {}, {}
    for j, v in enumerate(filt):
        r = half - j
        (ev if r % 2 == 0 else od)[r // 2] = v
    def lau(d):
        lo, hi = min(d), max(d)
        return Laurent([d.get(k, 0 * tol) for k in range(lo, hi + 1)], lo, tol)
    return lau(ev), lau(od)


def apply_op(mat, op):
    """Column operation removing one lifting step: predict (first col -= q * second), update
    (second col -= q * first)."""
    (a, b), (c, d) = mat
    kind, q = op
    if kind == 'predict':
        return ((a.mul_sub(q, b), b), (c.mul_sub(q, d), d))
    return ((a, b.mul_sub(q, a)), (c, d.mul_sub(q, c)))


def finish(mat, tol):
    """Matrix with first row (K z^p, 0) -> (K, p, last predict q or None, k', p')."""
    (a, b), (c, d) = mat
    assert len(a) == 1 and len(b) == 0 and len(d) == 1, 'lifting: Euclid did not end in a monomial'
    last = None
    if len(c):
        last = Laurent([v / d.c[0] for v in c.c], c.e - d.e, tol)
    return a.c[0], a.e, last, d.c[0], d.e


def start_matrix(bank, tol, orientation):
    """The analysis polyphase matrix; orientation 'high' conjugates it by the swap J (rows and
    columns), so the Euclidean algorithm runs on the high-pass row and predict/update trade places."""
    (e_lo, o_lo), (e_hi, o_hi) = polyphase(bank[0], tol), polyphase(bank[1], tol)
    if orientation == 'low':
        return (e_lo, o_lo), (e_hi, o_hi)
    return (o_hi, e_hi), (o_lo, e_lo)


def search_lifting(bank, criterion, orientation, budget=60000):
    """Branch and bound over the Euclidean choices (in double). criterion 'coef' minimises the
    largest |step coefficient|; 'growth' minimises the bound on the intermediate values of the
    lifted signal for |x| <= 1 (predict: |d| <= |d| + sum|c| |s|, update alike), which is what
    float32 rounding scales with. Ties go to the shorter factorisation. Returns the op path."""
    tol = 1e-11
    start = start_matrix([[float(v) for v in f] for f in bank[:2]], tol, orientation)
    best = {'score': float('inf'), 'path': None, 'steps': 0}
    nodes = [0]

    def advance(state, kind, q):
        coef, bs, bd = state
        total = sum(abs(v) for v in q.c) if q.c else 0.0
        if kind == 'predict':
            bd += total * bs
        else:
            bs += total * bd
        return max(coef, max((abs(v) for v in q.c), default=0.0)), bs, bd

    def score(state):
        return state[0] if criterion == 'coef' else max(state[1], state[2])

    def worse(value, steps):
        return (round(value, 12), steps) >= (round(best['score'], 12), best['steps'])

    def visit(mat, path, state):
        nodes[0] += 1
        if nodes[0] > budget or worse(score(state), len(path)):
            return
        (a, b), _ = mat
        if len(b) == 0 or len(a) == 0:
            if len(a) == 0:  # (0, K z^p): two unit steps turn it into (K z^p, 0)
                for kind, q in (('predict', Laurent([-1.0], 0, tol)), ('update', Laurent([1.0], 0, tol))):
                    mat, state = apply_op(mat, (kind, q)), advance(state, kind, q)
                path = path + [('predict', None), ('update', None)]
            try:
                _, _, last, _, _ = finish(mat, tol)
            except AssertionError:
                return
            if last is not None:
                state = advance(state, 'predict', last)
            steps = len(path) + (1 if last else 0)
            if not worse(score(state), steps):
                best.update(score=score(state), path=path, steps=steps)
            return
        options = []
        if len(a) >= len(b):
            options += [('predict', top, q) for top, q in division_choices(a, b)]
        if len(b) >= len(a):
            options += [('update', top, q) for top, q in division_choices(b, a)]
        options = [(kind, top, q, advance(state, kind, q)) for kind, top, q in options if q is not None]
        options.sort(key=lambda o: score(o[3]))
        for kind, top, q, nxt in options:
            visit(apply_op(mat, (kind, q)), path + [(kind, top)], nxt)

    visit(start, [], (0.0, 1.0, 1.0))
    assert best['path'] is not None and nodes[0] <= budget, 'lifting search ran out of budget'
    return best['score'], best['steps'], best['path'], nodes[0]


def best_lifting(bank):
    """The better of the two orientations (ties: the low-pass row, the usual one)."""
    found = [search_lifting(bank, CRITERION, o) + (o,) for o in ('low', 'high')]
    score, steps, path, nodes, orientation = min(found, key=lambda f: (round(f[0], 12), f[1]))
    return path, orientation, sum(f[3] for f in found)


def replay_lifting(bank, path, orientation):
    """The chosen path in 80 digits -> steps, scale and the output mapping."""
    tol = mp.mpf(10) ** -40
    mat = start_matrix(bank, tol, orientation)
    steps = []
    for kind, top in path:
        (a, b), _ = mat
        if top is None:
            q = Laurent([mp.mpf(-1) if kind == 'predict' else mp.mpf(1)], 0, tol)
        elif kind == 'predict':
            q = quotient(a, b, top)
        else:
            q = quotient(b, a, top)
        mat = apply_op(mat, (kind, q))
        steps.append((kind, q))
    k_1, shift_1, last, k_2, shift_2 = finish(mat, tol)
    if last is not None:
        steps.append(('predict', last))
    if orientation == 'low':
        k_s, shift_a, k_d, shift_d = k_1, shift_1, k_2, shift_2
    else:
        steps = [('update' if kind == 'predict' else 'predict', q) for kind, q in steps]
        k_s, shift_a, k_d, shift_d = k_2, shift_2, k_1, shift_1
    det = k_s * k_d
    assert abs(abs(det) - 1) < mp.mpf(10) ** -30, f'lifting: |K_s K_d| = {det}, expected 1'
    return steps, k_s, shift_a, shift_d, int(mp.sign(det))


def lift_forward(steps, scale, x):
    s, d = x[0::2].copy(), x[1::2].copy()
    m = len(s)
    for kind, q in steps:
        c = [float(v) for v in q.c]
        src, dst = (s, d) if kind == 'predict' else (d, s)
        add = sum(ck * np.roll(src, -(q.e + k)) for k, ck in enumerate(c))
        dst += add
    return s * float(scale), d / float(scale), m


def float32_round_trip(steps, scale, n=4096, trials=8):
    """max |x - inverse(forward(x))| / max |x| with every operation in float32 (numpy)."""
    f32 = np.float32
    k = f32(float(scale))
    coeffs = [(kind, q.e, [f32(float(v)) for v in q.c]) for kind, q in steps]
    rng = np.random.default_rng(7)
    worst = 0.0
    for _ in range(trials):
        x = rng.uniform(-1, 1, n).astype(f32)
        s, d = x[0::2].copy(), x[1::2].copy()
        for kind, e, c in coeffs:
            src, dst = (s, d) if kind == 'predict' else (d, s)
            for j, cj in enumerate(c):
                dst += cj * np.roll(src, -(e + j))
        s, d = s * k, d / k
        s, d = s / k, d * k
        for kind, e, c in reversed(coeffs):
            src, dst = (s, d) if kind == 'predict' else (d, s)
            for j, cj in enumerate(c):
                dst -= cj * np.roll(src, -(e + j))
        y = np.empty_like(x)
        y[0::2], y[1::2] = s, d
        worst = max(worst, float(np.max(np.abs(y.astype(float) - x.astype(float))) / np.max(np.abs(x))))
    return worst


def check_against_pywt(name, bank, lifting):
    w = pywt.Wavelet(name)
    for got, ref in zip(bank, w.filter_bank):
        assert len(got) == len(ref), f'{name}: length {len(got)} != pywt {len(ref)}'
    diff = max(max_diff(g, r) for g, r in zip(bank, w.filter_bank))
    assert diff < 5e-9, f'{name}: differs from pywt by {diff}'
    steps, k_s, shift_a, shift_d, sign_d = lifting
    rng = np.random.default_rng(1)
    x = rng.standard_normal(64)
    ca, cd = pywt.dwt(x, w, mode='periodization')
    s, d, m = lift_forward(steps, k_s, x)
    la = np.roll(s, -shift_a)
    ld = sign_d * np.roll(d, -shift_d)
    lift_diff = max(np.max(np.abs(la - ca)), np.max(np.abs(ld - cd)))
    assert lift_diff < 1e-8, f'{name}: lifting differs from pywt.dwt by {lift_diff}'
    return diff, lift_diff


# ---------------------------------------------------------------- output

def fmt(v):
    v = float(v)
    return '0' if v == 0 else format(v, '.17g')


def fmt_list(vals, indent):
    items = [fmt(v) for v in vals]
    lines, line = [], ''
    for it in items:
        if len(line) + len(it) + 2 > 96 - indent:
            lines.append(line.rstrip())
            line = ''
        line += it + ', '
    lines.append(line.rstrip().rstrip(','))
    pad = ' ' * indent
    return '[\n' + ''.join(pad + l + '\n' for l in lines) + ' ' * (indent - 2) + ']'


def main():
    banks = all_banks()
    out = []
    out.append('// GENERATED by scripts/wavelets/generate_filters.py — do not edit; rerun the script.')
    out.append('// Wavelet filter banks at full double precision (computed from their definitions in 80-digit')
    out.append('// arithmetic, laid out exactly as pywt gives them) and their lifting factorisations.')
    out.append('')
    out.append("import type { WaveletTableEntry } from './types';")
    out.append('')
    out.append('/** Every wavelet by pywt name: filters as pywt orders them, and the lifting factorisation')
    out.append(' * whose largest step coefficient is smallest (semantics in lib/wavelets/lifting.ts). */')
    out.append('export const WAVELET_TABLE: Readonly<Record<string, WaveletTableEntry>> = {')
    summary = []
    for name, (family, orth, bank) in banks.items():
        path, orientation, nodes = best_lifting(bank)
        lifting = replay_lifting(bank, path, orientation)
        diff, lift_diff = check_against_pywt(name, bank, lifting)
        steps, k_s, shift_a, shift_d, sign_d = lifting
        max_coef = max(abs(float(v)) for _, q in steps for v in q.c) if steps else 0.0
        rt32 = float32_round_trip(steps, k_s)
        summary.append((name, len(bank[0]), len(steps), max_coef, rt32, diff))
        log(f'{name:9s} L={len(bank[0]):2d} steps={len(steps):2d} max|c|={max_coef:.6g} '
            f'pywt diff={diff:.2e} lift vs pywt={lift_diff:.2e} f32 round trip={rt32:.2e} row={orientation} nodes={nodes}')
        out.append(f"  '{name}': {{")
        out.append(f"    family: '{family}',")
        out.append(f'    orthogonal: {"true" if orth else "false"},')
        for key, f in zip(['decLo', 'decHi', 'recLo', 'recHi'], bank):
            out.append(f'    {key}: {fmt_list(f, 6)},')
        out.append('    lifting: {')
        out.append('      steps: [')
        for kind, q in steps:
            out.append(f"        {{ type: '{kind}', offset: {q.e}, coeffs: [{', '.join(fmt(v) for v in q.c)}] }},")
        out.append('      ],')
        out.append(f'      scale: {fmt(k_s)},')
        out.append(f'      shiftA: {shift_a},')
        out.append(f'      shiftD: {shift_d},')
        out.append(f'      signD: {sign_d},')
        out.append('    },')
        out.append('  },')
    out.append('};')
    print('\n'.join(out))
    log('\n| wavelet | L | steps | max abs step coefficient | float32 round trip / max abs x | max diff to pywt |')
    log('|---|---|---|---|---|---|')
    for name, length, nsteps, max_coef, rt32, diff in summary:
        log(f'| {name} | {length} | {nsteps} | {max_coef:.4g} | {rt32:.2e} | {diff:.1e} |')


if __name__ == '__main__':
    main()
