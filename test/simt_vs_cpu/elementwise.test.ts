// Device agreement, elementwise: the CUDA kernels on simt and any cuda:* device against the cpu
// backend — bitwise where both run the same algorithm in the same order, else within a stated bound.
import * as wt from '../../lib';
import { randomArray } from '../helpers';
import { describeAgreement, ALL_FLOATING, DType, FLOATS, SIZES, make, values } from './agreement';

describeAgreement('elementwise', ({ same, libm }) => {
  const exactUnary: [string, (x: wt.Tensor) => wt.Tensor][] = [
    ['neg', wt.neg], ['abs', wt.abs], ['square', wt.square], ['sqrt', (x) => wt.sqrt(wt.abs(x))],
    ['relu', wt.relu], ['sign', wt.sign], ['reciprocal', wt.reciprocal],
    ['clamp', (x) => wt.clamp(x, -0.5, 0.75)], ['affine', (x) => wt.affine(x, 1.7, -0.3)],
  ];
  const libmUnary: [string, (x: wt.Tensor) => wt.Tensor][] = [
    ['exp', wt.exp], ['log', (x) => wt.log(wt.abs(x))], ['log1p', (x) => wt.log1p(wt.abs(x))],
    ['expm1', wt.expm1], ['sigmoid', wt.sigmoid], ['tanh', wt.tanh], ['softplus', wt.softplus],
    ['sin', wt.sin], ['cos', wt.cos], ['pow scalar', (x) => wt.pow(wt.abs(x), 1.37)],
  ];

  it.each(SIZES)('applies unary functors to %i contiguous elements', (n) => {
    for (const dtype of FLOATS) {
      const x = values(n, 100 + n, dtype);
      if (n > 2) x[1] = 0;
      for (const [name, f] of exactUnary) same(`${name} ${dtype}`, (dev) => f(make(x, [n], dtype, dev)));
      for (const [name, f] of libmUnary) libm(`${name} ${dtype}`, dtype, 8, (dev) => f(make(x, [n], dtype, dev)));
    }
  });

  it('applies unary functors to strided and misaligned inputs', () => {
    for (const dtype of FLOATS) {
      const x = values(33 * 35, 3, dtype);
      const views: [string, (dev: string) => wt.Tensor][] = [
        ['transposed', (dev) => wt.transpose(make(x, [33, 35], dtype, dev))],
        ['flipped', (dev) => wt.flip(make(x, [33, 35], dtype, dev), [1])],
        ['offset', (dev) => wt.slice(make(x, [33 * 35], dtype, dev), [1], [1000])],
      ];
      for (const [view, v] of views) {
        for (const [name, f] of exactUnary) same(`${name} ${view} ${dtype}`, (dev) => f(v(dev)));
        for (const [name, f] of libmUnary) libm(`${name} ${view} ${dtype}`, dtype, 8, (dev) => f(v(dev)));
      }
    }
  });

  const binaryOps: [string, (a: wt.Tensor, b: wt.Tensor) => wt.Tensor][] = [
    ['add', wt.add], ['sub', wt.sub], ['mul', wt.mul], ['div', wt.div], ['maximum', wt.maximum],
    ['minimum', wt.minimum], ['equal', wt.equal], ['notEqual', wt.notEqual], ['less', wt.less],
    ['lessEqual', wt.lessEqual], ['greater', wt.greater], ['greaterEqual', wt.greaterEqual],
  ];
  // Shapes broadcasting every way: equal, scalar, row, column, both, leading axes, strided.
  const broadcasts: [number[], number[]][] = [
    [[1003], [1003]], [[1003], [1]], [[1], [257]], [[37, 45], [45]], [[37, 45], [37, 1]],
    [[37, 1], [1, 45]], [[3, 1, 41], [5, 1]], [[2, 3, 4, 5, 6], [3, 1, 5, 1]], [[40005], [40005]],
  ];

  it('broadcasts real binary ops', () => {
    for (const dtype of FLOATS) {
      for (const [sa, sb] of broadcasts) {
        const a = values(sa.reduce((p, q) => p * q, 1), 21, dtype);
        const b = values(sb.reduce((p, q) => p * q, 1), 22, dtype);
        if (a.length > 4 && b.length > 4) b[3] = a[3]; // equal operands for the comparisons
        for (const [name, f] of binaryOps)
          same(`${name} ${dtype} ${sa} ${sb}`, (dev) => f(make(a, sa, dtype, dev), make(b, sb, dtype, dev)));
        libm(`pow ${dtype} ${sa} ${sb}`, dtype, 8, (dev) =>
          wt.pow(wt.abs(make(a, sa, dtype, dev)), make(b, sb, dtype, dev)));
      }
    }
  });

  it('runs binary ops on transposed and flipped operands', () => {
    for (const dtype of ALL_FLOATING) {
      const a = values(29 * 31, 1, dtype);
      const b = values(29 * 31, 2, dtype);
      for (const [name, f] of binaryOps.slice(0, 4)) {
        same(`${name} ${dtype} transposed`, (dev) =>
          f(wt.transpose(make(a, [29, 31], dtype, dev)), make(b, [31, 29], dtype, dev)));
        same(`${name} ${dtype} flipped`, (dev) =>
          f(wt.flip(make(a, [29, 31], dtype, dev), [0]), wt.flip(make(b, [29, 31], dtype, dev), [1])));
      }
    }
  });

  it('does complex arithmetic and complex -> real functors', () => {
    for (const dtype of ['complex64', 'complex128'] as DType[]) {
      for (const n of [1, 2, 3, 257, 1003]) {
        const a = values(n, 31 + n, dtype);
        const b = values(n, 41 + n, dtype);
        for (const [name, f] of binaryOps.slice(0, 4))
          same(`${name} ${dtype} ${n}`, (dev) => f(make(a, [n], dtype, dev), make(b, [n], dtype, dev)));
        same(`add scalar ${dtype}`, (dev) => wt.add(make(a, [n], dtype, dev), make(b.slice(0, 2), [1], dtype, dev)));
        same(`conj ${dtype}`, (dev) => wt.conj(make(a, [n], dtype, dev)));
        same(`neg ${dtype}`, (dev) => wt.neg(make(a, [n], dtype, dev)));
        same(`square ${dtype}`, (dev) => wt.square(make(a, [n], dtype, dev)));
        same(`affine ${dtype}`, (dev) => wt.affine(make(a, [n], dtype, dev), 0.75, 2));
        same(`abs ${dtype}`, (dev) => wt.abs(make(a, [n], dtype, dev)));
        same(`abs2 ${dtype}`, (dev) => wt.abs2(make(a, [n], dtype, dev)));
        same(`real ${dtype}`, (dev) => wt.real(make(a, [n], dtype, dev)));
        same(`imag ${dtype}`, (dev) => wt.imag(make(a, [n], dtype, dev)));
        libm(`angle ${dtype}`, dtype, 4, (dev) => wt.angle(make(a, [n], dtype, dev)));
      }
    }
    for (const dtype of FLOATS) {
      const re = values(1003, 8, dtype);
      const im = values(37, 9, dtype);
      same(`complex ${dtype}`, (dev) => wt.complex(make(re, [1003], dtype, dev), make(re, [1003], dtype, dev)));
      same(`complex broadcast ${dtype}`, (dev) =>
        wt.complex(wt.transpose(make(re.slice(0, 37 * 27), [37, 27], dtype, dev)), make(im, [37], dtype, dev)));
    }
  });

  it('selects with where (WHERE), conditions int32 or of the value dtype', () => {
    for (const dtype of ['float32', 'float64', 'complex64', 'int32'] as DType[]) {
      const a = values(41 * 37, 51, dtype, -5, 5);
      const b = values(37, 52, dtype, -5, 5);
      const c = Array.from(randomArray(41 * 37, 53), (v) => (v > 0 ? 1 : 0));
      same(`where int32 ${dtype}`, (dev) =>
        wt.where(make(c, [41, 37], 'int32', dev), make(a, [41, 37], dtype, dev), make(b, [37], dtype, dev)));
      same(`where column ${dtype}`, (dev) =>
        wt.where(make(c.slice(0, 41), [41, 1], 'int32', dev), make(a, [41, 37], dtype, dev), make(b, [37], dtype, dev)));
      if (dtype !== 'int32') {
        const cv = dtype.startsWith('complex') ? c.flatMap((v, i) => (i % 3 === 0 ? [0, v] : [v, 0])) : c;
        same(`where ${dtype} cond`, (dev) =>
          wt.where(make(cv, [41, 37], dtype, dev), make(a, [41, 37], dtype, dev), make(b, [37], dtype, dev)));
      }
    }
  });
});
