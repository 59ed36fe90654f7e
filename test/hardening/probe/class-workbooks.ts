/**
 * Class (d): hostile workbooks through `qfin recalc` (in place, as a user runs it): mutations of a small real workbook
 * (cuts and insertions in its XML, flipped and cut zip bytes) and a list of crafted ones (zip bombs, zip slip, OLE and
 * non-zip files, DOCTYPE and entities, cells hidden in comments and CDATA, prefixed elements, whole-sheet areas,
 * forbidden characters in results, cycles, 32,767-character text, macros beside the sheets).
 *
 * Rules, per workbook: `qfin recalc` exits 0 or 1, never prints a stack trace; it agrees with `recalculateXlsx` run on
 * the same bytes (refused ⇔ exit 1); *data loss* = the original changed after a refusal, or a written file that recalc
 * itself cannot read back, or written bytes other than what recalc computed; *wrong data accepted* = a written file
 * where a cell whose formula is `QFIN.METRIC("Net income","Q2 2023")` holds a number other than 1093.377 although the
 * report neither changed, skipped nor flagged it (a silently stale or wrong figure), or a macro part that changed.
 */
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as zlib from "zlib";
import { runQfin } from "../../../src/cli/main";
import type { DatasetIndex } from "../../../src/core/dataset-index";
import { WorkbookFileError, recalculateXlsx, type RecalcReport } from "../../../src/workbook/recalc-xlsx";
import { readSharedStrings, readSheetCells } from "../../../src/workbook/sheet-xml";
import { PartReader, readZipPackage } from "../../../src/workbook/zip-package";
import { MAIN_NS, buildZip, minimalXlsx, workbookEntries, worksheet, type ZipSpec } from "../../support/xlsx-package";
import { Tally, yielder, type ClassResult } from "./tally";

export const WORKBOOK_BUDGET_MS = 10_000;

const NET_INCOME_Q2 = 1093.377;
const METRIC = 'QFIN.METRIC("Net income","Q2 2023")';
const metricCell = (address: string, extra = ""): string => `<c r="${address}"${extra}><f>${METRIC}</f><v>0</v></c>`;

/** The small real workbook the mutations start from (the property test's). */
const SHEET = worksheet(
  `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><f>QFIN.METRIC(A1,"Q2 2023")</f><v>0</v></c>` +
    '<c r="C1"><f t="shared" ref="C1:D1" si="0">B1*2</f><v>0</v></c><c r="D1"><f t="shared" si="0"/><v>0</v></c>' +
    `<c r="E1" t="str"><f t="array" ref="E1:F2">QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"})</f><v>x</v></c>${metricCell("G1")}</row>`,
);
const SHARED_STRINGS = `<sst xmlns="${MAIN_NS}"><si><t>Net income</t></si></sst>`;
const FRAGMENTS = ["", "<", ">", "&", '"', "'", "]]>", "<!--", "-->", "<![CDATA[", "&#0;", "&#x110000;", "&bogus;", "A0", "XFE1", "9999999", "-1", "x:", "/>", "</c>", '<c r="A1">', "\u0000", "\uD800", "<!DOCTYPE x>", '<f>QFIN.METRIC("Net income","Q9 2023")</f>', "<v>1093.377</v>", '<c r="G1"><v>5</v></c>'];

export interface HostileWorkbook {
  kind: string;
  description: string;
  bytes: Buffer;
}

const book = (sheetData: string, options: { sharedStrings?: string } = {}): Buffer => minimalXlsx([{ name: "S", xml: worksheet(sheetData) }], options);

/** A real deflate bomb: 1 MB of spaces compressed with a full flush, `n` times over. */
function bomb(megabytes: number): Buffer {
  const block = zlib.deflateRawSync(Buffer.alloc(2 ** 20, 0x20), { finishFlush: zlib.constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array<Buffer>(megabytes).fill(block), Buffer.from([0x03, 0x00])]);
}

const withSheetSpec = (sheet: Partial<ZipSpec>): Buffer =>
  buildZip(workbookEntries([{ name: "S", xml: worksheet(`<row r="1">${metricCell("A1")}</row>`) }]).map((spec) => (spec.name === "xl/worksheets/sheet1.xml" ? { ...spec, ...sheet } : spec)));

