/**
 * Analysts' own models, unlike the template: a quarterly P&L with its headers in several forms (1Q22, Q2'22, 2Q23A,
 * 1H23, FY22, "Three months ended June 30, 2023", LTM), lines in RMB millions, thousands and US$, costs typed with
 * either sign, margins as fractions, a line identified only by its numbers, assumptions, estimates, formulas and
 * text; a balance sheet in RMB billions headed by dates (Dec-22, Mar-23, 30-Jun-23, "Jun-23"); KPIs laid out the
 * other way round (periods down, lines across); half-years in US$ under "Six months ended" and quarters under a year;
 * a sheet of forecasts; a sheet whose second table has no period headings.
 *
 * With each, what must become of every typed number: the exact formula, the refusal, or nothing (not a candidate).
 */
import type { GridSheet, Outcome } from "./grid";

const M1 = "#,##0.0;(#,##0.0)";
const PCT = "0.0%";
const refused = (code: string): Outcome => ({ refused: code });

export const PNL: GridSheet = {
  name: "P&L",
  rows: [
    ["Qifu Technology (QFIN) — my model"],
    ["RMB m, except per ADS"],
    [],
    [null, "1Q22", "Q2'22", "3Q22", "1Q23", "2Q23A", "3Q23E", "1H23", "FY22", "Three months ended June 30, 2023", "LTM"],
    ["Revenue", { n: 4320, fmt: M1 }, 4183.2, 4500, 3599.2, 3914.3, 4100, 7513.5, 16556, 3914.3, 15000],
    ["Credit driven services", null, null, null, null, 2788.7],
    ["  Other services fees", null, null, null, null, 45.9],
    ["Platform services", null, null, null, null, 1125.6],
    ["  Other services fees", null, null, null, null, 76.9],
    ["Funding costs", null, null, null, null, 165.2],
    ["S&M", null, null, null, null, -436.5],
    ["Total opex", null, null, null, null, 2732.8],
    ["EBIT", null, null, null, null, 1181.5],
    ["Foreign exchange (loss) gain", null, null, null, null, 2.3],
    ["Income tax", null, 180.3, null, 172.3, 272.9, 280],
    ["Tax rate", null, 0.15, null, 0.15, 0.2, 0.2],
    ["Net income", null, null, null, 929.8, 1093.4],
    ["Net margin", null, { n: 0.233, fmt: PCT }, null, { n: 0.258, fmt: PCT }, { n: 0.279, fmt: PCT }],
    ["EPS (RMB per ADS)", null, null, null, null, 6.64],
    ["Basic", null, null, null, null, 6.8],
    ["Revenue growth YoY", null, 0.05, null, null, -0.0643],
    ["Net income (consensus)", null, null, null, null, 1100.2],
    ["EBITDA", null, null, null, null, 1234.7],
    ["Revenue check", null, null, null, null, { f: "F5*1", v: 3914.3 }],
    ["Revenue as text", null, null, null, null, "3914.3"],
    ["Total net revenue (RMB'000)", null, null, null, null, 3914324],
    ["Revenue (US$ m)", null, null, null, null, 539.8, null, 1036.2],
    ["Net income (RMB m)", null, null, null, null, 1093377],
    ["Rev. (my calc)", 4320.047, 4183.199, null, 3599.174, 3914.324],
    ["Memo", null, null, null, null, 1146.624],
    ["Memo 2", null, null, null, null, 1093.4],
    ["Memo 3", null, null, null, null, 19.482],
    ["Payout", null, null, null, null, 0.03],
    ["USD/CNY", null, null, null, null, 7.2513],
    ["Revenue, 3Q22 coincidence", null, null, 3914.324],
  ],
};

