import fc from "fast-check";
import { CellError, ErrorType } from "../../src/core/cell";
import { buildIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import { isoDateToSerial, serialToIsoDate } from "../../src/core/excel-date";
import { parsePeriodId, periodId, shiftPeriod } from "../../src/core/period-id";
import { parsePeriod, resolvePeriod, type ParsedPeriod } from "../../src/core/periods";
import { miniDatasetJson } from "../fixtures/mini-dataset";

const index = buildIndex(loadDataset(miniDatasetJson()));
const item = (id: string) => index.itemsById.get(id)!;

describe("parsePeriod refuses", () => {
  it.each(["Q5 2023", "2023Q0", "H3 2023", "June 31, 2023", "2023-02-30", "next quarter", "Q2", "TRUE"])("%j, listing the accepted forms", (typed) => {
    const parsed = parsePeriod(typed);
    expect(parsed).toBeInstanceOf(CellError);
    expect((parsed as CellError).type).toBe(ErrorType.VALUE);
    expect((parsed as CellError).message).toContain(`"${typed}" is not a period. Accepted forms: "2023Q2", "Q2 2023"`);
  });

  it("a year typed as a number, saying how to write it", () => {
    const parsed = parsePeriod(2023) as CellError;
    expect(parsed.type).toBe(ErrorType.VALUE);
    expect(parsed.message).toBe(
      '2023 is not a period (nor a date serial). Type it as text: "FY2023" for a year, "Q2 2023" for a quarter, or a date such as "2023-06-30".',
    );
    expect((parsePeriod("2023") as CellError).message).toContain('"FY2023" for a year');
  });

  it("blank text, asking for a period", () => {
    expect((parsePeriod("  ") as CellError).message).toMatch(/^Give a period:/);
  });
});

describe("parsePeriod reads", () => {
  const q2: ParsedPeriod = { type: "quarter", year: 2023, quarter: 2 };
  it.each(["2023Q2", "Q2 2023", "2Q23", "Q2'23", "Q2’23", "2023-Q2", "Q2-2023", "q2 2023", " 2q 2023 ", "Q2/23", "Q22023"])("%j as Q2 2023", (typed) => {
    expect(parsePeriod(typed)).toEqual(q2);
  });

  const h1: ParsedPeriod = { type: "half", year: 2023, half: 1 };
  it.each(["H1 2023", "1H23", "2023H1", "6M 2023", "6M23", "H1'23", "2023-H1"])("%j as H1 2023", (typed) => {
    expect(parsePeriod(typed)).toEqual(h1);
  });

  it("nine months and full years", () => {
    expect(parsePeriod("9M 2023")).toEqual({ type: "nine_months", year: 2023 });
    expect(parsePeriod("2023M9")).toEqual({ type: "nine_months", year: 2023 });
    expect(parsePeriod("FY2023")).toEqual({ type: "year", year: 2023 });
    expect(parsePeriod("2023FY")).toEqual({ type: "year", year: 2023 });
    expect(parsePeriod("FY23")).toEqual({ type: "year", year: 2023 });
  });

  const june30: ParsedPeriod = { type: "instant", year: 2023, month: 6, day: 30 };
  it.each(["2023-06-30", "2023/6/30", "June 30, 2023", "Jun 30, 2023", "Jun 30 2023", "30 Jun 2023", "30 June 2023", "30-Jun-2023", "30-Jun-23", "45107"])(
    "%j as 2023-06-30",
    (typed) => {
      expect(parsePeriod(typed)).toEqual(june30);
    },
  );

  it("date serials, ignoring a time of day", () => {
    expect(parsePeriod(45107)).toEqual(june30);
    expect(parsePeriod(45107.75)).toEqual(june30);
    expect(parsePeriod(44926)).toEqual({ type: "instant", year: 2022, month: 12, day: 31 });
  });

  it("latest and offsets", () => {
    expect(parsePeriod("latest")).toEqual({ type: "latest", offset: 0 });
    expect(parsePeriod("LATEST-1")).toEqual({ type: "latest", offset: 1 });
    expect(parsePeriod("latest - 4")).toEqual({ type: "latest", offset: 4 });
  });
});

describe("resolvePeriod", () => {
  it("reads a quarter-end date for a flow item as the quarter ending then, and says so; refuses any other date", () => {
    // Analysts head columns with period-end dates: Jun 30, 2023 over a flow means the quarter to that date.
    expect(resolvePeriod(index, { type: "instant", year: 2023, month: 6, day: 30 }, item("ops.net_income"))).toMatchObject({
      id: "2023Q2",
      note: "the quarter ending Jun 30, 2023",
    });
    const resolved = resolvePeriod(index, { type: "instant", year: 2023, month: 5, day: 31 }, item("ops.net_income")) as CellError;
    expect(resolved.type).toBe(ErrorType.VALUE);
    expect(resolved.message).toBe(
      '"Net income" is a flow over a period, not a balance at a date (2023-05-31). Give a quarter or half such as "Q2 2023" or "H1 2023".',
    );
  });

  it("maps a quarter or half to its end date for balance-sheet items", () => {
    const cash = item("bs.current_assets.cash_and_cash_equivalents");
    expect(resolvePeriod(index, { type: "quarter", year: 2023, quarter: 2 }, cash)).toMatchObject({ id: "2023-06-30", label: "Jun 30, 2023" });
    expect(resolvePeriod(index, { type: "half", year: 2022, half: 2 }, cash)).toMatchObject({ id: "2022-12-31", label: "Dec 31, 2022" });
    expect(resolvePeriod(index, { type: "year", year: 2022 }, cash)).toMatchObject({ id: "2022-12-31", label: "Dec 31, 2022" });
  });

  it("takes latest as the newest quarter for flows and the newest date for balances, offsets in quarters", () => {
    const netIncome = item("ops.net_income");
    const cash = item("bs.current_assets.cash_and_cash_equivalents");
    expect(resolvePeriod(index, { type: "latest", offset: 0 }, netIncome)).toMatchObject({ id: "2023Q2", label: "Q2 2023" });
    expect(resolvePeriod(index, { type: "latest", offset: 1 }, netIncome)).toMatchObject({ id: "2023Q1", label: "Q1 2023" });
    expect(resolvePeriod(index, { type: "latest", offset: 4 }, netIncome)).toMatchObject({ id: "2022Q2", label: "Q2 2022" });
    expect(resolvePeriod(index, { type: "latest", offset: 0 }, cash)).toMatchObject({ id: "2023-06-30", label: "Jun 30, 2023" });
    expect(resolvePeriod(index, { type: "latest", offset: 2 }, cash)).toMatchObject({ id: "2022-12-31", label: "Dec 31, 2022" });
  });

  it("labels periods the data does not have", () => {
    expect(resolvePeriod(index, { type: "quarter", year: 2024, quarter: 1 }, item("ops.net_income"))).toMatchObject({ id: "2024Q1", label: "Q1 2024" });
  });
});

/** An id shifted by whole quarters, through the codec. */
const shiftPeriodId = (id: string, quarters: number): string | null => {
  const shifted = shiftPeriod(parsePeriodId(id)!, quarters);
  return shifted === null ? null : periodId(shifted);
};

describe("period arithmetic", () => {
  it("shifts quarters, halves and quarter-end dates", () => {
    expect(shiftPeriodId("2023Q1", -1)).toBe("2022Q4");
    expect(shiftPeriodId("2023Q2", -4)).toBe("2022Q2");
    expect(shiftPeriodId("2023H1", -4)).toBe("2022H1");
    expect(shiftPeriodId("2023H1", -1)).toBeNull();
    expect(shiftPeriodId("2023-06-30", -1)).toBe("2023-03-31");
    expect(shiftPeriodId("2023-03-31", -1)).toBe("2022-12-31");
    expect(shiftPeriodId("2024-03-31", -4)).toBe("2023-03-31");
  });

  it("shifting back and forth returns the quarter", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: -40, max: 40 }), (year, quarter, n) => {
        const id = `${year}Q${quarter}`;
        expect(shiftPeriodId(shiftPeriodId(id, n)!, -n)).toBe(id);
      }),
    );
  });

  it("converts serials both ways", () => {
    expect(serialToIsoDate(45107)).toBe("2023-06-30");
    expect(isoDateToSerial("2023-06-30")).toBe(45107);
    expect(serialToIsoDate(2023)).toBeNull();
    fc.assert(fc.property(fc.integer({ min: 10_000, max: 2_958_465 }), (serial) => expect(isoDateToSerial(serialToIsoDate(serial)!)).toBe(serial)));
  });
});
