/**
 * `qfin recalc` against hostile and unusual input (issue 15 §2, §13): characters XML forbids in a result, sheets that
 * bind SpreadsheetML to a prefix or quote attributes with apostrophes, cells inside comments and CDATA, bad character
 * references, addresses outside Excel's grid, zip bombs, and the zip's own fields (compression method, extra fields,
 * file modes) that a refresh must keep. Every workbook here is a real .xlsx package built in a temp folder; the
 * command runs as a user runs it, and a refusal must leave the file as it was, exit 1 and say why without a stack trace.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as zlib from "zlib";
import { runQfin } from "../../src/cli/main";
import { describeReport } from "../../src/cli/commands/recalc";
import * as recalcModule from "../../src/workbook/recalc-xlsx";
import { recalculateXlsx, type RecalcReport } from "../../src/workbook/recalc-xlsx";
import { readSharedStrings, readSheetCells } from "../../src/workbook/sheet-xml";
import { decodeOoxmlText, encodeOoxmlText, parseXml } from "../../src/workbook/xml-reader";
import { readZipPackage, PartReader } from "../../src/workbook/zip-package";
import { shippedIndex } from "../support/release";
import { MAIN_NS, buildZip, minimalXlsx, workbookEntries, worksheet, zipRecords, type ZipSpec } from "../support/xlsx-package";

const index = shippedIndex();
const NET_INCOME_Q2 = 1093.377;
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "qfin-hostile-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  return Promise.resolve(runQfin(args, { out: (text) => out.push(text), err: (text) => err.push(text) })).then((code) => ({ code, out: out.join(""), err: err.join("") }));
}

let files = 0;
function save(bytes: Buffer): string {
  const path = join(work, `book-${++files}.xlsx`);
  writeFileSync(path, bytes);
  return path;
}

async function sheetOf(bytes: Uint8Array, path = "xl/worksheets/sheet1.xml"): Promise<string> {
  return new PartReader(readZipPackage(bytes)).text(path);
}

/** Recalc must refuse this file: exit 1, the reason on stderr, no stack trace, the file byte-identical. */
async function expectRefused(bytes: Buffer, reason: RegExp): Promise<string> {
  const path = save(bytes);
  const result = await run(["recalc", path]);
  expect(result.err).toMatch(reason);
  expect(result.err).toMatch(/Nothing was written\.\n$/);
  expect(result.err).not.toMatch(/\n\s+at /);
  expect(result.code).toBe(1);
  expect(readFileSync(path).equals(bytes)).toBe(true);
  return result.err;
}

const metric = (address: string, extra = ""): string => `<c r="${address}"${extra}><f>QFIN.METRIC("Net income","Q2 2023")</f><v>0</v></c>`;

