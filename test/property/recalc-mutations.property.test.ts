/**
 * `qfin recalc` on damaged and hostile workbooks (issue 15 §13): whatever is done to a real workbook's XML or to its
 * zip bytes, recalc either refreshes it — and then its own output reads back — or refuses it with a
 * WorkbookFileError (a sentence for the user, exit 1), never another exception (a stack trace).
 */
import fc from "fast-check";
import { WorkbookFileError, recalculateXlsx } from "../../src/workbook/recalc-xlsx";
import { shippedIndex } from "../support/release";
import { MAIN_NS, minimalXlsx, worksheet } from "../support/xlsx-package";

const index = shippedIndex();
const SHEET = worksheet(
  '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><f>QFIN.METRIC(A1,"Q2 2023")</f><v>0</v></c>' +
    '<c r="C1"><f t="shared" ref="C1:D1" si="0">B1*2</f><v>0</v></c><c r="D1"><f t="shared" si="0"/><v>0</v></c>' +
    '<c r="E1" t="str"><f t="array" ref="E1:F2">QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"})</f><v>x</v></c></row>',
);
const SHARED_STRINGS = `<sst xmlns="${MAIN_NS}"><si><t>Net income</t></si></sst>`;
const FRAGMENTS = ["", "<", ">", "&", '"', "'", "]]>", "<!--", "-->", "<![CDATA[", "&#0;", "&#x110000;", "&bogus;", "A0", "XFE1", "9999999", "-1", "x:", "/>", "</c>", '<c r="A1">', "\u0000", "\uD800", "<!DOCTYPE x>"];

/** Recalc's outcome: "ok" (and the output reads back), "refused", or the unexpected exception's first lines. */
async function outcome(input: Buffer): Promise<string> {
  try {
    const { output } = await recalculateXlsx(input, index);
    await recalculateXlsx(output, index);
    return "ok";
  } catch (error) {
    if (error instanceof WorkbookFileError) return "refused";
    return `threw ${(error as Error).stack?.split("\n").slice(0, 3).join(" | ")}`;
  }
}

describe("13. recalc on mutated workbooks refreshes or refuses, and never throws anything else", () => {
  it("the unmutated workbook refreshes (the premise)", async () => {
    expect(await outcome(minimalXlsx([{ name: "S", xml: SHEET }], { sharedStrings: SHARED_STRINGS }))).toBe("ok");
  });

  it("any cut and insertion in the sheet or the shared strings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: SHEET.length }), fc.nat({ max: 12 }), fc.constantFrom(...FRAGMENTS), fc.boolean(), async (at, cut, insert, inSharedStrings) => {
        const mutate = (xml: string): string => xml.slice(0, at) + insert + xml.slice(at + cut);
        const input = inSharedStrings
          ? minimalXlsx([{ name: "S", xml: SHEET }], { sharedStrings: mutate(SHARED_STRINGS) })
          : minimalXlsx([{ name: "S", xml: mutate(SHEET) }], { sharedStrings: SHARED_STRINGS });
        expect(["ok", "refused"]).toContain(await outcome(input));
      }),
      { numRuns: 500 },
    );
  });

  it("any bytes of the zip flipped, or the file cut short", async () => {
    const good = minimalXlsx([{ name: "S", xml: SHEET }], { sharedStrings: SHARED_STRINGS });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat({ max: 40 }), async (flips, shorten) => {
        const input = Buffer.from(good.subarray(0, good.length - shorten));
        for (const [at, byte] of flips) if (at < input.length) input[at] = byte;
        expect(["ok", "refused"]).toContain(await outcome(input));
      }),
      { numRuns: 500 },
    );
  });
});
