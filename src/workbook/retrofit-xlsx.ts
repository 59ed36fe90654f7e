/**
 * `qfin retrofit` on an .xlsx: reads every sheet's cells (values, formulas, number formats), hands them to the
 * matcher (src/retrofit), and writes a copy in which each linked number's `<c>` element gains its QFIN formula, stored
 * as Excel stores add-in functions (`_xldudf_QFIN_METRIC(…)`, see src/excel/formula-text.ts), and keeps its number as
 * the cached value. Everything else — other cells, formulas, styles, every other part of the package — is left byte
 * for byte as it was, by the same surgery on the sheet text that `qfin recalc` uses. The package is opened by recalc's
 * own reader, so a file recalc refuses is refused here with the same words.
 */
import type JSZip from "jszip";
import { isCellError } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { parseA1 } from "../excel/a1";
import { savedFormula } from "../excel/formula-text";
import { evaluateFormula } from "../engine/formula-engine";
import type { InputCell, InputSheet } from "../retrofit/cells";
import { typedValue } from "../retrofit/figure-match";
import { findLinks, type CellLink, type RetrofitResult } from "../retrofit/link-workbook";
import { WorkbookFileError, openPackage, readWorkbook, text as partText } from "./recalc-xlsx";
import { escapeXml, readSharedStrings, readSheetCells, spliceCells, unescapeXml, type SheetCellXml } from "./sheet-xml";

/**
 * Number formats built into Excel, by id (ECMA-376 §18.8.30): those a header date or a figure may carry. The East
 * Asian date formats (27–36, 50–58) are dates with a day.
 */
const BUILT_IN_FORMATS: Readonly<Record<number, string>> = {
  0: "General",
  1: "0",
  2: "0.00",
  3: "#,##0",
  4: "#,##0.00",
  9: "0%",
  10: "0.00%",
  11: "0.00E+00",
  14: "m/d/yyyy",
  15: "d-mmm-yy",
  16: "d-mmm",
  17: "mmm-yy",
  18: "h:mm AM/PM",
  19: "h:mm:ss AM/PM",
  20: "h:mm",
  21: "h:mm:ss",
  22: "m/d/yyyy h:mm",
  37: "#,##0 ;(#,##0)",
  38: "#,##0 ;[Red](#,##0)",
  39: "#,##0.00;(#,##0.00)",
  40: "#,##0.00;[Red](#,##0.00)",
  45: "mm:ss",
  46: "[h]:mm:ss",
  47: "mmss.0",
  48: "##0.0E+0",
  49: "@",
};
const EAST_ASIAN_DATE = "yyyy-mm-dd";

function formatCode(id: number, custom: ReadonlyMap<number, string>): string | undefined {
  const own = custom.get(id) ?? BUILT_IN_FORMATS[id];
  if (own !== undefined) return own;
  return (id >= 27 && id <= 36) || (id >= 50 && id <= 58) ? EAST_ASIAN_DATE : undefined;
}

/** The number format code of each cell style (`s` is an index into `<cellXfs>`), from xl/styles.xml. */
export function readCellFormats(stylesXml: string): (string | undefined)[] {
  const custom = new Map<number, string>();
  for (const match of stylesXml.matchAll(/<numFmt\b([^>]*?)\/?>/g)) {
    const id = /\bnumFmtId="(\d+)"/.exec(match[1])?.[1];
    const code = /\bformatCode="([^"]*)"/.exec(match[1])?.[1];
    if (id !== undefined && code !== undefined) custom.set(Number(id), unescapeXml(code));
  }
  const block = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)?.[1] ?? "";
  return [...block.matchAll(/<xf\b([^>]*?)(?:\/>|>)/g)].map((match) => {
    const id = /\bnumFmtId="(\d+)"/.exec(match[1])?.[1];
    return id === undefined ? undefined : formatCode(Number(id), custom);
  });
}

interface SheetPart {
  name: string;
  path: string;
  xml: string;
  byAddress: Map<string, SheetCellXml>;
}

/** The style index in a `<c>` start tag. */
const STYLE = /^<(?:[\w.-]+:)?c\b[^>]*?\ss="(\d+)"/;

/** Excel writes an encrypted workbook (and a legacy .xls) as an OLE compound file, not a zip package. */
const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * Links the release's figures among a workbook's numbers; returns the linked copy and what was (and was not) linked.
 * Throws WorkbookFileError for input that is not an .xlsx workbook (nothing is written then).
 *
 * @example
 * const { output, result } = await retrofitXlsx(readFileSync("model.xlsx"), index);
 * result.links[0].formula // '=ROUND(QFIN.METRIC("Total net revenue","Q2 2023"),1)'
 */
