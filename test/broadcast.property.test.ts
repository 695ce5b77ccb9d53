// fast-check properties of broadcasting: for random broadcast-compatible shape pairs (with
// size-1 and missing axes), binary ops agree with an index-by-index reference, the result shape
// is numpy's, and the gradient of a broadcast operand sums over the axes it was broadcast along.
import fc from 'fast-check';
import * as wt from '../lib';
import { testDevices } from './helpers';

/** A shape and a compatible partner: each partner axis is the same size, 1, or dropped (leading). */
const shapePair = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((out) =>
    fc.tuple(
      fc.constant(out),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.integer({ min: 0, max: out.length }),
    ),
  )
  .map(([out, onesA, onesB, drop]) => {
    const a = out.map((s, i) => (onesA[i] ? 1 : s));
    const b = out.map((s, i) => (onesB[i] ? 1 : s)).slice(drop);
    return { a, b };
  });

function size(shape: number[]): number {
  return shape.reduce((x, y) => x * y, 1);
}

function broadcastShape(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    out.push(Math.max(da, db));
  }
  return out;
}

/** Flat index into `shape` (right-aligned, size-1 axes broadcast) of output multi-index `idx`. */
function sourceIndex(idx: number[], shape: number[]): number {
  let flat = 0;
  const off = idx.length - shape.length;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + (shape[d] === 1 ? 0 : idx[off + d]);
  return flat;
}

describe.each(testDevices())('broadcasting properties on %s', (device) => {
  test('binary ops match an index-by-index reference', () => {
    fc.assert(
      fc.property(shapePair, fc.boolean(), ({ a, b }, swap) => {
        const [sa, sb] = swap ? [b, a] : [a, b];
        const va = Float64Array.from({ length: size(sa) }, (_, i) => i * 0.5 - 3);
        const vb = Float64Array.from({ length: size(sb) }, (_, i) => 1 + i * 0.25);
        const out = broadcastShape(sa, sb);
        wt.tidy(() => {
          const ta = wt.tensor(va, sa, { dtype: 'float64', device });
          const tb = wt.tensor(vb, sb, { dtype: 'float64', device });
          for (const [op, ref] of [
            [wt.sub, (x: number, y: number) => x - y],
            [wt.mul, (x: number, y: number) => x * y],
            [wt.maximum, Math.max],
          ] as const) {
            const y = op(ta, tb);
            expect(y.shape).toEqual(out);
            const got = y.dataSync();
            const idx = out.map(() => 0);
            for (let k = 0; k < size(out); k++) {
              expect(got[k]).toBe(ref(va[sourceIndex(idx, sa)], vb[sourceIndex(idx, sb)]));
              for (let d = out.length - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) break;
                idx[d] = 0;
              }
            }
          }
        });
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  test('the gradient of a broadcast operand sums over its broadcast axes', () => {
    fc.assert(
      fc.property(shapePair, ({ a, b }) => {
        wt.tidy(() => {
          const ta = wt.ones(a, { dtype: 'float64', device });
          const tb = wt.ones(b, { dtype: 'float64', device });
          const [ga, gb] = wt.grad((x: wt.Tensor, y: wt.Tensor) => wt.sum(wt.add(x, y)), { argnums: [0, 1] })(ta, tb);
          const out = size(broadcastShape(a, b));
          expect(ga.shape).toEqual(a);
          expect(gb.shape).toEqual(b);
          expect(Array.from(ga.dataSync())).toEqual(new Array(size(a)).fill(out / size(a)));
          expect(Array.from(gb.dataSync())).toEqual(new Array(size(b)).fill(out / size(b)));
        });
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  test('incompatible shapes throw E_SHAPE', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }), (m, n) => {
        fc.pre(m !== n);
        wt.tidy(() => {
          expect(() => wt.add(wt.zeros([m], { device }), wt.zeros([n], { device }))).toThrow(
            expect.objectContaining({ code: 'E_SHAPE' }),
          );
        });
      }),
      { numRuns: 20, seed: 3 },
    );
  });
});
