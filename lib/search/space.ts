/**
 * A typed search space: categorical `choice`, `int`, `uniform` and `logUniform` dimensions and
 * tagged unions of sub-spaces (paper A's categorical branches, each with its own continuous
 * parameters), with seeded sampling.
 */
import { publicOp } from '../engine';
import { fail } from '../errors';
import { describe, expected, finiteArg, intArg, isPlainObject, optionsArg, boolArg } from '../validate';
import { mulberry32 } from '../host_random';

/** One of the given values, uniformly. */
export interface ChoiceDimension {
  readonly kind: 'choice';
  readonly values: readonly (string | number | boolean)[];
}
/** An integer in [low, high], uniformly (or log-uniformly with `log`). */
export interface IntDimension {
  readonly kind: 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
}
/** A real number uniform on [low, high). */
export interface UniformDimension {
  readonly kind: 'uniform';
  readonly low: number;
  readonly high: number;
}
/** A real number whose logarithm is uniform: low·(high/low)^u, 0 < low < high. */
export interface LogUniformDimension {
  readonly kind: 'logUniform';
  readonly low: number;
  readonly high: number;
}
/** A tagged union: one branch name, uniformly, then that branch's own sub-space. */
export interface UnionDimension {
  readonly kind: 'union';
  readonly branches: Readonly<Record<string, Space>>;
}
/** Any dimension of a {@link Space}. */
export type Dimension = ChoiceDimension | IntDimension | UniformDimension | LogUniformDimension | UnionDimension;
/** A search space: named dimensions. */
export type Space = { readonly [name: string]: Dimension };
/** A sampled configuration: a value per dimension; a union gives `{ tag, ...branchValues }`. */
export type Config = { [name: string]: unknown };

/** `values` (a non-empty array of distinct strings, numbers or booleans), chosen uniformly. */
export const choice = publicOp('choice', function choice(values: readonly (string | number | boolean)[]): ChoiceDimension {
  return Object.freeze({ kind: 'choice', values: Object.freeze(choiceValues('choice', 'values', values)) });
});

/** An integer uniform on [low, high] (`{log: true}`: log-uniform, low ≥ 1). */
export const int = publicOp('int', function int(low: number, high: number, opts?: { log?: boolean }): IntDimension {
  const o = optionsArg('int', 3, opts, ['log']);
  const log = o.log === undefined ? false : boolArg('int', 'log', o.log);
  return Object.freeze(intDimension('int', 'low', low, high, log));
});

/** A real number uniform on [low, high), low < high. */
export const uniform = publicOp('uniform', function uniform(low: number, high: number): UniformDimension {
  const [lo, hi] = realBounds('uniform', '', low, high, false);
  return Object.freeze({ kind: 'uniform', low: lo, high: hi });
});

/** A real number log-uniform on [low, high), 0 < low < high (learning rates, γ, β, τ). */
export const logUniform = publicOp('logUniform', function logUniform(low: number, high: number): LogUniformDimension {
  const [lo, hi] = realBounds('logUniform', '', low, high, true);
  return Object.freeze({ kind: 'logUniform', low: lo, high: hi });
});

/**
 * A tagged union of sub-spaces: `union({ haar: { level: int(1, 4) }, db: { order: choice([2, 4]),
 * level: int(1, 3) } })` samples a branch name uniformly, then that branch's values, giving
 * e.g. `{ tag: 'db', order: 4, level: 2 }`. A branch may be an empty space `{}`.
 */
export const union = publicOp('union', function union(branches: Record<string, Space>): UnionDimension {
  if (!isPlainObject(branches) || Object.keys(branches).length === 0)
    expected('E_RANGE', 'union', 'branches', 'a non-empty object of named sub-spaces', branches);
  const out: Record<string, Space> = {};
  for (const [name, sub] of Object.entries(branches)) {
    if (!isPlainObject(sub)) fail('E_RANGE', `union: branch '${name}' must be a space (an object of dimensions); got ${describe(sub)}`);
    if ('tag' in sub) fail('E_RANGE', `union: branch '${name}' has a dimension named 'tag', which holds the branch name`);
    out[name] = checkSpace('union', `branches.${name}`, sub, 1, true);
  }
  return Object.freeze({ kind: 'union', branches: Object.freeze(out) });
});

function choiceValues(op: string, arg: string, v: unknown): (string | number | boolean)[] {
  if (!Array.isArray(v) || v.length === 0) expected('E_RANGE', op, arg, 'a non-empty array of choices', v);
  const seen = new Set<unknown>();
  return v.map((x, i) => {
    const ok = typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));
    if (!ok) fail('E_RANGE', `${op}: argument '${arg}' entry ${i} is ${describe(x)}; choices are strings, finite numbers or booleans`);
    if (seen.has(x)) fail('E_RANGE', `${op}: argument '${arg}' repeats the choice ${describe(x)}`);
    seen.add(x);
    return x;
  });
}

