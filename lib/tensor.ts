/**
 * Tensor: an n-d array on a device, owned by JS through a native handle. Reading data waits for
 * the ops that produce it; everything else returns at once.
 */
import { native, Handle, DTypeName } from './native';
import { track, untrack } from './engine';
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
  /** @internal */ handle: Handle;
  /** @internal */ kept = false;
  /** @internal the op that produced this tensor, while it takes part in a gradient computation */
  node: TapeNode | null = null;
  /** @internal set on the inputs of wt.grad / valueAndGrad and on variables */
  requiresGrad = false;
  private meta: [number[], DType, string] | null;
  private disposed = false;

  /** @internal Tensors are made by ops and creation functions, not by `new`. */
  constructor(handle: Handle, meta: [number[], DType, string] | null = null) {
    this.handle = handle;
    this.meta = meta;
    track(this);
  }

  private describe(): [number[], DType, string] {
    if (this.meta === null) {
      if (this.disposed) fail('E_DISPOSED', 'tensor: this tensor was disposed');
      this.meta = native.describe(this.handle);
    }
    return this.meta;
  }

  /** Sizes along each axis (row-major; the last axis is contiguous). */
  get shape(): number[] {
    return this.describe()[0].slice();
  }
  /** Element type. */
  get dtype(): DType {
    return this.describe()[1];
  }
  /** Device holding the data: `cpu`, `cuda:N` or `simt`. */
  get device(): string {
    return this.describe()[2];
  }
  /** Number of axes. */
  get rank(): number {
    return this.describe()[0].length;
  }
  /** Number of elements. */
  get size(): number {
    return this.describe()[0].reduce((a, b) => a * b, 1);
  }
  /** True after dispose(). */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Resolves to a fresh, JS-owned copy of the data once the ops producing it have run. Complex
   * tensors read as interleaved (re, im) pairs. Rejects with the error of a failed op.
   */
  async data(): Promise<TypedArray> {
    return native.read(this.handle);
  }
  /** Like {@link data}, blocking the thread until the data is ready. */
  dataSync(): TypedArray {
    return native.readSync(this.handle);
  }
  /** The data as nested arrays (complex: [re, im] pairs as the innermost level). */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype);
  }
  /** The data as nested arrays, synchronously. */
  arraySync(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype);
  }
  /** The single value of a one-element real tensor. */
  item(): number {
    if (this.size !== 1 || this.dtype.startsWith('complex'))
      fail('E_SHAPE', `item: expected a real tensor with one element; got shape [${this.shape}] ${this.dtype}`);
    return this.dataSync()[0];
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

  toString(): string {
    if (this.disposed) return 'Tensor(disposed)';
    return `Tensor(shape=[${this.shape}], dtype=${this.dtype}, device=${this.device})`;
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