const withEntries = (extra: ZipSpec[], sheetData = `<row r="1">${metricCell("A1")}</row>`): Buffer => buildZip([...workbookEntries([{ name: "S", xml: worksheet(sheetData) }]), ...extra]);

/** A zip whose central directory says `flags` for the sheet (encryption, a data descriptor) or a ZIP64 size. */
function patchCentral(zip: Buffer, name: string, patch: (central: Buffer, at: number) => void): Buffer {
  const copy = Buffer.from(zip);
  const needle = Buffer.from(name);
  for (let at = copy.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0; at = copy.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) {
    const nameLength = copy.readUInt16LE(at + 28);
    if (copy.subarray(at + 46, at + 46 + nameLength).equals(needle)) patch(copy, at);
  }
  return copy;
}

/** Workbooks built to break a reader, each with what it tries. */
export function craftedWorkbooks(): HostileWorkbook[] {
  const crafted = (description: string, bytes: Buffer): HostileWorkbook => ({ kind: "crafted", description, bytes });
  const rows = (count: number, cell: (row: number) => string): string => Array.from({ length: count }, (_, at) => `<row r="${at + 1}">${cell(at + 1)}</row>`).join("");
  const good = book(`<row r="1">${metricCell("A1")}</row>`);
  return [
    crafted("the plain workbook (the premise)", good),
    crafted("an empty file", Buffer.alloc(0)),
    crafted("a text file named .xlsx", Buffer.from("Net income,1093.377\n")),
    crafted("random bytes", Buffer.from(fc.sample(fc.integer({ min: 0, max: 255 }), { seed: 15, numRuns: 4096 }))),
    crafted("an OLE2 (password-protected) file", Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4088)])),
    crafted("a PDF", Buffer.from("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n")),
    crafted("the zip cut in half", good.subarray(0, Math.floor(good.length / 2))),
    crafted("the zip's end record only", good.subarray(good.length - 22)),
    crafted("no [Content_Types].xml", buildZip(workbookEntries([{ name: "S", xml: worksheet(`<row r="1">${metricCell("A1")}</row>`) }]).filter((spec) => spec.name !== "[Content_Types].xml"))),
    crafted("no workbook part", buildZip(workbookEntries([{ name: "S", xml: worksheet(`<row r="1">${metricCell("A1")}</row>`) }]).filter((spec) => spec.name !== "xl/workbook.xml"))),
    crafted("a relationship to a missing sheet", buildZip(workbookEntries([{ name: "S", xml: worksheet(`<row r="1">${metricCell("A1")}</row>`) }]).filter((spec) => spec.name !== "xl/worksheets/sheet1.xml"))),
    crafted("zip slip: an entry named ../../evil.sh", withEntries([{ name: "../../evil.sh", data: Buffer.from("rm -rf ~") }])),
    crafted("an entry with an absolute name /etc/cron.d/x", withEntries([{ name: "/etc/cron.d/x", data: Buffer.from("* * * * * root true") }])),
    crafted("an entry name with a NUL", withEntries([{ name: "xl/a\u0000b.xml", data: Buffer.from("<x/>") }])),
    crafted("the sheet twice under one name", withEntries([{ name: "xl/worksheets/sheet1.xml", data: Buffer.from(worksheet(`<row r="1"><c r="A1"><v>7</v></c></row>`)) }])),
    crafted("a sheet declaring 600 MB (a deflate bomb in < 1 MB)", withSheetSpec({ compressed: bomb(600), declaredSize: 600 * 2 ** 20 })),
    crafted("a sheet with a 1000:1 ratio under the size limit", withSheetSpec({ compressed: bomb(200), declaredSize: 200 * 2 ** 20 })),
    crafted("a sheet that inflates past its declared size", withSheetSpec({ compressed: bomb(8), declaredSize: 1000 })),
    crafted("a sheet whose CRC is wrong", withSheetSpec({ crc: 12345 })),
    crafted("a sheet flagged as encrypted", patchCentral(good, "xl/worksheets/sheet1.xml", (zip, at) => zip.writeUInt16LE(zip.readUInt16LE(at + 8) | 1, at + 8))),
    crafted("a sheet with a ZIP64 size marker", patchCentral(good, "xl/worksheets/sheet1.xml", (zip, at) => zip.writeUInt32LE(0xffffffff, at + 24))),
    crafted("a sheet stored with compression method 99", patchCentral(good, "xl/worksheets/sheet1.xml", (zip, at) => zip.writeUInt16LE(99, at + 10))),
    crafted("a DOCTYPE with an external entity (XXE)", minimalXlsx([{ name: "S", xml: worksheet(`<row r="1"><c r="A1" t="str"><f>${METRIC}</f><v>&xxe;</v></c></row>`).replace("\n", '\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>') }])),
    crafted("a billion laughs", minimalXlsx([{ name: "S", xml: worksheet(`<row r="1"><c r="A1" t="str"><f>${METRIC}</f><v>&l9;</v></c></row>`).replace("\n", `\n<!DOCTYPE worksheet [<!ENTITY l0 "ha">${Array.from({ length: 9 }, (_, n) => `<!ENTITY l${n + 1} "${`&l${n};`.repeat(10)}">`).join("")}]>`) }])),
    crafted("a cell in a comment shadowing the real one", book(`<row r="1"><!-- <c r="A1"><f>1+1</f><v>2</v></c> -->${metricCell("A1")}</row>`)),
    crafted("a cell in CDATA shadowing the real one", book(`<row r="1">${metricCell("A1")}<c r="B1" t="inlineStr"><is><t><![CDATA[<c r="A1"><v>2</v></c>]]></t></is></c></row>`)),
    crafted("x:-prefixed elements, single-quoted attributes", buildZip(workbookEntries([{ name: "S", xml: "" }]).map((spec) =>
      spec.name === "xl/worksheets/sheet1.xml" ? { ...spec, data: Buffer.from(`<?xml version='1.0'?><x:worksheet xmlns:x='${MAIN_NS}'><x:sheetData><x:row r='1'><x:c r='A1'><x:f>${METRIC}</x:f><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>`) } : spec,
    ))),
    crafted("cells without r attributes", book(`<row><c><f>${METRIC}</f><v>0</v></c><c><v>1</v></c></row>`)),
    ...["A0", "XFE1", "A1048577", "1A", "AAAA1"].map((address) => crafted(`a cell at ${address}, outside the grid`, book(`<row r="1">${metricCell("A1")}<c r="${address}"><v>1</v></c></row>`))),
    crafted("a whole-sheet array area A1:XFD1048576", book(`<row r="1"><c r="A1"><f t="array" ref="A1:XFD1048576">${METRIC}</f><v>0</v></c></row>`)),
    crafted("SUM(C1:ZZ1048575)+QFIN", book(`<row r="1"><c r="A1"><f>SUM(C1:ZZ1048575)+${METRIC}</f><v>0</v></c></row><row r="1048575"><c r="ZZ1048575"><v>1</v></c></row>`)),
    crafted("a result with characters XML forbids", book(`<row r="1"><c r="A1" t="str"><f>CHAR(1)&amp;QFIN.VERSION()</f><v>x</v></c>${metricCell("B1")}</row>`)),
    crafted("REPT to 100,000,000 characters", book(`<row r="1"><c r="A1" t="str"><f>REPT("x",100000000)&amp;QFIN.VERSION()</f><v>x</v></c>${metricCell("B1")}</row>`)),
    crafted("a cycle through a QFIN cell", book(`<row r="1"><c r="A1"><f>B1+${METRIC}</f><v>0</v></c><c r="B1"><f>A1</f><v>0</v></c>${metricCell("C1")}</row>`)),
    crafted("a formula of 8,000 nested parentheses", book(`<row r="1"><c r="A1"><f>${"(".repeat(8000)}1${")".repeat(8000)}+${METRIC}</f><v>0</v></c>${metricCell("B1")}</row>`)),
    crafted("a formula of 32,767 characters", book(`<row r="1"><c r="A1" t="str"><f>"${"y".repeat(32_700)}"&amp;QFIN.VERSION()</f><v>0</v></c>${metricCell("B1")}</row>`)),
    crafted("a shared formula whose master is missing", book(`<row r="1"><c r="A1"><f t="shared" si="7"/><v>0</v></c>${metricCell("B1")}</row>`)),
    crafted("10,000 QFIN formulas", book(rows(10_000, (row) => metricCell(`A${row}`)))),
    crafted("a QFIN call with an unknown period", book(`<row r="1"><c r="A1"><f>QFIN.METRIC("Net income","Q9 2023")</f><v>5</v></c>${metricCell("B1")}</row>`)),
    crafted("a stale cached value of the figure", book(`<row r="1"><c r="A1"><f>${METRIC}</f><v>999</v></c></row>`)),
    crafted("a macro part beside the sheets", withEntries([{ name: "xl/vbaProject.bin", data: Buffer.from(fc.sample(fc.integer({ min: 0, max: 255 }), { seed: 7, numRuns: 2048 })), method: 0 }])),
    crafted("a sheet name with quotes and emoji", minimalXlsx([{ name: "It's 📈 &amp; more", xml: worksheet(`<row r="1">${metricCell("A1")}</row>`) }])),
    crafted("UTF-16 sheet XML", withSheetSpec({ data: Buffer.from(`\ufeff${worksheet(`<row r="1">${metricCell("A1")}</row>`).replace('encoding="UTF-8"', 'encoding="UTF-16"')}`, "utf16le") })),
    crafted("a sheet that is not XML", withSheetSpec({ data: Buffer.from("\u0000\u0001binary") })),
  ];
}

