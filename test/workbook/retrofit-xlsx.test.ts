/**
 * `qfin retrofit` on a real .xlsx written by exceljs from the analyst models of test/retrofit: the linked copy is
 * checked cell by cell (each linked cell holds its formula as Excel saves add-in functions and its old number as the
 * cached value, with its style; every other cell element is byte-identical; every other package part too), the
 * original is untouched, `qfin recalc` on the copy changes nothing, and the report lists every decision. Then the bad
 * input `qfin recalc` refuses, and the files it must never write.
 */
import JSZip from "jszip";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runQfin } from "../../src/cli/main";
import { typedFormula } from "../../src/excel/formula-text";
import type { RetrofitReport } from "../../src/retrofit/report";
import { readWorkbook, recalculateXlsx } from "../../src/workbook/recalc-xlsx";
import { retrofitXlsx } from "../../src/workbook/retrofit-xlsx";
import { readSheetCells, type SheetCellXml } from "../../src/workbook/sheet-xml";
import { PartReader, readZipPackage } from "../../src/workbook/zip-package";
import { ANALYST_MODEL } from "../retrofit/analyst-models";
import { xlsxWorkbook, type Outcome } from "../retrofit/grid";
import { entries } from "../support/xlsx";
import { shippedIndex } from "../support/release";

const index = shippedIndex();
let work: string;
let model: string;
let modelBytes: Buffer;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "qfin-retrofit-"));
  model = join(work, "my model.xlsx");
  modelBytes = await xlsxWorkbook(ANALYST_MODEL.map((entry) => entry.sheet));
  writeFileSync(model, modelBytes);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function capture(): { out: string[]; err: string[]; io: { out: (text: string) => void; err: (text: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (text) => out.push(text), err: (text) => err.push(text) } };
}

const linkedFormulas = (outcomes: Record<string, Outcome>): Map<string, string> =>
  new Map(Object.entries(outcomes).filter((entry): entry is [string, string] => typeof entry[1] === "string"));

/** Sheet name → part path, from the package's own workbook part. */
async function sheetParts(bytes: Uint8Array): Promise<Map<string, string>> {
  const { sheets } = readWorkbook(new PartReader(readZipPackage(bytes)));
  return new Map(sheets.map((sheet) => [sheet.name, sheet.path]));
}

