// Prints the plain closing line CI reads: "N passed, N failed".
// With CONSORT_TEST_SUMMARY=FILE it also writes the counts there, for test/run.mjs to add up
// the SQLite and PostgreSQL runs into the one closing line.
const { writeFileSync } = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const lane = process.env.CONSORT_TEST_PG ? ' (PostgreSQL)' : '';
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${lane}\n`);
    if (process.env.CONSORT_TEST_SUMMARY) writeFileSync(process.env.CONSORT_TEST_SUMMARY, JSON.stringify({ passed: results.numPassedTests, failed, skipped }));
  }
}
module.exports = SummaryReporter;
