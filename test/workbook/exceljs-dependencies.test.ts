/**
 * exceljs 4.4.0 with its deprecated dependencies replaced (issue 15 §14): package.json's `overrides` give it
 * unzipper 0.12 (no fstream, rimraf 2, binary or the unlicensed buffers@0.1.1) and, under archiver 5's
 * archiver-utils, glob 10 (no glob 7 or inflight). archiver itself stays 5: archiver 7 refuses exceljs's own stream
 * class ("input source must be valid Stream or Buffer instance"), which this test caught, and 8 is ESM-only.
 * exceljs loads both when it is imported, so they ship with the qfin command: its streaming writer (archiver) and
 * reader (unzipper) must still work — here they write a workbook recalc then refreshes, and read it back — and
 * `qfin template` (exceljs's buffer writer) is covered by template.test.ts.
 */
import ExcelJS from "exceljs";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { recalculateXlsx } from "../../src/workbook/recalc-xlsx";
import { shippedIndex } from "../support/release";

const index = shippedIndex();
const exceljsRoot = dirname(require.resolve("exceljs/package.json"));
const resolvesFromExceljs = (name: string): string | null => {
  try {
    return require.resolve(`${name}/package.json`, { paths: [exceljsRoot] });
  } catch {
    return null;
  }
};

describe("exceljs's dependencies", () => {
  it("are the maintained versions; the deprecated ones are not installed for it", () => {
    const version = (name: string): string => (JSON.parse(readFileSync(resolvesFromExceljs(name) as string, "utf8")) as { version: string }).version;
    expect(version("unzipper")).toBe("0.12.5");
    expect(version("archiver")).toBe("5.3.2");
    const archiverUtils = dirname(require.resolve("archiver-utils/package.json", { paths: [dirname(resolvesFromExceljs("archiver") as string)] }));
    expect((JSON.parse(readFileSync(require.resolve("glob/package.json", { paths: [archiverUtils] }), "utf8")) as { version: string }).version).toBe("10.5.0");
    for (const gone of ["fstream", "binary", "buffers", "inflight", "rimraf"]) expect({ gone, at: resolvesFromExceljs(gone) }).toEqual({ gone, at: null });
  });

  it("archiver's glob patterns still expand with glob 10 (archiver-utils calls glob.sync)", async () => {
    const archiverUtils = (await import(require.resolve("archiver-utils", { paths: [dirname(resolvesFromExceljs("archiver") as string)] }))) as { file: { expand(options: object, pattern: string): string[] } };
    expect(archiverUtils.file.expand({ cwd: join(__dirname) }, "exceljs-*.test.ts")).toEqual(["exceljs-dependencies.test.ts"]);
  });

  it("still work: exceljs's streaming writer (archiver) writes a workbook, recalc refreshes it, its streaming reader (unzipper) reads the result", async () => {
    const work = mkdtempSync(join(tmpdir(), "qfin-exceljs-"));
    try {
      const path = join(work, "streamed.xlsx");
      const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
      const sheet = writer.addWorksheet("Model");
      sheet.addRow(["Net income", { formula: 'QFIN.METRIC(A1,"Q2 2023")', result: 0 }]).commit();
      await writer.commit();

      const { output, report } = await recalculateXlsx(readFileSync(path), index);
      expect(report.changes.map((change) => [change.cell, change.after])).toEqual([["Model!B1", 1093.377]]);
      writeFileSync(path, output);

      const values: unknown[] = [];
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: "cache", worksheets: "emit" });
      for await (const worksheet of reader) for await (const row of worksheet) values.push(...(row.values as unknown[]).slice(1));
      expect(values).toEqual(["Net income", { formula: 'QFIN.METRIC(A1,"Q2 2023")', result: 1093.377 }]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
