/**
 * The QFIN calls of a formula with their arguments as written, for the pane's trace: typed and saved spellings,
 * nested calls, strings holding commas and parentheses, references with and without a sheet.
 */
import { qfinCalls } from "../../src/excel/qfin-calls";

describe("qfinCalls", () => {
  it("finds the call inside other functions, its arguments as cells", () => {
    expect(qfinCalls("=ROUND(QFIN.MARGIN($B6,C$4),3)")).toEqual([
      {
        id: "MARGIN",
        text: "QFIN.MARGIN($B6,C$4)",
        args: [
          { kind: "cell", sheet: null, address: "B6", text: "$B6" },
          { kind: "cell", sheet: null, address: "C4", text: "C$4" },
        ],
      },
    ]);
  });

  it("reads text, numbers, booleans and omitted arguments, with commas and parentheses inside strings", () => {
    expect(qfinCalls('=QFIN.SERIES("Net income, (GAAP)",,"RMB",1.5%,TRUE)')[0]?.args).toEqual([
      { kind: "text", value: "Net income, (GAAP)" },
      { kind: "omitted" },
      { kind: "text", value: "RMB" },
      { kind: "number", value: 0.015 },
      { kind: "boolean", value: true },
    ]);
    expect(qfinCalls('=QFIN.METRIC("Say ""hi""","Q2 2023")')[0]?.args[0]).toEqual({ kind: "text", value: 'Say "hi"' });
  });

  it("names a quoted sheet, and calls what it cannot follow an expression", () => {
    const [outer, inner] = qfinCalls("=QFIN.METRIC(QFIN.METRIC(\"a\",\"b\"),'Income statement'!C$4)/QFIN.METRIC(A1:B2,1)");
    expect(outer?.args).toEqual([
      { kind: "expression", text: 'QFIN.METRIC("a","b")' },
      { kind: "cell", sheet: "Income statement", address: "C4", text: "'Income statement'!C$4" },
    ]);
    expect(inner?.text).toBe('QFIN.METRIC("a","b")');
    expect(qfinCalls("=QFIN.METRIC(A1:B2,1)")[0]?.args[0]).toEqual({ kind: "expression", text: "A1:B2" });
  });

  it("reads formulas as Excel saves them, and ignores QFIN inside strings and unclosed calls", () => {
    expect(qfinCalls('=_xldudf_QFIN_GROWTH($B9,D$4,"QoQ")').map((call) => call.text)).toEqual(['QFIN.GROWTH($B9,D$4,"QoQ")']);
    expect(qfinCalls('="QFIN.METRIC(1,2)"')).toEqual([]);
    expect(qfinCalls('=QFIN.METRIC("Net income"')).toEqual([]);
    expect(qfinCalls("=QFIN.VERSION()")).toEqual([{ id: "VERSION", text: "QFIN.VERSION()", args: [] }]);
  });
});