export const PNL_OUTCOMES: Record<string, Outcome> = {
  B5: '=ROUND(QFIN.METRIC("Total net revenue","Q1 2022"),1)',
  C5: '=ROUND(QFIN.METRIC("Total net revenue","Q2 2022"),1)',
  D5: refused("period_not_in_data"),
  E5: '=ROUND(QFIN.METRIC("Total net revenue","Q1 2023"),1)',
  F5: '=ROUND(QFIN.METRIC("Total net revenue","Q2 2023"),1)',
  G5: refused("estimate"),
  H5: '=ROUND(QFIN.METRIC("Total net revenue","H1 2023"),1)',
  I5: refused("period_not_in_data"),
  J5: '=ROUND(QFIN.METRIC("Total net revenue","Q2 2023"),1)',
  K5: refused("not_reported"),
  F6: '=ROUND(QFIN.METRIC("Credit-driven services","Q2 2023"),1)',
  F7: '=ROUND(QFIN.METRIC("Other services fees (credit-driven)","Q2 2023"),1)',
  F8: '=ROUND(QFIN.METRIC("Platform services","Q2 2023"),1)',
  F9: '=ROUND(QFIN.METRIC("Other services fees (platform)","Q2 2023"),1)',
  F10: '=ROUND(QFIN.METRIC("Funding costs","Q2 2023"),1)',
  F11: '=-ROUND(QFIN.METRIC("Sales & marketing","Q2 2023"),1)',
  F12: '=ROUND(QFIN.METRIC("Total operating costs & expenses","Q2 2023"),1)',
  F13: '=QFIN.METRIC("Income from operations","Q2 2023")',
  F14: '=-ROUND(QFIN.METRIC("FX gain (loss)","Q2 2023"),1)',
  C15: '=-ROUND(QFIN.METRIC("Income tax expense","Q2 2022"),1)',
  E15: '=-ROUND(QFIN.METRIC("Income tax expense","Q1 2023"),1)',
  F15: '=-ROUND(QFIN.METRIC("Income tax expense","Q2 2023"),1)',
  G15: refused("estimate"),
  // Assumptions: too few digits to be anything, and "tax rate" is no line of the release.
  C16: null,
  E16: null,
  F16: null,
  G16: null,
  E17: '=ROUND(QFIN.METRIC("Net income","Q1 2023"),1)',
  F17: '=ROUND(QFIN.METRIC("Net income","Q2 2023"),1)',
  C18: '=QFIN.METRIC("Net margin","Q2 2022")',
  E18: refused("not_reported"),
  F18: '=QFIN.METRIC("Net margin","Q2 2023")',
  F19: '=QFIN.METRIC("Diluted EPS (ADS)","Q2 2023")',
  F20: '=QFIN.METRIC("Basic EPS (ADS)","Q2 2023")',
  C21: null,
  F21: null,
  F22: refused("estimate"),
  F23: refused("not_a_line"),
  F26: '=QFIN.METRIC("Total net revenue","Q2 2023","RMB","K")',
  F27: '=ROUND(QFIN.METRIC("Total net revenue","Q2 2023","USD"),1)',
  H27: '=ROUND(QFIN.METRIC("Total net revenue","H1 2023","USD"),1)',
  F28: refused("no_match"),
  B29: '=QFIN.METRIC("Total net revenue","Q1 2022")',
  C29: '=QFIN.METRIC("Total net revenue","Q2 2022")',
  E29: '=QFIN.METRIC("Total net revenue","Q1 2023")',
  F29: '=QFIN.METRIC("Total net revenue","Q2 2023")',
  F30: '=QFIN.METRIC("Non-GAAP net income","Q2 2023")',
  F31: refused("too_few_digits"),
  F32: refused("ambiguous"),
  F33: null,
  F34: null,
  D35: refused("period_not_in_data"),
};

export const BALANCE_SHEET: GridSheet = {
  name: "BS (RMB bn)",
  rows: [
    ["Balance sheet, RMB bn"],
    [],
    [null, { date: "2022-12-01", fmt: "mmm-yy" }, { date: "2023-03-01", fmt: "mmm-yy" }, { date: "2023-06-30", fmt: "d-mmm-yy" }, "Jun-23"],
    ["Cash and cash equivalents", 7.17, 6.1, 5.26, 5.256],
    ["Total assets", 40.3, null, 43.4],
    ["Total equity", null, null, 20.9],
    ["Revenue", null, null, 3.9],
    ["Short-term debt", null, null, 0.3],
  ],
};

export const BALANCE_SHEET_OUTCOMES: Record<string, Outcome> = {
  B4: '=ROUND(QFIN.METRIC("Cash & equivalents","Dec 31, 2022","RMB","B"),2)',
  C4: refused("period_not_in_data"),
  D4: '=ROUND(QFIN.METRIC("Cash & equivalents","Jun 30, 2023","RMB","B"),2)',
  E4: '=ROUND(QFIN.METRIC("Cash & equivalents","Jun 30, 2023","RMB","B"),3)',
  B5: '=ROUND(QFIN.METRIC("Total assets","Dec 31, 2022","RMB","B"),1)',
  D5: '=ROUND(QFIN.METRIC("Total assets","Jun 30, 2023","RMB","B"),1)',
  D6: '=ROUND(QFIN.METRIC("Total equity","Jun 30, 2023","RMB","B"),1)',
  // A flow under a quarter-end date: the quarter ending that day.
  D7: '=ROUND(QFIN.METRIC("Total net revenue","Q2 2023","RMB","B"),1)',
  // RMB0.26 billion of short-term loans typed as 0.3: one digit is an assumption's, not a figure's.
  D8: refused("too_few_digits"),
};

