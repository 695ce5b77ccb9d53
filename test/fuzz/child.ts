// The fuzz run over every export, in a process of its own (test/fuzz.test.ts spawns it with
// --expose-gc): random calls of each function, namespace member and Tensor method, with
// arguments from a pool of valid and hostile values. Prints one JSON line with the outcome.
import * as fc from 'fast-check';
import * as wt from '../../lib';

const device = process.env.FUZZ_DEVICE ?? 'cpu';
const runs = Number(process.env.FUZZ_RUNS ?? '12000');
const seed = Number(process.env.FUZZ_SEED ?? String(Date.now() % 2 ** 31));

/** Thrown by the pool's own functions; tidy/grad/gradcheck must pass it through untouched. */
class UserError extends Error {}

/** What may not be fuzzed, and why. Everything else the package exports is called. */
const EXCLUDED: Record<string, string> = {
  Tensor: 'a class: tensors are made by ops; `new Tensor(h)` takes a raw native handle (@internal)',
  Variable: 'a class: made by wt.variable(), which is fuzzed; its methods are fuzzed on pool variables',
  WavetapeError: 'the error class itself (constructing one is not a wavetape operation)',
  'optim.Adam': 'a class (needs `new`); its constructor, step and load checks are tested in test/optim_first_order.test.ts',
  'optim.SGD': 'a class (needs `new`); tested in test/optim_first_order.test.ts',
  'optim.TrustRegionDropout': 'a class (needs `new`); tested in test/trust_region.test.ts',
  // ---- nn family (issue 14): layer classes; their functions (applyMasks, ...) are fuzzed ----
  'nn.Module': 'an abstract class; its methods are tested through the layers in test/nn.test.ts',
  'nn.Linear': 'a class (needs `new`); constructor, forward and bad input in test/nn.test.ts',
  'nn.Conv1d': 'a class (needs `new`); tested in test/conv1d.test.ts',
  'nn.ReLU': 'a class (needs `new`); tested in test/nn.test.ts',
  'nn.Tanh': 'a class (needs `new`); tested in test/nn.test.ts',
  'nn.Sigmoid': 'a class (needs `new`); tested in test/nn.test.ts',
  'nn.Softplus': 'a class (needs `new`); tested in test/nn.test.ts',
  'nn.GELU': 'a class (needs `new`); tested in test/nn.test.ts',
  'nn.LeakyReLU': 'a class (needs `new`); tested in test/nn.test.ts',
  'nn.Sequential': 'a class (needs `new`); tested in test/nn.test.ts',
  'nn.Dropout': 'a class (needs `new`); tested in test/nn.test.ts',
  'nn.TransformDropout': 'a class (needs `new`); tested in test/transform_dropout.test.ts',
  'nn.Demux': 'a class (needs `new`); tested in test/nn.test.ts',
};

interface Target {
  name: string;
  call: (thisArg: unknown, args: unknown[]) => unknown;
  /** Tensor methods and getters run with a pool tensor (or variable) as `this`. */
  method: 'tensor' | 'variable' | null;
}

function isClass(f: Function): boolean {
  return /^class\b/.test(Function.prototype.toString.call(f));
}

/** Every function the package exports, namespaces (wt.testing) included, and every method. */
function enumerateTargets(): { targets: Target[]; excluded: string[] } {
  const targets: Target[] = [];
  const excluded: string[] = [];
  const walk = (ns: Record<string, unknown>, prefix: string, depth: number) => {
    for (const key of Object.keys(ns)) {
      const v = ns[key];
      const name = prefix + key;
      if (EXCLUDED[name] !== undefined) {
        excluded.push(name);
        continue;
      }
      if (typeof v === 'function') {
        if (isClass(v)) throw new Error(`fuzz: the class ${name} is neither fuzzed nor in EXCLUDED`);
        targets.push({ name, call: (_t, args) => (v as (...a: unknown[]) => unknown)(...args), method: null });
      } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 2) walk(v as Record<string, unknown>, `${name}.`, depth + 1);
    }
  };
  walk(wt as unknown as Record<string, unknown>, '', 0);
  const members = (proto: object, kind: 'tensor' | 'variable', prefix: string) => {
    for (const key of Reflect.ownKeys(proto)) {
      if (key === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(proto, key)!;
      const name = `${prefix}.${String(key)}`;
      if (d.get) targets.push({ name, call: (t) => d.get!.call(t), method: kind });
      else if (typeof d.value === 'function') targets.push({ name, call: (t, args) => d.value.apply(t, args), method: kind });
    }
  };
  members(wt.Tensor.prototype, 'tensor', 'Tensor');
  members(wt.Variable.prototype, 'variable', 'Variable');
  return { targets, excluded };
}

