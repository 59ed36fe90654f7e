/**
 * The .xlsx package as a zip file, read and rewritten by hand so that a refresh changes nothing it does not mean to:
 * an entry that is not rewritten is copied byte for byte (local header, data, data descriptor), so it keeps its
 * compression method (stored stays stored), its extra fields, timestamps and file modes; a rewritten entry keeps
 * its method, name, extra fields and attributes, with new data, CRC and sizes. JSZip re-deflated every entry and
 * dropped extra fields and modes.
 *
 * Reading is guarded against hostile packages before anything is inflated: a part may declare at most
 * MAX_PART_BYTES, the parts read together at most MAX_TOTAL_BYTES, and a large part may not claim a compression ratio
 * no real XML reaches (a zip bomb); inflation then stops at the declared size, so a header that lies is caught too.
 * Overlapping entries (the other zip-bomb construction), ZIP64, multi-disk and encrypted packages are refused.
 */
import { crc32 as zlibCrc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { WorkbookFileError } from "./workbook-file-error";

/** One part may inflate to this much: far above any real sheet (a million formulas take ~80 MB), below V8's string limit. */
export const MAX_PART_BYTES = 256 * 2 ** 20;
/** The parts one recalculation reads (workbook, relationships, shared strings, sheets), together. */
export const MAX_TOTAL_BYTES = 1024 * 2 ** 20;
/** Deflate reaches ~1030:1 only on degenerate input; sheets measured here compress 10–20:1 (hostile-input.test.ts). */
export const MAX_RATIO = 400;
/** Parts smaller than this may have any ratio (a tiny part cannot be a bomb). */
const RATIO_FLOOR_BYTES = 4 * 2 ** 20;

const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const END_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const STORED = 0;
const DEFLATED = 8;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DATA_DESCRIPTOR = 0x8;

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  /** Uncompressed size, as the central directory declares it. */
  size: number;
  /** The raw central directory record (fixed part, name, extra field, comment). */
  central: Uint8Array;
  /** The local record in the file: header, data and any data descriptor, up to the next record. */
  localStart: number;
  localEnd: number;
  dataStart: number;
}

export interface ZipPackage {
  bytes: Uint8Array;
  /** In central-directory order. */
  entries: ZipEntry[];
  /** The end-of-central-directory record, with the archive comment. */
  end: Uint8Array;
}

const damaged = (why: string): WorkbookFileError => new WorkbookFileError(`not an .xlsx workbook (the file is not a readable zip package: ${why}).`);
const megabytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/**
 * Reads the zip structure (central directory, local headers); inflates nothing.
 *
 * @example
 * const zip = readZipPackage(readFileSync("model.xlsx"));
 * zip.entries.map((entry) => entry.name) // ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", …]
 */
export function readZipPackage(bytes: Uint8Array): ZipPackage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 8 && view.getUint32(0) === 0xd0cf11e0) {
    throw new WorkbookFileError("not an .xlsx package: it is an OLE compound file, which is what Excel writes for a password-protected workbook or an old .xls file (save it unprotected as .xlsx).");
  }
  const endAt = findEnd(bytes, view);
  if (endAt < 0) throw damaged("it has no end-of-central-directory record; the file is cut short or not a zip");
  if (endAt >= 20 && view.getUint32(endAt - 20, true) === ZIP64_LOCATOR_SIGNATURE) {
    throw new WorkbookFileError("not a package qfin recalc reads: it uses ZIP64 (for packages over 4 GB or 65,535 parts).");
  }
  const disk = view.getUint16(endAt + 4, true);
  const count = view.getUint16(endAt + 10, true);
  const directorySize = view.getUint32(endAt + 12, true);
  const directoryAt = view.getUint32(endAt + 16, true);
  if (disk !== 0 || view.getUint16(endAt + 6, true) !== 0) throw damaged("it is one part of a multi-disk archive");
  if (count === 0xffff || directoryAt === 0xffffffff || directorySize === 0xffffffff) {
    throw new WorkbookFileError("not a package qfin recalc reads: it uses ZIP64 (for packages over 4 GB or 65,535 parts).");
  }
  if (directoryAt + directorySize > endAt) throw damaged("its central directory lies outside the file");

  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let at = directoryAt;
  for (let i = 0; i < count; i++) {
    if (at + 46 > endAt || view.getUint32(at, true) !== CENTRAL_SIGNATURE) throw damaged(`central directory record ${i + 1} is damaged`);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const recordEnd = at + 46 + nameLength + extraLength + commentLength;
    if (recordEnd > endAt) throw damaged(`central directory record ${i + 1} runs past the directory`);
    const name = new TextDecoder("utf-8").decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (names.has(name)) throw damaged(`it holds ${name} twice`);
    names.add(name);
    const entry: ZipEntry = {
      name,
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      crc32: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      central: copy(bytes.subarray(at, recordEnd)),
      localStart: view.getUint32(at + 42, true),
      localEnd: 0,
      dataStart: 0,
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localStart === 0xffffffff) {
      throw new WorkbookFileError("not a package qfin recalc reads: it uses ZIP64 (for packages over 4 GB or 65,535 parts).");
    }
    entries.push(entry);
    at = recordEnd;
  }

  // Local records: each must start with its header and hold its data before the next record begins (overlapping
  // records are how the most compact zip bombs are built).
  const byOffset = [...entries].sort((a, b) => a.localStart - b.localStart);
  byOffset.forEach((entry, i) => {
    const start = entry.localStart;
    if (start + 30 > directoryAt || view.getUint32(start, true) !== LOCAL_SIGNATURE) throw damaged(`the local header of ${entry.name} is missing`);
    entry.dataStart = start + 30 + view.getUint16(start + 26, true) + view.getUint16(start + 28, true);
    entry.localEnd = i + 1 < byOffset.length ? (byOffset[i + 1] as ZipEntry).localStart : directoryAt;
    if (entry.dataStart + entry.compressedSize > entry.localEnd) throw damaged(`${entry.name} overlaps the next part (a crafted package)`);
  });
  return { bytes, entries, end: copy(bytes.subarray(endAt, Math.min(bytes.length, endAt + 22 + view.getUint16(endAt + 20, true)))) };
}

