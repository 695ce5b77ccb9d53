/**
 * Tensor: an n-d array on a device, owned by JS through a native handle. Reading data waits for
 * the ops that produce it; everything else returns at once. Tensors print like numpy arrays.
 */
import { inspect } from 'util';
import { native, Handle, DTypeName } from './native';
import { track, untrack, HandleCell } from './engine';
import { fail } from './errors';

export type DType = DTypeName;

/**
 * What a tensor holds of the tape node that produced it (autograd's GradNode implements it), so
 * this module needs nothing from the tape. @internal
 */
export interface TapeNode {
  /** Drops the reference this tensor held. */
  release(): void;
}
export type TypedArray = Float32Array | Float64Array | Int32Array;

/** Nested arrays of numbers, as accepted by {@link tensor}. */
export type NestedArray = number | NestedArray[];

export class Tensor {
  /** @internal the handle, in a cell the finalizer holds (see engine.ts) */
  readonly cell: HandleCell;
  /** @internal */ kept = false;
  /** @internal set on the inputs of wt.grad / valueAndGrad and on variables */
  requiresGrad = false;
  private meta: [number[], DType, string] | null;
  private disposed = false;

  /** @internal Tensors are made by ops and creation functions, not by `new`. */
  constructor(handle: Handle, meta: [number[], DType, string] | null = null) {
    this.cell = { handle, node: null };
    this.meta = meta;
    track(this);
  }

  /** @internal */
  get handle(): Handle {
    return this.cell.handle;
  }
  /** @internal */
  set handle(h: Handle) {
    this.cell.handle = h;
  }
  /**
   * @internal the op that produced this tensor, while it takes part in a gradient computation
   * (kept in the cell, so the finalizer releases it with the handle)
   */
  get node(): TapeNode | null {
    return this.cell.node;
  }
  /** @internal */
  set node(n: TapeNode | null) {
    this.cell.node = n;
  }

  /** Throws E_DISPOSED naming `op` when this tensor was disposed. */
  #live(op: string): void {
    if (this.disposed) fail('E_DISPOSED', `${op}: this tensor was disposed`);
  }

  #describe(op: string): [number[], DType, string] {
    this.#live(op);
    if (this.meta === null) this.meta = native.describe(this.handle);
    return this.meta;
  }

  /** Sizes along each axis (row-major; the last axis is contiguous). */
  get shape(): number[] {
    return this.#describe('shape')[0].slice();
  }
  /** Element type. */
  get dtype(): DType {
    return this.#describe('dtype')[1];
  }
  /** Device holding the data: `cpu`, `cuda:N` or `simt`. */
  get device(): string {
    return this.#describe('device')[2];
  }
  /** Number of axes. */
  get rank(): number {
    return this.#describe('rank')[0].length;
  }
  /** Number of elements. */
  get size(): number {
    return this.#describe('size')[0].reduce((a, b) => a * b, 1);
  }
  /** True after dispose(). */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Resolves to a fresh, JS-owned copy of the data once the ops producing it have run. Complex
   * tensors read as interleaved (re, im) pairs. Rejects with the error of a failed op, and with
   * E_DISPOSED for a disposed tensor.
   */
  async data(): Promise<TypedArray> {
    this.#live('data');
    return native.read(this.handle);
  }
  /** Like {@link data}, blocking the thread until the data is ready. */
  dataSync(): TypedArray {
    this.#live('dataSync');
    return native.readSync(this.handle);
  }
  /** The data as nested arrays (complex: [re, im] pairs as the innermost level). */
  async array(): Promise<NestedArray> {
    this.#live('array');
    const [shape, dtype] = this.#describe('array');
    return nest(await native.read(this.handle), shape, dtype);
  }
  /** The data as nested arrays, synchronously. */
  arraySync(): NestedArray {
    const [shape, dtype] = this.#describe('arraySync');
    return nest(native.readSync(this.handle), shape, dtype);
  }
  /** The single value of a one-element real tensor. */
  item(): number {
    const [shape, dtype] = this.#describe('item');
    if (shape.reduce((a, b) => a * b, 1) !== 1 || dtype.startsWith('complex'))
      fail('E_SHAPE', `item: expected a real tensor with one element; got shape [${shape}] ${dtype}`);
    return native.readSync(this.handle)[0];
  }

  /** Frees the tensor's memory now. Further use throws E_DISPOSED. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    untrack(this);
    native.dispose(this.handle);
    if (this.node !== null) {
      this.node.release();
      this.node = null;
    }
  }
  /** `using t = wt.ones([3])` disposes t at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * The values like numpy's repr, then shape, dtype and device:
   * `Tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2], dtype=float32, device=cpu)`. Past 1000
   * elements each axis longer than 6 shows its first and last 3 entries around `…`; complex
   * values print as `a+bj`, int32 without a decimal point. `Tensor(disposed)` once disposed.
   * Reading the values waits for the ops producing them.
   */
  toString(): string {
    if (this.disposed) return 'Tensor(disposed)';
    const [shape, dtype, device] = this.#describe('toString');
    const body = formatValues(native.readSync(this.handle), shape, dtype, 'Tensor('.length);
    return `Tensor(${body}, shape=[${shape.join(', ')}], dtype=${dtype}, device=${device})`;
  }
  /** Prints {@link toString} to the console (tfjs's `print`). */
  print(): void {
    console.log(this.toString());
  }
  /** What console.log and util.inspect show: {@link toString}. */
  [inspect.custom](): string {
    return this.toString();
  }
}