// ---------------------------------------------------------------- the pool of values

const dtypes: wt.DType[] = ['float32', 'float64', 'complex64', 'complex128', 'int32'];
const shapes = [[], [0], [1], [3], [2, 3], [2, 0, 3], [1, 4, 1], [2, 2, 2, 2], [8]];
const numbers = [0, 1, 2, 3, 5, 8, -1, -3, 0.5, -0, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 50, 2 ** 53, 1e300, -1e300];
const strings = ['', 'cpu', 'simt', 'tpu:0', 'float32', 'float64', 'int32', 'complex64', 'ortho', 'forward', 'circular', 'linear', 'add', '__proto__', 'x'];
const optionKeys = ['axis', 'n', 'keepdims', 'dtype', 'device', 'norm', 'maxLag', 'mode', 'seed', 'argnums', 'hasAux', 'eps', 'atol', 'rtol', 'axes', 'start'];
// soft-DTW family (issue 12): its option keys, and a normalize value
optionKeys.push('gamma', 'band', 'lengthsX', 'lengthsY', 'normalize');
strings.push('divergence');

function tensorData(shape: number[], dtype: wt.DType): Float32Array | Float64Array | Int32Array {
  const n = shape.reduce((a, b) => a * b, 1) * (dtype.startsWith('complex') ? 2 : 1);
  const special = [NaN, -0, Infinity];
  const out = dtype === 'int32' ? new Int32Array(n) : dtype === 'float64' || dtype === 'complex128' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = dtype !== 'int32' && i % 11 === 7 ? special[i % 3] : ((i * 7) % 5) - 2;
  return out;
}

/** Live pool tensors, re-made when a call disposed one. */
const specs = dtypes.flatMap((dtype) => shapes.map((shape) => ({ dtype, shape })));
const pool: wt.Tensor[] = [];
let variable: wt.Variable;
let disposedTensor: wt.Tensor;
function makeTensor(i: number): wt.Tensor {
  const { dtype, shape } = specs[i];
  return wt.keep(wt.tensor(tensorData(shape, dtype), shape, { dtype, device }));
}
function refillPool(): void {
  for (let i = 0; i < specs.length; i++) if (pool[i] === undefined || pool[i].isDisposed) pool[i] = makeTensor(i);
  if (variable === undefined || variable.isDisposed) variable = wt.variable(pool[specs.findIndex((s) => s.dtype === 'float64' && s.shape.length === 1 && s.shape[0] === 3)]);
}

const cyclicArray: unknown[] = [];
cyclicArray.push(cyclicArray);
const cyclicObject: Record<string, unknown> = { axis: 0 };
cyclicObject.self = cyclicObject;
let deep: unknown = [1];
for (let i = 0; i < 20000; i++) deep = [deep];

const functions: (() => unknown)[] = [
  () => 1,
  () => wt.ones([2], { device }),
  () => wt.sum(pool[3]),
  async () => wt.ones([1], { device }),
  () => Promise.reject(new UserError('rejected')),
  () => {
    throw new UserError('thrown by the pool');
  },
];

/** A generated argument: a description resolved against the live pool at call time. */
type Arg =
  | { k: 'tensor'; i: number }
  | { k: 'disposed' }
  | { k: 'variable' }
  | { k: 'value'; v: unknown }
  | { k: 'fn'; i: number }
  | { k: 'array'; items: Arg[] }
  | { k: 'options'; entries: [string, Arg][]; nullProto: boolean };

