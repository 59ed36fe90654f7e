/**
 * The retrofit matcher on analysts' own models (test/retrofit/analyst-models.ts): every typed number of every sheet
 * is checked — linked with exactly the expected formula, refused with the expected reason, or left alone as no
 * candidate — and every formula given is evaluated twice, by the shipped engine and by HyperFormula, to the number
 * that was typed. Then the rules one at a time: headings, labels, units and signs, coincidences, the check.
 */
import { evaluateFormula } from "../../src/engine/formula-engine";
import { findLinks, type RetrofitResult } from "../../src/retrofit/link-workbook";
import { readText, readUnits, saysEstimate, splitLabel } from "../../src/retrofit/header-text";
import { formatDecimals, formatKind } from "../../src/retrofit/cells";
import { typedValue } from "../../src/retrofit/figure-match";
import { summaryLine } from "../../src/retrofit/report";
import { createQfinWorkbook } from "../support/hyperformula-qfin";
import { shippedIndex } from "../support/release";
import { ANALYST_MODEL } from "./analyst-models";
import { inputSheets, typedNumbers, type GridSheet, type Outcome } from "./grid";

const index = shippedIndex();
const evaluate = (formula: string): unknown => evaluateFormula(index, formula);
const run = (sheets: readonly GridSheet[]): RetrofitResult => findLinks(inputSheets(sheets), index, { evaluate });

/** What became of each typed number of a sheet, in the form the expectations use. */
function outcomes(result: RetrofitResult, sheet: GridSheet): Record<string, Outcome> {
  const found: Record<string, Outcome> = {};
  for (const address of typedNumbers(sheet)) found[address] = null;
  for (const link of result.links.filter((entry) => entry.sheet === sheet.name)) found[link.cell] = link.formula;
  for (const refusal of result.notLinked.filter((entry) => entry.sheet === sheet.name)) found[refusal.cell] = { refused: refusal.code };
  return found;
}