function intDimension(op: string, prefix: string, low: unknown, high: unknown, log: boolean): IntDimension {
  const lo = intArg(op, prefix === 'low' ? 'low' : `${prefix}.low`, low);
  const hi = intArg(op, prefix === 'low' ? 'high' : `${prefix}.high`, high);
  if (hi < lo) fail('E_RANGE', `${op}: empty integer range [${lo}, ${hi}]; expected low <= high`);
  if (log && lo < 1) fail('E_RANGE', `${op}: a log-uniform integer range needs low >= 1; got ${lo}`);
  return { kind: 'int', low: lo, high: hi, log };
}

function realBounds(op: string, prefix: string, low: unknown, high: unknown, positive: boolean): [number, number] {
  const lo = finiteArg(op, `${prefix}low`, low);
  const hi = finiteArg(op, `${prefix}high`, high);
  if (!(lo < hi)) fail('E_RANGE', `${op}: empty range [${lo}, ${hi}); expected low < high`);
  if (positive && !(lo > 0)) fail('E_RANGE', `${op}: a log-uniform range needs 0 < low; got low = ${lo}`);
  return [lo, hi];
}

/**
 * `space` checked dimension by dimension (a space built by hand, or parsed from JSON, is held to
 * the same rules as the builders): E_RANGE naming the dimension for anything malformed.
 */
export function checkSpace(op: string, arg: string, space: unknown, depth = 0, allowEmpty = false): Space {
  if (!isPlainObject(space)) expected('E_RANGE', op, arg, 'a search space (an object of named dimensions)', space);
  if (depth > 16) fail('E_RANGE', `${op}: argument '${arg}' nests unions more than 16 deep`);
  const names = Object.keys(space);
  if (names.length === 0 && !allowEmpty) fail('E_RANGE', `${op}: argument '${arg}' is an empty search space; expected at least one dimension`);
  const out: Record<string, Dimension> = {};
  for (const name of names) {
    const d = space[name] as Record<string, unknown>;
    const where = `${arg}.${name}`;
    if (!isPlainObject(d) || typeof d.kind !== 'string')
      fail('E_RANGE', `${op}: dimension '${where}' is ${describe(d)}; build it with wt.search.choice/int/uniform/logUniform/union`);
    switch (d.kind) {
      case 'choice':
        out[name] = { kind: 'choice', values: choiceValues(op, `${where}.values`, d.values) };
        break;
      case 'int':
        out[name] = intDimension(op, where, d.low, d.high, d.log === undefined ? false : boolArg(op, `${where}.log`, d.log));
        break;
      case 'uniform':
      case 'logUniform': {
        const [low, high] = realBounds(op, `${where}.`, d.low, d.high, d.kind === 'logUniform');
        out[name] = { kind: d.kind, low, high };
        break;
      }
      case 'union': {
        if (!isPlainObject(d.branches) || Object.keys(d.branches).length === 0)
          fail('E_RANGE', `${op}: union '${where}' has no branches`);
        const branches: Record<string, Space> = {};
        for (const [b, sub] of Object.entries(d.branches)) branches[b] = checkSpace(op, `${where}.${b}`, sub, depth + 1, true);
        out[name] = { kind: 'union', branches };
        break;
      }
      default:
        fail('E_RANGE', `${op}: dimension '${where}' has unknown kind ${describe(d.kind)}; expected choice, int, uniform, logUniform or union`);
    }
  }
  return out;
}

/** One configuration drawn from a checked space. */
export function drawConfig(space: Space, random: () => number): Config {
  const config: Config = {};
  for (const [name, d] of Object.entries(space)) {
    switch (d.kind) {
      case 'choice':
        config[name] = d.values[Math.floor(random() * d.values.length)];
        break;
      case 'int':
        config[name] = d.log
          ? Math.min(d.high, Math.floor(Math.exp(Math.log(d.low) + random() * (Math.log(d.high + 1) - Math.log(d.low)))))
          : d.low + Math.floor(random() * (d.high - d.low + 1));
        break;
      case 'uniform':
        config[name] = d.low + random() * (d.high - d.low);
        break;
      case 'logUniform':
        config[name] = Math.exp(Math.log(d.low) + random() * (Math.log(d.high) - Math.log(d.low)));
        break;
      case 'union': {
        const tags = Object.keys(d.branches);
        const tag = tags[Math.floor(random() * tags.length)];
        config[name] = { tag, ...drawConfig(d.branches[tag], random) };
        break;
      }
    }
  }
  return config;
}

/** Options of {@link sample}. */
export interface SampleOptions {
  /** Seed (default 0): the same seed and space give the same configurations. */
  seed?: number;
}

/** `count` configurations drawn independently from `space` (seeded). */
export const sample = publicOp('sample', function sample(space: Space, count: number, opts?: SampleOptions): Config[] {
  const s = checkSpace('sample', 'space', space);
  const n = intArg('sample', 'count', count, 0, 1 << 20);
  const o = optionsArg('sample', 3, opts, ['seed']);
  const random = mulberry32(o.seed === undefined ? 0 : intArg('sample', 'seed', o.seed, 0, 2 ** 32 - 1));
  return Array.from({ length: n }, () => drawConfig(s, random));
});