/** `count` mutations of the small workbook: half in its XML (sheet or shared strings), half in its zip bytes. */
export function mutatedWorkbooks(count: number, seed: number): HostileWorkbook[] {
  const xml = fc.tuple(fc.nat({ max: SHEET.length }), fc.nat({ max: 12 }), fc.constantFrom(...FRAGMENTS), fc.boolean()).map(([at, cut, insert, inShared]): HostileWorkbook => {
    const mutate = (text: string): string => text.slice(0, at) + insert + text.slice(at + cut);
    const bytes = inShared ? minimalXlsx([{ name: "S", xml: SHEET }], { sharedStrings: mutate(SHARED_STRINGS) }) : minimalXlsx([{ name: "S", xml: mutate(SHEET) }], { sharedStrings: SHARED_STRINGS });
    return { kind: "XML mutation", description: `${inShared ? "shared strings" : "sheet"}: ${cut} characters cut at ${at}, ${JSON.stringify(insert)} inserted`, bytes };
  });
  const good = minimalXlsx([{ name: "S", xml: SHEET }], { sharedStrings: SHARED_STRINGS });
  const zip = fc.tuple(fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat({ max: 40 })).map(([flips, shorten]): HostileWorkbook => {
    const bytes = Buffer.from(good.subarray(0, good.length - shorten));
    for (const [at, byte] of flips) if (at < bytes.length) bytes[at] = byte;
    return { kind: "zip mutation", description: `${flips.map(([at, byte]) => `byte ${at} = ${byte}`).join(", ")}; ${shorten} bytes cut`, bytes };
  });
  const half = Math.ceil(count / 2);
  return [...fc.sample(xml, { seed, numRuns: half }), ...fc.sample(zip, { seed: seed + 1, numRuns: count - half })];
}

