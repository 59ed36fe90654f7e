/**
 * Recalc on workbooks whose references reach far (issue 15 §10): a whole-sheet array area, a SUM over
 * C1:ZZ1048575, a range whose used part is still too large to read, many formulas reading one range, and cycles
 * through a range. These once hung or ran out of memory; each must now finish with the right values and say what it
 * did. (How fast recalc is, and that it grows linearly, is measured by `npm run bench`, not here.)
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runQfin } from "../../src/cli/main";
import { recalculateXlsx } from "../../src/workbook/recalc-xlsx";
import { shippedIndex } from "../support/release";
import { minimalXlsx, worksheet } from "../support/xlsx-package";

const index = shippedIndex();
const Q1 = 929.822;
const Q2 = 1093.377;
const book = (rows: string): Buffer => minimalXlsx([{ name: "S", xml: worksheet(rows) }]);
const after = (report: { changes: { cell: string; after: unknown }[] }): Record<string, unknown> => Object.fromEntries(report.changes.map((change) => [change.cell, change.after]));

describe("10. references that reach the edge of the grid", () => {
  it("a whole-sheet array area (A1:XFD1048576) is capped to the cells the sheet has, and the cap is reported", async () => {
    const input = book(
      '<row r="1"><c r="A1"><f t="array" ref="A1:XFD1048576">QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"})</f><v>0</v></c><c r="B1"><v>0</v></c><c r="C1"><v>5</v></c></row>' +
        '<row r="3"><c r="A3"><f>SUM(A1:B1)</f><v>0</v></c></row>',
    );
    const { report } = await recalculateXlsx(input, index);
    expect(after(report)).toEqual({ "S!A1": Q1, "S!B1": Q2, "S!C1": null, "S!A3": Q1 + Q2 });
    expect(report.notes).toEqual([
      { cell: "S!A1", code: "AREA", message: "the array area A1:XFD1048576 reaches past the cells the sheet has; recalculated as A1:C3 (cells outside it do not exist in the file)." },
    ]);
  });

  it("SUM(C1:ZZ1048575)+QFIN… reads only the cells the sheet uses", async () => {
    const input = book('<row r="1"><c r="A1"><f>SUM(C1:ZZ1048575)+QFIN.METRIC("Net income","Q2 2023")</f><v>0</v></c><c r="C1"><v>1</v></c><c r="D2"><v>2</v></c></row><row r="2"><c r="D2"><v>2</v></c></row>');
    expect(after((await recalculateXlsx(input, index)).report)).toEqual({ "S!A1": 3 + Q2 });
  });

  it("a range whose used part is still too large is left as it was, with the reason, and recalc exits 0", async () => {
    const work = mkdtempSync(join(tmpdir(), "qfin-scale-"));
    try {
      const path = join(work, "wide.xlsx");
      writeFileSync(path, book('<row r="1"><c r="A1"><f>SUM(C1:ZZ1048575)+QFIN.METRIC("Net income","Q2 2023")</f><v>7</v></c></row><row r="1048575"><c r="ZZ1048575"><v>1</v></c></row>'));
      const out: string[] = [];
      const err: string[] = [];
      const code = await runQfin(["recalc", path], { out: (text) => out.push(text), err: (text) => err.push(text) });
      expect(err.join("")).toBe("");
      expect(code).toBe(0);
      expect(out.join("")).toMatch(/S!A1: UNSUPPORTED a range it reads spans 734,002,500 used cells, more than the 5,000,000 this engine reads in one range\. Value left as Excel computed it\./);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe("10. the dependency graph", () => {
  it("many formulas reading one range, and overlapping ranges, all see the QFIN cells inside", async () => {
    const rows = [`<row r="1"><c r="A1"><f>QFIN.METRIC("Net income","Q1 2023")</f><v>0</v></c><c r="A2"><f>QFIN.METRIC("Net income","Q2 2023")</f><v>0</v></c></row>`];
    for (let r = 2; r <= 400; r++) rows.push(`<row r="${r + 1}"><c r="B${r + 1}"><f>SUM($A$1:$A$2)+${r}</f><v>0</v></c><c r="C${r + 1}"><f>SUM(A$1:B${r})</f><v>0</v></c></row>`);
    const { report } = await recalculateXlsx(book(rows.join("")), index);
    const values = after(report);
    expect(values["S!B3"]).toBeCloseTo(Q1 + Q2 + 2, 9);
    expect(values["S!B401"]).toBeCloseTo(Q1 + Q2 + 400, 9);
    // C4 = SUM(A1:B3): A1, A2 and B3.
    expect(values["S!C4"]).toBeCloseTo(Q1 + Q2 + (Q1 + Q2 + 2), 9);
    expect(report.recalculated).toBe(2 + 399 * 2);
  });

  it("a cycle through a range is reported for its cells, and a cell that reads the cycle is left too", async () => {
    const input = book(
      '<row r="1"><c r="A1"><f>SUM(B1:B2)</f><v>0</v></c><c r="B1"><f>A1+QFIN.METRIC("Net income","Q2 2023")</f><v>0</v></c><c r="C1"><f>SUM(A1:A1,B1:B2)</f><v>0</v></c></row>',
    );
    const { report } = await recalculateXlsx(input, index);
    expect(report.changes).toEqual([]);
    expect(report.skipped.map((problem) => [problem.cell, problem.code])).toEqual(
      expect.arrayContaining([
        ["S!A1", "CYCLE"],
        ["S!B1", "CYCLE"],
        ["S!C1", "CYCLE"],
      ]),
    );
    expect(report.skipped.find((problem) => problem.cell === "S!A1")?.message).toMatch(/circular reference \(S!(A1|B1) → S!(A1|B1) → S!(A1|B1)\)/);
  });
});