function findEnd(bytes: Uint8Array, view: DataView): number {
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (view.getUint32(at, true) === END_SIGNATURE && at + 22 + view.getUint16(at + 20, true) <= bytes.length) return at;
  }
  return -1;
}

/** Reads parts of a package under the size limits, keeping count of what it has inflated. */
export class PartReader {
  private inflated = 0;
  private readonly byName: Map<string, ZipEntry>;

  constructor(
    private readonly zip: ZipPackage,
    private readonly limits = { part: MAX_PART_BYTES, total: MAX_TOTAL_BYTES, ratio: MAX_RATIO },
  ) {
    this.byName = new Map(zip.entries.map((entry) => [entry.name, entry]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * A part's bytes, checked against the limits before it is inflated and against its CRC after.
   *
   * @example
   * new PartReader(readZipPackage(bytes)).bytes("xl/workbook.xml")
   */
  bytes(name: string): Uint8Array {
    const entry = this.byName.get(name);
    if (!entry) throw new WorkbookFileError(`not a complete .xlsx workbook (the package has no ${name}, which the workbook refers to).`);
    if (entry.flags & FLAG_ENCRYPTED) throw new WorkbookFileError(`not a workbook qfin recalc can read: its part ${name} is encrypted.`);
    this.checkLimits(entry);
    const data = this.zip.bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
    let content: Uint8Array;
    if (entry.method === STORED) {
      content = data;
    } else if (entry.method === DEFLATED) {
      try {
        // One byte more than declared, so a part that inflates past its declared size is caught, not truncated.
        content = inflateRawSync(data, { maxOutputLength: entry.size + 1 });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ERR_BUFFER_TOO_LARGE") throw damaged(`${name} inflates to more than the ${entry.size} bytes its header declares`);
        throw damaged(`${name} does not inflate (${(error as Error).message})`);
      }
    } else {
      throw new WorkbookFileError(`not a workbook qfin recalc can read: its part ${name} uses compression method ${entry.method} (only stored and deflated are read).`);
    }
    if (content.length !== entry.size) throw damaged(`${name} holds ${content.length} bytes, not the ${entry.size} its header declares`);
    if (crc32(content) !== entry.crc32) throw damaged(`${name} fails its CRC check`);
    return content;
  }

  /**
   * A part as text: UTF-8 (with or without a byte-order mark), as Excel and every OOXML writer store XML parts.
   * The BOM stays in the text, so a part written back keeps it.
   */
  text(name: string): string {
    const bytes = this.bytes(name);
    try {
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new WorkbookFileError(`not a workbook qfin recalc can read: its part ${name} is not UTF-8 text.`);
    }
  }

  private checkLimits(entry: ZipEntry): void {
    const { part, total, ratio } = this.limits;
    const refuse = (why: string): WorkbookFileError =>
      new WorkbookFileError(`refused: its part ${entry.name} ${why} (a zip bomb, or a workbook too large to refresh headlessly); nothing was inflated.`);
    if (entry.size > part) throw refuse(`declares ${megabytes(entry.size)} uncompressed, over the ${megabytes(part)} one part may hold`);
    if (this.inflated + entry.size > total) {
      throw refuse(`would bring the parts read to ${megabytes(this.inflated + entry.size)}, over the ${megabytes(total)} a workbook may hold`);
    }
    if (entry.size > RATIO_FLOOR_BYTES && entry.size > entry.compressedSize * ratio) {
      throw refuse(`claims ${Math.round(entry.size / Math.max(1, entry.compressedSize))}:1 compression (${megabytes(entry.size)} from ${megabytes(entry.compressedSize)}), beyond the ${ratio}:1 any real sheet reaches`);
    }
    this.inflated += entry.size;
  }
}

/**
 * The package with some parts replaced: every other entry copied byte for byte; a replaced one keeps its method
 * (deflated or stored), name, extra fields, timestamps and attributes. Entries keep their order, the archive comment
 * stays.
 *
 * @example
 * writeZipPackage(zip, new Map([["xl/worksheets/sheet1.xml", Buffer.from(newXml)]]))
 */
export function writeZipPackage(zip: ZipPackage, replacements: ReadonlyMap<string, Uint8Array>): Buffer {
  const source = zip.bytes;
  const chunks: Uint8Array[] = [];
  let written = 0;
  const push = (chunk: Uint8Array): void => {
    chunks.push(chunk);
    written += chunk.length;
  };
  const byOffset = [...zip.entries].sort((a, b) => a.localStart - b.localStart);
  // Whatever precedes the first record (rare: a stub) stays.
  if (byOffset.length > 0) push(source.subarray(0, (byOffset[0] as ZipEntry).localStart));
  const moved = new Map<ZipEntry, { offset: number; crc32: number; compressedSize: number; size: number; flags: number }>();
  for (const entry of byOffset) {
    const offset = written;
    const content = replacements.get(entry.name);
    if (content === undefined) {
      push(source.subarray(entry.localStart, entry.localEnd));
      moved.set(entry, { offset, crc32: entry.crc32, compressedSize: entry.compressedSize, size: entry.size, flags: entry.flags });
      continue;
    }
    if (entry.method !== STORED && entry.method !== DEFLATED) throw new Error(`cannot rewrite ${entry.name}: compression method ${entry.method}`);
    const data = entry.method === STORED ? content : deflateRawSync(content, { level: 6 });
    const header = copy(source.subarray(entry.localStart, entry.dataStart));
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    // Sizes are known now: no data descriptor, so the flag that announces one is cleared.
    const flags = entry.flags & ~FLAG_DATA_DESCRIPTOR;
    const crc = crc32(content);
    view.setUint16(6, flags, true);
    view.setUint32(14, crc, true);
    view.setUint32(18, data.length, true);
    view.setUint32(22, content.length, true);
    push(header);
    push(data);
    moved.set(entry, { offset, crc32: crc, compressedSize: data.length, size: content.length, flags });
  }
  const directoryAt = written;
  for (const entry of zip.entries) {
    const record = copy(entry.central);
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    const place = moved.get(entry) as { offset: number; crc32: number; compressedSize: number; size: number; flags: number };
    view.setUint16(8, place.flags, true);
    view.setUint32(16, place.crc32, true);
    view.setUint32(20, place.compressedSize, true);
    view.setUint32(24, place.size, true);
    view.setUint32(42, place.offset, true);
    push(record);
  }
  const directorySize = written - directoryAt;
  if (written > 0xffffffff) throw new WorkbookFileError("refused: the refreshed package would exceed 4 GB, which needs ZIP64.");
  const end = copy(zip.end);
  const endView = new DataView(end.buffer, end.byteOffset, end.byteLength);
  endView.setUint32(12, directorySize, true);
  endView.setUint32(16, directoryAt, true);
  push(end);
  return Buffer.concat(chunks, written);
}

/** A copy that owns its bytes (a Node Buffer's `slice` is a view: writing to it would change the caller's input). */
const copy = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);

let crcTable: Uint32Array | undefined;

/** CRC-32 of the zip format: zlib's where Node has it (20.15+), a table otherwise. */
export function crc32(bytes: Uint8Array): number {
  if (typeof zlibCrc32 === "function") return zlibCrc32(bytes) >>> 0;
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (crcTable[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
