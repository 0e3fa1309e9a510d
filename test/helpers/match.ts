/**
 * jest's asymmetric matchers, typed `unknown`. @types/jest types `expect.any(…)`,
 * `expect.stringContaining(…)` and the like as `any`, which the type-checked lint rules refuse
 * as a property of an expected object; these are the same matchers, with the same behaviour.
 */
export const match = {
  any: (type: unknown): unknown => expect.any(type),
  stringMatching: (pattern: string | RegExp): unknown => expect.stringMatching(pattern),
  stringContaining: (text: string): unknown => expect.stringContaining(text),
  objectContaining: (object: object): unknown => expect.objectContaining(object),
  arrayContaining: (array: readonly unknown[]): unknown => expect.arrayContaining(array),
  not: {
    stringMatching: (pattern: string | RegExp): unknown => expect.not.stringMatching(pattern),
  },
};
