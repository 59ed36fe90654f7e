/**
 * Reads the cells of a worksheet part (`xl/worksheets/sheetN.xml`) with a real XML parser, keeping where each `<c>`
 * stands in the part's text, and rewrites single cells in place. Recalculation changes only a formula cell's cached
 * value (`<v>` and the `t` attribute); working on the text rather than a parsed-and-reserialised document keeps every
 * other byte of the part as it was.
 */
import { CellError, CellValue, ErrorType, errorTypeOf } from "../core/cell";
import { MAX_COLUMNS, MAX_ROWS, formatA1, parseA1 } from "../excel/a1";
import { WorkbookFileError } from "./workbook-file-error";
import { XmlElement, decodeOoxmlText, encodeOoxmlText, escapeXml, isMain, parseXml } from "./xml-reader";

export { escapeXml } from "./xml-reader";

/** One `<c>` element: where it is in the part's text and what it holds. */
export interface SheetCellXml {
  /** `C6` (as Excel writes it; implied from its position when the file leaves `r` out). */
  address: string;
  row: number;
  col: number;
  /** Offsets of the whole element in the part's text. */
  start: number;
  end: number;
  /** Offset just after the start tag. */
  startTagEnd: number;
  /** The element's namespace prefix as written (`x` for `<x:c>`), so a rewritten value uses the same. */
  prefix: string;
  /** `<v>` and `<is>` children's offsets: what a new cached value replaces. */
  valueParts: { start: number; end: number }[];
  /** `<f>`: its text (decoded), attributes (`t="shared"`, `si`, `ref`) and raw text, or undefined. */
  formula?: { text: string; attributes: Record<string, string>; xml: string; end: number };
  /** The value the cell holds, decoded (shared strings resolved). */
  value: CellValue | null;
}

/**
 * The shared string table (`xl/sharedStrings.xml`), in order: each `<si>`'s text, rich-text runs joined, phonetic
 * runs (`<rPh>`) left out as Excel leaves them out of the value.
 *
 * @example
 * readSharedStrings('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Net income</t></si></sst>') // ["Net income"]
 */
export function readSharedStrings(xml: string, part = "xl/sharedStrings.xml"): string[] {
  const where = `its part ${part}`;
  const strings: string[] = [];
  let current: string[] | null = null;
  let inText = false;
  let phonetic = 0;
  parseXml(xml, where, {
    open(element) {
      if (isMain(element, "si")) current = [];
      else if (isMain(element, "rPh")) phonetic++;
      else if (isMain(element, "t") && current && phonetic === 0) inText = true;
    },
    close(element) {
      if (isMain(element, "si") && current) {
        strings.push(decodeOoxmlText(current.join("")));
        current = null;
      } else if (isMain(element, "rPh")) phonetic--;
      else if (isMain(element, "t")) inText = false;
    },
    text(text) {
      if (inText && current) current.push(text);
    },
  });
  return strings;
}


function decodeValue(type: string | undefined, raw: string | undefined, inline: string | undefined, sharedStrings: readonly string[]): CellValue | null {
  if (type === "inlineStr") return inline === undefined ? null : decodeOoxmlText(inline);
  if (raw === undefined) return null;
  switch (type) {
    case "s":
      return sharedStrings[Number(raw)] ?? "";
    case "str":
      return decodeOoxmlText(raw);
    case "d":
      return raw;
    case "b":
      return raw.trim() === "1";
    case "e":
      return new CellError(errorTypeOf(raw.trim()) ?? ErrorType.VALUE, "");
    default: {
      const number = Number(raw);
      return raw.trim() !== "" && Number.isFinite(number) ? number : raw;
    }
  }
}

/**
 * Every `<c>` element of a worksheet part with its position, formula and decoded value. A cell address outside
 * Excel's grid (`A0`, `XFE1`) is refused: Excel would not open the file either. `where` names the sheet in messages.
 *
 * @example
 * readSheetCells('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row></sheetData></worksheet>', [])
 * // [{ address: "A1", formula: { text: "1+1", … }, value: 2, … }]
 */
