/**
 * The base of wt.nn's layers: named parameters (Variables the optimisers take), sub-modules,
 * train/eval modes, and saving and loading parameters to a JSON file.
 *
 * File format (`save`/`load`, version 1): one JSON object
 * `{"format": "wavetape.nn", "version": 1, "parameters": {NAME: {"dtype": "float32" | "float64",
 * "shape": [..], "data": BASE64}}}`, NAME the dotted path of `namedParameters()` ("0.weight"),
 * BASE64 the parameter's row-major values as little-endian IEEE-754 bytes.
 */
import * as fs from 'fs';
import { Tensor, TypedArray } from '../tensor';
import { Variable, variable } from '../autograd';
import { keep, publicOp } from '../engine';
import { fail } from '../errors';
import { tensor } from '../creation';
import { tensorArg, describe, expected, isPlainObject, boolArg } from '../validate';

/** One parameter of {@link Module.stateDict}: a host copy. */
export interface ParameterState {
  dtype: 'float32' | 'float64';
  shape: number[];
  data: Float32Array | Float64Array;
}

const forwards = new Map<string, (m: Module, x: Tensor) => Tensor>();

/** A public op named `nn.<Class>.forward` (errors name it), cached per class. */
function forwardOp(name: string): (m: Module, x: Tensor) => Tensor {
  let f = forwards.get(name);
  if (f === undefined) {
    const op = `nn.${name}.forward`;
    f = publicOp(op, function forward(m: Module, x: Tensor): Tensor {
      tensorArg(op, 'x', x);
      return m.compute(x, op);
    });
    forwards.set(name, f);
  }
  return f;
}

/**
 * A layer or model: holds parameters (wt.Variable, kept across tidy scopes) and sub-modules
 * under names, and a mode (training by default). Subclasses implement `compute`; users call
 * `forward(x)`. `parameters()` lists every parameter, sub-modules' included, in registration
 * order — what `new wt.optim.Adam(model.parameters())` takes.
 *
 * @example
 * const model = new wt.nn.Sequential(new wt.nn.Linear(8, 16), new wt.nn.ReLU(), new wt.nn.Linear(16, 1));
 * const opt = new wt.optim.Adam(model.parameters(), { lr: 1e-2 });
 * const loss = wt.mean(wt.square(wt.sub(model.forward(x), y)));
 * opt.step(wt.gradients(loss, model.parameters()));
 */
export abstract class Module {
  private trainingMode = true;
  private readonly params = new Map<string, Variable>();
  private readonly children = new Map<string, Module>();

  /** True in training mode (dropout active), false after {@link eval}. */
  get training(): boolean {
    return this.trainingMode;
  }

  /** Registers a parameter (made a Variable, kept); returns it. @internal */
  protected addParameter(name: string, value: Tensor): Variable {
    const v = variable(value);
    value.dispose();
    this.params.set(name, v);
    return v;
  }

  /** Registers a sub-module under `name`. @internal */
  protected addModule<M extends Module>(name: string, m: M): M {
    this.children.set(name, m);
    return m;
  }

  /** The layer's output for x (in the current mode). */
  forward(x: Tensor): Tensor {
    return forwardOp(this.constructor.name)(this, x);
  }

  /** The layer's computation; `op` names the public function for errors. @internal */
  abstract compute(x: Tensor, op: string): Tensor;

  /** Every parameter with its dotted name, sub-modules' after this module's own. */
  namedParameters(): [string, Variable][] {
    const out: [string, Variable][] = [...this.params.entries()];
    for (const [name, m] of this.children) for (const [n, v] of m.namedParameters()) out.push([`${name}.${n}`, v]);
    return out;
  }

  /** Every parameter (sub-modules' included), in registration order. */
  parameters(): Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /** The direct sub-modules with their names. */
  namedChildren(): [string, Module][] {
    return [...this.children.entries()];
  }

  /** Sets training mode (default true) on this module and every sub-module; returns this. */
  train(mode: boolean = true): this {
    boolArg(`nn.${this.constructor.name}.train`, 'mode', mode);
    this.trainingMode = mode;
    for (const m of this.children.values()) m.train(mode);
    return this;
  }

  /** Evaluation mode: dropout layers become the identity. Returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Host copies of every parameter, by dotted name. */
  stateDict(): Record<string, ParameterState> {
    const out: Record<string, ParameterState> = {};
    for (const [name, v] of this.namedParameters()) {
      const data = v.dataSync();
      out[name] = { dtype: v.dtype as 'float32' | 'float64', shape: v.shape, data: v.dtype === 'float64' ? Float64Array.from(data) : Float32Array.from(data) };
    }
    return out;
  }

