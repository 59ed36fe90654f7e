/**
 * Text typed or pasted into the workbench, read as a cell in English Excel reads it: Word's curly quotes, dashes and
 * non-breaking spaces repaired, `;` separators read as `,`, text without `=` refused with the reason. Each repair is
 * named.
 */
import { readTypedFormula } from "../../src/excel/typed-formula";

describe("readTypedFormula", () => {
  it("takes a formula as it is, naming no repair", () => {
    expect(readTypedFormula(' =QFIN.METRIC("Net income","Q2 2023") ')).toEqual({ kind: "formula", formula: '=QFIN.METRIC("Net income","Q2 2023")', repairs: [] });
  });

  it("reads curly quotes pasted from Word as straight quotes, and leaves those inside a string alone", () => {
    expect(readTypedFormula("=QFIN.METRIC(“Net income”,“Q2 2023”)")).toEqual({ kind: "formula", formula: '=QFIN.METRIC("Net income","Q2 2023")', repairs: ["curly quotes read as straight quotes"] });
    expect(readTypedFormula('="He said “hi”"&A1')).toEqual({ kind: "formula", formula: '="He said “hi”"&A1', repairs: [] });
  });

  it("reads ; as the argument separator when the formula uses no comma, but not inside an array constant", () => {
    const read = readTypedFormula('=QFIN.SERIES("Net income";{"Q1 2023";"Q2 2023"})');
    expect(read).toEqual({ kind: "formula", formula: '=QFIN.SERIES("Net income",{"Q1 2023";"Q2 2023"})', repairs: [expect.stringContaining("; read as the argument separator")] });
    expect(readTypedFormula('=QFIN.METRIC("a;b";"Q2 2023")')).toMatchObject({ formula: '=QFIN.METRIC("a;b","Q2 2023")' });
  });

  it("explains a formula that mixes ; and , instead of guessing", () => {
    expect(readTypedFormula('=ROUND(QFIN.MARGIN("Net income";"Q2 2023");1,5)')).toEqual({ kind: "refused", reason: expect.stringContaining("uses both ; and ,") });
  });

  it("repairs dashes and non-breaking spaces outside strings", () => {
    expect(readTypedFormula("=1\u00A0− 2")).toEqual({ kind: "formula", formula: "=1 - 2", repairs: ["non-breaking spaces read as spaces", "dashes read as minus signs"] });
  });

  it("refuses text without = as a cell would take it as text, suggesting the formula for a line's name", () => {
    expect(readTypedFormula("Net income")).toEqual({ kind: "refused", reason: '"Net income" is text, not a formula: a formula starts with =, as in a cell. For this line\'s figure, try =QFIN.METRIC("Net income","latest").' });
    expect(readTypedFormula("   ")).toEqual({ kind: "refused", reason: expect.stringContaining("There is no formula") });
  });
});
