/**
 * Tracing a QFIN call to the release (src/taskpane/trace.ts, release-quote.ts and the argument reading of
 * trace-panel.ts) against the shipped dataset and release text: the figure, where it comes from once, and the line
 * with the figure marked — for a table cell, a sentence, a derived quarter, a stated and a computed ratio, a spill's
 * element; every figure of the dataset marked on its line.
 */
import { readFileSync } from "fs";
import { join } from "path";
import datasetJson from "../../data/dataset.json";
import { CellError, ErrorType } from "../../src/core/cell";
import { buildIndex, type DatasetIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import type { Provenance } from "../../src/core/model";
import { qfinCalls } from "../../src/excel/qfin-calls";
import { quoteFor, tableColumns } from "../../src/taskpane/release-quote";
import { traceCall, type TraceArgument } from "../../src/taskpane/trace";
import { cellArgument, resolveArguments } from "../../src/taskpane/trace-panel";

let index: DatasetIndex;
let lines: string[];

beforeAll(() => {
  index = buildIndex(loadDataset(datasetJson));
  lines = readFileSync(join(__dirname, "../../data/releases/qfin-2023q2-earnings-release.txt"), "utf8").split(/\r?\n/);
});

/** Traces the first call of a formula whose arguments are all constants. */
function trace(formula: string, position?: { row: number; column: number }) {
  const call = qfinCalls(formula)[0];
  if (!call) throw new Error(`no QFIN call in ${formula}`);
  const args = call.args.map((arg): TraceArgument => (arg.kind === "omitted" ? null : arg.kind === "text" || arg.kind === "number" || arg.kind === "boolean" ? arg.value : { unresolved: arg.kind }));
  return traceCall(index, call, args, position);
}

const marked = (source: Provenance): string[] => {
  const focus = quoteFor(index, lines, source).lines.find((line) => line.focus);
  return (focus?.marks ?? []).map(([start, end]) => (focus?.text ?? "").slice(start, end));
};

describe("traceCall", () => {
  it("traces METRIC to its table row, column and line, with SOURCE's words", () => {
    const traced = trace('=QFIN.METRIC("Net income","Q2 2023")');
    expect(traced).toMatchObject({ title: "Net income · Q2 2023", result: "1,093.377", unit: "RMB millions", number: 1093.377, isError: false });
    expect(traced.source).toBe('2023Q2 release, Unaudited Condensed Consolidated Statements of Operations, row "Net income", column "Three months ended June 30, 2023 (RMB)", line 292');
    expect(traced.quotes.map((quote) => [quote.what, quote.provenance.line, marked(quote.provenance)])).toEqual([["Q2 2023 · RMB", 292, ["1,093,377"]]]);
  });

  it("traces a derived quarter to the figures it was derived from", () => {
    const traced = trace('=QFIN.METRIC("Net income","Q1 2023","USD","K")');
    expect(traced).toMatchObject({ result: "128,228", unit: "US$ thousands" });
    expect(traced.source).toContain("derived: H1 2023 − Q2 2023 = 279,010 − 150,782");
    expect(marked(traced.quotes[0]!.provenance)).toEqual(["279,010", "150,782"]);
  });

  it("traces a narrative figure to its sentence", () => {
    const traced = trace('=QFIN.METRIC("Cumulative users with approved credit lines","Jun 30, 2023")');
    expect(traced.result).toBe("47,400,000");
    expect(marked(traced.quotes[0]!.provenance)).toEqual(["47.4 million"]);
  });

  it("traces a stated margin to the release's statement, a computed one to both figures", () => {
    const stated = trace('=QFIN.MARGIN("Net income","Q2 2023")');
    expect(stated).toMatchObject({ result: "27.9%", unit: "stated in the release" });
    expect(stated.quotes.map((quote) => marked(quote.provenance))).toEqual([["27.9%"]]);
    const computed = trace('=QFIN.MARGIN("Net income","Q1 2023")');
    expect(computed).toMatchObject({ result: "25.8%", unit: "computed", source: expect.stringContaining("929,822 ÷ 3,599,174") });
    expect(computed.quotes.map((quote) => quote.provenance.line)).toEqual([292, 274]);
  });

  it("traces growth to the two figures compared, and shows n.m. as the core refuses it", () => {
    const growth = trace('=QFIN.GROWTH("Total net revenue","Q2 2023")');
    expect(growth).toMatchObject({ result: "-6.4%", source: expect.stringContaining("3,914,324 ÷ 4,183,199 − 1") });
    expect(growth.quotes.map((quote) => [quote.what, marked(quote.provenance)])).toEqual([
      ["Q2 2023 · RMB", ["3,914,324"]],
      ["Q2 2022 (compared with) · RMB", ["4,183,199"]],
    ]);
    const notMeaningful = trace('=QFIN.GROWTH("Foreign exchange (loss) gain","Q2 2023","QoQ")');
    expect(notMeaningful).toMatchObject({ isError: true, result: expect.stringMatching(/^#N\/A n\.m\.: /), quotes: [] });
  });

  it("traces an element of a SERIES or STATEMENT spill as the METRIC that gives it", () => {
    const element = trace('=QFIN.SERIES("Net income",,,,TRUE)', { row: 1, column: 2 });
    expect(element).toMatchObject({ call: 'QFIN.METRIC("Net income","Q1 2023")', result: "929.822", note: expect.stringContaining("One figure of the series") });
    expect(trace('=QFIN.SERIES("Net income",,,,TRUE)', { row: 0, column: 2 }).note).toBe("This cell is the series' header: the period Q1 2023.");
    const line = trace('=QFIN.STATEMENT("Operations","Q2 2023")', { row: 0, column: 1 });
    expect(line).toMatchObject({ title: "Credit-driven services · Q2 2023", result: "2,788.707" });
  });

  it("says what it cannot follow, and answers errors as the cell does", () => {
    const call = qfinCalls("=QFIN.METRIC(A1&B1,\"Q2 2023\")")[0]!;
    expect(traceCall(index, call, [{ unresolved: "An argument is computed (A1&B1)" }, "Q2 2023"]).note).toContain("computed");
    expect(trace('=QFIN.METRIC("Revenu","Q2 2023")')).toMatchObject({ isError: true, result: '#N/A Unknown line item "Revenu"; did you mean "Total net revenue"?' });
    expect(trace("=QFIN.CHECK()").note).toContain("no figure from a release line");
  });
});

describe("quoteFor", () => {
  it("marks every figure of the dataset on its release line, exactly once where the line prints it once", () => {
    let quotes = 0;
    for (const fact of index.dataset.facts) {
      for (const source of [fact.source, ...(fact.copies ?? [])]) {
        const quote = quoteFor(index, lines, source);
        const focus = quote.lines.find((line) => line.focus);
        expect({ line: source.line, item: fact.item, note: quote.note, marks: (focus?.marks.length ?? 0) > 0 }).toEqual({ line: source.line, item: fact.item, note: null, marks: true });
        quotes++;
      }
    }
    expect(quotes).toBeGreaterThan(800);
  });

  it("tells a figure printed twice on a row apart by its column", () => {
    const columns = tableColumns(index, lines, "2023Q2", "Unaudited Condensed Consolidated Statements of Operations");
    expect(columns.get("Three months ended June 30, 2023 (RMB)")).toBe(2);
    expect(columns.get("Six months ended June 30, 2023 (RMB)")).toBe(5);
    const halfYear = index.dataset.facts.find((fact) => fact.item === "ops.investment_loss" && fact.period === "2023H1" && fact.currency === "RMB")!;
    const focus = quoteFor(index, lines, halfYear.source).lines.find((line) => line.focus)!;
    expect(focus.text.split("\t")[5]).toBe("(30,112)");
    expect(focus.marks).toEqual([[focus.text.lastIndexOf("(30,112)"), focus.text.lastIndexOf("(30,112)") + 8]]);
  });

  it("quotes the lines around, and says so when a figure is not on its line", () => {
    const quote = quoteFor(index, lines, { release: "2023Q2", line: 292, printed: "1,093,377" }, 1);
    expect(quote.lines.map((line) => [line.number, line.focus])).toEqual([[291, false], [292, true], [293, false]]);
    expect(quoteFor(index, lines, { release: "2023Q2", line: 292, printed: "9,999,999" }).note).toBe("“9,999,999” is not found on line 292 as printed.");
  });
});

describe("reading a traced formula's arguments", () => {
  it("reads each referenced cell once, in one call, and passes Excel's values as Excel would", async () => {
    const calls = qfinCalls("=QFIN.METRIC($B6,C$4)/QFIN.METRIC($B7,C$4)");
    const asked: unknown[] = [];
    const args = await resolveArguments(calls, "Income statement", async (refs) => {
      asked.push(refs);
      return refs.map((ref) => ({ B6: "ops.net_income", B7: "ops.total_net_revenue", C4: "latest" })[ref.address as "B6" | "B7" | "C4"]);
    });
    expect(asked).toEqual([[{ sheet: "Income statement", address: "B6" }, { sheet: "Income statement", address: "C4" }, { sheet: "Income statement", address: "B7" }]]);
    expect(args).toEqual([["ops.net_income", "latest"], ["ops.total_net_revenue", "latest"]]);
    expect([cellArgument(""), cellArgument(3), cellArgument("#N/A")]).toEqual([null, 3, new CellError(ErrorType.NA, "")]);
  });

  it("says why it cannot read cells in the workbench, or when Excel fails to answer", async () => {
    const calls = qfinCalls("=QFIN.METRIC(B6,\"Q2 2023\")");
    expect((await resolveArguments(calls, null, null))[0]?.[0]).toEqual({ unresolved: expect.stringContaining("the workbench has no cells") });
    const failed = await resolveArguments(calls, "Sheet1", async () => {
      throw new Error("ItemNotFound");
    });
    expect(failed[0]?.[0]).toEqual({ unresolved: "Could not read B6 from Excel: ItemNotFound" });
  });
});
