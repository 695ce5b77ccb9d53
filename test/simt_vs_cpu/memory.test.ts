// Device agreement, memory: a computation on simt or any cuda:* device returns every byte and
// tensor to the device's allocator, as it does on cpu.
import * as wt from '../../lib';
import { describeAgreement } from './agreement';

describeAgreement('memory', ({ device }) => {
  it('returns every byte to the allocator cache', () => {
    const before = wt.memory().byDevice[device];
    wt.tidy(() => {
      const a = wt.uniform([40005], 0, 1, { device, seed: 1 });
      wt.sum(wt.mul(a, a)).dataSync();
    });
    const after = wt.memory().byDevice[device];
    expect(after.bytes).toBe(before.bytes);
    expect(after.tensors).toBe(before.tensors);
  });
});