const leaf: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: specs.length - 1 }).map((i): Arg => ({ k: 'tensor', i })) },
  { weight: 1, arbitrary: fc.constant<Arg>({ k: 'disposed' }) },
  { weight: 1, arbitrary: fc.constant<Arg>({ k: 'variable' }) },
  { weight: 5, arbitrary: fc.constantFrom(...numbers).map((v): Arg => ({ k: 'value', v })) },
  { weight: 2, arbitrary: fc.constantFrom(...strings).map((v): Arg => ({ k: 'value', v })) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom<unknown>(null, undefined, true, false, 7n, 2n ** 80n, Symbol('fuzz'), cyclicArray, cyclicObject, deep, new Array(1e6),
        new Float32Array([1, 2, 3, 4]), new Float64Array([0.5, -1]), new Int32Array([1, -2, 3]), new Uint8Array([1, 2]), new Float32Array(0),
        [], [[]], [[1, 2], [3]], [[1, 2], [3, 4]], [1, [2]], ['a'], [1.5, 2], [2 ** 40], Object.create(null), new Map(), new Date(0))
      .map((v): Arg => ({ k: 'value', v })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: functions.length - 1 }).map((i): Arg => ({ k: 'fn', i })) },
);
const optionValue: fc.Arbitrary<Arg> = fc.oneof(
  fc.constantFrom<unknown>(...numbers.slice(0, 13), null, undefined, true, 'ortho', 'circular', 'float64', 'cpu', [0], [0, 1], [-1, 0], 7n).map((v): Arg => ({ k: 'value', v })),
  leaf,
);
const arg: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 8, arbitrary: leaf },
  { weight: 2, arbitrary: fc.array(fc.oneof(leaf, fc.constantFrom(...numbers.slice(0, 8)).map((v): Arg => ({ k: 'value', v }))), { maxLength: 4 }).map((items): Arg => ({ k: 'array', items })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ entries: fc.array(fc.tuple(fc.constantFrom(...optionKeys), optionValue), { maxLength: 3 }), nullProto: fc.boolean() })
      .map(({ entries, nullProto }): Arg => ({ k: 'options', entries, nullProto })),
  },
);

function resolve(a: Arg): unknown {
  switch (a.k) {
    case 'tensor':
      return pool[a.i];
    case 'disposed':
      return disposedTensor;
    case 'variable':
      return variable;
    case 'value':
      return a.v;
    case 'fn':
      return functions[a.i];
    case 'array':
      return a.items.map(resolve);
    case 'options': {
      const o: Record<string, unknown> = a.nullProto ? Object.create(null) : {};
      for (const [key, v] of a.entries) o[key] = resolve(v);
      return o;
    }
  }
}

// ---------------------------------------------------------------- checking one call

const failures: string[] = [];
const pendingChecks: Promise<void>[] = [];
let calls = 0;

function errorProblem(e: unknown, where: string): string | null {
  if (e instanceof UserError) return null;
  if (!(e instanceof wt.WavetapeError)) return `${where}: threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : typeof e}`;
  if (!(wt.ERROR_CODES as readonly string[]).includes(e.code)) return `${where}: unknown code ${String(e.code)}`;
  if (e.code === 'E_INTERNAL') return `${where}: E_INTERNAL ${e.message}`;
  if (typeof e.message !== 'string' || e.message.length === 0) return `${where}: empty message`;
  return null;
}

/** Every live tensor reachable from a call's result (results are small: arrays, pairs and result objects). */
function tensorsIn(v: unknown, out: wt.Tensor[], depth = 0): wt.Tensor[] {
  if (v instanceof wt.Tensor) out.push(v);
  else if (Array.isArray(v) && depth < 4 && v !== cyclicArray) for (const x of v) tensorsIn(x, out, depth + 1);
  else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && depth < 4 && v !== cyclicObject)
    for (const x of Object.values(v)) tensorsIn(x, out, depth + 1);
  return out;
}

function describeCall(name: string, args: Arg[]): string {
  const show = (a: Arg): string =>
    a.k === 'tensor' ? `T(${specs[a.i].dtype}[${specs[a.i].shape}])`
    : a.k === 'value' ? (typeof a.v === 'symbol' ? 'Symbol' : typeof a.v === 'bigint' ? `${a.v}n` : a.v === deep ? 'deep' : Array.isArray(a.v) && a.v.length > 8 ? `Array(${a.v.length})` : (() => { try { return JSON.stringify(a.v) ?? String(a.v); } catch { return 'cyclic'; } })())
    : a.k === 'array' ? `[${a.items.map(show).join(', ')}]`
    : a.k === 'options' ? `${a.nullProto ? 'nullproto' : ''}{${a.entries.map(([k, v]) => `${k}: ${show(v)}`).join(', ')}}`
    : a.k;
  return `${name}(${args.map(show).join(', ')})`;
}

/** The results' tensors are disposed at once, or (every 8th call) left to the GC finalizer. */
let leftToGc = 0;