export const KPIS: GridSheet = {
  name: "KPIs",
  rows: [
    ["Operating KPIs, periods down"],
    [],
    ["Period", "Loan volume (RMB bn)", "90+ DPD", "Registered users (m)", "Repeat borrower contribution (%)", "Tenor (months)"],
    ["2Q22", 98.3, null, 197.9, null, 12.06],
    ["2Q23", 124.2, { n: 0.0184, fmt: "0.00%" }, 220.6, 92.3, 11],
    ["3Q23E", 130, 0.019, 230],
  ],
};

export const KPI_OUTCOMES: Record<string, Outcome> = {
  B4: '=ROUND(QFIN.METRIC("Loan volume","Q2 2022","RMB","B"),1)',
  D4: '=ROUND(QFIN.METRIC("Registered users","Jun 30, 2022")/1000000,1)',
  F4: '=QFIN.METRIC("Average tenor (months)","Q2 2022")',
  B5: '=ROUND(QFIN.METRIC("Loan volume","Q2 2023","RMB","B"),1)',
  C5: '=QFIN.METRIC("90+ DPD","Jun 30, 2023")',
  D5: '=ROUND(QFIN.METRIC("Registered users","Jun 30, 2023")/1000000,1)',
  E5: '=ROUND(QFIN.METRIC("Repeat borrower contribution","Q2 2023")*100,1)',
  F5: '=QFIN.METRIC("Average tenor (months)","Q2 2023")',
  B6: refused("estimate"),
  C6: refused("estimate"),
  D6: refused("estimate"),
};

export const HALF_YEARS: GridSheet = {
  name: "Halves US$",
  rows: [
    ["Half-years and quarters"],
    [],
    [null, "Six months ended", null, null, "FY2023"],
    [null, { date: "2022-06-30", fmt: "d-mmm-yy" }, { date: "2023-06-30", fmt: "d-mmm-yy" }, null, "1Q", "2Q", "3Q"],
    [null, "US$ m", "US$ m", null, "US$ m", "US$ m", "US$ m"],
    ["Revenue", 1172.7, 1036.2, null, 496.3, 539.8, 560.1],
    ["Net income", 296.4, 279.0],
  ],
};

export const HALF_YEAR_OUTCOMES: Record<string, Outcome> = {
  // No US$ figure is printed for H1 2022: QFIN.METRIC converts at the release's rate, and so does the match.
  B6: '=ROUND(QFIN.METRIC("Total net revenue","H1 2022","USD"),1)',
  C6: '=ROUND(QFIN.METRIC("Total net revenue","H1 2023","USD"),1)',
  E6: '=ROUND(QFIN.METRIC("Total net revenue","Q1 2023","USD"),1)',
  F6: '=ROUND(QFIN.METRIC("Total net revenue","Q2 2023","USD"),1)',
  G6: refused("period_not_in_data"),
  B7: '=ROUND(QFIN.METRIC("Net income","H1 2022","USD"),1)',
  C7: '=ROUND(QFIN.METRIC("Net income","H1 2023","USD"),0)',
};

export const FORECAST: GridSheet = {
  name: "Forecast",
  rows: [[null, "2Q23", "3Q23"], ["Revenue", 3914.3, 4050.5]],
};

export const FORECAST_OUTCOMES: Record<string, Outcome> = {
  B2: refused("estimate"),
  C2: refused("estimate"),
};

export const STACKED: GridSheet = {
  name: "Two tables",
  rows: [
    [null, "1Q23", "2Q23"],
    ["Net income", 929.8, 1093.4],
    [],
    [null, "Notes"],
    ["Revenue", 3914.3],
    ["Headcount", 2500],
  ],
};

export const STACKED_OUTCOMES: Record<string, Outcome> = {
  B2: '=ROUND(QFIN.METRIC("Net income","Q1 2023"),1)',
  C2: '=ROUND(QFIN.METRIC("Net income","Q2 2023"),1)',
  // A second table headed "Notes": no period heads the column, so Revenue's number is not linked.
  B5: refused("no_period_header"),
  B6: null,
};

export const ANALYST_MODEL: readonly { sheet: GridSheet; outcomes: Record<string, Outcome> }[] = [
  { sheet: PNL, outcomes: PNL_OUTCOMES },
  { sheet: BALANCE_SHEET, outcomes: BALANCE_SHEET_OUTCOMES },
  { sheet: KPIS, outcomes: KPI_OUTCOMES },
  { sheet: HALF_YEARS, outcomes: HALF_YEAR_OUTCOMES },
  { sheet: FORECAST, outcomes: FORECAST_OUTCOMES },
  { sheet: STACKED, outcomes: STACKED_OUTCOMES },
];
