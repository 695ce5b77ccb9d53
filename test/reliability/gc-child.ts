// Run by test/reliability.test.ts with --expose-gc: tensors nobody disposed must all be freed by
// the finalizer. Prints one JSON line: live tensors at the baseline and after each scenario + GC.
import * as wt from '../../lib';

const gc = (globalThis as { gc?: () => void }).gc!;

async function collected(): Promise<number> {
  // Finalizers run as tasks after a collection; a few rounds let every one run.
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
  return wt.memory().tensors;
}

async function main(): Promise<void> {
  const baseline = await collected();
  const out: Record<string, number> = { baseline };
  // wt.eye() dropped without dispose.
  for (let i = 0; i < 50; i++) wt.eye(4);
  out.eye = await collected();
  // A variable assigned new values, then dropped: the finalizer must free the current handle.
  (() => {
    const v = wt.variable(wt.tensor([1, 2, 3]));
    for (let i = 0; i < 20; i++) {
      const next = wt.tensor([i, i, i]);
      v.assign(next);
      next.dispose();
    }
  })();
  out.assign = await collected();
  // Results recorded on the tape (a variable's products), dropped: their saved tensors go too.
  (() => {
    const v = wt.variable(wt.tensor([1, 2, 3]));
    for (let i = 0; i < 20; i++) wt.sum(wt.mul(v, 2));
    v.dispose();
  })();
  out.tape = await collected();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

void main();
