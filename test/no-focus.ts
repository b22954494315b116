/**
 * Under CI=true a focused test (`test.only`, `it.only`, `describe.only`, `fit`, `fdescribe`, and their `.each` /
 * `.failing` forms) fails the file it is in, when the file is collected: focusing silently skips the file's other
 * tests, and CI must not read green then. Locally `.only` works as usual (eslint's jest/no-focused-tests still
 * reports it). See test/summary-reporter.js for skipped tests.
 */
if (process.env.CI === 'true') {
  const refuse = (what: string) => {
    const fail = (): never => {
      throw new Error(`${what} is a focused test; focused tests are not allowed under CI=true`);
    };
    // `.only.each(table)(name, fn)` and `.only.failing(name, fn)` as well as `.only(name, fn)`
    return Object.assign(fail, { each: () => fail, failing: fail });
  };
  const g = globalThis as unknown as Record<string, Record<string, unknown> | undefined>;
  // `it` and `test` are one function in jest-circus: one label for both
  for (const [name, label] of [
    ['test', 'test.only / it.only'],
    ['describe', 'describe.only'],
  ] as const) {
    const fn = g[name];
    if (fn) fn.only = refuse(label);
  }
  for (const name of ['fit', 'fdescribe']) {
    if (g[name]) g[name] = refuse(name) as never;
  }
}

export {};