export function readSheetCells(xml: string, sharedStrings: readonly string[], where = "the sheet"): SheetCellXml[] {
  const cells: SheetCellXml[] = [];
  let inSheetData = false;
  let row = 0;
  let col = 0;
  let cell: SheetCellXml | null = null;
  let cellType: string | undefined;
  /** The child of `<c>` whose text is being read: f, v, or the t of an inline string. */
  let reading: "f" | "v" | "t" | null = null;
  let text: string[] = [];
  let raw: string | undefined;
  let inline: string[] | undefined;
  let phonetic = 0;
  let formulaElement: XmlElement | null = null;

  const refuse = (what: string): never => {
    throw new WorkbookFileError(`not a readable workbook: ${where} has ${what}, outside Excel's grid (A1:XFD${MAX_ROWS}).`);
  };

  parseXml(xml, where, {
    open(element) {
      if (!MAIN_NAMESPACE_ELEMENT.has(element.local) || !isMain(element, element.local)) return;
      switch (element.local) {
        case "sheetData":
          inSheetData = true;
          return;
        case "row": {
          if (!inSheetData) return;
          const r = element.attribute("r");
          const number = r === undefined ? row + 1 : Number(r);
          if (!Number.isInteger(number) || number < 1 || number > MAX_ROWS) refuse(`a row numbered "${r}"`);
          row = number;
          col = 0;
          return;
        }
        case "c": {
          if (!inSheetData || row === 0) return;
          const r = element.attribute("r");
          let position = r === undefined ? { row, col: col + 1 } : parseA1(r);
          if (position === undefined || position.col > MAX_COLUMNS) refuse(`a cell at "${r}"`);
          position = position as { row: number; col: number };
          col = position.col;
          cell = {
            address: r === undefined || r.includes("$") || r !== r.toUpperCase() ? formatA1(position) : r,
            row: position.row,
            col: position.col,
            start: element.start,
            end: element.start,
            startTagEnd: element.startTagEnd,
            prefix: element.prefix,
            valueParts: [],
            value: null,
          };
          cellType = element.attribute("t");
          raw = undefined;
          inline = undefined;
          return;
        }
        default:
          break;
      }
      if (!cell) return;
      if (element.local === "f" && formulaElement === null) {
        formulaElement = element;
        reading = "f";
        text = [];
      } else if (element.local === "v") {
        reading = "v";
        text = [];
      } else if (element.local === "is") {
        inline = [];
      } else if (element.local === "rPh") {
        phonetic++;
      } else if (element.local === "t" && inline !== undefined && phonetic === 0) {
        reading = "t";
        text = [];
      }
    },
    close(element, end) {
      if (!MAIN_NAMESPACE_ELEMENT.has(element.local) || !isMain(element, element.local)) return;
      if (element.local === "sheetData") {
        inSheetData = false;
        return;
      }
      if (!cell) return;
      switch (element.local) {
        case "c": {
          cell.end = end;
          cell.value = decodeValue(cellType, raw, inline?.join(""), sharedStrings);
          cells.push(cell);
          cell = null;
          formulaElement = null;
          return;
        }
        case "f":
          if (element === formulaElement) {
            cell.formula = { text: decodeOoxmlText(text.join("")), attributes: formulaAttributes(xml, element), xml: xml.slice(element.start, end), end };
            reading = null;
          }
          return;
        case "v":
          raw = text.join("");
          cell.valueParts.push({ start: element.start, end });
          reading = null;
          return;
        case "is":
          cell.valueParts.push({ start: element.start, end });
          return;
        case "rPh":
          phonetic--;
          return;
        case "t":
          if (reading === "t") {
            inline?.push(text.join(""));
            reading = null;
          }
          return;
        default:
          return;
      }
    },
    text(chunk) {
      if (reading !== null) text.push(chunk);
    },
  });
  return cells;
}

const MAIN_NAMESPACE_ELEMENT = new Set(["sheetData", "row", "c", "f", "v", "is", "t", "rPh"]);

/** The `<f>` element's attributes by name (t, si, ref, …), decoded. */
function formulaAttributes(xml: string, element: XmlElement): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name] of rawAttributes(xml.slice(element.start, element.startTagEnd))) {
    const value = element.attribute(name);
    if (value !== undefined) attributes[name] = value;
  }
  return attributes;
}

