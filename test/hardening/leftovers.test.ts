/**
 * Issue 15's smaller items, each held by a test (the last pass of the issue): the memos with raw long argument text
 * (§11), `splitPath` at Excel's 32,767 characters (§9), error values passed in (§13), SERIES wider than Excel's
 * 16,384 columns (§13), `qfin ingest` into a folder that is not there (§13), and the temporary files of writes killed
 * anywhere inside the write window (§13). Times are printed, never asserted beyond a bound that only a hang would
 * cross.
 */
import { spawn } from "child_process";
import fs, { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { excelFunction } from "../../src/addin/custom-functions";
import { fromExcelArgument, toExcelMatrix } from "../../src/addin/excel-values";
import { writeFileAtomic } from "../../src/cli/atomic-file";
import { runQfin } from "../../src/cli/main";
import { CellError, ErrorType, type ArgValue } from "../../src/core/cell";
import { MEMO_KEY_LIMIT } from "../../src/core/dataset-index";
import * as resolution from "../../src/core/resolve-item";
import * as textMatch from "../../src/core/text-match";
import { evaluateFormula } from "../../src/engine";
import { FUNCTIONS } from "../../src/functions/catalogue";
import { invoke } from "../../src/functions/invoke";
import { RELEASE_PATH, shippedIndex } from "../support/release";

const ROOT = join(__dirname, "..", "..");
const EXCEL_MAX_CELL_TEXT = 32_767;
/** Far beyond what any of these takes on a loaded 2-core machine; only a hang (the old 30 s) crosses it. */
const HANG_BOUND_MS = 10_000;
const NET_INCOME_Q2_2023 = 1093.377;

function timed<T>(what: string, run: () => T): T {
  const started = performance.now();
  const value = run();
  const ms = performance.now() - started;
  console.log(`${what}: ${ms.toFixed(0)} ms`);
  expect(ms).toBeLessThan(HANG_BOUND_MS);
  return value;
}

interface ExcelErrorLike {
  code: string;
  message?: string;
}
const asExcelError = (value: unknown): ExcelErrorLike => {
  expect(value).toBeInstanceOf(CustomFunctions.Error);
  return value as ExcelErrorLike;
};

describe("§11 the memos and raw long argument text", () => {
  /** Every text key either level of the function-result memo holds. */
  function memoKeys(): string[] {
    const memos = shippedIndex().callMemos as Map<string, { results: Map<unknown, Map<string, unknown>> }>;
    expect(memos.size).toBeGreaterThan(0);
    const keys: string[] = [];
    for (const { results } of memos.values()) {
      for (const [first, rest] of results) {
        if (typeof first === "string") keys.push(first);
        keys.push(...rest.keys());
      }
    }
    return keys;
  }

  test("4,000 calls with distinct 16,500-character periods (one length, so V8 hashes them alike) all answer, none is remembered", () => {
    const index = shippedIndex();
    // "Q2 2023" at a different place in 16,500 spaces each time: 4,000 different texts, every one a valid period.
    const periods = Array.from({ length: 4_000 }, (_, at) => `${" ".repeat(at)}Q2 2023${" ".repeat(16_500 - 7 - at)}`);
    expect(new Set(periods).size).toBe(4_000);
    expect(periods.every((period) => period.length === 16_500)).toBe(true);
    const results = timed("4,000 METRIC calls, distinct 16,500-character periods", () => periods.map((period) => invoke(index, "METRIC", ["Net income", period, null, null, null])));
    expect(results.filter((result) => result === NET_INCOME_Q2_2023)).toHaveLength(4_000);
    expect(memoKeys().filter((key) => key.length > MEMO_KEY_LIMIT)).toEqual([]);
  });

  test("4,000 calls with distinct 16,500-character items, and 4,000 with one such period repeated, answer alike", () => {
    const index = shippedIndex();
    const items = Array.from({ length: 4_000 }, (_, at) => `${" ".repeat(at)}Net income${" ".repeat(16_500 - 10 - at)}`);
    const byItem = timed("4,000 METRIC calls, distinct 16,500-character items", () => items.map((item) => invoke(index, "METRIC", [item, "Q2 2023", null, null, null])));
    expect(byItem.filter((result) => result === NET_INCOME_Q2_2023)).toHaveLength(4_000);
    const period = `Q2 2023${" ".repeat(16_493)}`;
    const repeated = timed("4,000 METRIC calls, one 16,500-character period", () => Array.from({ length: 4_000 }, () => invoke(index, "METRIC", ["Net income", period, null, null, null])));
    expect(repeated.filter((result) => result === NET_INCOME_Q2_2023)).toHaveLength(4_000);
    // Refused texts of that length too: not a period, answered the same each time.
    const junk = Array.from({ length: 4_000 }, (_, at) => `${"x".repeat(at)}${"y".repeat(16_500 - at)}`);
    const refused = timed("4,000 METRIC calls, distinct 16,500-character non-periods", () => junk.map((text) => invoke(index, "METRIC", ["Net income", text, null, null, null])));
    expect(refused.filter((result) => result instanceof CellError && result.type === ErrorType.VALUE)).toHaveLength(4_000);
    expect(memoKeys().filter((key) => key.length > MEMO_KEY_LIMIT)).toEqual([]);
  });

  test("a label padded to 32,767 characters against a row of 16,384 periods is resolved once, not once per cell", () => {
    const spy = jest.spyOn(resolution, "resolveItem");
    try {
      const label = `Net income${" ".repeat(EXCEL_MAX_CELL_TEXT - 10)}`;
      const row = [Array<string>(16_384).fill("Q2 2023")];
      const result = timed("METRIC(32,767-character label, 16,384 periods)", () => invoke(shippedIndex(), "METRIC", [label, row, null, null, null]));
      expect(Array.isArray(result) && result.length === 1 && result[0]?.length === 16_384).toBe(true);
      expect((result as unknown[][])[0]?.every((cell) => cell === NET_INCOME_Q2_2023)).toBe(true);
      // Once per call (the memo cannot keep text this long, so every call resolves it again — but only once).
      expect(spy.mock.calls.filter(([, typed]) => typed === label)).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("§9 splitPath at 32,767 characters (through item resolution, the only caller)", () => {
  const index = shippedIndex();
  const pad = (text: string, at: "start" | "end" = "end"): string => (at === "end" ? `${text}${" ".repeat(EXCEL_MAX_CELL_TEXT - text.length)}` : `${" ".repeat(EXCEL_MAX_CELL_TEXT - text.length)}${text}`);
  test.each([
    ["a path padded at the end", pad("Platform services > Other services fees"), "ops.platform_services.other_services_fees"],
    ["a path padded at the start", pad("Platform services > Other services fees", "start"), "ops.platform_services.other_services_fees"],
    ["a path with 32,000 spaces around its separator", `Platform services${" ".repeat(16_000)}>${" ".repeat(EXCEL_MAX_CELL_TEXT - 17 - 16_001 - 19)}Other services fees`, null],
    ["500 separators in 32,767 characters", pad("> ".repeat(500)), null],
    ["separators of every kind (> › ») padded", pad("Net income ›» > ".repeat(60)), null],
    ["32,767 separators", ">".repeat(EXCEL_MAX_CELL_TEXT), null],
    ["32,767 alternating separators and spaces", "> ".repeat(16_384).slice(0, EXCEL_MAX_CELL_TEXT), null],
  ])("%s: resolved or refused as a value, at once", (what, typed, expected) => {
    expect(typed.length).toBe(EXCEL_MAX_CELL_TEXT);
    const result = timed(`resolveItem: ${what}`, () => resolution.resolveItem(index, typed));
    if (expected === null) {
      expect(result).toBeInstanceOf(CellError);
      expect([ErrorType.NA, ErrorType.VALUE]).toContain((result as CellError).type);
    } else {
      expect(result).toMatchObject({ id: expected });
    }
    // …and through the function, as Excel passes a cell holding that text.
    const answer = timed(`METRIC: ${what}`, () => invoke(index, "METRIC", [typed, "Q2 2023", null, null, null]));
    if (expected === null) expect(answer).toBeInstanceOf(CellError);
    else expect(typeof answer).toBe("number");
  });
});

describe("§13 error values passed in are the result, never an internal error", () => {
  const ERROR_FORMS: [string, () => unknown, ExcelErrorLike][] = [
    ["Excel's error object", () => ({ code: "#DIV/0!" }), { code: "#DIV/0!" }],
    ["Excel's error object with a message", () => ({ code: "#N/A", message: "not reported upstream" }), { code: "#N/A", message: "not reported upstream" }],
    ["a CustomFunctions.Error", () => new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidNumber), { code: "#NUM!" }],
    ["the core's CellError", () => new CellError(ErrorType.NA, "from the workbench"), { code: "#N/A", message: "from the workbench" }],
    ["an error cell value (#DIV/0!)", () => ({ type: "Error", basicType: "Error", basicValue: "#DIV/0!", errorType: "Div0" }), { code: "#DIV/0!" }],
    ["an error cell value by errorType only", () => ({ type: "Error", errorType: "NotAvailable" }), { code: "#N/A" }],
    ["an error cell value Excel has and the core has not (#SPILL!)", () => ({ type: "Error", basicValue: "#SPILL!", errorType: "Spill" }), { code: "#VALUE!", message: "Unsupported argument value: the error #SPILL!." }],
    ['a bare { type: "Error" }', () => ({ type: "Error" }), { code: "#VALUE!", message: "Unsupported argument value: an error value." }],
  ];
  const withParams = FUNCTIONS.filter((fn) => fn.params.length > 0);

  test.each(ERROR_FORMS)("%s, in every position of every function, through the Excel entry", (_, make, expected) => {
    let calls = 0;
    for (const fn of withParams) {
      const spills = fn.result === "matrix" || fn.params.some((param) => param.maps === true);
      const call = excelFunction(fn.id, spills);
      for (let position = 0; position < fn.params.length; position++) {
        for (const asRange of [false, true]) {
          const args: unknown[] = fn.params.map(() => null);
          args[position] = asRange ? [[make()]] : make();
          const result = call(...args);
          const cell = Array.isArray(result) ? result[0]?.[0] : result;
          const error = asExcelError(cell);
          expect(error.code).toBe(expected.code);
          if (expected.message !== undefined) expect(error.message).toBe(expected.message);
          expect(error.message ?? "").not.toMatch(/internal error/i);
          calls++;
        }
      }
    }
    expect(calls).toBe(2 * withParams.reduce((sum, fn) => sum + fn.params.length, 0));
  });

  test("an error among other cells of a range is that cell's result; the other cells answer", () => {
    const call = excelFunction("METRIC", true);
    const result = call([["Net income"], [{ type: "Error", basicValue: "#DIV/0!", errorType: "Div0" }], [{ code: "#N/A" }]], "Q2 2023", null, null, null) as unknown[][];
    expect(result[0]?.[0]).toBe(NET_INCOME_Q2_2023);
    expect(asExcelError(result[1]?.[0]).code).toBe("#DIV/0!");
    expect(asExcelError(result[2]?.[0]).code).toBe("#N/A");
  });

  test("the core's CellError through invoke (the engine's path) is returned as it is, in every position", () => {
    const upstream = new CellError(ErrorType.REF, "a deleted cell");
    for (const fn of withParams) {
      for (let position = 0; position < fn.params.length; position++) {
        const args: ArgValue[] = fn.params.map(() => null);
        args[position] = upstream;
        expect(invoke(shippedIndex(), fn.id, args)).toBe(upstream);
      }
    }
  });

  test("fromExcelArgument reads error cell values as errors and leaves entities (whose basic value is #VALUE!) as their text", () => {
    expect(fromExcelArgument({ type: "Error", basicValue: "#NULL!", errorType: "Null" })).toEqual(new CellError(ErrorType.NULL, ""));
    expect(fromExcelArgument({ type: "Error", errorType: "__proto__" })).toEqual(new CellError(ErrorType.VALUE, "Unsupported argument value: the error __proto__."));
    expect(fromExcelArgument({ type: "Entity", text: "Net income", basicType: "Error", basicValue: "#VALUE!", properties: {} })).toBe("Net income");
  });
});

describe("§13 SERIES wider than Excel's 16,384 columns is refused at the Excel boundary, with a message", () => {
  const series = excelFunction("SERIES", true);
  const periods = (count: number): string[][] => [Array.from({ length: count }, (_, at) => ["Q1 2023", "Q2 2023"][at % 2] as string)];

  test("16,384 periods spill as 16,384 columns", () => {
    const result = timed("SERIES over 16,384 periods", () => series("Net income", periods(16_384), null, null, null)) as unknown[][];
    expect(result).toHaveLength(1);
    expect(result[0]).toHaveLength(16_384);
    expect(result[0]?.[1]).toBe(NET_INCOME_Q2_2023);
  });

  test.each([
    [16_385, false, "The result would be 1 rows by 16385 columns, more than a worksheet holds (1,048,576 × 16,384). Ask for fewer items or periods."],
    [16_385, true, "The result would be 2 rows by 16385 columns, more than a worksheet holds (1,048,576 × 16,384). Ask for fewer items or periods."],
    [100_000, false, "The result would be 1 rows by 100000 columns, more than a worksheet holds (1,048,576 × 16,384). Ask for fewer items or periods."],
  ])("%i periods (header %s) are one #VALUE! saying why", (count, header, message) => {
    const result = timed(`SERIES over ${count} periods`, () => series("Net income", periods(count), null, null, header)) as unknown[][];
    expect(result).toHaveLength(1);
    expect(result[0]).toHaveLength(1);
    expect(asExcelError(result[0]?.[0])).toMatchObject({ code: "#VALUE!", message });
  });

  test("the boundary itself: 16,384 columns pass, 16,385 do not, whatever the function", () => {
    expect(toExcelMatrix([Array<number>(16_384).fill(1)])[0]).toHaveLength(16_384);
    expect(asExcelError(toExcelMatrix([Array<number>(16_385).fill(1)])[0]?.[0]).code).toBe("#VALUE!");
    const metric = excelFunction("METRIC", true)("Net income", periods(16_385), null, null, null) as unknown[][];
    expect(asExcelError(metric[0]?.[0]).message).toMatch(/^The result would be 1 rows by 16385 columns/);
  });
});

describe("§13 qfin ingest into a folder that is not there: one sentence, no stack trace, nothing written", () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "qfin-leftovers-"));
    writeFileSync(join(work, "a-file"), "not a folder");
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  async function ingest(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runQfin(["ingest", RELEASE_PATH, ...args], { out: (text) => out.push(text), err: (text) => err.push(text) });
    return { code, out: out.join(""), err: err.join("") };
  }

  test.each([
    ["--out in a missing folder", () => ["--out", join(work, "missing", "dataset.json")], () => `the folder ${join(work, "missing")} does not exist`],
    ["--out two missing folders deep", () => ["--out", join(work, "missing", "deeper", "dataset.json")], () => `the folder ${join(work, "missing", "deeper")} does not exist`],
    ["--into a dataset in a missing folder", () => ["--into", join(work, "missing", "dataset.json")], () => `the folder ${join(work, "missing")} does not exist`],
    ["--out under a file, as if it were a folder", () => ["--out", join(work, "a-file", "dataset.json")], () => "not a directory"],
  ])("%s", async (_, args, says) => {
    const run = await ingest(args());
    expect(run.code).toBe(1);
    expect(run.out).toBe("");
    expect(run.err).toContain(says());
    expect(run.err.split("\n").filter((line) => line !== "")).toHaveLength(1);
    expect(run.err).toMatch(/^qfin ingest: .*\.\n$/);
    expect(run.err).not.toMatch(/\n\s+at /);
    expect(readdirSync(work)).toEqual(["a-file"]);
  });
});

describe("§13 every kill inside the write window leaves no temporary file after the next write", () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), "qfin-kills-"));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  type KillPoint = "before the first byte" | "half written" | "written, flushed and checked, before the rename";
  const POINTS: KillPoint[] = ["before the first byte", "half written", "written, flushed and checked, before the rename"];

  /** A child process writing `target` that stops at `point`, says so, and waits there to be killed. */
  async function killWriterAt(target: string, point: KillPoint): Promise<number> {
    const stop = `process.stdout.write("in the window\\n"); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);`;
    const script = `
      const fs = require("fs");
      const { writeFileAtomic } = require(${JSON.stringify(join(ROOT, "src", "cli", "atomic-file.ts"))});
      const point = ${JSON.stringify(point)};
      writeFileAtomic(${JSON.stringify(target)}, Buffer.alloc(200000, 120), {
        write: (fd, buffer, offset, length) => {
          if (point === "before the first byte") { ${stop} }
          const count = fs.writeSync(fd, buffer, offset, point === "half written" ? Math.ceil(length / 2) : length);
          if (point === "half written") { ${stop} }
          return count;
        },
        beforeReplace: () => { if (point === "written, flushed and checked, before the rename") { ${stop} } },
      });`;
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("in the window") && resolve());
      child.on("exit", (code) => reject(new Error(`the writer exited (${code}) before it reached "${point}"`)));
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    return child.pid as number;
  }

  const temporaries = (): string[] => readdirSync(work).filter((name) => name.endsWith(".tmp"));

  test.each(POINTS)("killed %s: the target is whole, one temporary file is left, and the next write removes it", async (point) => {
    const target = join(work, "dataset.json");
    writeFileSync(target, "the good dataset");
    const pid = await killWriterAt(target, point);
    expect(readFileSync(target, "utf8")).toBe("the good dataset");
    expect(temporaries()).toEqual([expect.stringMatching(new RegExp(`^\\.dataset\\.json\\.qfin\\.${pid}\\.\\d+\\.tmp$`))]);
    writeFileAtomic(target, Buffer.from("the next dataset"));
    expect(readdirSync(work)).toEqual(["dataset.json"]);
    expect(readFileSync(target, "utf8")).toBe("the next dataset");
  });

  test("writers killed one after another, at each point: each removes the one before's leftover, the next write leaves only the target", async () => {
    const target = join(work, "model.xlsx");
    writeFileSync(target, "the user's workbook");
    for (const point of [...POINTS, ...POINTS]) {
      const pid = await killWriterAt(target, point);
      // The killed writer's own temporary file only: it removed its dead predecessor's before it began.
      expect(temporaries()).toEqual([expect.stringMatching(new RegExp(`^\\.model\\.xlsx\\.qfin\\.${pid}\\.\\d+\\.tmp$`))]);
      expect(readFileSync(target, "utf8")).toBe("the user's workbook");
    }
    writeFileAtomic(target, Buffer.from("refreshed"));
    expect(readdirSync(work)).toEqual(["model.xlsx"]);
  });
});

