/**
 * A real XML parser (saxes, ISC: well-formedness, namespaces, entities, CDATA, comments) under every part recalc
 * reads, reporting where each element starts and ends in the part's text so that a changed cell can be spliced in
 * place and every other byte kept. Elements are matched by namespace and local name, so `x:c` in a sheet that binds
 * the main namespace to `x` is a cell, single-quoted attributes read like double-quoted ones, and a `<c>` inside a
 * comment or CDATA is text, never a cell. Also OOXML's escaping of characters XML cannot hold (`_x0001_`).
 */
import { SaxesParser, type SaxesTagNS } from "saxes";
import { WorkbookFileError } from "./workbook-file-error";

/** SpreadsheetML's main namespace, transitional and strict. */
export const MAIN_NAMESPACES: ReadonlySet<string> = new Set([
  "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
  "http://purl.oclc.org/ooxml/spreadsheetml/main",
]);
/** The namespace of `r:id` attributes, transitional and strict. */
export const RELATIONSHIP_ID_NAMESPACES: ReadonlySet<string> = new Set([
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
  "http://purl.oclc.org/ooxml/officeDocument/relationships",
]);
export const PACKAGE_RELATIONSHIPS_NAMESPACE = "http://schemas.openxmlformats.org/package/2006/relationships";

export interface XmlElement {
  /** The tag as written, with its prefix (`x:c`). */
  name: string;
  prefix: string;
  local: string;
  uri: string;
  /** Attribute values, decoded, by local name (for unprefixed attributes) and by `{uri}local` for namespaced ones. */
  attribute(local: string, uri?: string): string | undefined;
  /** Offset of the element's `<` in the part's text. */
  start: number;
  /** Offset just after the start tag's `>` (or `/>`). */
  startTagEnd: number;
  selfClosing: boolean;
}

export interface XmlHandlers {
  open?(element: XmlElement): void;
  /** `end` is the offset just after the element's end tag (or its `/>`). */
  close?(element: XmlElement, end: number): void;
  /** Character data (text and CDATA), decoded, inside the innermost open element. */
  text?(text: string): void;
}

/**
 * Parses a whole part, calling the handlers in document order. Throws WorkbookFileError naming the part (`where`:
 * "its part xl/workbook.xml", "its sheet "Model" (xl/worksheets/sheet1.xml)"), line and column for anything that is
 * not well-formed XML (a bad character reference, an unclosed tag, a DOCTYPE).
 *
 * @example
 * parseXml('<a xmlns="urn:x"><b k=\'1\'/></a>', "its part a.xml", { open: (e) => console.log(e.local, e.attribute("k")) })
 * // a undefined, b "1"
 */
export function parseXml(xml: string, where: string, handlers: XmlHandlers): void {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const open: XmlElement[] = [];
  const fail = (reason: string): never => {
    throw new WorkbookFileError(`not a readable workbook: ${where} is not well-formed XML (line ${parser.line}, column ${parser.column + 1}: ${reason}).`);
  };
  // saxes prefixes its message with "line:column: " and ends it with a full stop; the sentence around it says both.
  parser.on("error", (error) => fail(error.message.replace(/^(?:.*?:)?\d+:\d+: /, "").replace(/\.$/, "")));
  parser.on("doctype", () => fail("a DOCTYPE, which Office Open XML parts may not have"));
  parser.on("opentag", (tag: SaxesTagNS) => {
    const end = parser.position;
    const start = xml.lastIndexOf("<", end - 1);
    const attributes = tag.attributes;
    const element: XmlElement = {
      name: tag.name,
      prefix: tag.prefix,
      local: tag.local,
      uri: tag.uri,
      attribute(local, uri) {
        for (const key in attributes) {
          const attribute = attributes[key];
          if (attribute && attribute.local === local && (uri === undefined ? attribute.prefix === "" : attribute.uri === uri)) return attribute.value;
        }
        return undefined;
      },
      start: start < 0 ? end : start,
      startTagEnd: end,
      selfClosing: tag.isSelfClosing,
    };
    open.push(element);
    handlers.open?.(element);
  });
  parser.on("closetag", () => {
    const element = open.pop();
    if (element) handlers.close?.(element, parser.position);
  });
  if (handlers.text) {
    const text = handlers.text;
    parser.on("text", (chunk) => text(chunk));
    parser.on("cdata", (chunk) => text(chunk));
  }
  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof WorkbookFileError) throw error;
    fail(error instanceof Error ? error.message : String(error));
  }
}

/** `isMain(element, "c")`: the element is SpreadsheetML's `<c>`, whatever prefix binds its namespace. */
export const isMain = (element: XmlElement, local: string): boolean => element.local === local && MAIN_NAMESPACES.has(element.uri);

const ESCAPED = /_x([0-9A-Fa-f]{4})_/g;
/**
 * What XML 1.0 cannot hold (C0 controls but tab and LF, U+FFFE/U+FFFF, unpaired surrogates), CR (an XML reader turns
 * it into LF), and the `_` that starts a literal `_xHHHH_` (so it reads back as itself).
 */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
const NEEDS_ESCAPE = /_(?=x[0-9A-Fa-f]{4}_)|[\u0000-\u0008\u000B-\u000D\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * OOXML string text (shared strings, inline strings, `<v>` of a string result) → the string: `_xHHHH_` is the
 * UTF-16 code unit HHHH, as Excel writes characters XML forbids.
 *
 * @example
 * decodeOoxmlText("a_x0001_b")      // "a\u0001b"
 * decodeOoxmlText("_x005F_x0041_")  // "_x0041_" (a literal, escaped)
 */
export function decodeOoxmlText(text: string): string {
  return text.indexOf("_x") < 0 ? text : text.replace(ESCAPED, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * A string → OOXML string text, as Excel writes it: characters XML forbids as `_xHHHH_`, a literal `_xHHHH_` with
 * its underscore escaped (`_x005F_`). XML's own escaping (`&amp;` …) comes on top (escapeXml).
 *
 * @example
 * encodeOoxmlText("\u0001QFIN")  // "_x0001_QFIN"
 * encodeOoxmlText("_x0041_")     // "_x005F_x0041_"
 */
export function encodeOoxmlText(text: string): string {
  return text.replace(NEEDS_ESCAPE, (match) => `_x${match.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`);
}

/** String → XML text (element content and attribute values). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