function runOne(target: Target, thisArg: Arg, args: Arg[], leak: boolean): void {
  calls++;
  const where = describeCall(target.name, target.method ? [thisArg, ...args] : args);
  const live = new Set([...pool, variable].filter((t) => !t.isDisposed));
  const before = wt.memory().tensors;
  const restoreDevice = wt.getDevice();
  const restoreThreads = wt.numThreads();
  let result: unknown;
  try {
    const self = target.method === 'variable' ? variable : target.method === 'tensor' ? resolve(thisArg) : undefined;
    result = target.call(self, args.map(resolve));
    // grad/valueAndGrad return a function: call it too, with the same arguments.
    if (typeof result === 'function' && target.method === null) result = (result as (...a: unknown[]) => unknown)(...args.map(resolve));
  } catch (e) {
    const p = errorProblem(e, where);
    if (p) failures.push(p);
  } finally {
    if (wt.getDevice() !== restoreDevice) wt.setDevice(restoreDevice);
    if (wt.numThreads() !== restoreThreads) wt.setNumThreads(restoreThreads);
  }
  if (result instanceof Promise)
    pendingChecks.push(
      result.then(
        (v) => tensorsIn(v, []).forEach((t) => t.dispose()),
        (e) => {
          const p = errorProblem(e, `${where} (rejected)`);
          if (p) failures.push(p);
        },
      ),
    );
  const made = tensorsIn(result, []).filter((t) => !live.has(t));
  if (leak) {
    leftToGc += made.length;
    return;
  }
  for (const t of made) t.dispose();
  // The call's own intermediates must be gone now (no GC): only pool tensors it disposed change the count.
  const disposedByCall = [...live].filter((t) => t.isDisposed).length;
  const after = wt.memory().tensors;
  if (after !== before - disposedByCall && failures.length < 50)
    failures.push(`${where}: live tensors ${before} before, ${after} after (${disposedByCall} pool tensors disposed by the call)`);
}

async function main(): Promise<void> {
  console.log = () => undefined; // t.print() is fuzzed too
  process.on('unhandledRejection', (e) => failures.push(`unhandled rejection: ${e instanceof Error ? e.message : String(e)}`));
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the fuzz child with --expose-gc');
  const baseline = wt.memory();
  refillPool();
  disposedTensor = wt.ones([2], { device });
  disposedTensor.dispose();
  const { targets, excluded } = enumerateTargets();
  const call = fc.record({
    target: fc.integer({ min: 0, max: targets.length - 1 }),
    // Methods run on tensors (live, disposed, a variable); a non-tensor `this` is a JS-level misuse.
    thisArg: fc.oneof(
      fc.integer({ min: 0, max: specs.length - 1 }).map((i): Arg => ({ k: 'tensor', i })),
      fc.constantFrom<Arg>({ k: 'disposed' }, { k: 'variable' }),
    ),
    args: fc.array(arg, { maxLength: 4 }),
    leak: fc.integer({ min: 0, max: 7 }).map((r) => r === 0),
  });
  const chunk = 500;
  for (let done = 0; done < runs; done += chunk) {
    const batch = fc.sample(call, { numRuns: Math.min(chunk, runs - done), seed: seed + done });
    for (const c of batch) {
      runOne(targets[c.target], c.thisArg, c.args, c.leak);
      refillPool();
      if (failures.length >= 50) break;
    }
    if (failures.length >= 50) break;
    await Promise.all(pendingChecks.splice(0));
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(pendingChecks.splice(0));
  // Everything the fuzz made is released: the pool by dispose(), the rest by the finalizer.
  for (const t of pool) t.dispose();
  variable.dispose();
  pool.length = 0;
  let now = wt.memory();
  for (let i = 0; i < 50 && (now.tensors !== baseline.tensors || now.bytes !== baseline.bytes); i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
    now = wt.memory();
  }
  const covered = [...new Set(targets.map((t) => t.name))];
  process.stdout.write(
    `${JSON.stringify({ device, seed, calls, leftToGc, targets: covered, excluded, failures: failures.slice(0, 50), baseline: { tensors: baseline.tensors, bytes: baseline.bytes }, final: { tensors: now.tensors, bytes: now.bytes } })}\n`,
  );
}

main().catch((e) => {
  process.stdout.write(`${JSON.stringify({ crashed: e instanceof Error ? e.stack : String(e) })}\n`);
  process.exitCode = 1;
});
