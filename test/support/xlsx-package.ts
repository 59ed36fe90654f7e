/**
 * Hand-built .xlsx packages for tests that need what no spreadsheet library writes on request: a chosen compression
 * method per entry, extra fields, Unix file modes, sheets with prefixed elements or comments, sizes that lie. The zip
 * is written here byte by byte (local headers, central directory, end record), so a test controls every field.
 */
import { crc32, deflateRawSync } from "zlib";

export interface ZipSpec {
  name: string;
  data: Buffer;
  /** 0 stored, 8 deflated (default). */
  method?: 0 | 8;
  /** Raw extra field, written in both the local header and the central record. */
  extra?: Buffer;
  /** Unix mode (e.g. 0o100644); written as "made by Unix" with the mode in the external attributes' high word. */
  mode?: number;
  /** Overrides, for hostile packages: the uncompressed size and the compressed data the headers declare. */
  declaredSize?: number;
  compressed?: Buffer;
  crc?: number;
}

/**
 * A zip file of these entries, in order.
 *
 * @example
 * buildZip([{ name: "a.txt", data: Buffer.from("hi"), method: 0 }])
 */
export function buildZip(specs: readonly ZipSpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const spec of specs) {
    const method = spec.method ?? 8;
    const data = spec.compressed ?? (method === 0 ? spec.data : deflateRawSync(spec.data));
    const name = Buffer.from(spec.name, "utf8");
    const extra = spec.extra ?? Buffer.alloc(0);
    const crc = spec.crc ?? crc32(spec.data);
    const size = spec.declaredSize ?? spec.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x6000, 10); // 12:00:00
    local.writeUInt16LE(0x5a21, 12); // 2025-01-01
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    locals.push(local, name, extra, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(spec.mode === undefined ? 20 : 0x0314, 4); // made by: DOS, or Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x6000, 12);
    central.writeUInt16LE(0x5a21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(spec.mode === undefined ? 0 : (spec.mode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name, extra);
    offset += 30 + name.length + extra.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(specs.length, 8);
  end.writeUInt16LE(specs.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** `<worksheet>` around rows, in the main namespace unprefixed (the usual form). */
export const worksheet = (sheetData: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN_NS}"><sheetData>${sheetData}</sheetData></worksheet>`;

/**
 * The entries of a minimal workbook: one worksheet per sheet (in order), the workbook, its relationships, content
 * types, and optionally shared strings. Give `extraEntries` to add parts (a picture, a custom part).
 */
export function workbookEntries(sheets: readonly { name: string; xml: string }[], options: { sharedStrings?: string } = {}): ZipSpec[] {
  const sheetList = sheets.map((sheet, at) => `<sheet name="${sheet.name}" sheetId="${at + 1}" r:id="rId${at + 1}"/>`).join("");
  const rels = sheets
    .map((_, at) => `<Relationship Id="rId${at + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${at + 1}.xml"/>`)
    .concat(options.sharedStrings === undefined ? [] : [`<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>`])
    .join("");
  const overrides = sheets
    .map((_, at) => `<Override PartName="/xl/worksheets/sheet${at + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
    .join("");
  const text = (name: string, xml: string): ZipSpec => ({ name, data: Buffer.from(xml, "utf8") });
  return [
    text(
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}</Types>`,
    ),
    text("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
    text("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${sheetList}</sheets></workbook>`),
    text("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`),
    ...sheets.map((sheet, at) => text(`xl/worksheets/sheet${at + 1}.xml`, sheet.xml)),
    ...(options.sharedStrings === undefined ? [] : [text("xl/sharedStrings.xml", options.sharedStrings)]),
  ];
}

/** A minimal .xlsx of these sheets. */
export const minimalXlsx = (sheets: readonly { name: string; xml: string }[], options: { sharedStrings?: string } = {}): Buffer => buildZip(workbookEntries(sheets, options));

/** Reads a zip's central directory: per entry its method, extra field, external attributes and raw local record. */
export function zipRecords(zip: Buffer): Map<string, { method: number; extra: Buffer; external: number; madeBy: number; local: Buffer; crc: number }> {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(endAt + 10);
  let at = zip.readUInt32LE(endAt + 16);
  const records = new Map<string, { method: number; extra: Buffer; external: number; madeBy: number; local: Buffer; crc: number }>();
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    const localAt = zip.readUInt32LE(at + 42);
    const localLength = 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28) + zip.readUInt32LE(at + 20);
    records.set(name, {
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      extra: zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength),
      external: zip.readUInt32LE(at + 38),
      madeBy: zip.readUInt16LE(at + 4),
      local: zip.subarray(localAt, localAt + localLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return records;
}