  /**
   * Assigns every parameter from a {@link stateDict} of a model of the same architecture: the
   * same names, shapes and dtypes (E_RANGE for a missing or extra name, E_SHAPE/E_DTYPE otherwise).
   */
  loadStateDict(state: Record<string, ParameterState>): void {
    const op = `nn.${this.constructor.name}.loadStateDict`;
    if (!isPlainObject(state)) expected('E_RANGE', op, 'state', 'an object from stateDict()', state);
    const named = this.namedParameters();
    const names = new Set(named.map(([n]) => n));
    for (const k of Object.keys(state)) if (!names.has(k)) fail('E_RANGE', `${op}: the state has a parameter '${k}' this model does not have`);
    const values: [Variable, Tensor][] = [];
    try {
      for (const [name, v] of named) {
        const s = state[name] as unknown;
        if (!isPlainObject(s)) fail('E_RANGE', `${op}: the state has no parameter '${name}' (got ${describe(s)})`);
        if (s.dtype !== v.dtype) fail('E_DTYPE', `${op}: parameter '${name}' is ${describe(s.dtype)} in the state; the model's is ${v.dtype}`);
        if (!Array.isArray(s.shape) || s.shape.join() !== v.shape.join())
          fail('E_SHAPE', `${op}: parameter '${name}' has shape ${describe(s.shape)} in the state; the model's is [${v.shape}]`);
        const tag = Object.prototype.toString.call(s.data);
        if ((tag !== '[object Float32Array]' && tag !== '[object Float64Array]') || (s.data as TypedArray).length !== v.size)
          fail('E_SHAPE', `${op}: parameter '${name}' needs ${v.size} values as a Float32Array or Float64Array; got ${describe(s.data)}`);
        const copy = v.dtype === 'float64' ? Float64Array.from(s.data as TypedArray) : Float32Array.from(s.data as TypedArray);
        values.push([v, keep(tensor(copy, v.shape, { dtype: v.dtype, device: v.device }))]);
      }
      for (const [v, t] of values) v.assign(t);
    } finally {
      for (const [, t] of values) t.dispose();
    }
  }

  /** Writes the parameters to `path` in the JSON format described in this module's header. */
  save(path: string): void {
    const op = `nn.${this.constructor.name}.save`;
    if (typeof path !== 'string' || path.length === 0) expected('E_RANGE', op, 'path', 'a file path', path);
    const parameters: Record<string, { dtype: string; shape: number[]; data: string }> = {};
    for (const [name, s] of Object.entries(this.stateDict())) {
      const bytes = Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength);
      parameters[name] = { dtype: s.dtype, shape: s.shape, data: toLittleEndian(bytes, s.data.BYTES_PER_ELEMENT).toString('base64') };
    }
    try {
      fs.writeFileSync(path, JSON.stringify({ format: 'wavetape.nn', version: 1, parameters }));
    } catch (e) {
      fail('E_RANGE', `${op}: cannot write ${JSON.stringify(path)}: ${(e as Error).message}`);
    }
  }

  /** Reads parameters written by {@link save} into this model (same architecture). */
  load(path: string): void {
    const op = `nn.${this.constructor.name}.load`;
    if (typeof path !== 'string' || path.length === 0) expected('E_RANGE', op, 'path', 'a file path', path);
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(path, 'utf8'));
    } catch (e) {
      fail('E_RANGE', `${op}: cannot read ${JSON.stringify(path)} as a wavetape.nn JSON file: ${(e as Error).message}`);
    }
    if (!isPlainObject(doc) || doc.format !== 'wavetape.nn' || doc.version !== 1 || !isPlainObject(doc.parameters))
      fail('E_RANGE', `${op}: ${JSON.stringify(path)} is not a wavetape.nn version 1 file`);
    const state: Record<string, ParameterState> = {};
    for (const [name, p] of Object.entries(doc.parameters)) {
      if (!isPlainObject(p) || (p.dtype !== 'float32' && p.dtype !== 'float64') || typeof p.data !== 'string' || !Array.isArray(p.shape))
        fail('E_RANGE', `${op}: parameter '${name}' in ${JSON.stringify(path)} is malformed`);
      const width = p.dtype === 'float64' ? 8 : 4;
      const bytes = toLittleEndian(Buffer.from(p.data, 'base64'), width);
      if (bytes.length % width !== 0) fail('E_RANGE', `${op}: parameter '${name}' has ${bytes.length} bytes, not a whole number of ${p.dtype} values`);
      const copy = new Uint8Array(bytes); // aligned
      const data = p.dtype === 'float64' ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer);
      state[name] = { dtype: p.dtype, shape: p.shape as number[], data };
    }
    this.loadStateDict(state);
  }

  /** Frees every parameter (sub-modules' included); the module cannot be used afterwards. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    for (const m of this.children.values()) m.dispose();
  }
}

/** Bytes in little-endian order (a copy swapped on a big-endian host; the same buffer otherwise). */
function toLittleEndian(bytes: Buffer, width: number): Buffer {
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] === 1) return bytes;
  const out = Buffer.from(bytes);
  if (width === 8) out.swap64();
  else out.swap32();
  return out;
}
