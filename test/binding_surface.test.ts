// The binding's surface: the addon exports exactly the entries lib/native.ts declares, so an entry
// added to native/napi/entries.def without its type (or the reverse) fails here.
import * as fs from 'fs';
import * as path from 'path';
import { native } from '../lib/native';

/** Member names of `interface NativeBinding` in lib/native.ts, read from the source. */
function declaredEntries(): string[] {
  const src = fs.readFileSync(path.join(__dirname, '..', 'lib', 'native.ts'), 'utf8');
  const body = /export interface NativeBinding \{([\s\S]*?)\n\}/.exec(src);
  if (!body) throw new Error('lib/native.ts: no `export interface NativeBinding { ... }`');
  return [...body[1].matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]).sort();
}

test('the addon exports exactly the entries lib/native.ts declares', () => {
  const exported = Object.keys(native).sort();
  for (const name of exported) expect(typeof (native as unknown as Record<string, unknown>)[name]).toBe('function');
  expect(exported.length).toBeGreaterThan(0);
  expect(exported).toEqual(declaredEntries());
});