describe("retrofit on an analyst's own model: every typed number of every sheet", () => {
  const result = run(ANALYST_MODEL.map((entry) => entry.sheet));

  it.each(ANALYST_MODEL.map((entry) => [entry.sheet.name, entry] as const))("%s: each number linked, refused or left alone as expected", (_name, { sheet, outcomes: expected }) => {
    // Every typed number has an expectation, and nothing else was decided about.
    expect(Object.keys(expected).sort()).toEqual(typedNumbers(sheet).sort());
    expect(outcomes(result, sheet)).toEqual(expected);
  });

  it("each cell is decided once, and the summary counts them", () => {
    const decided = [...result.links, ...result.notLinked].map((entry) => `${entry.sheet}!${entry.cell}`);
    expect(new Set(decided).size).toBe(decided.length);
    const numbers = ANALYST_MODEL.reduce((count, entry) => count + typedNumbers(entry.sheet).length, 0);
    expect(result.summary).toMatchObject({ sheets: ANALYST_MODEL.length, numbers, formulas: 1, linked: result.links.length, notLinked: result.notLinked.length });
    expect(result.summary.candidates).toBe(result.links.length + result.notLinked.length);
    expect(summaryLine(result.summary)).toMatch(/^Linked \d+ of \d+ candidate figures among \d+ typed numbers on 6 sheets \(1 formula left as it was\); \d+ not linked: \d+ estimates, \d+ in periods the data lacks, .*\.$/);
  });

  it("every formula gives back the number typed in HyperFormula, an independent engine (findLinks already refuses any the shipped engine does not)", () => {
    const cells: Record<string, string> = {};
    result.links.forEach((link, at) => (cells[`A${at + 1}`] = link.formula));
    const workbook = createQfinWorkbook(index, cells);
    for (const [at, link] of result.links.entries()) {
      expect({ cell: `${link.sheet}!${link.cell}`, value: workbook.value(`A${at + 1}`) }).toEqual({ cell: `${link.sheet}!${link.cell}`, value: link.value });
    }
    expect(result.links.length).toBeGreaterThan(50);
  });

  it("says how each link was decided and what it is", () => {
    const at = (sheet: string, cell: string) => result.links.find((link) => link.sheet === sheet && link.cell === cell);
    expect(at("P&L", "F5")).toMatchObject({
      value: 3914.3,
      item: { id: "ops.total_net_revenue", label: "Total net revenue" },
      period: { id: "2023Q2", label: "Q2 2023" },
      currency: "RMB",
      unit: "RMB millions",
      sign: 1,
      decimals: 1,
      how: "row label “Revenue” is Total net revenue; its heading “2Q23A” is Q2 2023; RMB millions, 1 decimal typed",
    });
    expect(at("P&L", "F15")?.how).toBe("row label “Income tax” is Income tax expense; its heading “2Q23A” is Q2 2023; RMB millions, 1 decimal typed, typed positive, the release prints it negative");
    expect(at("P&L", "F7")?.how).toMatch(/^row label “Other services fees” under the heading “Credit driven services” is Other services fees \(credit-driven\)/);
    expect(at("P&L", "F29")?.how).toMatch(/^the label “Rev\. \(my calc\)” names no line of the release, but 4 of its numbers are Total net revenue's figures in RMB millions/);
    expect(at("P&L", "F30")?.how).toMatch(/is to 7 significant digits the one figure of Q2 2023 it can be, Non-GAAP net income/);
    expect(at("BS (RMB bn)", "D7")?.how).toContain("which for a flow is the quarter ending then, Q2 2023");
    expect(at("KPIs", "D5")?.how).toContain("which for a balance is its end, Jun 30, 2023");
    expect(at("Halves US$", "B6")?.how).toContain("converted from RMB at the release's rate of 7.2513");
  });

  it("says why each candidate was left alone", () => {
    const why = (sheet: string, cell: string) => result.notLinked.find((entry) => entry.sheet === sheet && entry.cell === cell)?.reason;
    expect(why("P&L", "D5")).toMatch(/^its heading “3Q22” names Q3 2022, a period the data lacks \(it has Q1 2022, Q2 2022, /);
    expect(why("P&L", "G5")).toBe("its heading “3Q23E” marks an estimate; estimates are never replaced");
    expect(why("P&L", "K5")).toMatch(/^LTM Q2 2023 of "Total net revenue" needs Q3 2022 and Q4 2022/);
    expect(why("P&L", "E18")).toBe('"GAAP net income margin" is not reported for Q1 2023. It has: Q2 2022, H1 2022, Q2 2023, H1 2023.');
    expect(why("P&L", "F22")).toBe("its label “Net income (consensus)” marks an estimate; estimates are never replaced");
    expect(why("P&L", "F23")).toMatch(/^its label “EBITDA” is EBITDA and D&A, which the release does not report; it is left alone although it equals Non-GAAP income from operations for Q2 2023 in RMB millions$/);
    expect(why("P&L", "F28")).toMatch(/^1093377 is not Net income's figure for Q2 2023 .*; it is the figure in RMB thousands, but the notes around it say RMB millions$/);
    expect(why("P&L", "F31")).toBe("the label “Memo 2” names no line of the release; 1093.4 equals Net income's figure, but 5 digits alone are not enough to link it (put “Net income” in its label)");
    expect(why("P&L", "F32")).toMatch(/^the label “Memo 3” names no line of the release, and 19\.482 fits Foreign currency translation adjustment for Q2 2023 in RMB millions or Other comprehensive income for Q2 2023 in RMB millions/);
    expect(why("P&L", "D35")).toMatch(/^its heading “3Q22” is Q3 2022, which the data lacks; it equals Total net revenue for Q2 2023 in RMB millions, a coincidence$/);
    expect(why("BS (RMB bn)", "D8")).toMatch(/^0\.3 has one significant digit: too few to tell the release's figure \(RMB billions 0\.26\) from an assumption$/);
    expect(why("Forecast", "B2")).toBe("the sheet “Forecast” holds estimates; estimates are never replaced");
    expect(why("Two tables", "B5")).toBe("no period heads its column or row (its label “Revenue” names a line, but not when)");
  });
});

describe("retrofit's rules, one at a time", () => {
  const one = (rows: GridSheet["rows"], name = "Sheet1"): RetrofitResult => run([{ name, rows }]);

  it("a value matching several figures is reported, never guessed: the same number in two units of one line", () => {
    // 0.54 is revenue in US$ billions and nothing in RMB; with no label at all, several lines share it.
    const labelled = one([[null, "2Q23"], ["Revenue", 0.54]]);
    expect(labelled.links.map((link) => link.formula)).toEqual(['=ROUND(QFIN.METRIC("Total net revenue","Q2 2023","USD","B"),2)']);
    const bare = one([[null, "2Q23"], [null, 0.54]]);
    expect(bare.links).toEqual([]);
  });

  it("a heading's period the data lacks leaves even an exact figure alone; the same number under a period the data has links", () => {
    const result = one([[null, "Q3 2022", "Q2 2023"], ["Revenue", 3914.324, 3914.324]]);
    expect(result.links.map((link) => link.cell)).toEqual(["C2"]);
    expect(result.notLinked).toEqual([expect.objectContaining({ cell: "B2", code: "period_not_in_data" })]);
  });

  it("formulas and text are never candidates, even holding a figure", () => {
    const result = run([{ name: "S", rows: [[null, "2Q23"], ["Revenue", { f: "3914.3", v: 3914.3 }], ["Net income", "1093.4"]] }]);
    expect(result.links).toEqual([]);
    expect(result.notLinked).toEqual([]);
    expect(result.summary).toMatchObject({ numbers: 0, formulas: 1, candidates: 0 });
  });

  it("assumptions are not figures: 0.2, 0.03 and an exchange rate in period columns, labelled or not", () => {
    const result = one([
      [null, "1Q23", "2Q23"],
      ["Funding costs", 0.2, 0.2],
      ["Growth assumption", 0.03, 0.03],
      ["USD/CNY", 7.2513, 7.2513],
      [null, 0.2, 0.03],
    ]);
    expect(result.links).toEqual([]);
    // Funding costs were RMB0.16–0.17 billion: 0.2 rounds to them, and is still too few digits to be one.
    expect(result.notLinked.map((entry) => [entry.cell, entry.code])).toEqual([
      ["B2", "too_few_digits"],
      ["C2", "too_few_digits"],
    ]);
  });

  it("a label naming a line decides against a value that is another line's figure", () => {
    const result = one([[null, "2Q23"], ["Net income", 3914.3]]);
    expect(result.links).toEqual([]);
    expect(result.notLinked[0]).toMatchObject({ cell: "B2", code: "no_match", item: { id: "ops.net_income" } });
    expect(result.notLinked[0]?.reason).toMatch(/^3914\.3 is not Net income's figure for Q2 2023 in any currency, scale or sign the notes allow \(the release has RMB millions 1,093\.377 and US\$ millions 150\.782\)$/);
  });

  it("two numbers of an unlabelled line must agree on one line in the same units before either links", () => {
    // Revenue in RMB millions in one column and net income in the next: no line agrees, and 5 digits are too few alone.
    const mixed = one([[null, "1Q23", "2Q23"], ["x", 3599.2, 1093.4]]);
    expect(mixed.links).toEqual([]);
    expect(mixed.notLinked.map((entry) => entry.code)).toEqual(["too_few_digits", "too_few_digits"]);
    const agreeing = one([[null, "1Q23", "2Q23"], ["x", 3599.2, 3914.3]]);
    expect(agreeing.links.map((link) => link.formula)).toEqual(['=ROUND(QFIN.METRIC("Total net revenue","Q1 2023"),1)', '=ROUND(QFIN.METRIC("Total net revenue","Q2 2023"),1)']);
  });

  it("headings spread over rows: quarters under a year, a date under Six months ended, Estimates over a block", () => {
    const result = one([
      [null, "2023"],
      [null, null, null, "Six months ended"],
      [null, "Actual", null, null, "Estimates"],
      [null, "Q1", "Q2", { date: "2023-06-30", fmt: "d-mmm-yy" }, "Q3"],
      ["Net income", 929.8, 1093.4, 2023.2, 1100],
    ]);
    expect(result.links.map((link) => link.formula)).toEqual([
      '=ROUND(QFIN.METRIC("Net income","Q1 2023"),1)',
      '=ROUND(QFIN.METRIC("Net income","Q2 2023"),1)',
      '=ROUND(QFIN.METRIC("Net income","H1 2023"),1)',
    ]);
    expect(result.notLinked.map((entry) => [entry.cell, entry.code])).toEqual([["E5", "estimate"]]);
  });

  it("every link is checked by evaluating its formula: a formula that gives anything else is refused", () => {
    const result = findLinks(inputSheets([{ name: "S", rows: [[null, "2Q23"], ["Revenue", 3914.3]] }]), index, { evaluate: () => 3914.31 });
    expect(result.links).toEqual([]);
    expect(result.notLinked[0]).toMatchObject({ code: "check_failed", reason: '=ROUND(QFIN.METRIC("Total net revenue","Q2 2023"),1) gives 3914.31, not 3914.3; left as it was' });
  });

  it("latest headings link to the quarter they stand for now, named absolutely", () => {
    const result = one([[null, "latest-1", "latest"], ["Net income", 929.822, 1093.377]]);
    expect(result.links.map((link) => link.formula)).toEqual(['=QFIN.METRIC("Net income","Q1 2023")', '=QFIN.METRIC("Net income","Q2 2023")']);
    expect(result.links[1]?.how).toContain("(relative; the formula names Q2 2023, so it keeps the quarter the number was typed for)");
  });
});

describe("reading headings, labels, units and formats", () => {
  it.each([
    ["1Q22", { type: "quarter", year: 2022, quarter: 1 }, false],
    ["Q2'23", { type: "quarter", year: 2023, quarter: 2 }, false],
    ["2Q23A", { type: "quarter", year: 2023, quarter: 2 }, false],
    ["3Q23E", { type: "quarter", year: 2023, quarter: 3 }, true],
    ["Q3 2023 Est.", { type: "quarter", year: 2023, quarter: 3 }, true],
    ["Consensus 3Q23", { type: "quarter", year: 2023, quarter: 3 }, true],
    ["2Q23 Plan", { type: "quarter", year: 2023, quarter: 2 }, true],
    ["Target: 4Q23", { type: "quarter", year: 2023, quarter: 4 }, true],
    ["Street 2Q23", { type: "quarter", year: 2023, quarter: 2 }, true],
    ["1H23", { type: "half", year: 2023, half: 1 }, false],
    ["FY22", { type: "year", year: 2022 }, false],
    ["Dec-22", { type: "instant", year: 2022, month: 12, day: 31 }, false],
    ["Jun-23", { type: "instant", year: 2023, month: 6, day: 30 }, false],
    ["30/06/2023", { type: "instant", year: 2023, month: 6, day: 30 }, false],
    ["Three months ended June 30, 2023", { type: "quarter", year: 2023, quarter: 2 }, false],
    ["Six months ended June 30, 2022", { type: "half", year: 2022, half: 1 }, false],
    ["Year ended December 31, 2022", { type: "year", year: 2022 }, false],
    ["As of June 30, 2023", { type: "instant", year: 2023, month: 6, day: 30 }, false],
  ])("the heading %s is %j (estimate: %s)", (text, period, estimate) => {
    expect(readText(text)).toMatchObject({ kind: "period", period, estimate });
  });

  it("reads group headings, unit notes, filler and labels for what they are", () => {
    expect(readText("2Q")).toEqual({ kind: "partial", part: { quarter: 2 }, estimate: false });
    expect(readText("2023E")).toEqual({ kind: "year", year: 2023, estimate: true });
    expect(readText("Six months ended")).toEqual({ kind: "months", months: 6 });
    expect(readText("Estimates")).toEqual({ kind: "estimates" });
    // One word list for every place an estimate is said: a heading "Plan" over quarters marks them as "Budget" does.
    for (const heading of ["Plan", "Budget", "Target", "Street", "Forecast"]) expect(readText(heading)).toEqual({ kind: "estimates" });
    // Inside a label, only words that cannot mean anything else there.
    expect(saysEstimate("Share repurchase plan")).toBe(false);
    expect(saysEstimate("Target market revenue")).toBe(false);
    expect(saysEstimate("Revenue (consensus)")).toBe(true);
    expect(saysEstimate("Forecast")).toBe(true);
    expect(readText("RMB m")).toEqual({ kind: "units", units: { currency: "RMB", scale: "M" } });
    expect(readText("n.a.")).toEqual({ kind: "filler" });
    expect(readText("3914.3")).toEqual({ kind: "filler" });
    expect(readText("45107")).toEqual({ kind: "filler" });
    expect(readText("Revenue")).toEqual({ kind: "label", text: "Revenue" });
    expect(readUnits("(US$ '000)")).toEqual({ currency: "USD", scale: "K" });
    expect(readUnits("RMBbn")).toEqual({ currency: "RMB", scale: "B" });
    expect(readUnits("Net income")).toBeNull();
    expect(splitLabel("Revenue (RMB m)")).toEqual({ label: "Revenue", units: { currency: "RMB", scale: "M" } });
    expect(splitLabel("Net margin, %")).toEqual({ label: "Net margin", units: { percent: true } });
    expect(splitLabel("Net income*1")).toEqual({ label: "Net income", units: {} });
    expect(splitLabel("Loan facilitation and servicing fees-capital heavy")).toEqual({ label: "Loan facilitation and servicing fees-capital heavy", units: {} });
  });

  it("tells dates from numbers by their format, and reads the decimals a format shows", () => {
    expect(formatKind("mmm-yy")).toEqual({ date: true, day: false });
    expect(formatKind("d-mmm-yy")).toEqual({ date: true, day: true });
    expect(formatKind("[$-409]mmmm yyyy;@")).toEqual({ date: true, day: false });
    expect(formatKind("#,##0.0;(#,##0.0)")).toEqual({ date: false, day: false });
    expect(formatKind("[h]:mm:ss")).toEqual({ date: false, day: false });
    expect(formatDecimals("#,##0.0;(#,##0.0)")).toBe(1);
    expect(formatDecimals("0.0%")).toBe(3);
    expect(formatDecimals("General")).toBeNull();
  });

  it("takes a number at the 15 digits Excel keeps, so float residue is not typed precision", () => {
    expect(typedValue(0.1 + 0.2)).toMatchObject({ number: 0.3, decimals: 1, digits: 1 });
    expect(typedValue(3914.3)).toMatchObject({ decimals: 1, digits: 5 });
    expect(typedValue(200)).toMatchObject({ decimals: 0, digits: 3 });
    expect(typedValue(0.0184)).toMatchObject({ decimals: 4, digits: 3 });
  });
});

describe("summaryLine", () => {
  it("counts in words that agree with the number: one estimate, two estimates; one formula left as it was", () => {
    const base = { sheets: 1, numbers: 14, formulas: 1, candidates: 11, linked: 8, notLinked: 3 };
    expect(summaryLine({ ...base, byReason: { estimate: 1, period_not_in_data: 1, not_a_line: 1 } })).toBe(
      "Linked 8 of 11 candidate figures among 14 typed numbers on 1 sheet (1 formula left as it was); 3 not linked: 1 estimate, 1 in a period the data lacks, 1 on a line the release does not report.",
    );
    expect(summaryLine({ ...base, formulas: 0, byReason: { estimate: 2, period_not_in_data: 1 } })).toBe(
      "Linked 8 of 11 candidate figures among 14 typed numbers on 1 sheet (no formula to leave alone); 3 not linked: 2 estimates, 1 in a period the data lacks.",
    );
    expect(summaryLine({ ...base, sheets: 2, formulas: 3, notLinked: 0, linked: 11, byReason: {} })).toBe(
      "Linked 11 of 11 candidate figures among 14 typed numbers on 2 sheets (3 formulas left as they were).",
    );
  });
});
