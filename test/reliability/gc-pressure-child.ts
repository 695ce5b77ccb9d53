// Run by test/reliability.test.ts with --trace-gc (V8 prints each collection on stdout): a rise of
// native bytes within a slack is not reported to V8 (native/napi/addon_data.h), so a training loop whose big
// blocks are disposed as it goes sets off no full collection, while tensors nobody disposed still
// are collected under memory pressure. Prints marker lines around each scenario and a JSON line.
import * as wt from '../../lib';

async function main(): Promise<void> {
  wt.setNumThreads(1);
  const x = wt.uniform([256, 512, 1], -1, 1, { seed: 1, device: 'cpu' });
  const y = wt.uniform([256, 512, 1], -1, 1, { seed: 2, device: 'cpu' });
  const g = wt.grad((a: wt.Tensor) => wt.sum(wt.softDtw(a, y, { band: 32 })));
  g(x).dispose();
  // 12 steps, each with 68 MB of soft-DTW weights that live from its forward to its backward.
  console.log('== steps');
  for (let i = 0; i < 12; i++) g(x).dispose();
  console.log('== end steps');
  // 20 blocks of 64 MiB dropped without dispose (1.25 GiB if never collected).
  const MiB = 2 ** 20;
  let peak = 0;
  for (let i = 0; i < 20; i++) {
    wt.zeros([16 * MiB], { device: 'cpu' });
    peak = Math.max(peak, wt.memory().bytes);
    await new Promise((r) => setTimeout(r, 20));
  }
  console.log(JSON.stringify({ peakMiB: peak / MiB }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