/** A cell's style index as its start tag writes it. */
const styleOf = (xml: string, cell: SheetCellXml): string | undefined => /\ss=["'](\d+)["']/.exec(xml.slice(cell.start, cell.startTagEnd))?.[1];

describe("qfin retrofit on an analyst's .xlsx", () => {
  let linkedPath: string;
  let reportPath: string;
  let linked: Buffer;
  let report: RetrofitReport;
  let printed: string;

  beforeAll(async () => {
    linkedPath = join(work, "linked.xlsx");
    reportPath = join(work, "links.json");
    const run = capture();
    const code = await runQfin(["retrofit", model, "--out", linkedPath, "--report", reportPath], run.io);
    expect(run.err.join("")).toBe("");
    expect(code).toBe(0);
    printed = run.out.join("");
    linked = readFileSync(linkedPath);
    report = JSON.parse(readFileSync(reportPath, "utf8")) as RetrofitReport;
  });

  it("prints one summary line and leaves the model as it was", () => {
    expect(printed.split("\n").filter(Boolean)).toHaveLength(1);
    expect(printed).toMatch(
      new RegExp(`^Linked ${report.summary.linked} of ${report.summary.candidates} candidate figures among ${report.summary.numbers} typed numbers on 6 sheets \\(1 formula left as it was\\); ${report.summary.notLinked} not linked: .*\\. Wrote .*linked\\.xlsx and .*links\\.json \\(\\d+ ms\\)\\.\\n$`),
    );
    expect(readFileSync(model).equals(modelBytes)).toBe(true);
  });

  it("every cell of every sheet: linked cells hold the expected formula as Excel saves it, their old number and style; every other cell is byte-identical", async () => {
    const before = await entries(modelBytes);
    const after = await entries(linked);
    const parts = await sheetParts(linked);
    let checked = 0;
    for (const { sheet, outcomes } of ANALYST_MODEL) {
      const path = parts.get(sheet.name) as string;
      const expected = linkedFormulas(outcomes);
      const oldXml = (before.get(path) as Buffer).toString("utf8");
      const newXml = (after.get(path) as Buffer).toString("utf8");
      const oldCells = new Map(readSheetCells(oldXml, []).map((cell) => [cell.address, cell]));
      const newCells = readSheetCells(newXml, []);
      expect(newCells.map((cell) => cell.address)).toEqual([...oldCells.keys()]);
      for (const cell of newCells) {
        const old = oldCells.get(cell.address)!;
        const formula = expected.get(cell.address);
        const where = `${sheet.name}!${cell.address}`;
        if (formula === undefined) {
          expect({ where, xml: newXml.slice(cell.start, cell.end) }).toEqual({ where, xml: oldXml.slice(old.start, old.end) });
        } else {
          expect({ where, saved: cell.formula?.text.startsWith("_xldudf_QFIN_METRIC(") || cell.formula?.text.includes("(_xldudf_QFIN_METRIC("), typed: `=${typedFormula(cell.formula?.text ?? "")}` }).toEqual({
            where,
            saved: true,
            typed: formula,
          });
          expect({ where, value: cell.value, style: styleOf(newXml, cell) }).toEqual({ where, value: old.value, style: styleOf(oldXml, old) });
          expect(/<v>([^<]*)<\/v>/.exec(newXml.slice(cell.start, cell.end))?.[1]).toBe(/<v>([^<]*)<\/v>/.exec(oldXml.slice(old.start, old.end))?.[1]);
        }
        checked++;
      }
      // Outside the cells (dimension, panes, columns, margins…) the sheet is the same text.
      const outside = (xml: string): string => readSheetCells(xml, []).reduceRight((text, cell) => text.slice(0, cell.start) + text.slice(cell.end), xml);
      expect(outside(newXml)).toBe(outside(oldXml));
    }
    expect(checked).toBe(ANALYST_MODEL.reduce((count, entry) => count + readSheetCells((before.get(parts.get(entry.sheet.name) as string) as Buffer).toString("utf8"), []).length, 0));
    // Every other part of the package: byte-identical.
    const sheetPaths = new Set(parts.values());
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [path, bytes] of before) if (!sheetPaths.has(path)) expect({ path, same: bytes.equals(after.get(path) as Buffer) }).toEqual({ path, same: true });
  });

  it("the report lists every linked cell and every candidate not linked, as the matcher decided them", () => {
    const expectedLinks = ANALYST_MODEL.flatMap(({ sheet, outcomes }) => [...linkedFormulas(outcomes)].map(([cell, formula]) => `${sheet.name}!${cell} ${formula}`));
    expect(report.linked.map((link) => `${link.sheet}!${link.cell} ${link.formula}`).sort()).toEqual(expectedLinks.sort());
    const expectedRefusals = ANALYST_MODEL.flatMap(({ sheet, outcomes }) =>
      Object.entries(outcomes).flatMap(([cell, outcome]) => (outcome !== null && typeof outcome === "object" ? [`${sheet.name}!${cell} ${outcome.refused}`] : [])),
    );
    expect(report.notLinked.map((entry) => `${entry.sheet}!${entry.cell} ${entry.code}`).sort()).toEqual(expectedRefusals.sort());
    for (const link of report.linked) expect(link).toEqual(expect.objectContaining({ value: expect.any(Number), how: expect.any(String), item: expect.objectContaining({ id: expect.any(String) }), period: expect.objectContaining({ label: expect.any(String) }) }));
    for (const entry of report.notLinked) expect(entry.reason.length).toBeGreaterThan(20);
    expect(report).toMatchObject({ workbook: expect.stringContaining("my model.xlsx"), linkedCopy: expect.stringContaining("linked.xlsx"), data: { releases: ["2023Q2"] } });
  });

  it("qfin recalc on the linked copy reproduces every value: nothing changes, no errors", async () => {
    const { report: recalc } = await recalculateXlsx(linked, index);
    expect(recalc.changes).toEqual([]);
    expect(recalc.errors).toEqual([]);
    expect(recalc.skipped).toEqual([]);
    expect(recalc.qfinFormulas).toBe(report.linked.length);
  });

  it("a number pasted with float residue past Excel's 15 digits is linked at those digits, and its cached value is what the formula gives", async () => {
    const bytes = await xlsxWorkbook([{ name: "Pasted", rows: [[null, "2Q23"], ["Revenue", 3914.2999999999997], ["Net income", 1093.377]] }]);
    const { output, result } = await retrofitXlsx(bytes, index);
    expect(result.links.map((link) => [link.cell, link.value, link.formula])).toEqual([
      ["B2", 3914.2999999999997, '=ROUND(QFIN.METRIC("Total net revenue","Q2 2023"),1)'],
      ["B3", 1093.377, '=QFIN.METRIC("Net income","Q2 2023")'],
    ]);
    const xml = (await entries(output)).get("xl/worksheets/sheet1.xml")?.toString("utf8") ?? "";
    expect(xml).toContain('<f>ROUND(_xldudf_QFIN_METRIC(&quot;Total net revenue&quot;,&quot;Q2 2023&quot;),1)</f><v>3914.3</v>');
    expect(xml).toContain("<v>1093.377</v>");
    expect((await recalculateXlsx(output, index)).report.changes).toEqual([]);
  });

  it("decides alike on every run: retrofitXlsx on the same bytes again gives the report's links and refusals (nothing depends on order or time)", async () => {
    const { result } = await retrofitXlsx(modelBytes, index);
    expect(result.links).toEqual(report.linked);
    expect(result.notLinked).toEqual(report.notLinked);
  });
});