export async function retrofitXlsx(input: Uint8Array, index: DatasetIndex): Promise<{ output: Buffer; result: RetrofitResult }> {
  if (OLE_SIGNATURE.every((byte, at) => input[at] === byte)) {
    throw new WorkbookFileError(
      "not an .xlsx package: it is an OLE compound file, which is what Excel writes for a password-protected workbook or an old .xls file (save it unprotected as .xlsx).",
    );
  }
  const zip = await openPackage(input);
  const { parts, sheets } = await readCells(zip);
  const result = findLinks(sheets, index, { evaluate: (formula) => evaluateFormula(index, formula) });

  const edits = new Map<SheetPart, { start: number; end: number; xml: string }[]>();
  const byName = new Map(parts.map((part) => [part.name, part]));
  for (const link of result.links) {
    const part = byName.get(link.sheet) as SheetPart;
    const cell = part.byAddress.get(link.cell) as SheetCellXml;
    const list = edits.get(part) ?? [];
    list.push({ start: cell.start, end: cell.end, xml: linkedCellXml(part.xml, cell, link) });
    edits.set(part, list);
  }
  for (const [part, list] of edits) zip.file(part.path, spliceCells(part.xml, list));
  // The same settings as recalc: parts not rewritten keep their compressed bytes.
  const output = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 6 } });
  return { output, result };
}

/** Every sheet's cells as the matcher reads them, and the sheet parts to edit. */
async function readCells(zip: JSZip): Promise<{ parts: SheetPart[]; sheets: InputSheet[] }> {
  const sharedStrings = zip.file("xl/sharedStrings.xml") ? readSharedStrings(await partText(zip, "xl/sharedStrings.xml")) : [];
  const formats = zip.file("xl/styles.xml") ? readCellFormats(await partText(zip, "xl/styles.xml")) : [];
  const { sheets: list } = await readWorkbook(zip);
  const parts: SheetPart[] = [];
  const sheets: InputSheet[] = [];
  for (const sheet of list) {
    const xml = await partText(zip, sheet.path);
    const cells: InputCell[] = [];
    const byAddress = new Map<string, SheetCellXml>();
    for (const cell of readSheetCells(xml, sharedStrings)) {
      const at = parseA1(cell.address);
      if (at === undefined) continue;
      byAddress.set(cell.address, cell);
      const style = STYLE.exec(xml.slice(cell.start, cell.end))?.[1];
      const value = cell.value === null || isCellError(cell.value) ? null : cell.value;
      cells.push({ row: at.row, col: at.col, value, formula: cell.formula !== undefined, numberFormat: style === undefined ? undefined : formats[Number(style)] });
    }
    parts.push({ name: sheet.name, path: sheet.path, xml, byAddress });
    sheets.push({ name: sheet.name, cells });
  }
  return { parts, sheets };
}

/**
 * The `<c>` element of a linked cell: its start tag as it was (style included), less a `t="n"`; the formula as Excel
 * saves an add-in function; and the number it held as the cached value, written as the file wrote it. Built from the
 * element's own text (its namespace prefix kept), so it relies on nothing of the reader but where the element is.
 *
 * @example
 * linkedCellXml(xml, cell, link) // '<c r="C6" s="3"><f>ROUND(_xldudf_QFIN_METRIC("Total net revenue","Q2 2023"),1)</f><v>3914.3</v></c>'
 */
function linkedCellXml(xml: string, cell: SheetCellXml, link: CellLink): string {
  const element = xml.slice(cell.start, cell.end);
  const open = /^<((?:[\w.-]+:)?)c\b([^>]*?)\/?>/.exec(element);
  if (open === null) throw new Error(`internal: ${link.sheet}!${link.cell} is not a <c> element`);
  const [, prefix, attributes] = open;
  const escaped = (prefix ?? "").replace(/[.]/g, "\\.");
  const raw = new RegExp(`<${escaped}v(?:\\s[^>]*)?>([^<]*)</${escaped}v>`).exec(element)?.[1];
  // The number as the file wrote it, unless that text holds float residue past the 15 digits the formula gives back.
  const givesBack = typedValue(link.value).number;
  const cached = raw !== undefined && Number(raw) === givesBack ? raw : String(givesBack);
  const tag = `<${prefix}c${(attributes ?? "").replace(/\s+t="n"/, "")}>`;
  return `${tag}<${prefix}f>${escapeXml(savedFormula(link.formula.slice(1)))}</${prefix}f><${prefix}v>${cached}</${prefix}v></${prefix}c>`;
}
