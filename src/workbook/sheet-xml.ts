/**
 * Reads the cells of a worksheet part (`xl/worksheets/sheetN.xml`) where they stand in the text, and rewrites single
 * cells in place. Recalculation changes only a formula cell's cached value (`<v>` and the `t` attribute); working on
 * the text rather than a parsed-and-reserialised document keeps every other byte of the part as it was.
 */
import { CellError, CellValue, ErrorType } from "../core/cell";

/** One `<c>` element: where it is in the part's text and what it holds. */
export interface SheetCellXml {
  /** `C6` */
  address: string;
  /** Offsets of the whole element in the part's text. */
  start: number;
  end: number;
  /** The start tag's attributes in their order, raw (still XML-escaped). */
  attributes: [string, string][];
  /** `<f>`: its text (unescaped) and attributes (`t="shared"`, `si`, `ref`), or undefined. */
  formula?: { text: string; attributes: Record<string, string>; xml: string };
  /** The value the cell holds, decoded (shared strings resolved). */
  value: CellValue | null;
}

const CELL = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
const ATTRIBUTE = /([\w:]+)\s*=\s*"([^"]*)"/g;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** XML text → string: the five entities and numeric character references. */
export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (entity, name: string) => {
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? entity;
  });
}

/** String → XML text (element content and attribute values). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function attributesOf(tag: string): [string, string][] {
  return [...tag.matchAll(ATTRIBUTE)].map((match) => [match[1], match[2]]);
}

/** The text of `<t>` runs inside an element (`<si>`, `<is>`), rich-text runs joined. */
function textRuns(xml: string): string {
  return [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)].map((match) => unescapeXml(match[1] ?? "")).join("");
}

/**
 * The shared string table (`xl/sharedStrings.xml`), in order.
 *
 * @example
 * readSharedStrings('<sst><si><t>Net income</t></si></sst>') // ["Net income"]
 */
export function readSharedStrings(xml: string): string[] {
  return [...xml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)].map((match) => textRuns(match[1] ?? ""));
}

const ERROR_CODES = new Map<string, ErrorType>(Object.values(ErrorType).map((type) => [type, type]));

function decodeValue(type: string | undefined, inner: string, sharedStrings: readonly string[]): CellValue | null {
  if (type === "inlineStr") {
    const inline = /<is>([\s\S]*?)<\/is>/.exec(inner);
    return inline ? textRuns(inline[1]) : null;
  }
  const raw = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(inner);
  if (!raw) return null;
  const text = unescapeXml(raw[1]);
  switch (type) {
    case "s":
      return sharedStrings[Number(text)] ?? "";
    case "str":
    case "d":
      return text;
    case "b":
      return text.trim() === "1";
    case "e":
      return new CellError(ERROR_CODES.get(text.trim()) ?? ErrorType.VALUE, "");
    default: {
      const number = Number(text);
      return text.trim() !== "" && Number.isFinite(number) ? number : text;
    }
  }
}

/**
 * Every `<c>` element of a worksheet part with its position, formula and decoded value.
 *
 * @example
 * readSheetCells('<sheetData><row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row></sheetData>', [])
 * // [{ address: "A1", formula: { text: "1+1", … }, value: 2, … }]
 */
export function readSheetCells(xml: string, sharedStrings: readonly string[]): SheetCellXml[] {
  const cells: SheetCellXml[] = [];
  const dataStart = xml.indexOf("<sheetData");
  const dataEnd = xml.indexOf("</sheetData>");
  if (dataStart < 0 || dataEnd < 0) return cells;
  CELL.lastIndex = dataStart;
  for (let match = CELL.exec(xml); match !== null && match.index < dataEnd; match = CELL.exec(xml)) {
    const attributes = attributesOf(match[1]);
    const address = attributes.find(([name]) => name === "r")?.[1];
    if (address === undefined) continue;
    const inner = match[2] ?? "";
    const type = attributes.find(([name]) => name === "t")?.[1];
    const formulaMatch = /<f\b([^>]*?)(?:\/>|>([\s\S]*?)<\/f>)/.exec(inner);
    const formula = formulaMatch
      ? { text: unescapeXml(formulaMatch[2] ?? ""), attributes: Object.fromEntries(attributesOf(formulaMatch[1])), xml: formulaMatch[0] }
      : undefined;
    cells.push({ address, start: match.index, end: match.index + match[0].length, attributes, formula, value: decodeValue(type, inner, sharedStrings) });
  }
  return cells;
}

/** A number as a cached value: the shortest text that reads back as the same double. */
function numberText(value: number): string {
  return String(value);
}

/**
 * The element for a cell with a new cached value: the start tag keeps its attributes and their order (only `t`
 * changes), the formula element stays as written, and the value follows it as `<v>` (the form Excel writes for
 * formula results).
 *
 * @example
 * rewriteCell(cell, 1093.377) // '<c r="C6" s="4"><f>QFIN.METRIC($B6,C$4)</f><v>1093.377</v></c>'
 */
export function rewriteCell(cell: SheetCellXml, value: CellValue | null): string {
  let type: string | undefined;
  let content = "";
  if (value === null || value === "") {
    type = value === "" && cell.formula ? "str" : undefined;
    content = value === "" && cell.formula ? "<v></v>" : "";
  } else if (typeof value === "number") {
    content = `<v>${numberText(value)}</v>`;
  } else if (typeof value === "boolean") {
    type = "b";
    content = `<v>${value ? 1 : 0}</v>`;
  } else if (typeof value === "string") {
    type = "str";
    content = `<v>${escapeXml(value)}</v>`;
  } else {
    type = "e";
    content = `<v>${escapeXml(value.type)}</v>`;
  }
  const attributes = cell.attributes.filter(([name]) => name !== "t");
  if (type !== undefined) {
    // `t` goes where it stood, or after `s` (then `r`), as Excel orders them.
    const old = cell.attributes.findIndex(([name]) => name === "t");
    const after = attributes.findIndex(([name]) => name === "s");
    const position = old >= 0 ? Math.min(old, attributes.length) : (after >= 0 ? after : attributes.findIndex(([name]) => name === "r")) + 1;
    attributes.splice(position, 0, ["t", type]);
  }
  const tag = `<c${attributes.map(([name, raw]) => ` ${name}="${raw}"`).join("")}`;
  const formula = cell.formula?.xml ?? "";
  const body = formula + content;
  return body === "" ? `${tag}/>` : `${tag}>${body}</c>`;
}

/**
 * Applies replacements (by element offsets) to a part's text, leaving everything between them as it was.
 *
 * @example
 * spliceCells("<a><c r='A1'/></a>", [{ start: 3, end: 14, xml: "<c r='A1'><v>1</v></c>" }])
 */
export function spliceCells(xml: string, edits: readonly { start: number; end: number; xml: string }[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const edit of sorted) {
    out += xml.slice(at, edit.start) + edit.xml;
    at = edit.end;
  }
  return out + xml.slice(at);
}