describe("qfin retrofit refuses what qfin recalc refuses, and never writes the model", () => {
  const refusal = async (args: string[]): Promise<{ code: number; err: string; out: string }> => {
    const run = capture();
    const code = await runQfin(["retrofit", ...args], run.io);
    return { code, err: run.err.join(""), out: run.out.join("") };
  };

  it("a corrupt file: exit 1, a clear message, nothing written", async () => {
    const corrupt = join(work, "corrupt.xlsx");
    writeFileSync(corrupt, modelBytes.subarray(0, 900));
    const out = join(work, "corrupt-linked.xlsx");
    const result = await refusal([corrupt, "--out", out, "--report", join(work, "corrupt.json")]);
    expect(result).toMatchObject({ code: 1, out: "" });
    expect(result.err).toMatch(/^qfin retrofit: .*corrupt\.xlsx is not an \.xlsx workbook \(the file is not a readable zip package: .*\)\. Nothing was written\.\n$/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(work, "corrupt.json"))).toBe(false);
  });

  it("an encrypted workbook (an OLE compound file): refused as password-protected", async () => {
    const encrypted = join(work, "encrypted.xlsx");
    writeFileSync(encrypted, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4088)]));
    const out = join(work, "encrypted-linked.xlsx");
    const result = await refusal([encrypted, "--out", out]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/is not an \.xlsx package: it is an OLE compound file, which is what Excel writes for a password-protected workbook or an old \.xls file \(save it unprotected as \.xlsx\)\. Nothing was written\./);
    expect(existsSync(out)).toBe(false);
  });

  it("a zip that is no workbook, and a file that does not exist: exit 1, nothing written", async () => {
    const zip = new JSZip();
    zip.file("hello.txt", "not a workbook");
    const notWorkbook = join(work, "not-a-workbook.xlsx");
    writeFileSync(notWorkbook, await zip.generateAsync({ type: "nodebuffer" }));
    const out = join(work, "x-linked.xlsx");
    expect(await refusal([notWorkbook, "--out", out])).toMatchObject({ code: 1, err: expect.stringMatching(/not an \.xlsx workbook \(no \[Content_Types\]\.xml in the package\)\. Nothing was written/) });
    expect(await refusal([join(work, "missing.xlsx"), "--out", out])).toMatchObject({ code: 1, err: expect.stringMatching(/cannot read .*missing\.xlsx: no such file\. Nothing was written/) });
    expect(existsSync(out)).toBe(false);
  });

  it("never writes the model: --out naming it, or a link to it, is refused before any work", async () => {
    const link = join(work, "link-to-model.xlsx");
    symlinkSync(model, link);
    for (const out of [model, link]) {
      const result = await refusal([model, "--out", out]);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/is the model being linked; it was left as it was/);
    }
    expect(readFileSync(model).equals(modelBytes)).toBe(true);
  });

  it("the report must be a file of its own; the copy's folder must exist; misuse exits 2", async () => {
    const out = join(work, "copy.xlsx");
    expect(await refusal([model, "--out", out, "--report", out])).toMatchObject({ code: 1, err: expect.stringMatching(/must be a file of its own/) });
    expect(await refusal([model, "--out", join(work, "no such folder", "copy.xlsx")])).toMatchObject({ code: 1, err: expect.stringMatching(/does not exist; nothing was written/) });
    expect(existsSync(out)).toBe(false);
    expect(await refusal([model])).toMatchObject({ code: 2, err: expect.stringMatching(/Say where to write the linked copy/) });
    expect(await refusal([])).toMatchObject({ code: 2, err: expect.stringMatching(/Give one workbook/) });
  });

  it("writes through the atomic writer: an existing copy is replaced whole, keeping its mode", async () => {
    const folder = join(work, "replace");
    mkdirSync(folder);
    const out = join(folder, "copy.xlsx");
    writeFileSync(out, "old copy", { mode: 0o640 });
    expect((await refusal([model, "--out", out])).code).toBe(0);
    expect((await JSZip.loadAsync(readFileSync(out))).file("xl/workbook.xml")).not.toBeNull();
    expect(statSync(out).mode & 0o777).toBe(0o640);
  });
});
