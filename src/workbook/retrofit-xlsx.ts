/**
 * `qfin retrofit` on an .xlsx: reads every sheet's cells (values, formulas, number formats), hands them to the
 * matcher (src/retrofit), and writes a copy in which each linked number's `<c>` element gains its QFIN formula, stored
 * as Excel stores add-in functions (`_xldudf_QFIN_METRIC(…)`, see src/excel/formula-text.ts), and keeps its number as
 * the cached value. Everything else — other cells, formulas, styles, every other part of the package — is left byte
 * for byte as it was, by the same surgery on the sheet text that `qfin recalc` uses. The package is read and written
 * by recalc's own zip and XML readers, so a file recalc refuses (a zip bomb, XML that is not well-formed, an encrypted
 * or OLE file) is refused here with the same words, and untouched zip entries are copied byte for byte.
 */
import { isCellError } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { parseA1 } from "../excel/a1";
import { savedFormula } from "../excel/formula-text";
import { evaluateFormula } from "../engine/formula-engine";
import type { InputCell, InputSheet } from "../retrofit/cells";
import { typedValue } from "../retrofit/figure-match";
import { findLinks, type CellLink, type RetrofitResult } from "../retrofit/link-workbook";
import { readWorkbook } from "./recalc-xlsx";
import { escapeXml, readSharedStrings, readSheetCells, spliceCells, type SheetCellXml } from "./sheet-xml";
import { isMain, parseXml } from "./xml-reader";
import { PartReader, readZipPackage, writeZipPackage } from "./zip-package";

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
export function readCellFormats(stylesXml: string, part = "xl/styles.xml"): (string | undefined)[] {
  const custom = new Map<number, string>();
  const styles: (number | undefined)[] = [];
  let inCellXfs = false;
  parseXml(stylesXml, `its part ${part}`, {
    open(element) {
      if (isMain(element, "numFmt")) {
        const id = element.attribute("numFmtId");
        const code = element.attribute("formatCode");
        if (id !== undefined && code !== undefined && /^\d+$/.test(id)) custom.set(Number(id), code);
      } else if (isMain(element, "cellXfs")) {
        inCellXfs = true;
      } else if (inCellXfs && isMain(element, "xf")) {
        const id = element.attribute("numFmtId");
        styles.push(id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined);
      }
    },
    close(element) {
      if (isMain(element, "cellXfs")) inCellXfs = false;
    },
  });
  return styles.map((id) => (id === undefined ? undefined : formatCode(id, custom)));
}

interface SheetPart {
  name: string;
  path: string;
  xml: string;
  byAddress: Map<string, SheetCellXml>;
}

/** The style index in a `<c>` start tag (either quote). */
const STYLE = /\ss=["'](\d+)["']/;

/**
 * Links the release's figures among a workbook's numbers; returns the linked copy and what was (and was not) linked.
 * Throws WorkbookFileError for input that is not an .xlsx workbook (nothing is written then).
 *
 * @example
 * const { output, result } = await retrofitXlsx(readFileSync("model.xlsx"), index);
 * result.links[0].formula // '=ROUND(QFIN.METRIC("Total net revenue","Q2 2023"),1)'
 */
export async function retrofitXlsx(input: Uint8Array, index: DatasetIndex): Promise<{ output: Buffer; result: RetrofitResult }> {
  const zip = readZipPackage(input);
  const { parts, sheets } = readCells(new PartReader(zip));
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
  const replacements = new Map<string, Uint8Array>();
  for (const [part, list] of edits) replacements.set(part.path, Buffer.from(spliceCells(part.xml, list), "utf8"));
  // As recalc writes: entries not rewritten are copied byte for byte; a rewritten one keeps its compression.
  return { output: writeZipPackage(zip, replacements), result };
}

/** Every sheet's cells as the matcher reads them, and the sheet parts to edit. */
function readCells(reader: PartReader): { parts: SheetPart[]; sheets: InputSheet[] } {
  const workbook = readWorkbook(reader);
  const sharedStrings = workbook.sharedStrings && reader.has(workbook.sharedStrings) ? readSharedStrings(reader.text(workbook.sharedStrings), workbook.sharedStrings) : [];
  const formats = reader.has("xl/styles.xml") ? readCellFormats(reader.text("xl/styles.xml")) : [];
  const parts: SheetPart[] = [];
  const sheets: InputSheet[] = [];
  for (const sheet of workbook.sheets) {
    const xml = reader.text(sheet.path);
    const cells: InputCell[] = [];
    const byAddress = new Map<string, SheetCellXml>();
    for (const cell of readSheetCells(xml, sharedStrings, `its sheet "${sheet.name}" (${sheet.path})`)) {
      const at = parseA1(cell.address);
      if (at === undefined) continue;
      byAddress.set(cell.address, cell);
      const style = STYLE.exec(xml.slice(cell.start, cell.startTagEnd))?.[1];
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
  const prefix = cell.prefix ? `${cell.prefix}:` : "";
  const startTag = xml.slice(cell.start, cell.startTagEnd).replace(/\s*\/>$/, ">");
  const valueElement = cell.valueParts[0] === undefined ? undefined : xml.slice(cell.valueParts[0].start, cell.valueParts[0].end);
  const raw = valueElement === undefined ? undefined : />([^<]*)</.exec(valueElement)?.[1];
  // The number as the file wrote it, unless that text holds float residue past the 15 digits the formula gives back.
  const givesBack = typedValue(link.value).number;
  const cached = raw !== undefined && Number(raw) === givesBack ? raw : String(givesBack);
  const tag = startTag.replace(/\s+t=(["'])n\1/, "");
  return `${tag}<${prefix}f>${escapeXml(savedFormula(link.formula.slice(1)))}</${prefix}f><${prefix}v>${cached}</${prefix}v></${prefix}c>`;
}
