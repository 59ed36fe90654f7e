/**
 * QFIN.MARKER: what a model shows where a figure cannot be given — "n/a" when the data does not report it, "n.m." when
 * a growth means nothing, "" when there is a figure — while a mistyped item or period stays the error it is, message
 * and all, so IFERROR(QFIN.METRIC(…),QFIN.MARKER(…)) hides nothing real. Error cases first.
 */
import { CellError, ErrorType } from "../../src/core/cell";
import { evaluateFormula } from "../../src/engine";
import { invoke } from "../../src/functions/invoke";
import { shippedIndex } from "../support/release";
import { expectError } from "./helpers";

const index = shippedIndex();
const marker = (...args: unknown[]): unknown => invoke(index, "MARKER", [...args, ...Array(3 - args.length).fill(null)] as never);

describe("QFIN.MARKER", () => {
  it("keeps a mistyped item, an ambiguous label and a bad period as the errors METRIC gives", () => {
    const typo = expectError(marker("Revenu", "Q2 2023") as never, ErrorType.NA);
    expect(typo.message).toBe((invoke(index, "METRIC", ["Revenu", "Q2 2023", null, null, null]) as CellError).message);
    expect(expectError(marker("Other services fees", "Q2 2023") as never, ErrorType.VALUE).message).toMatch(/is ambiguous/);
    expect(expectError(marker("Revenue", "Q5 2023") as never, ErrorType.VALUE).message).toMatch(/"Q5 2023" is not a period/);
    expect(expectError(marker("FCF", "Q2 2023") as never, ErrorType.NA).message).toMatch(/not reported in the release/);
    // A per-share line has no LTM sum at all: that is a wrong question, not a gap in the data.
    expectError(marker("Diluted EPS (ADS)", "LTM") as never, ErrorType.VALUE);
    expectError(marker("Revenue", "Q2 2023", "speed") as never, ErrorType.VALUE);
  });

  it('is "n/a" where the data does not report the figure, its comparison or an LTM quarter', () => {
    expect(marker("Diluted EPS (ADS)", "Q1 2023")).toBe("n/a"); // a derived Q1 has no per-ADS figure
    expect(marker("Revenue", "Q3 2022")).toBe("n/a"); // a quarter the release does not give
    expect(marker("Revenue", "Q1 2022", "growth")).toBe("n/a"); // no 2021 to compare with
    expect(marker("Revenue", "Q2 2023", "margin")).toBe(""); // revenue over revenue is there
    expect(marker("90 day+ delinquency rate", "latest", "change")).toBe("n/a"); // one date only
    expect(marker("Revenue", "LTM")).toBe("n/a"); // Q3 and Q4 2022 are missing
  });

  it('is "n.m." for a growth across a sign change', () => {
    expect(invoke(index, "GROWTH", ["FX gain", "Q2 2023", "QoQ"])).toBeInstanceOf(CellError);
    expect(marker("FX gain", "Q2 2023", "QoQ")).toBe("n.m.");
  });

  it('is "" where the figure is there', () => {
    expect(marker("Net income", "Q2 2023")).toBe("");
    expect(marker("Net income", "Q2 2023", "growth")).toBe("");
    expect(marker("Loan volume", "latest", "QoQ")).toBe("n/a");
  });

  it("fills a model cell with IFERROR: the figure, the marker, or the real error", () => {
    const cell = (item: string, period: string): unknown => evaluateFormula(index, `=IFERROR(QFIN.METRIC("${item}","${period}"),QFIN.MARKER("${item}","${period}"))`);
    expect(cell("Net income", "Q2 2023")).toBe(1093.377);
    expect(cell("Diluted EPS (ADS)", "Q1 2023")).toBe("n/a");
    const typo = cell("Revenu", "Q2 2023");
    expect(typo).toBeInstanceOf(CellError);
    expect((typo as CellError).message).toMatch(/Unknown line item "Revenu"; did you mean/);
  });
});
