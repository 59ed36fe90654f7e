/**
 * Every QFIN function, with the committed dataset loaded, given any arguments Excel can pass (and some it cannot,
 * such as NaN): the call never throws, returns an Excel-shaped value (see `excelShapeProblem`), leaves its arguments
 * alone and is deterministic — the same arguments give a deep-equal result, whether the memo caches are warm or the
 * dataset was just reloaded.
 */
import fc from "fast-check";
import { readFileSync } from "fs";
import { CellError, type ArgValue, type FunctionResult } from "../../src/core/cell";
import { buildIndex, type DatasetIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import type { Dataset } from "../../src/core/model";
import { invoke } from "../../src/functions/invoke";
import { FUNCTIONS as FUNCTION_SPECS } from "../../src/functions/catalogue";
import { isOptional } from "../../src/functions/define";
import { DATASET_PATH } from "../support/release";
import { anyShortArgument, argumentLists, copyArguments, datasetValues, excelShapeProblem, EXCEL_MAX_CELL_TEXT, type DatasetValues } from "./excel-arguments";

const RUNS = 200;
const SEED = 6; // issue 6

let dataset: Dataset;
let values: DatasetValues;
let index: DatasetIndex;

/** Calls a function, turning a throw into a failure that names the arguments. */
function call(id: (typeof FUNCTION_SPECS)[number]["id"], args: readonly ArgValue[]): FunctionResult {
  try {
    return invoke(index, id, args);
  } catch (error) {
    throw new Error(`QFIN.${id} threw: ${String(error)}`);
  }
}

beforeAll(() => {
  dataset = loadDataset(JSON.parse(readFileSync(DATASET_PATH, "utf8")));
  index = buildIndex(dataset);
  values = datasetValues(index);
});

describe.each(FUNCTION_SPECS.map((spec) => [spec.id, spec] as const))("QFIN.%s with any arguments", (id, spec) => {
  it("never throws, returns an Excel-shaped value, leaves its arguments alone and is deterministic", () => {
    let successes = 0;
    let attempts = 0;
    fc.assert(
      fc.property(argumentLists(values, spec), (args) => {
        // Excel never passes more arguments than a function declares; those calls must only fail cleanly.
        if (args.length <= spec.params.length) attempts++;
        const before = copyArguments(args);
        const first = call(id, args);
        expect(excelShapeProblem(first, args)).toBeNull();
        expect(args).toStrictEqual(before);
        expect(call(id, args)).toStrictEqual(first);
        if (!(first instanceof CellError)) successes++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The generators are biased toward valid arguments: a property that only ever saw errors would prove little.
    expect(successes).toBeGreaterThan(spec.params.length === 0 ? attempts / 2 : attempts / 20);
  });
});

describe("determinism across a dataset reload (cold caches)", () => {
  it("gives the same result before and after the dataset is loaded again", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FUNCTION_SPECS).chain((spec) => fc.tuple(fc.constant(spec.id), argumentLists(values, spec, anyShortArgument))), ([id, args]) => {
        const warm = call(id, args);
        const reloaded = invoke(buildIndex(dataset), id, args);
        expect(reloaded).toStrictEqual(warm);
      }),
      { seed: SEED + 1, numRuns: 60 },
    );
  });
});

describe("the longest text a cell can hold", () => {
  // Excel passes up to 32,767 characters from a referenced cell. One text per parameter kind, not a property: an
  // unknown item (or a many-word search) this long takes seconds, because suggestions compare it with every name
  // (reported as a performance gap). Items get a real label padded with spaces, which must still resolve.
  const padded = (label: string): string => `${label}${" ".repeat(EXCEL_MAX_CELL_TEXT - label.length)}`;
  const longTextFor = (param: string): string => {
    if (param === "item" || param === "base") return padded("Net income");
    if (param === "query") return "日本".repeat(EXCEL_MAX_CELL_TEXT / 2);
    return "Q2 2023 净利润 > ".repeat(3000).slice(0, EXCEL_MAX_CELL_TEXT);
  };

  it.each(FUNCTION_SPECS.filter((spec) => spec.params.length > 0).map((spec) => [spec.id, spec] as const))(
    "QFIN.%s returns an Excel-shaped value for it in any argument position",
    (id, spec) => {
      for (let position = 0; position < spec.params.length; position++) {
        const args: ArgValue[] = spec.params.map((param) => (isOptional(param) ? null : param.name === "period" ? "Q2 2023" : "Net income"));
        if (id === "STATEMENT") args[0] = "Operations";
        args[position] = longTextFor(spec.params[position]?.name ?? "");
        const result = call(id, args);
        expect(excelShapeProblem(result, args)).toBeNull();
        expect(call(id, args)).toStrictEqual(result);
        if (spec.params[position]?.name === "item") expect(result).not.toBeInstanceOf(CellError);
      }
    },
  );
});
