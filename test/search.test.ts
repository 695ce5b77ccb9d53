// wt.search (typed spaces, successive halving, Hyperband, resuming from a log, worker threads,
// early stopping) and wt.gumbelSoftmax, the relaxed alternative to searching branches.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as wt from '../lib';
import { testDevices, randomArray, isKernelDevice } from './helpers';
import { T, values, expectCode, weightedSum, expectGrad } from './ndref';

const S = wt.search;
const space = {
  wavelet: S.union({ haar: {}, db: { order: S.choice([2, 4, 6]) } }),
  levels: S.int(1, 5),
  gamma: S.logUniform(0.01, 1),
  drop: S.uniform(0, 0.5),
};

/** A deterministic loss of a configuration, better with budget: what a training run would report. */
function lossOf(config: wt.search.Config, budget: number): number {
  const w = config.wavelet as { tag: string; order?: number };
  const base = (w.tag === 'db' ? 0.2 + 0.02 * (w.order! - 4) ** 2 : 0.6) + 0.05 * Math.abs((config.levels as number) - 3) + Math.abs(Math.log10(config.gamma as number) + 1) * 0.1 + (config.drop as number);
  return base + 1 / budget;
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-search-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('search spaces', () => {
  test('sample is seeded, within bounds, and unions carry their tag and branch values', () => {
    const a = S.sample(space, 200, { seed: 3 });
    expect(S.sample(space, 200, { seed: 3 })).toEqual(a);
    expect(S.sample(space, 200, { seed: 4 })).not.toEqual(a);
    const tags = new Set<string>();
    for (const c of a) {
      const w = c.wavelet as { tag: string; order?: number };
      tags.add(w.tag);
      if (w.tag === 'db') expect([2, 4, 6]).toContain(w.order);
      else expect(Object.keys(w)).toEqual(['tag']);
      expect(Number.isInteger(c.levels) && (c.levels as number) >= 1 && (c.levels as number) <= 5).toBe(true);
      expect(c.gamma as number).toBeGreaterThanOrEqual(0.01);
      expect(c.gamma as number).toBeLessThan(1);
      expect(c.drop as number).toBeGreaterThanOrEqual(0);
      expect(c.drop as number).toBeLessThan(0.5);
    }
    expect(tags).toEqual(new Set(['haar', 'db']));
    // every integer of the range appears; log-uniform γ splits evenly around its geometric mean 0.1
    expect(new Set(a.map((c) => c.levels))).toEqual(new Set([1, 2, 3, 4, 5]));
    const below = a.filter((c) => (c.gamma as number) < 0.1).length;
    expect(below).toBeGreaterThan(70);
    expect(below).toBeLessThan(130);
  });

  test('malformed or empty spaces are E_RANGE naming the dimension', () => {
    const trial = () => 0;
    expectCode(() => S.successiveHalving({ space: {}, trial }), 'E_RANGE', /^successiveHalving: argument 'space' is an empty search space/);
    expectCode(() => S.successiveHalving({ space: { a: { kind: 'normal' } as never }, trial }), 'E_RANGE', /'space.a' has unknown kind/);
    expectCode(() => S.successiveHalving({ space: { a: 3 as never }, trial }), 'E_RANGE', /dimension 'space.a'/);
    expectCode(() => S.sample({ a: { kind: 'int', low: 4, high: 2 } as never }, 1), 'E_RANGE', /empty integer range/);
    expectCode(() => S.choice([]), 'E_RANGE', /^choice: argument 'values'/);
    expectCode(() => S.choice([1, 1]), 'E_RANGE', /repeats/);
    expectCode(() => S.int(1.5, 3), 'E_RANGE', /'low'/);
    expectCode(() => S.uniform(1, 1), 'E_RANGE', /empty range/);
    expectCode(() => S.logUniform(0, 1), 'E_RANGE', /0 < low/);
    expectCode(() => S.union({}), 'E_RANGE', /^union: argument 'branches'/);
    expectCode(() => S.union({ a: { tag: S.choice([1]) } }), 'E_RANGE', /'tag'/);
    expectCode(() => S.sample(space, -1), 'E_RANGE', /'count'/);
  });

  test('search options are checked', () => {
    const trial = () => 0;
    expectCode(() => S.successiveHalving({ space, trial, eta: 1 }), 'E_RANGE', /'eta'/);
    expectCode(() => S.successiveHalving({ space, trial, minBudget: 0 }), 'E_RANGE', /'minBudget'/);
    expectCode(() => S.successiveHalving({ space, trial, minBudget: 9, maxBudget: 3 }), 'E_RANGE', /exceeds/);
    expectCode(() => S.successiveHalving({ space, trial: 'f' as never }), 'E_DTYPE', /'trial'/);
    expectCode(() => S.successiveHalving({ space, trial, workers: 2 }), 'E_DTYPE', /worker threads cannot load/);
    expectCode(() => S.hyperband(undefined as never), 'E_RANGE', /^hyperband: argument 'options'/);
  });
});

describe('successive halving', () => {
  test('27 → 9 → 3 → 1 at budgets 1, 3, 9, 27, each rung keeping the best third of the last', async () => {
    const calls: [string, number][] = [];
    const res = await S.successiveHalving({
      space, seed: 7, minBudget: 1, maxBudget: 27, eta: 3,
      trial: (config, budget, ctx) => {
        calls.push([ctx.id, budget]);
        return { loss: lossOf(config, budget), seen: ctx.seed };
      },
    });
    const rungs = res.brackets[0];
    expect(rungs.map((r) => r.budget)).toEqual([1, 3, 9, 27]);
    expect(rungs.map((r) => r.ids.length)).toEqual([27, 9, 3, 1]);
    expect(calls.length).toBe(40);
    // the configurations are the seeded sample, in order
    const configs = S.sample(space, 27, { seed: 7 });
    for (const e of res.evaluations) expect(e.config).toEqual(configs[Number(e.id.slice(1))]);
    // survivors are exactly the lowest losses of the previous rung (checked by sorting here)
    for (let i = 1; i < rungs.length; i++) {
      const prev = res.evaluations.filter((e) => e.budget === rungs[i - 1].budget);
      const best = prev.slice().sort((a, b) => a.loss - b.loss).slice(0, rungs[i].ids.length).map((e) => e.id);
      expect(new Set(rungs[i].ids)).toEqual(new Set(best));
    }
    const finalists = res.evaluations.filter((e) => e.budget === 27);
    expect(res.best).toEqual(finalists[0]);
    expect(res.best.loss).toBeCloseTo(lossOf(res.best.config, 27), 15);
    // the overall best of all 27 at budget 1 survives (this loss is monotone in the budget)
    const first = res.evaluations.filter((e) => e.budget === 1).sort((a, b) => a.loss - b.loss)[0];
    expect(res.best.id).toBe(first.id);
    expect(new Set(res.evaluations.map((e) => e.info!.seen)).size).toBe(27); // one derived seed per configuration
  });

  test('resumes from its JSON log: a finished search reruns nothing, an interrupted one only the rest', async () => {
    const log = path.join(tmp, 'sh.json');
    let calls = 0;
    const opts = { space, seed: 11, minBudget: 1, maxBudget: 9, log };
    const trial = (config: wt.search.Config, budget: number) => {
      calls++;
      if (calls === 8 && interrupt) throw new Error('interrupted');
      return lossOf(config, budget);
    };
    let interrupt = true;
    await expect(S.successiveHalving({ ...opts, trial })).rejects.toThrow('interrupted');
    expect(JSON.parse(fs.readFileSync(log, 'utf8')).evaluations).toHaveLength(7);
    interrupt = false;
    calls = 0;
    const resumed = await S.successiveHalving({ ...opts, trial });
    expect(calls).toBe(9 + 3 + 1 - 7);
    expect(resumed.evaluations.filter((e) => e.resumed)).toHaveLength(7);
    calls = 0;
    const again = await S.successiveHalving({ ...opts, trial });
    expect(calls).toBe(0);
    expect(again.best.id).toBe(resumed.best.id);
    expect(again.evaluations.map((e) => e.loss)).toEqual(resumed.evaluations.map((e) => e.loss));
    const fresh = await S.successiveHalving({ ...opts, log: undefined, trial });
    expect(fresh.evaluations.map((e) => [e.id, e.budget, e.loss])).toEqual(again.evaluations.map((e) => [e.id, e.budget, e.loss]));
    expectCode(() => S.successiveHalving({ ...opts, seed: 12, trial }), 'E_RANGE', /other settings/);
  });

  test('trials on worker threads give the same search as in this thread', async () => {
    const mod = path.join(tmp, 'trial.js');
    fs.writeFileSync(mod, `exports.quadratic = async (config, budget, ctx) => ({ loss: (config.x - 0.3) ** 2 + 1 / budget, id: ctx.id, thread: require('worker_threads').threadId });\n`);
    const quadraticSpace = { x: S.uniform(-1, 1) };
    const opts = { space: quadraticSpace, seed: 2, minBudget: 1, maxBudget: 9, configs: 12, trial: { module: mod, export: 'quadratic' } };
    const threaded = await S.successiveHalving({ ...opts, workers: 2 });
    const inline = await S.successiveHalving({ ...opts, workers: 0 });
    expect(threaded.evaluations.map((e) => [e.id, e.budget, e.loss])).toEqual(inline.evaluations.map((e) => [e.id, e.budget, e.loss]));
    expect(threaded.evaluations.every((e) => (e.info!.thread as number) > 0)).toBe(true);
    expect(inline.evaluations.every((e) => e.info!.thread === 0)).toBe(true);
    expect(threaded.brackets[0].map((r) => r.ids.length)).toEqual([12, 4, 1]);
    await expect(S.successiveHalving({ ...opts, workers: 1, trial: { module: mod, export: 'missing' } })).rejects.toThrow(/missing/);
  });

  test('hyperband runs brackets s = 2, 1, 0 with ⌈3/(s+1)·3^s⌉ configurations from budget 9·3^−s', async () => {
    const res = await S.hyperband({ space, seed: 5, minBudget: 1, maxBudget: 9, eta: 3, trial: (c, b) => lossOf(c, b) });
    expect(res.brackets.map((rungs) => rungs.map((r) => [r.budget, r.ids.length]))).toEqual([
      [[1, 9], [3, 3], [9, 1]],
      [[3, 5], [9, 1]],
      [[9, 3]],
    ]);
    const finalists = res.brackets.map((rungs) => res.evaluations.find((e) => e.id === rungs[rungs.length - 1].ids[0] && e.budget === 9)!);
    expect(res.best.loss).toBe(Math.min(...finalists.map((e) => e.loss)));
    expect(res.evaluations).toHaveLength(9 + 3 + 1 + 5 + 1 + 3);
  });
});

describe('earlyStopping', () => {
  test('stops after `patience` checks without an improvement larger than minDelta', () => {
    const stop = S.earlyStopping({ patience: 2, minDelta: 0.01 });
    const seq = [1, 0.8, 0.795, 0.9, 0.7, 0.7, 0.71];
    const said = seq.map((v) => stop.update(v));
    // best 1 → 0.8 (step 1); 0.795 is not 0.01 better; 0.9 → 2 checks since best: stop
    expect(said).toEqual([false, false, false, true, false, false, true]);
    expect(stop.best).toBe(0.7);
    expect(stop.bestStep).toBe(4);
    const never = S.earlyStopping({ patience: 3 });
    expect([5, 4, 3, 2, 1].map((v) => never.update(v))).toEqual([false, false, false, false, false]);
    expectCode(() => S.earlyStopping({ patience: -1 }), 'E_RANGE', /'patience'/);
  });
});

describe.each(testDevices())('gumbelSoftmax on %s', (device) => {
  const k = 4;
  const rows = isKernelDevice(device) ? 400 : 4000;
  const logits = [0.5, -1, 2, 0];
  const softmax = logits.map((l) => Math.exp(l) / logits.reduce((s, m) => s + Math.exp(m), 0));

  test('soft samples are distributions, seeded, and their argmax follows softmax(logits) (Gumbel-max)', () => {
    const x = T(Array.from({ length: rows }, () => logits).flat(), [rows, k], device);
    const y = values(wt.gumbelSoftmax(x, { tau: 0.5, seed: 9 }));
    expect(values(wt.gumbelSoftmax(x, { tau: 0.5, seed: 9 }))).toEqual(y);
    const counts = new Array(k).fill(0);
    for (let r = 0; r < rows; r++) {
      const rowv = y.slice(r * k, (r + 1) * k);
      expect(rowv.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      counts[rowv.indexOf(Math.max(...rowv))]++;
    }
    const se = Math.sqrt(0.25 / rows);
    counts.forEach((c, i) => expect(Math.abs(c / rows - softmax[i])).toBeLessThan(5 * se));
    x.dispose();
  });

  test('hard is the one-hot of the soft sample, with the soft sample’s gradient (straight-through)', () => {
    const x = T(randomArray(6 * k, 31), [6, k], device);
    const soft = values(wt.gumbelSoftmax(x, { tau: 0.7, seed: 4 }));
    const hard = values(wt.gumbelSoftmax(x, { tau: 0.7, seed: 4, hard: true }));
    for (let r = 0; r < 6; r++) {
      const s = soft.slice(r * k, (r + 1) * k);
      const want = s.map((_, i) => (i === s.indexOf(Math.max(...s)) ? 1 : 0));
      hard.slice(r * k, (r + 1) * k).forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
    }
    const gSoft = wt.tidy(() => values(wt.grad((z) => weightedSum(wt.gumbelSoftmax(z, { tau: 0.7, seed: 4 }), 5))(x) as wt.Tensor));
    const gHard = wt.tidy(() => values(wt.grad((z) => weightedSum(wt.gumbelSoftmax(z, { tau: 0.7, seed: 4, hard: true }), 5))(x) as wt.Tensor));
    gHard.forEach((v, i) => expect(v).toBeCloseTo(gSoft[i], 12));
    x.dispose();
  });
});

describe('gumbelSoftmax gradient and bad input', () => {
  test('gradcheck in float64 with fixed noise (a seed)', () => {
    const x = T(randomArray(3 * 5, 41), [3, 5], 'cpu');
    expectGrad((z) => weightedSum(wt.gumbelSoftmax(z, { tau: 0.8, seed: 2 }), 6), [x]);
    expectGrad((z) => weightedSum(wt.gumbelSoftmax(z, { tau: 1.3, seed: 2, axis: 0 }), 7), [x]);
    x.dispose();
  });
  test('tau <= 0, a bad axis or dtype', () => {
    const x = wt.keep(wt.ones([2, 3]));
    for (const tau of [0, -1, NaN]) expectCode(() => wt.gumbelSoftmax(x, { tau }), 'E_RANGE', /^gumbelSoftmax: argument 'tau'/);
    expectCode(() => wt.gumbelSoftmax(x, { axis: 2 }), 'E_RANGE', /'axis'/);
    expectCode(() => wt.tidy(() => wt.gumbelSoftmax(wt.ones([2], { dtype: 'int32' }))), 'E_DTYPE', /'logits'/);
    expectCode(() => wt.gumbelSoftmax(x, { hard: 1 as never }), 'E_RANGE', /'hard'/);
    x.dispose();
  });
});

describe('trials own their tensors', () => {
  test("tensors a trial makes before its first await outlive the search call's scope", async () => {
    const res = await S.successiveHalving({
      space: { x: S.uniform(0, 1) }, seed: 1, minBudget: 1, maxBudget: 3, configs: 3,
      trial: async (config) => {
        const w = wt.tensor([config.x as number], [1], { dtype: 'float64' });
        await new Promise((r) => setImmediate(r));
        const loss = wt.tidy(() => wt.sum(wt.square(w)).item());
        w.dispose();
        return loss;
      },
    });
    expect(res.evaluations).toHaveLength(4);
    for (const e of res.evaluations) expect(e.loss).toBeCloseTo((e.config.x as number) ** 2, 12);
  });
});
