import fc from "fast-check";
import { Decimal, formatGrouped, parseDatasetDecimal, roundToPrecision, toExcelNumber } from "../../src/core/decimal";

describe("parseDatasetDecimal", () => {
  it.each(["3,914,324", "1e6", "", " 12", "12.", ".5", "--1", "01"])("refuses %j", (text) => {
    expect(parseDatasetDecimal(text)).toBeNull();
  });

  it("reads plain decimals exactly", () => {
    expect(parseDatasetDecimal("-91610000")?.toString()).toBe("-91610000");
    expect(parseDatasetDecimal("0.0184")?.toString()).toBe("0.0184");
  });
});

describe("the project's Decimal", () => {
  it("divides into millions without binary residue", () => {
    expect(new Decimal("3914324000").div(1e6).toString()).toBe("3914.324");
    expect(toExcelNumber(new Decimal("0.1").plus("0.2"))).toBe(0.3);
  });

  it("is its own clone: precision 40, half-up", () => {
    expect(Decimal.precision).toBe(40);
    expect(Decimal.rounding).toBe(Decimal.ROUND_HALF_UP);
  });

  it("rounds to dataset precisions, half up", () => {
    expect(roundToPrecision(new Decimal("3914324000"), -5).toString()).toBe("3914300000");
    expect(roundToPrecision(new Decimal("3599174000"), -5).toString()).toBe("3599200000");
    expect(roundToPrecision(new Decimal("0.2793271584"), 3).toString()).toBe("0.279");
    expect(roundToPrecision(new Decimal("0.0005"), 3).toString()).toBe("0.001");
  });

  it("never returns -0 to Excel", () => {
    expect(Object.is(toExcelNumber(new Decimal("-0")), 0)).toBe(true);
  });

  it("groups digits as the release prints them", () => {
    expect(formatGrouped(new Decimal("-91610"))).toBe("-91,610");
    expect(formatGrouped(new Decimal("7513498.5"))).toBe("7,513,498.5");
  });

  it("round-trips any integer number of thousands through millions", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (thousands) => {
        const base = new Decimal(thousands.toString()).times(1000);
        expect(base.div(1e6).times(1e6).equals(base)).toBe(true);
      }),
    );
  });
});