describe("found by the hostile-input probe", () => {
  test("a full disk that refuses even the lock file: qfin ingest says so in one sentence, and leaves no lock", async () => {
    const work = mkdtempSync(join(tmpdir(), "qfin-lock-full-"));
    const realOpen = fs.openSync;
    const realWrite = fs.writeSync;
    const lockFds = new Set<number>();
    const open = jest.spyOn(fs, "openSync").mockImplementation(((path: fs.PathLike, ...rest: never[]) => {
      const fd = (realOpen as (...args: unknown[]) => number)(path, ...rest);
      if (String(path).endsWith(".lock")) lockFds.add(fd);
      return fd;
    }) as typeof fs.openSync);
    const write = jest.spyOn(fs, "writeSync").mockImplementation(((fd: number, ...rest: never[]) => {
      if (lockFds.has(fd)) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      return (realWrite as (...args: unknown[]) => number)(fd, ...rest);
    }) as typeof fs.writeSync);
    try {
      const out = join(work, "dataset.json");
      const err: string[] = [];
      const code = await runQfin(["ingest", RELEASE_PATH, "--out", out], { out: () => undefined, err: (text) => err.push(text) });
      expect(lockFds.size).toBe(1);
      expect(code).toBe(1);
      expect(err.join("")).toMatch(/^qfin ingest: cannot write .*dataset\.json: cannot write the lock file .*dataset\.json\.lock \(the disk is full \(ENOSPC\)\); nothing was written\.\n$/);
      expect(readdirSync(work)).toEqual([]);
    } finally {
      open.mockRestore();
      write.mockRestore();
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("a formula whose result is an array with no cells is #VALUE! saying so, not nothing", () => {
    const formula = '=LEN("",CHAR(9),{" ","FY99999","";TRUE,#REF!,"x"}):IFERROR(1/0)';
    expect(evaluateFormula(shippedIndex(), formula)).toEqual(new CellError(ErrorType.VALUE, "The formula returned a reference or value a cell cannot hold."));
    // What still spills is rectangular.
    expect(evaluateFormula(shippedIndex(), "={1,2;3,4}")).toEqual([[1, 2], [3, 4]]);
  });

  test("a number no cell can hold inside an array (400 digits: Infinity) is #NUM!, as it already was on its own", () => {
    const huge = "9".repeat(400);
    expect(evaluateFormula(shippedIndex(), `=${huge}`)).toEqual(new CellError(ErrorType.NUM, ""));
    expect(evaluateFormula(shippedIndex(), `={${huge},1}`)).toEqual([[new CellError(ErrorType.NUM, ""), 1]]);
    expect(evaluateFormula(shippedIndex(), `=-{${huge}}`)).toEqual([[new CellError(ErrorType.NUM, "")]]);
  });

  test("QFIN.ITEMS with one word pasted many times corrects the word once (it compared each copy with every word)", () => {
    const index = shippedIndex();
    const spy = jest.spyOn(textMatch, "editDistance");
    try {
      const once = invoke(index, "ITEMS", ["revnuexyz", null]);
      const comparisonsOnce = spy.mock.calls.length;
      spy.mockClear();
      const pasted = timed("ITEMS of one word 3,200 times (32,000 characters)", () => invoke(index, "ITEMS", ["revnuexyz ".repeat(3_200), null]));
      expect(comparisonsOnce).toBeGreaterThan(100);
      // The search reads the first 500 characters: 50 copies of the word, each ending in a space.
      expect(spy.mock.calls.length).toBe(comparisonsOnce);
      expect(pasted).toBeInstanceOf(CellError);
      expect(once).toBeInstanceOf(CellError);
    } finally {
      spy.mockRestore();
    }
  });
});