function nest(flat: TypedArray, shape: number[], dtype: DType): NestedArray {
  const width = dtype.startsWith('complex') ? 2 : 1;
  const build = (axis: number, offset: number): NestedArray => {
    if (axis === shape.length) return width === 2 ? [flat[offset], flat[offset + 1]] : flat[offset];
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1) * width;
    const out: NestedArray[] = [];
    for (let i = 0; i < shape[axis]; i++) out.push(build(axis + 1, offset + i * stride));
    return out;
  };
  return build(0, 0);
}

// ---------------------------------------------------------------- printing (numpy's repr rules)

/** numpy's print threshold and edge items. */
const THRESHOLD = 1000;
const EDGE = 3;

/** The shortest decimal that reads back as v in the dtype's precision; numpy writes 1 as "1.". */
function formatReal(v: number, dtype: DType): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (dtype === 'int32') return String(v);
  let s = String(v);
  if (dtype === 'float32' || dtype === 'complex64') {
    for (let p = 1; p <= 9; p++) {
      const t = v.toPrecision(p);
      if (Math.fround(Number(t)) === v) {
        s = String(Number(t));
        break;
      }
    }
  }
  if (Object.is(v, -0)) s = '-0';
  return /[.e]/.test(s) ? s : `${s}.`;
}

function formatElement(flat: TypedArray, i: number, dtype: DType): string {
  if (!dtype.startsWith('complex')) return formatReal(flat[i], dtype);
  const re = flat[2 * i];
  const im = flat[2 * i + 1];
  const sign = im < 0 || Object.is(im, -0) ? '-' : '+';
  return `${formatReal(re, dtype)}${sign}${formatReal(Math.abs(im), dtype)}j`;
}

/** The printed indices along an axis of length n: all, or the edges with -1 for the ellipsis. */
function shownIndices(n: number, summarise: boolean): number[] {
  if (!summarise || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
  return [0, 1, 2, -1, n - 3, n - 2, n - 1];
}

function formatValues(flat: TypedArray, shape: number[], dtype: DType, indent: number): string {
  const size = shape.reduce((a, b) => a * b, 1);
  const summarise = size > THRESHOLD;
  const rank = shape.length;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  // Every shown element, formatted once so all can be right-aligned to one width (as numpy does).
  const cells = new Map<number, string>();
  const visit = (axis: number, offset: number) => {
    if (axis === rank) {
      cells.set(offset, formatElement(flat, offset, dtype));
      return;
    }
    for (const i of shownIndices(shape[axis], summarise)) if (i >= 0) visit(axis + 1, offset + i * strides[axis]);
  };
  visit(0, 0);
  let width = 0;
  for (const c of cells.values()) width = Math.max(width, c.length);
  const render = (axis: number, offset: number): string => {
    if (axis === rank) return cells.get(offset)!.padStart(width);
    const sep = axis === rank - 1 ? ', ' : `,${'\n'.repeat(rank - 1 - axis)}${' '.repeat(indent + axis + 1)}`;
    const parts = shownIndices(shape[axis], summarise).map((i) => (i < 0 ? '…' : render(axis + 1, offset + i * strides[axis])));
    return `[${parts.join(sep)}]`;
  };
  return render(0, 0);
}