/** Cells of every sheet of a package whose formula is the known figure, with their values. */
function knownFigureCells(bytes: Uint8Array): { cell: string; value: unknown }[] {
  const zip = readZipPackage(bytes);
  const reader = new PartReader(zip);
  const shared = reader.has("xl/sharedStrings.xml") ? readSharedStrings(reader.text("xl/sharedStrings.xml")) : [];
  const found: { cell: string; value: unknown }[] = [];
  for (const entry of zip.entries.filter((candidate) => /^xl\/worksheets\/[^/]+\.xml$/.test(candidate.name))) {
    let cells;
    try {
      cells = readSheetCells(reader.text(entry.name), shared, entry.name);
    } catch {
      continue; // a part recalc did not read (not a sheet of the workbook)
    }
    for (const cell of cells) if (cell.formula?.text === METRIC) found.push({ cell: `${entry.name}!${cell.address}`, value: cell.value });
  }
  return found;
}

const mentioned = (report: RecalcReport, address: string): boolean =>
  [...report.changes, ...report.errors, ...report.skipped, ...report.notes].some((entry) => entry.cell.endsWith(`!${address}`));

const MACRO = "xl/vbaProject.bin";

export interface WorkbooksProbeOptions {
  index: DatasetIndex;
  datasetPath: string;
  workbooks: readonly HostileWorkbook[];
  seed: number;
  budgetMs?: number;
}

