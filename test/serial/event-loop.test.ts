// The event loop stays responsive while a long op runs on the stream. Timing-sensitive, so
// it runs alone after the parallel suites (see the "test" script in package.json).
import * as wt from '../../lib';

/** Queues reps rounds of sin(exp(-y)) on x; returns every tensor made, the result last. */
function queueChain(x: wt.Tensor, reps: number): wt.Tensor[] {
  let y = x;
  const made: wt.Tensor[] = [];
  for (let i = 0; i < reps; i++) {
    const a = wt.neg(y);
    const b = wt.exp(a);
    y = wt.sin(b);
    made.push(a, b, y);
  }
  return made;
}

test('a 200 ms op does not block the event loop: a 1 ms timer fires at least every 10 ms', async () => {
  // Size an op that takes ≥ 200 ms on this machine.
  const x = wt.ones([1 << 22], { dtype: 'float64' });
  const time = (reps: number) => {
    const t0 = performance.now();
    const made = queueChain(x, reps);
    made[made.length - 1].dataSync();
    made.forEach((t) => t.dispose());
    return performance.now() - t0;
  };
  // Time each size twice: the first run of a size also page-faults its fresh output blocks, which
  // the measured run below reuses from the allocator's cache, so only the warm time counts.
  const warmTime = (reps: number) => {
    time(reps);
    return time(reps);
  };
  let reps = 1;
  while (warmTime(reps) < 200) reps *= 2;

  const gaps: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 1);
  // Queue the whole chain (each op returns at once), then await the result asynchronously.
  await new Promise((r) => setTimeout(r, 20));
  const started = performance.now();
  const chain = queueChain(x, reps);
  await chain[chain.length - 1].data();
  const elapsed = performance.now() - started;
  last = performance.now();
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(timer);
  chain.forEach((t) => t.dispose());
  x.dispose();
  expect(elapsed).toBeGreaterThanOrEqual(150);
  // Skip the first gap (measured across the synchronous queuing of the chain).
  expect(Math.max(...gaps.slice(1))).toBeLessThanOrEqual(10);
});