describe("2. characters XML forbids, in a result", () => {
  const FORMULAS: Record<string, { formula: string; expected: (version: string) => string }> = {
    A1: { formula: "CHAR(1)&QFIN.VERSION()", expected: (version) => `\u0001${version}` },
    A2: { formula: 'CHAR(31)&"|"&CHAR(13)&"|"&CHAR(9)&CHAR(10)&QFIN.VERSION()', expected: (version) => `\u001F|\r|\t\n${version}` },
    A3: { formula: "UNICHAR(65534)&QFIN.VERSION()", expected: (version) => `\uFFFE${version}` },
    A4: { formula: '"_x0041_ and _x005F_"&QFIN.VERSION()', expected: (version) => `_x0041_ and _x005F_${version}` },
  };
  const escape = (text: string): string => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  const book = (): Buffer =>
    minimalXlsx([
      {
        name: "Text",
        xml: worksheet(Object.entries(FORMULAS).map(([address, { formula }], at) => `<row r="${at + 1}"><c r="${address}" t="str"><f>${escape(encodeOoxmlText(formula))}</f><v>old</v></c></row>`).join("")),
      },
    ]);

  it("writes them as Excel does (_xHHHH_), so the sheet stays well-formed XML, and reads them back as the same text", async () => {
    const version = (await recalculateXlsx(minimalXlsx([{ name: "V", xml: worksheet('<row r="1"><c r="A1" t="str"><f>QFIN.VERSION()</f><v></v></c></row>') }]), index)).report.changes[0]?.after as string;
    expect(version).toMatch(/^QFIN data: release 2023Q2/);
    const input = book();
    const { output, report } = await recalculateXlsx(input, index);
    expect(report.changes.map((change) => [change.cell, change.after])).toEqual(Object.entries(FORMULAS).map(([address, { expected }]) => [`Text!${address}`, expected(version)]));

    const xml = await sheetOf(output);
    // No character XML 1.0 forbids, and no raw CR (a reader would turn it into LF): each is escaped.
    // eslint-disable-next-line no-control-regex -- the characters this test is about
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\r]/);
    expect(xml).toContain("<v>_x0001_QFIN data");
    expect(xml).toContain("<v>_x001F_|_x000D_|\t\nQFIN data");
    expect(xml).toContain("<v>_xFFFE_QFIN data");
    expect(xml).toContain("<v>_x005F_x0041_ and _x005F_x005F_QFIN data");
    expect(() => parseXml(xml, "sheet1.xml", {})).not.toThrow();
    // Read back, the values are the results; a second refresh finds nothing to change.
    expect(readSheetCells(xml, []).map((cell) => cell.value)).toEqual(Object.values(FORMULAS).map(({ expected }) => expected(version)));
    expect((await recalculateXlsx(output, index)).report.changes).toEqual([]);
  });

  it("the escaping is Excel's: NUL and unpaired surrogates too, and it inverts exactly", () => {
    const samples = ["\u0000", "a\u0001b", "\uD800", "x\uDC00", "😀", "_x0041_", "_x00e9_", "_x12_", "__x0041__", "tab\tand\nnewline", "\uFFFF"];
    for (const text of samples) expect([text, decodeOoxmlText(encodeOoxmlText(text))]).toEqual([text, text]);
    expect(encodeOoxmlText("\u0000")).toBe("_x0000_");
    expect(encodeOoxmlText("\uD800")).toBe("_xD800_");
    expect(encodeOoxmlText("😀")).toBe("😀");
    expect(encodeOoxmlText("_x12_")).toBe("_x12_"); // not four hex digits: not an escape, left alone
  });

  it("reads _xHHHH_ in shared and inline strings as Excel does", () => {
    expect(readSharedStrings(`<sst xmlns="${MAIN_NS}"><si><t>a_x0001_b</t></si><si><r><t>_x005F_x0041_</t></r><rPh><t>phonetic</t></rPh></si></sst>`)).toEqual(["a\u0001b", "_x0041_"]);
    const [cell] = readSheetCells(worksheet('<row r="1"><c r="A1" t="inlineStr"><is><t>x_x000D_y</t></is></c></row>'), []);
    expect(cell?.value).toBe("x\ry");
  });
});

