import { ErrorType } from "../../src/core/cell";
import { invoke } from "../../src/functions/invoke";
import { miniIndex } from "../fixtures/mini-dataset";
import { expectError } from "./helpers";

const index = miniIndex();

describe("QFIN.METRIC errors", () => {
  it("says when no data is loaded", () => {
    const index = null;
    expect(expectError(invoke(index, "METRIC", ["Net income", "Q2 2023"]), ErrorType.NA).message).toMatch(/^No QFIN data is loaded/);
  });

  describe("with data", () => {

    it("unknown item → #N/A with a suggestion", () => {
      expect(invoke(index, "METRIC", ["Revenu", "Q2 2023"]).toString()).toBe('#N/A Unknown line item "Revenu"; did you mean "Total net revenue"?');
    });

    it("ambiguous item → #VALUE! listing paths", () => {
      expect(expectError(invoke(index, "METRIC", ["Other services fees", "Q2 2023"]), ErrorType.VALUE).message).toContain(
        '"Credit driven services > Other services fees" or "Platform services > Other services fees"',
      );
    });

    it("period not in the data → #N/A listing what the item has", () => {
      expect(expectError(invoke(index, "METRIC", ["Net income", "Q3 2023"]), ErrorType.NA).message).toBe(
        '"Net income" is not reported for Q3 2023. It has: Q2 2022, H1 2022, Q1 2023, Q2 2023, H1 2023.',
      );
      expect(expectError(invoke(index, "METRIC", ["TOTAL ASSETS", "Q1 2023"]), ErrorType.NA).message).toBe(
        '"TOTAL ASSETS" is not reported for Mar 31, 2023. It has: Dec 31, 2022, Jun 30, 2023.',
      );
    });

    it("unparseable period → #VALUE! listing accepted forms; a year as a number → how to type it", () => {
      expect(expectError(invoke(index, "METRIC", ["Net income", "second quarter"]), ErrorType.VALUE).message).toContain("Accepted forms:");
      expect(expectError(invoke(index, "METRIC", ["Net income", 2023]), ErrorType.VALUE).message).toContain('"FY2023" for a year');
    });

    it("missing arguments, including empty cells passed as 0 or \"\"", () => {
      expect(expectError(invoke(index, "METRIC", [null, "Q2 2023"]), ErrorType.VALUE).message).toMatch(/^Give an item/);
      expect(expectError(invoke(index, "METRIC", [0, "Q2 2023"]), ErrorType.VALUE).message).toMatch(/^Give an item/);
      expect(expectError(invoke(index, "METRIC", ["Net income"]), ErrorType.VALUE).message).toMatch(/^Give a period/);
      expect(expectError(invoke(index, "METRIC", ["Net income", ""]), ErrorType.VALUE).message).toMatch(/^Give a period/);
    });

    it("numbers or booleans where text was meant", () => {
      expect(expectError(invoke(index, "METRIC", [42, "Q2 2023"]), ErrorType.VALUE).message).toContain("not the number 42");
      expect(expectError(invoke(index, "METRIC", ["Net income", true]), ErrorType.VALUE).message).toContain('"TRUE" is not a period');
    });

    it("bad currency and scale", () => {
      expect(expectError(invoke(index, "METRIC", ["Net income", "Q2 2023", "EUR"]), ErrorType.VALUE).message).toBe(
        'Unknown currency "EUR". Use "RMB" (the default) or "USD".',
      );
      expect(expectError(invoke(index, "METRIC", ["Net income", "Q2 2023", "RMB", "X"]), ErrorType.VALUE).message).toContain('Unknown scale "X"');
    });

    it("error values passed in propagate unchanged", () => {
      const error = expectError(invoke(index, "METRIC", ["Revenu", "Q2 2023"]), ErrorType.NA);
      expect(invoke(index, "METRIC", [error, "Q2 2023"])).toBe(error);
      expect(invoke(index, "METRIC", ["Net income", "Q2 2023", error])).toBe(error);
    });

    it("too many arguments, and a range where one value is wanted", () => {
      expect(expectError(invoke(index, "METRIC", ["Net income", "Q2 2023", "RMB", "M", "latest", "extra"]), ErrorType.VALUE).message).toBe(
        "QFIN.METRIC takes at most 5 arguments, got 6: QFIN.METRIC(item, period, [currency], [scale], [as_of]).",
      );
      expect(expectError(invoke(index, "METRIC", ["Net income", "Q2 2023", [["RMB", "USD"]]]), ErrorType.VALUE).message).toBe(
        "currency takes a single value, not a range. Point it at one cell.",
      );
    });

    it("an object where a value belongs (a data type a host passes through) is refused by name, never stringified", () => {
      expect(expectError(invoke(index, "METRIC", [{ type: "Entity", text: "Net income" } as never, "Q2 2023"]), ErrorType.VALUE).message).toBe(
        "item must be a value (text, a number, TRUE or FALSE), not an object or data type. Point it at a cell that holds one.",
      );
      expect(expectError(invoke(index, "METRIC", ["Net income", new Date() as never]), ErrorType.VALUE).message).toMatch(/^period must be a value/);
    });

    it("a date for a flow item that ends no quarter", () => {
      // 45100 is Jun 23, 2023; 45107 (Jun 30) would be the quarter ending that day.
      expect(expectError(invoke(index, "METRIC", ["Net income", 45100]), ErrorType.VALUE).message).toContain("is a flow over a period");
      expect(invoke(index, "METRIC", ["Net income", 45107])).toBe(1093.377);
    });

    it("ranges that cannot pair", () => {
      expect(
        expectError(invoke(index, "METRIC", [[["Net income", "Revenue"]], [["Q1 2023", "Q2 2023", "H1 2023"]]]), ErrorType.VALUE).message,
      ).toBe(
        "Cannot pair an item range of 1×2 with a period range of 1×3. Use ranges of the same shape, or a column of items with a row of periods for a grid.",
      );
    });
  });
});