export async function probeWorkbooks({ index, datasetPath, workbooks, seed, budgetMs = WORKBOOK_BUDGET_MS }: WorkbooksProbeOptions): Promise<ClassResult> {
  const tally = new Tally("workbooks", "hostile workbooks through qfin recalc in place (XML and zip mutations of a real workbook, and crafted ones)", budgetMs, seed);
  const work = mkdtempSync(join(tmpdir(), "qfin-probe-workbooks-"));
  const pause = yielder();
  try {
    let count = 0;
    for (const workbook of workbooks) {
      await probeOne(workbook, join(work, `book-${++count}.xlsx`), index, datasetPath, tally);
      rmSync(join(work, `book-${count}.xlsx`), { force: true });
      await pause();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  tally.note('"refused" = exit 1 with a sentence and the file as it was; "answered" = exit 0, refreshed (or left as it was when nothing changed).');
  return tally.finish();
}

async function probeOne({ kind, description, bytes }: HostileWorkbook, path: string, index: DatasetIndex, datasetPath: string, tally: Tally): Promise<void> {
  writeFileSync(path, bytes);
  const started = performance.now();
  const out: string[] = [];
  const err: string[] = [];
  const code = await runQfin(["recalc", path, "--data", datasetPath], { out: (text) => out.push(text), err: (text) => err.push(text) });
  const ms = performance.now() - started;
  const after = readFileSync(path);
  tally.record(kind, description, code === 0 ? "answered" : "refused", ms);
  const stderr = err.join("");
  if (code !== 0 && code !== 1) tally.fail("other", `${description}: exit ${code}`);
  if (/\n\s+at /.test(stderr)) tally.fail("other", `${description}: a stack trace: ${stderr.slice(0, 300)}`);

  let judged: Awaited<ReturnType<typeof recalculateXlsx>> | null = null;
  try {
    judged = await recalculateXlsx(bytes, index);
  } catch (error) {
    if (!(error instanceof WorkbookFileError) && !(error instanceof RangeError)) tally.fail("other", `${description}: recalculateXlsx threw ${String(error)}`);
  }
  if (code !== 0) {
    if (!after.equals(bytes)) tally.fail("dataLoss", `${description}: refused (exit ${code}), but the file changed (${bytes.length} → ${after.length} bytes)`);
    if (judged !== null) tally.fail("other", `${description}: the command refused what recalculateXlsx refreshes: ${stderr.slice(0, 200)}`);
    return;
  }
  if (judged === null) {
    tally.fail("dataLoss", `${description}: exit 0 for a workbook recalculateXlsx refuses; the file is now ${after.length} bytes`);
    return;
  }
  const wrote = !after.equals(bytes);
  if (wrote && !after.equals(judged.output)) tally.fail("dataLoss", `${description}: the file written is not the workbook recalc computed`);
  if (wrote) {
    try {
      await recalculateXlsx(after, index);
    } catch (error) {
      tally.fail("dataLoss", `${description}: the written file cannot be read back: ${String(error).slice(0, 200)}`);
      return;
    }
  }
  for (const { cell, value } of knownFigureCells(after)) {
    const address = cell.split("!")[1] ?? "";
    if (typeof value === "number" && value !== NET_INCOME_Q2 && !mentioned(judged.report, address)) {
      tally.fail("wrongDataAccepted", `${description}: ${cell} = ${METRIC} holds ${value} after the refresh, and the report says nothing about it`);
    }
  }
  const macroBefore = readZipPackage(bytes).entries.find((entry) => entry.name === MACRO);
  if (macroBefore && wrote) {
    const reader = new PartReader(readZipPackage(after));
    const original = new PartReader(readZipPackage(bytes));
    if (!Buffer.from(reader.bytes(MACRO)).equals(Buffer.from(original.bytes(MACRO)))) tally.fail("wrongDataAccepted", `${description}: the macro part changed`);
  }
}
