/**
 * The canonical text of a policy pack, which its release hash is taken over (scripts/policy-hash.ts,
 * test/unit/policy-versions.test.ts): canonical JSON of its data, with every function as its source text and every
 * pattern as its literal, so that a change to any rule, table or matcher changes the text.
 */
import { canonicalJson } from '../evidence';

/** any function a pack may hold */
export type AnyFunction = (...args: never[]) => unknown;
type SourceOf = (fn: AnyFunction) => string;
const toSource: SourceOf = (fn) => Function.prototype.toString.call(fn);

function asData(value: unknown, path: string, sourceOf: SourceOf): unknown {
  if (typeof value === 'function') return { $function: sourceOf(value as AnyFunction) };
  if (value instanceof RegExp) return { $regexp: value.toString() };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (typeof value === 'symbol')
    throw new TypeError(`policy pack: a symbol at ${path} has no canonical form`);
  if (Array.isArray(value)) return value.map((v, i) => asData(v, `${path}/${i}`, sourceOf));
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof Map || value instanceof Set)
    throw new TypeError(`policy pack: use plain objects and arrays, not a Map or Set (${path})`);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, asData(v, `${path}/${k}`, sourceOf)]),
    );
  return value;
}

/**
 * `sourceOf` gives a function's text (default: `Function.prototype.toString`; scripts/policy-hash.ts passes one
 * that reads past the transpiler's formatting, so that `tsx` and `jest` agree).
 */
export function canonicalPolicy(pack: object, sourceOf: SourceOf = toSource): string {
  return canonicalJson(asData(pack, '', sourceOf));
}
