// The binding's surface: the addon exports exactly the entries lib/native.ts declares (an entry added
// to native/napi/entries.def without its type, or the reverse, fails here), with the ABI's op codes.
import * as fs from 'fs';
import * as path from 'path';
import { BIN, native, RED, RNG, UN } from '../lib/native';

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

/** `PREFIX_NAME` values of a C enum in native/abi/plugin_abi.h, counting as C does. */
function cEnum(name: string, prefix: string): Record<string, number> {
  const header = fs.readFileSync(path.join(__dirname, '..', 'native', 'abi', 'plugin_abi.h'), 'utf8');
  const body = new RegExp(`typedef enum ${name} \\{([\\s\\S]*?)\\} ${name};`).exec(header);
  if (!body) throw new Error(`plugin_abi.h: no enum ${name}`);
  const out: Record<string, number> = {};
  let next = 0;
  for (const m of body[1].replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/\b(\w+)\s*(?:=\s*(\d+))?\s*(?:,|$)/g)) {
    if (!m[1].startsWith(prefix)) continue;
    const value = m[2] !== undefined ? Number(m[2]) : next;
    next = value + 1;
    if (!m[1].endsWith('_COUNT')) out[m[1].slice(prefix.length)] = value;
  }
  return out;
}

test('the op codes in lib/native.ts are those of native/abi/plugin_abi.h', () => {
  expect({ ...UN }).toEqual(cEnum('wt_unary', 'WT_UN_'));
  expect({ ...BIN }).toEqual(cEnum('wt_binary', 'WT_BIN_'));
  expect({ ...RED }).toEqual(cEnum('wt_reduce', 'WT_RED_'));
  expect({ ...RNG }).toEqual(cEnum('wt_random', 'WT_RNG_'));
});