/**
 * A start tag's attributes in order, raw (still escaped, with their quotes). The tag has passed the XML parser, so
 * it is well-formed: name, `=`, a quoted value, nothing else.
 */
function rawAttributes(startTag: string): [string, string][] {
  const body = startTag.replace(/^<[^\s/>]+/, "");
  return [...body.matchAll(/([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')/g)].map((match) => [match[1] as string, match[2] as string]);
}

/** A number as a cached value: the shortest text that reads back as the same double. */
function numberText(value: number): string {
  return String(value);
}

/**
 * The element for a cell with a new cached value: the start tag keeps its attributes, their quotes and their order
 * (only `t` changes), the formula and any other children stay as written, and the value follows the formula as
 * `<v>` (the form Excel writes for formula results), under the cell's own namespace prefix.
 *
 * @example
 * rewriteCell(xml, cell, 1093.377) // '<c r="C6" s="4"><f>QFIN.METRIC($B6,C$4)</f><v>1093.377</v></c>'
 */
export function rewriteCell(xml: string, cell: SheetCellXml, value: CellValue | null): string {
  const v = cell.prefix ? `${cell.prefix}:v` : "v";
  let type: string | undefined;
  let content = "";
  if (value === null || value === "") {
    type = value === "" && cell.formula ? "str" : undefined;
    content = value === "" && cell.formula ? `<${v}></${v}>` : "";
  } else if (typeof value === "number") {
    content = `<${v}>${numberText(value)}</${v}>`;
  } else if (typeof value === "boolean") {
    type = "b";
    content = `<${v}>${value ? 1 : 0}</${v}>`;
  } else if (typeof value === "string") {
    type = "str";
    content = `<${v}>${escapeXml(encodeOoxmlText(value))}</${v}>`;
  } else {
    type = "e";
    content = `<${v}>${escapeXml(value.type)}</${v}>`;
  }
  const tagText = xml.slice(cell.start, cell.startTagEnd);
  const name = /^<([^\s/>]+)/.exec(tagText)?.[1] ?? "c";
  const original = rawAttributes(tagText);
  const attributes = original.filter(([attribute]) => attribute !== "t");
  if (type !== undefined) {
    // `t` goes where it stood, or after `s` (then `r`), as Excel orders them.
    const old = original.findIndex(([attribute]) => attribute === "t");
    const after = attributes.findIndex(([attribute]) => attribute === "s");
    const position = old >= 0 ? Math.min(old, attributes.length) : (after >= 0 ? after : attributes.findIndex(([attribute]) => attribute === "r")) + 1;
    attributes.splice(position, 0, ["t", `"${type}"`]);
  }
  const tag = `<${name}${attributes.map(([attribute, quoted]) => ` ${attribute}=${quoted}`).join("")}`;
  // The children as written, less the old value; the new value goes right after the formula (or first).
  let inner = "";
  if (!tagText.endsWith("/>")) {
    const closeAt = xml.lastIndexOf("</", cell.end - 1);
    const insertAt = cell.formula ? cell.formula.end : cell.startTagEnd;
    let at = cell.startTagEnd;
    for (const part of [...cell.valueParts, { start: insertAt, end: insertAt }].sort((a, b) => a.start - b.start || a.end - b.end)) {
      inner += xml.slice(at, part.start);
      if (part.start === insertAt && part.end === insertAt) inner += content;
      at = Math.max(at, part.end);
    }
    inner += xml.slice(at, closeAt);
  } else {
    inner = content;
  }
  return inner === "" ? `${tag}/>` : `${tag}>${inner}</${name}>`;
}

/**
 * Applies replacements (by element offsets) to a part's text, leaving everything between them as it was.
 *
 * @example
 * spliceCells("<a><c r='A1'/></a>", [{ start: 3, end: 14, xml: "<c r='A1'><v>1</v></c>" }])
 */
export function spliceCells(xml: string, edits: readonly { start: number; end: number; xml: string }[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const out: string[] = [];
  let at = 0;
  for (const edit of sorted) {
    out.push(xml.slice(at, edit.start), edit.xml);
    at = edit.end;
  }
  out.push(xml.slice(at));
  return out.join("");
}