describe("QFIN.METRIC", () => {

  it("returns table figures in RMB millions by default", () => {
    expect(invoke(index, "METRIC", ["Total net revenue", "Q2 2023"])).toBe(3914.324);
    expect(invoke(index, "METRIC", ["Net income", "2023H1"])).toBe(2023.199);
    expect(invoke(index, "METRIC", ["Foreign exchange (loss) gain", "Q2 2022"])).toBe(-91.61);
  });

  it("scales amounts U, K, M, B", () => {
    expect(invoke(index, "METRIC", ["Total net revenue", "Q2 2023", "RMB", "U"])).toBe(3914324000);
    expect(invoke(index, "METRIC", ["Total net revenue", "Q2 2023", "RMB", "k"])).toBe(3914324);
    expect(invoke(index, "METRIC", ["Total net revenue", "Q2 2023", null, "B"])).toBe(3.914324);
    expect(invoke(index, "METRIC", ["Total net revenue", "Q2 2023", "", "millions"])).toBe(3914.324);
  });

  it("returns the release's own USD figure where it prints one", () => {
    expect(invoke(index, "METRIC", ["Net income", "Q2 2023", "USD"])).toBe(150.782);
    expect(invoke(index, "METRIC", ["Total net revenue", "H1 2023", "US$"])).toBe(1036.158);
    expect(invoke(index, "METRIC", ["Cash and cash equivalents", "Jun 30, 2023", "USD", "K"])).toBe(724887);
  });

  it("converts at the release's rate where it prints no USD figure", () => {
    // Rounded to the thousand as the release rounds its own translations: 134,452.58… thousand → 134,453 thousand.
    expect(invoke(index, "METRIC", ["Net income", "Q2 2022", "USD", "U"])).toBe(134453000);
    expect(invoke(index, "METRIC", ["Cash and cash equivalents", "2022-12-31", "USD"])).toBe(988.179);
  });

  it("prefers exact derived Q1 figures to the narrative's rounded millions", () => {
    expect(invoke(index, "METRIC", ["Revenue", "Q1 2023"])).toBe(3599.174);
    expect(invoke(index, "METRIC", ["Net income", "1Q23"])).toBe(929.822);
    expect(invoke(index, "METRIC", ["Net income", "Q1 2023", "USD"])).toBe(128.228);
  });

  it("never scales per-share figures, counts, ratios or months (a scale given is ignored)", () => {
    expect(invoke(index, "METRIC", ["Net income per fully diluted ADS", "Q2 2023"])).toBe(6.64);
    expect(invoke(index, "METRIC", ["Net income per fully diluted ADS", "Q2 2023", "USD", "B"])).toBe(0.92);
    expect(invoke(index, "METRIC", ["Net income per ordinary share attributable to ordinary shareholders of Qifu Technology, Inc. > Basic", "Q2 2023"])).toBe(3.4);
    expect(invoke(index, "METRIC", ["Weighted average shares used in calculating net income per ordinary share > Basic", "Q2 2023", "USD", "M"])).toBe(323095877);
    expect(invoke(index, "METRIC", ["90 day+ delinquency rate", "Q2 2023", "RMB", "K"])).toBe(0.0184);
    expect(invoke(index, "METRIC", ["Cumulative registered users", "2023-06-30"])).toBe(220600000);
    expect(invoke(index, "METRIC", ["Weighted average contractual tenor", "2Q23"])).toBe(11);
    expect(invoke(index, "METRIC", ["GAAP net income margin", "Q2 2023"])).toBe(0.279);
  });

  it("reads balance-sheet items at quarter ends, dates and date serials", () => {
    const item = "Current assets > Amounts due from related parties";
    expect(invoke(index, "METRIC", [item, "Q2 2023"])).toBe(187.938);
    expect(invoke(index, "METRIC", [item, 45107])).toBe(187.938);
    expect(invoke(index, "METRIC", [item, "December 31, 2022"])).toBe(394.872);
    expect(invoke(index, "METRIC", [item, "FY2022"])).toBe(394.872);
    expect(invoke(index, "METRIC", [item, "latest"])).toBe(187.938);
  });

  it("resolves latest and latest-n", () => {
    expect(invoke(index, "METRIC", ["Net income", "latest"])).toBe(1093.377);
    expect(invoke(index, "METRIC", ["Net income", "latest-1"])).toBe(929.822);
    expect(invoke(index, "METRIC", ["Net income", "latest-4"])).toBe(974.956);
  });

  it("KPIs in their own units; loan volume as an amount", () => {
    expect(invoke(index, "METRIC", ["Total facilitation and origination loan volume", "Q2 2023", "RMB", "B"])).toBe(124.225);
    expect(invoke(index, "METRIC", ["Financial institutional partners", "latest"])).toBe(153);
  });

  it("maps over a column of items and a row of periods", () => {
    expect(invoke(index, "METRIC", [[["Net income"], ["Revenue"]], [["1Q23", "2Q23", null]]])).toEqual([
      [929.822, 1093.377, ""],
      [3599.174, 3914.324, ""],
    ]);
  });

  it("maps over one range with a single value, keeping its shape and per-cell errors", () => {
    const result = invoke(index, "METRIC", ["Net income", [["Q2 2022"], ["Q2 2023"], ["Q3 2023"]]]) as unknown[][];
    expect(result.slice(0, 2)).toEqual([[974.956], [1093.377]]);
    expect(expectError(result[2][0] as never, ErrorType.NA).message).toContain("not reported for Q3 2023");
    expect(invoke(index, "METRIC", [[["Net income", "Revenue"]], [["Q2 2023", "Q1 2023"]]])).toEqual([[1093.377, 3599.174]]);
  });

  it("a 1×1 range is one value", () => {
    expect(invoke(index, "METRIC", [[["Net income"]], [["Q2 2023"]]])).toBe(1093.377);
  });
});
