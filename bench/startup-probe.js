// @ts-check
/**
 * Runs in a fresh Node process (bench/startup-benchmark.ts spawns it): loads the production functions bundle the
 * way Excel's runtime does — one script, with the `CustomFunctions` host object present — and calls METRIC once.
 * Prints one JSON line with the timings. `baseline` mode only parses the dataset JSON: the irreducible cost of
 * having the data at all.
 *
 *   node bench/startup-probe.js <build dir> bundle|baseline <dataset.json>
 */
const { readFileSync } = require("fs");
const { join } = require("path");
const { performance } = require("perf_hooks");
const vm = require("vm");

const [buildDir, mode, datasetPath] = process.argv.slice(2);

/** @type {Record<string, (...args: unknown[]) => unknown>} */
const registered = {};
class CustomFunctionsError extends Error {
  /** @param {string} code @param {string} [message] */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}
// The host stub: what Excel's runtime provides before it loads functions.js.
Object.assign(globalThis, {
  self: globalThis,
  window: globalThis,
  CustomFunctions: {
    Error: CustomFunctionsError,
    ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A", divisionByZero: "#DIV/0!", invalidNumber: "#NUM!", nullReference: "#NULL!", invalidName: "#NAME?", invalidReference: "#REF!" },
    /** @param {string} id @param {(...args: unknown[]) => unknown} fn */
    associate: (id, fn) => {
      registered[id] = fn;
    },
  },
});

const start = performance.now();
if (mode === "baseline") {
  const json = JSON.parse(readFileSync(datasetPath, "utf8"));
  const end = performance.now();
  process.stdout.write(JSON.stringify({ totalMs: end - start, facts: json.facts.length }) + "\n");
} else {
  const file = join(buildDir, "functions.js");
  const code = readFileSync(file, "utf8");
  const read = performance.now();
  vm.runInThisContext(code, { filename: file });
  const loaded = performance.now();
  const metric = registered.METRIC;
  if (!metric) throw new Error("the bundle registered no METRIC");
  // As Excel calls it by functions.json: every parameter, item and period (declared matrix) as 1×1 ranges.
  const result = metric([["Net income"]], [["Q2 2023"]], null, null, null);
  const end = performance.now();
  const value = Array.isArray(result) ? result[0]?.[0] : result;
  if (typeof value !== "number") throw new Error(`METRIC returned ${JSON.stringify(result)}`);
  process.stdout.write(
    JSON.stringify({ totalMs: end - start, readMs: read - start, evaluateMs: loaded - read, firstCallMs: end - loaded, value, functions: Object.keys(registered).length }) + "\n",
  );
}
