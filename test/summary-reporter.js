/**
 * Prints the line CI reads last: "tests: N passed, M failed, K skipped" (K = pending + todo).
 *
 * Under CI=true a skipped or todo test fails the run: a whole file can be switched off with `describe.skip`, and
 * CI must not read green then. The reporter says so on the line before the summary and reports an error through
 * `getLastError()`, which jest counts like a failed test: the run's `success` is false and jest exits with
 * `testFailureExitCode` (1), with or without --forceExit. Focused tests (`.only`, `fit`, `fdescribe`) are refused
 * under CI=true by test/no-focus.ts, which fails the file they are in (counted in M).
 */
class SummaryReporter {
  constructor() {
    this.error = undefined;
  }

  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    this.error = undefined;
    if (process.env.CI === 'true' && skipped > 0) {
      const names = results.testResults.flatMap((file) =>
        file.testResults
          .filter((t) => t.status === 'pending' || t.status === 'todo' || t.status === 'skipped')
          .map((t) => `${file.testFilePath}: ${t.fullName} (${t.status})`),
      );
      this.error = new Error(`${skipped} skipped or todo test(s) under CI=true:\n${names.join('\n')}`);
      process.stdout.write(`\n${this.error.message}\n`);
    }
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }

  getLastError() {
    return this.error;
  }
}
module.exports = SummaryReporter;
