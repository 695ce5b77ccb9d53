/**
 * The one validation vocabulary of the facade (in the spirit of sharp's `lib/is.js`): each rule
 * — a Tensor, a shape, an axis, a dtype, an options object, a finite number — has one function.
 *
 * Every check names the public function and the argument, says what was expected and what it
 * got (through {@link describe}, which formats any value without throwing). `null` and
 * `undefined` are the same everywhere: an absent optional argument or option.
 * Internal: not part of the public API (the package index does not export it).
 */
import { Tensor, DType } from './tensor';
import { fail, ErrorCode } from './errors';

/** The dtypes a tensor can have. */
export const DTYPES: readonly DType[] = ['float32', 'float64', 'complex64', 'complex128', 'int32'];
/** At most this many axes (native/core/plugin_abi.h WT_MAX_DIMS). */
export const MAX_DIMS = 8;

// ---------------------------------------------------------------- describing values

/** A short description of any value for an error message; never throws, never runs user code. */
export function describe(v: unknown): string {
  try {
    return describeUnsafe(v);
  } catch {
    return 'a value that cannot be described';
  }
}

function describeUnsafe(v: unknown): string {
  switch (typeof v) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return `the BigInt ${clip(v.toString())}n`;
    case 'boolean':
      return String(v);
    case 'string':
      return `the string ${JSON.stringify(clip(v))}`;
    case 'symbol':
      return 'a Symbol';
    case 'function':
      return 'a function';
  }
  if (v === null) return 'null';
  if (v instanceof Tensor) return v.isDisposed ? 'a disposed Tensor' : `a ${v.dtype} Tensor of shape [${v.shape.join(', ')}]`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${Object.getPrototypeOf(v)?.constructor?.name ?? 'typed array'} of length ${(v as unknown as ArrayLike<number>).length}`;
  const proto = Object.getPrototypeOf(v);
  if (proto === null) return 'an object with a null prototype';
  if (proto === Object.prototype) {
    const keys = Object.keys(v as object);
    return keys.length === 0 ? 'an empty object {}' : `an object with keys {${clip(keys.slice(0, 6).join(', '))}${keys.length > 6 ? ', …' : ''}}`;
  }
  const name = proto.constructor?.name;
  return typeof name === 'string' && name.length > 0 ? `a ${clip(name)}` : 'an object';
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

// ---------------------------------------------------------------- failing

/** Throws "op: argument 'arg' must be <expected>; got <description>". */
export function expected(code: ErrorCode, op: string, arg: string, what: string, got: unknown): never {
  return fail(code, `${op}: argument '${arg}' must be ${what}; got ${describe(got)}`);
}

// ---------------------------------------------------------------- tensors

/** v as a live Tensor: E_DTYPE if it is not a Tensor, E_DISPOSED if it was disposed. */
export function tensorArg(op: string, arg: string, v: unknown): Tensor {
  if (!(v instanceof Tensor)) expected('E_DTYPE', op, arg, 'a Tensor', v);
  if (v.isDisposed) fail('E_DISPOSED', `${op}: argument '${arg}' is a disposed tensor`);
  return v;
}

/** v as a non-empty array of live Tensors of one dtype and device. */
export function tensorListArg(op: string, arg: string, v: unknown): Tensor[] {
  if (!Array.isArray(v) || v.length === 0) expected('E_SHAPE', op, arg, 'a non-empty array of tensors', v);
  const ts: Tensor[] = [];
  for (let i = 0; i < v.length; i++) ts.push(tensorArg(op, `${arg}[${i}]`, v[i])); // holes included
  const d0 = ts[0].dtype;
  const dev0 = ts[0].device;
  ts.forEach((t, i) => {
    if (t.dtype !== d0) fail('E_DTYPE', `${op}: argument '${arg}[${i}]' is ${t.dtype} but '${arg}[0]' is ${d0}; cast them to one dtype`);
    if (t.device !== dev0) fail('E_DEVICE', `${op}: argument '${arg}[${i}]' is on ${t.device} but '${arg}[0]' is on ${dev0}; move one with .to(device)`);
  });
  return ts;
}

/** x must have one of the given dtypes (E_DTYPE). */
export function dtypeIn(op: string, arg: string, x: Tensor, allowed: readonly DType[]): void {
  if (!allowed.includes(x.dtype)) fail('E_DTYPE', `${op}: argument '${arg}' must be ${orList(allowed)}; got ${x.dtype}`);
}

export const isComplexDType = (d: DType): boolean => d === 'complex64' || d === 'complex128';

// ---------------------------------------------------------------- numbers

/** Whether v is a JS number that is a safe integer. */
export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** v as a number (NaN and ±Infinity allowed). */
export function numberArg(op: string, arg: string, v: unknown): number {
  if (typeof v !== 'number') expected('E_RANGE', op, arg, 'a number', v);
  return v;
}

/** v as a number other than NaN (±Infinity allowed; E_RANGE). */
export function notNaNArg(op: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) expected('E_RANGE', op, arg, 'a number (not NaN)', v);
  return v;
}

/** v as a finite number (E_RANGE for NaN, ±Infinity and non-numbers). */
export function finiteArg(op: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) expected('E_RANGE', op, arg, 'a finite number', v);
  return v;
}

/** v as an integer in [min, max] (E_RANGE). */
export function intArg(op: string, arg: string, v: unknown, min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  if (!isInt(v) || v < min || v > max) expected('E_RANGE', op, arg, `an integer in [${min}, ${max}]`, v);
  return v;
}

/** v as a boolean. */
export function boolArg(op: string, arg: string, v: unknown): boolean {
  if (typeof v !== 'boolean') expected('E_RANGE', op, arg, 'true or false', v);
  return v;
}

/** v as one of the given strings (E_RANGE). */
export function oneOf<S extends string>(op: string, arg: string, v: unknown, allowed: readonly S[]): S {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) expected('E_RANGE', op, arg, orList(allowed.map((s) => `'${s}'`)), v);
  return v as S;
}

/**
 * A user callback's result where a synchronous one is expected: a Promise has its rejection
 * consumed (the caller throws its own WavetapeError about it), so that it never also surfaces as an
 * unhandled rejection. Returns v.
 */
export function syncResult<T>(v: T): T {
  if (v instanceof Promise) v.catch(() => undefined);
  return v;
}

/** v as a function (E_DTYPE). */
export function fnArg<F extends (...args: any[]) => unknown>(op: string, arg: string, v: unknown): F {
  if (typeof v !== 'function') expected('E_DTYPE', op, arg, 'a function', v);
  return v as F;
}

// ---------------------------------------------------------------- shapes, axes, dtypes, devices

/** v as a list of integers: one integer, or an array of them (E_SHAPE). */
export function intListArg(op: string, arg: string, v: unknown): number[] {
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list)) expected('E_SHAPE', op, arg, 'an integer or an array of integers', v);
  if (list.length > 1 << 20) expected('E_SHAPE', op, arg, 'an array of at most 2^20 integers', v);
  for (let i = 0; i < list.length; i++)
    if (!isInt(list[i])) fail('E_SHAPE', `${op}: argument '${arg}' must hold integers; entry ${i} is ${describe(list[i])}`);
  return list as number[];
}

/** v as a shape: an array of at most 8 integer sizes ≥ 0 (E_SHAPE). */
export function shapeArg(op: string, arg: string, v: unknown): number[] {
  if (!Array.isArray(v)) expected('E_SHAPE', op, arg, 'a shape (an array of sizes, e.g. [2, 3])', v);
  if (v.length > MAX_DIMS) fail('E_SHAPE', `${op}: argument '${arg}' has ${v.length} dimensions; at most ${MAX_DIMS}`);
  for (let i = 0; i < v.length; i++)
    if (!isInt(v[i]) || v[i] < 0) fail('E_SHAPE', `${op}: argument '${arg}' must hold integer sizes >= 0; entry ${i} is ${describe(v[i])}`);
  return v.slice();
}

/** v as an axis of a rank-`rank` tensor, normalised to [0, rank) (negative counts from the end). */
export function axisArg(op: string, arg: string, v: unknown, rank: number): number {
  if (!isInt(v) || v < -rank || v >= rank)
    fail('E_RANGE', `${op}: argument '${arg}' = ${describe(v)} is out of range for a ${rank}-d tensor; expected an integer in [${-rank}, ${rank - 1}]`);
  return v < 0 ? v + rank : v;
}

/** v as distinct axes (one axis or an array), normalised (E_RANGE out of range, E_SHAPE repeated). */
export function axesArg(op: string, arg: string, v: unknown, rank: number): number[] {
  if (typeof v !== 'number' && !Array.isArray(v)) expected('E_RANGE', op, arg, 'an axis or an array of axes', v);
  const list = typeof v === 'number' ? [v] : (v as unknown[]);
  if (list.length > MAX_DIMS) fail('E_SHAPE', `${op}: argument '${arg}' has ${list.length} entries; a tensor has at most ${MAX_DIMS} axes`);
  const out: number[] = [];
  for (let i = 0; i < list.length; i++) out.push(axisArg(op, arg, list[i], rank));
  if (new Set(out).size !== out.length) fail('E_SHAPE', `${op}: argument '${arg}' repeats an axis: [${out.join(', ')}]`);
  return out;
}

/** v as a dtype name (E_DTYPE). */
export function dtypeArg(op: string, arg: string, v: unknown): DType {
  if (typeof v !== 'string' || !(DTYPES as readonly string[]).includes(v)) expected('E_DTYPE', op, arg, `one of ${DTYPES.join(', ')}`, v);
  return v as DType;
}

/** v as a device name string (its existence is checked where the tensor is made: E_DEVICE). */
export function deviceArg(op: string, arg: string, v: unknown): string {
  if (typeof v !== 'string') expected('E_DEVICE', op, arg, "a device name such as 'cpu'", v);
  return v;
}

// ---------------------------------------------------------------- options objects

/** Whether v is a plain object: `{...}` or `Object.create(null)`. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

/**
 * Options argument number `position` (1-based) of `op`: a plain object with only the given keys,
 * or null/undefined (no options). Returns a fresh object in which null options read as undefined.
 * A number or string where the options go is E_RANGE with the keyword it probably meant.
 */
export function optionsArg<K extends string>(op: string, position: number, v: unknown, keys: readonly K[]): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  if (v == null) return out;
  if (!isPlainObject(v)) {
    const hint = (typeof v === 'number' || typeof v === 'string') && keys.length > 0 ? `; did you mean {${keys[0]}: ${typeof v === 'string' ? JSON.stringify(clip(v)) : describe(v)}}?` : '';
    fail('E_RANGE', `${op}: argument ${position} is ${describe(v)}; expected an options object {${keys.join(', ')}}${hint}`);
  }
  for (const k of Object.keys(v)) {
    if (!(keys as readonly string[]).includes(k)) fail('E_RANGE', `${op}: unknown option '${clip(k)}'; expected ${keys.length > 0 ? `one of ${keys.join(', ')}` : 'no options'}`);
    const value = v[k];
    if (value != null) out[k as K] = value;
  }
  return out;
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