describe("13. the sheet is read by a real XML parser", () => {
  it("a cell inside an XML comment or CDATA never shadows the real cell", async () => {
    const comment = `<!-- <c r="B1"><f>1+1</f><v>2</v></c> -->`;
    const cdata = `<c r="C1" t="inlineStr"><is><t><![CDATA[<c r="B1"><f>1+1</f><v>2</v></c>]]></t></is></c>`;
    const input = minimalXlsx([{ name: "S", xml: worksheet(`<row r="1">${comment}<c r="A1"><v>1</v></c>${metric("B1")}${cdata}</row>`) }]);
    const { output, report } = await recalculateXlsx(input, index);
    expect(report.changes).toEqual([{ cell: "S!B1", before: 0, after: NET_INCOME_Q2 }]);
    const xml = await sheetOf(output);
    expect(xml).toContain(comment);
    expect(xml).toContain(cdata);
    expect(xml).toContain(`<c r="B1"><f>QFIN.METRIC("Net income","Q2 2023")</f><v>${NET_INCOME_Q2}</v></c>`);
  });

  it("a formula in CDATA is read as its text", async () => {
    const input = minimalXlsx([{ name: "S", xml: worksheet('<row r="1"><c r="A1"><f><![CDATA[QFIN.METRIC("Net income","Q2 2023")*2]]></f><v>0</v></c></row>') }]);
    expect((await recalculateXlsx(input, index)).report.changes.map((change) => change.after)).toEqual([NET_INCOME_Q2 * 2]);
  });

  it("x:-prefixed elements and single-quoted attributes are read, and the new value is written under the same prefix", async () => {
    const entries = workbookEntries([{ name: "P", xml: "" }]);
    const prefixed = (spec: ZipSpec): ZipSpec => {
      if (spec.name === "xl/workbook.xml") {
        return { ...spec, data: Buffer.from(`<?xml version='1.0'?><x:workbook xmlns:x='${MAIN_NS}' xmlns:rel='http://schemas.openxmlformats.org/officeDocument/2006/relationships'><x:sheets><x:sheet name='P' sheetId='1' rel:id='rId1'/></x:sheets></x:workbook>`) };
      }
      if (spec.name === "xl/worksheets/sheet1.xml") {
        return {
          ...spec,
          data: Buffer.from(
            `<?xml version='1.0'?><x:worksheet xmlns:x='${MAIN_NS}'><x:sheetData><x:row r='1'><x:c r='A1' t='inlineStr'><x:is><x:t>Net income</x:t></x:is></x:c>` +
              `<x:c r='B1' s='2' t='str'><x:f>QFIN.METRIC(A1,"Q2 2023")</x:f><x:v>stale</x:v></x:c><x:c r='C1'><x:f>B1*2</x:f><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
          ),
        };
      }
      return spec;
    };
    const input = buildZip(entries.map(prefixed));
    const { output, report } = await recalculateXlsx(input, index);
    expect(report.changes.map((change) => [change.cell, change.after])).toEqual([
      ["P!B1", NET_INCOME_Q2],
      ["P!C1", NET_INCOME_Q2 * 2],
    ]);
    const xml = await sheetOf(output);
    expect(xml).toContain(`<x:c r='B1' s='2'><x:f>QFIN.METRIC(A1,"Q2 2023")</x:f><x:v>${NET_INCOME_Q2}</x:v></x:c>`);
    expect(xml).toContain(`<x:c r='C1'><x:f>B1*2</x:f><x:v>${NET_INCOME_Q2 * 2}</x:v></x:c>`);
  });

  it("cells without an r attribute take the position Excel gives them", async () => {
    const input = minimalXlsx([{ name: "S", xml: worksheet(`<row><c t="inlineStr"><is><t>Net income</t></is></c><c><f>QFIN.METRIC(A1,"Q2 2023")</f><v>0</v></c></row>`) }]);
    expect((await recalculateXlsx(input, index)).report.changes).toEqual([{ cell: "S!B1", before: 0, after: NET_INCOME_Q2 }]);
  });

  it.each([
    ["a character reference beyond Unicode", "<v>&#xFFFFFFFF;</v>"],
    ["a character reference to NUL", "<v>&#0;</v>"],
    ["an undefined entity", "<v>&nbsp;</v>"],
    ["an unclosed element", "<v>1</c>"],
  ])("%s is refused with the part, line and column, and no stack trace", async (_what, bad) => {
    const input = minimalXlsx([{ name: "S", xml: worksheet(`<row r="1">${metric("A1")}<c r="B1">${bad}</c></row>`) }]);
    await expectRefused(input, /is not a readable workbook: its sheet "S" \(xl\/worksheets\/sheet1\.xml\) is not well-formed XML \(line 2, column \d+: [a-z ]+\)\. Nothing was written/);
  });

  it("a DOCTYPE (which could define entities) is refused", async () => {
    const xml = worksheet(`<row r="1">${metric("A1")}</row>`).replace("\n", '\n<!DOCTYPE worksheet [<!ENTITY a "b">]>');
    await expectRefused(minimalXlsx([{ name: "S", xml }]), /not well-formed XML .*a DOCTYPE, which Office Open XML parts may not have/);
  });

  it.each(["A0", "XFE1", "A1048577", "1A"])("the address %s, outside Excel's grid, is refused", async (address) => {
    const input = minimalXlsx([{ name: "S", xml: worksheet(`<row r="1">${metric("A1")}<c r="${address}"><v>1</v></c></row>`) }]);
    await expectRefused(input, new RegExp(`its sheet "S" \\(xl/worksheets/sheet1\\.xml\\) has a cell at "${address}", outside Excel's grid \\(A1:XFD1048576\\)`));
  });
});

describe("13. zip bombs are refused before anything is inflated", () => {
  const MB = 2 ** 20;
  /** A real deflate bomb: 1 MB of spaces compressed once with a full flush (which makes the block repeatable), `n` times over. */
  function bomb(megabytes: number): Buffer {
    const block = zlib.deflateRawSync(Buffer.alloc(MB, 0x20), { finishFlush: zlib.constants.Z_FULL_FLUSH });
    return Buffer.concat([...Array<Buffer>(megabytes).fill(block), Buffer.from([0x03, 0x00])]);
  }
  const withSheet = (sheet: Partial<ZipSpec>): Buffer =>
    buildZip(workbookEntries([{ name: "S", xml: worksheet(`<row r="1">${metric("A1")}</row>`) }]).map((spec) => (spec.name === "xl/worksheets/sheet1.xml" ? { ...spec, ...sheet } : spec)));

  it("the bomb is real: three blocks inflate to 3 MB", () => {
    expect(zlib.inflateRawSync(bomb(3)).length).toBe(3 * MB);
  });

  it("a sheet declaring 600 MB is refused by its declared size", async () => {
    const compressed = bomb(600);
    expect(compressed.length).toBeLessThan(MB); // 600 MB in well under 1 MB
    await expectRefused(
      withSheet({ compressed, declaredSize: 600 * MB }),
      /is refused: its part xl\/worksheets\/sheet1\.xml declares 600\.0 MB uncompressed, over the 256\.0 MB one part may hold \(a zip bomb, or a workbook too large to refresh headlessly\); nothing was inflated/,
    );
  });

  it("the limits are checked before inflating: data that would not even inflate is refused for its declared size", async () => {
    // Were it inflated first, the refusal would be "does not inflate".
    await expectRefused(withSheet({ compressed: Buffer.alloc(4096, 0xff), declaredSize: 600 * MB }), /declares 600\.0 MB uncompressed/);
  });

  it("a part under the size limit with a ratio no real sheet has is refused", async () => {
    await expectRefused(withSheet({ compressed: bomb(200), declaredSize: 200 * MB }), /claims \d+:1 compression \(200\.0 MB from 0\.2 MB\), beyond the 400:1 any real sheet reaches/);
  });

  it("a part that inflates past the size its header declares is caught and refused, not truncated", async () => {
    await expectRefused(withSheet({ compressed: bomb(8), declaredSize: 1000 }), /xl\/worksheets\/sheet1\.xml inflates to more than the 1000 bytes its header declares/);
  });

  it("real workbooks are far from the ratio limit: the template, and 10,000 formulas with 20,000 styled blanks", async () => {
    const { writeTemplate } = await import("../../src/workbook/write-template");
    const rows = Array.from({ length: 10_000 }, (_, at) => `<row r="${at + 5}"><c r="A${at + 5}" s="1"/><c r="B${at + 5}" s="1"/><c r="C${at + 5}" s="3"><f>QFIN.METRIC($A${at + 5},C$2)</f><v>1093.377</v></c></row>`);
    const large = minimalXlsx([{ name: "S", xml: worksheet(rows.join("")) }]);
    for (const bytes of [(await writeTemplate(index)).bytes, large]) {
      const ratios = readZipPackage(bytes).entries.filter((entry) => entry.size > 0).map((entry) => entry.size / entry.compressedSize);
      expect(Math.max(...ratios)).toBeLessThan(50);
    }
  });
});

describe("13. the zip's own fields survive a refresh", () => {
  const extra = Buffer.from([0x55, 0x54, 0x05, 0x00, 0x01, 0x00, 0x00, 0x5e, 0x67]); // an extended-timestamp field, as Info-ZIP writes it
  function book(): Buffer {
    return buildZip(
      workbookEntries([{ name: "S", xml: worksheet(`<row r="1">${metric("A1")}<c r="B1"><v>7</v></c></row>`) }]).map((spec) => ({
        ...spec,
        method: (spec.name.endsWith("sheet1.xml") || spec.name === "_rels/.rels" ? 0 : 8) as 0 | 8,
        extra,
        mode: 0o100640,
      })).concat([{ name: "xl/media/image1.png", data: Buffer.from("\x89PNG not really", "latin1"), method: 0, extra, mode: 0o100600 }]),
    );
  }

  it("unchanged entries are copied byte for byte; the changed one keeps its method (stored), extra field and mode", async () => {
    const input = book();
    const { output, report } = await recalculateXlsx(input, index);
    expect(report.changes.map((change) => change.cell)).toEqual(["S!A1"]);
    const before = zipRecords(input);
    const after = zipRecords(output);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, record] of before) {
      const fresh = after.get(name)!;
      expect({ name, method: fresh.method, extra: fresh.extra.toString("hex"), external: fresh.external, madeBy: fresh.madeBy }).toEqual({
        name,
        method: record.method,
        extra: record.extra.toString("hex"),
        external: record.external,
        madeBy: record.madeBy,
      });
      if (name !== "xl/worksheets/sheet1.xml") expect({ name, same: fresh.local.equals(record.local) }).toEqual({ name, same: true });
    }
    expect(after.get("xl/worksheets/sheet1.xml")!.method).toBe(0);
    expect(after.get("xl/worksheets/sheet1.xml")!.external >>> 16).toBe(0o100640);
    expect(await sheetOf(output)).toContain(`<v>${NET_INCOME_Q2}</v>`);
    // The output is a valid zip for another reader too.
    const JSZip = (await import("jszip")).default;
    const reread = await JSZip.loadAsync(output, { checkCRC32: true });
    expect(await reread.file("xl/worksheets/sheet1.xml")!.async("string")).toContain(`<v>${NET_INCOME_Q2}</v>`);
  });

  it("never writes into the caller's buffer", async () => {
    const input = book();
    const copy = Buffer.from(input);
    await recalculateXlsx(input, index);
    expect(input.equals(copy)).toBe(true);
  });
});

describe("13. a million changes", () => {
  it("a limit of the process (string length, call stack) ends with exit 1 and a sentence, the file untouched", async () => {
    const bytes = minimalXlsx([{ name: "S", xml: worksheet(`<row r="1">${metric("A1")}</row>`) }]);
    const spy = jest.spyOn(recalcModule, "recalculateXlsx").mockRejectedValue(new RangeError("Invalid string length"));
    try {
      await expectRefused(bytes, /is too large to refresh in this process \(Invalid string length\)\. Nothing was written/);
    } finally {
      spy.mockRestore();
    }
  });

  it("are reported without overflowing the stack (recalc once wrote the file, then died printing)", () => {
    const report: RecalcReport = { qfinFormulas: 1_000_000, recalculated: 1_000_000, changes: [], errors: [], skipped: [], notes: [] };
    for (let i = 0; i < 1_000_000; i++) report.changes.push({ cell: `S!A${i + 1}`, before: 0, after: i });
    const text = describeReport(report);
    expect(text.startsWith("Changed:\n  S!A1: 0 → 0\n")).toBe(true);
    expect(text.split("\n").length).toBe(1_000_002);
  });
});
