import fc from "fast-check";
import { instantKey, isQuarterEnd, parsePeriodId, periodEnd, periodId, periodInfo, periodLabel, periodStart, quarterEndingOn, durationKey, type PeriodKey } from "../../src/core/period-id";
import { shippedDataset } from "../support/release";

describe("the period codec", () => {
  it("refuses what is not an id it prints", () => {
    for (const text of ["2023Q5", "2023H3", "2023-02-30", "2023-13-01", "Q2 2023", "2023q2", "23Q2", "2023M6", ""]) expect([text, parsePeriodId(text)]).toEqual([text, null]);
  });

  it("prints and reads back every kind of period, with the labels and dates ingest records", () => {
    const keys: PeriodKey[] = [
      { type: "quarter", year: 2023, quarter: 2 },
      { type: "half", year: 2022, half: 2 },
      { type: "nine_months", year: 2023 },
      { type: "year", year: 2023 },
      { type: "instant", year: 2023, month: 6, day: 30 },
    ];
    expect(keys.map(periodId)).toEqual(["2023Q2", "2022H2", "2023M9", "2023FY", "2023-06-30"]);
    expect(keys.map(periodLabel)).toEqual(["Q2 2023", "H2 2022", "9M 2023", "FY 2023", "Jun 30, 2023"]);
    expect(keys.map(periodStart)).toEqual(["2023-04-01", "2022-07-01", "2023-01-01", "2023-01-01", null]);
    expect(keys.map(periodEnd)).toEqual(["2023-06-30", "2022-12-31", "2023-09-30", "2023-12-31", "2023-06-30"]);
    for (const key of keys) expect(parsePeriodId(periodId(key))).toEqual(key);
  });

  it("agrees with every period of the shipped dataset: id, type, dates and label", () => {
    for (const period of shippedDataset().periods) expect(periodInfo(parsePeriodId(period.id)!)).toEqual(period);
  });

  it("round-trips any real calendar day", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true }), (date) => {
        const key = instantKey(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())!;
        expect(periodId(key)).toBe(date.toISOString().slice(0, 10));
        expect(parsePeriodId(periodId(key))).toEqual(key);
      }),
    );
  });

  it("knows quarter ends and the quarter a quarter-end date closes", () => {
    expect(isQuarterEnd(parsePeriodId("2023-06-30")!)).toBe(true);
    expect(isQuarterEnd(parsePeriodId("2023-06-20")!)).toBe(false);
    expect(isQuarterEnd(parsePeriodId("2023Q2")!)).toBe(false);
    expect(quarterEndingOn(parsePeriodId("2022-12-31")!)).toEqual({ type: "quarter", year: 2022, quarter: 4 });
    expect(quarterEndingOn(parsePeriodId("2023-08-18")!)).toBeNull();
  });

  it("reads the release's column headings (months and the month they end) only where a period has that shape", () => {
    expect(durationKey(3, 9, 2023)).toEqual({ type: "quarter", year: 2023, quarter: 3 });
    expect(durationKey(9, 9, 2023)).toEqual({ type: "nine_months", year: 2023 });
    expect(durationKey(6, 9, 2023)).toBeNull();
    expect(durationKey(9, 12, 2023)).toBeNull();
    expect(durationKey(12, 6, 2023)).toBeNull();
  });
});
