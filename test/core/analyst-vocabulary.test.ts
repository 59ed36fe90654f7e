/**
 * The words analysts type, resolved against the shipped release: the vocabulary's terms each name the line they mean,
 * terms the release does not report say so (naming the reported lines nearest), fuzzy input stays a suggestion, and
 * every label the release prints in a table reaches its figures (or is refused as ambiguous, naming the candidates).
 */
import { CellError, ErrorType } from "../../src/core/cell";
import { labelKey } from "../../src/core/text-match";
import { NOT_REPORTED, VOCABULARY } from "../../src/core/vocabulary";
import { resolveItem, shortName, typeableName } from "../../src/core/resolve-item";
import { invoke } from "../../src/functions/invoke";
import { releaseText, shippedIndex } from "../support/release";

const index = shippedIndex();
const idOf = (typed: string): string => {
  const resolved = resolveItem(index, typed);
  return resolved instanceof CellError ? resolved.toString() : resolved.id;
};
const errorOf = (typed: string): CellError => {
  const resolved = resolveItem(index, typed);
  if (!(resolved instanceof CellError)) throw new Error(`"${typed}" resolved to ${resolved.id}`);
  return resolved;
};

// Phrasings of our own making, the way analysts covering QFIN type them, with the line each must mean.
const PHRASINGS: [string, string][] = [
  ["revenue", "ops.total_net_revenue"],
  ["Revenue", "ops.total_net_revenue"],
  ["net revenue", "ops.total_net_revenue"],
  ["Net Revenues", "ops.total_net_revenue"],
  ["total revenues", "ops.total_net_revenue"],
  ["top line", "ops.total_net_revenue"],
  ["sales", "ops.total_net_revenue"],
  ["opex", "ops.total_operating_costs_and_expenses"],
  ["operating expenses", "ops.total_operating_costs_and_expenses"],
  ["total opex", "ops.total_operating_costs_and_expenses"],
  ["S&M", "ops.sales_and_marketing"],
  ["s&m", "ops.sales_and_marketing"],
  ["sales and marketing", "ops.sales_and_marketing"],
  ["Selling and marketing", "ops.sales_and_marketing"],
  ["Selling & marketing", "ops.sales_and_marketing"],
  ["sales & marketing expense", "ops.sales_and_marketing"],
  ["G&A", "ops.general_and_administrative"],
  ["general and administrative", "ops.general_and_administrative"],
  ["general & admin", "ops.general_and_administrative"],
  ["admin expenses", "ops.general_and_administrative"],
  ["EBIT", "ops.income_from_operations"],
  ["operating income", "ops.income_from_operations"],
  ["operating profit", "ops.income_from_operations"],
  ["PBT", "ops.income_before_income_tax_expense"],
  ["pre-tax income", "ops.income_before_income_tax_expense"],
  ["profit before tax", "ops.income_before_income_tax_expense"],
  ["income before tax", "ops.income_before_income_tax_expense"],
  ["tax expense", "ops.income_taxes_expense"],
  ["income tax expense", "ops.income_taxes_expense"],
  ["taxes", "ops.income_taxes_expense"],
  ["net profit", "ops.net_income"],
  ["earnings", "ops.net_income"],
  ["net earnings", "ops.net_income"],
  ["bottom line", "ops.net_income"],
  ["EPS", "ops.net_income_per_ads_diluted"],
  ["diluted EPS", "ops.net_income_per_ads_diluted"],
  ["EPS diluted", "ops.net_income_per_ads_diluted"],
  ["EPS per ADS", "ops.net_income_per_ads_diluted"],
  ["basic EPS", "ops.net_income_per_ads_basic"],
  ["EPS per share", "ops.net_income_per_share_diluted"],
  ["diluted EPS per share", "ops.net_income_per_share_diluted"],
  ["adjusted EPS", "ng.non_gaap_net_income_per_ads_diluted"],
  ["non-GAAP EPS", "ng.non_gaap_net_income_per_ads_diluted"],
  ["Non-GAAP diluted EPS", "ng.non_gaap_net_income_per_ads_diluted"],
  ["adjusted net income", "ng.non_gaap_net_income"],
  ["non-GAAP net income", "ng.non_gaap_net_income"],
  ["adj. net income", "ng.non_gaap_net_income"],
  ["SBC", "ng.share_based_compensation"],
  ["stock-based compensation", "ng.share_based_compensation"],
  ["Stock-based compensation", "ng.share_based_compensation"],
  ["share-based compensation", "ng.share_based_compensation"],
  ["CFO", "cf.net_cash_provided_by_operating_activities"],
  ["operating cash flow", "cf.net_cash_provided_by_operating_activities"],
  ["cash from operations", "cf.net_cash_provided_by_operating_activities"],
  ["net cash from operating activities", "cf.net_cash_provided_by_operating_activities"],
  ["CFI", "cf.net_cash_used_in_investing_activities"],
  ["investing cash flow", "cf.net_cash_used_in_investing_activities"],
  ["net cash from investing", "cf.net_cash_used_in_investing_activities"],
  ["CFF", "cf.net_cash_provided_by_financing_activities"],
  ["financing cash flow", "cf.net_cash_provided_by_financing_activities"],
  ["cash from financing", "cf.net_cash_provided_by_financing_activities"],
  ["loan volume", "kpi.total_loan_volume"],
  ["origination volume", "kpi.total_loan_volume"],
  ["facilitation volume", "kpi.total_loan_volume"],
  ["loan balance", "kpi.total_outstanding_loan_balance"],
  ["outstanding loan balance", "kpi.total_outstanding_loan_balance"],
  ["loan book", "kpi.total_outstanding_loan_balance"],
  ["90+ DPD", "kpi.delinquency_rate_90_day"],
  ["90 DPD", "kpi.delinquency_rate_90_day"],
  ["M3+", "kpi.delinquency_rate_90_day"],
  ["90-day delinquency rate", "kpi.delinquency_rate_90_day"],
  ["Day-1 delinquency", "kpi.day_1_delinquency_rate"],
  ["D1 delinquency", "kpi.day_1_delinquency_rate"],
  ["day 1 delinquency rate", "kpi.day_1_delinquency_rate"],
  ["30-day collection rate", "kpi.collection_rate_30_day"],
  ["tenor", "kpi.weighted_average_contractual_tenor"],
  ["average tenor", "kpi.weighted_average_contractual_tenor"],
  ["DPS", "cap.dividend_per_ads"],
  ["dividend per ADS", "cap.dividend_per_ads"],
  ["dividend per share", "cap.dividend_per_share"],
  ["funding cost", "ops.funding_costs"],
  ["Funding costs", "ops.funding_costs"],
  ["provision for loan receivables", "ops.provision_for_loans_receivable"],
  ["cash", "bs.cash_and_cash_equivalents"],
  ["cash and equivalents", "bs.cash_and_cash_equivalents"],
  ["total assets", "bs.total_assets"],
  ["total liabilities", "bs.total_liabilities"],
  ["total equity", "bs.total_equity"],
  ["shareholders equity", "bs.total_qifu_technology_equity"],
  ["repeat borrower contribution", "kpi.repeat_borrower_contribution"],
  ["registered users", "kpi.cumulative_registered_users"],
  ["approved users", "kpi.cumulative_users_with_approved_credit_lines"],
  ["cumulative borrowers", "kpi.cumulative_borrowers_with_successful_drawdown"],
];

describe("the analyst's words", () => {
  it(`${PHRASINGS.length} phrasings each name the line they mean`, () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(80);
    expect(PHRASINGS.map(([typed]) => [typed, idOf(typed)])).toEqual(PHRASINGS);
  });

  it("EPS on an ADS name is per diluted ADS: the figure the release headlines (RMB6.64), not per share (RMB3.32)", () => {
    expect(invoke(index, "METRIC", ["EPS", "Q2 2023"])).toBe(6.64);
    expect(invoke(index, "METRIC", ["EPS per share", "Q2 2023"])).toBe(3.32);
    expect(invoke(index, "METRIC", ["adjusted EPS", "Q2 2023"])).toBe(6.95);
    expect(String(invoke(index, "SOURCE", ["EPS", "Q2 2023"]))).toContain("1 ADS = 2 Class A ordinary shares; on this ADS-listed name EPS means per diluted ADS");
  });

  it("every term names an item that exists, and no term names two items", () => {
    const owner = new Map<string, string>();
    for (const entry of VOCABULARY) {
      expect([entry.item, index.itemsById.has(entry.item)]).toEqual([entry.item, true]);
      for (const term of entry.terms) {
        const key = labelKey(term);
        expect([term, owner.get(key) ?? entry.item]).toEqual([term, entry.item]);
        owner.set(key, entry.item);
        expect([term, idOf(term)]).toEqual([term, entry.item]);
      }
    }
    for (const unreported of NOT_REPORTED) {
      for (const id of unreported.related) expect([id, index.itemsById.has(id)]).toEqual([id, true]);
      for (const term of unreported.terms) expect([term, owner.has(labelKey(term))]).toEqual([term, false]);
    }
  });

  it("a term never shadows a label the release prints for another line", () => {
    for (const item of index.dataset.items) {
      const resolved = resolveItem(index, item.label);
      if (resolved instanceof CellError) continue; // a shared label, refused as ambiguous (below)
      expect([item.label, resolved.id === item.id || resolved.label === item.label]).toEqual([item.label, true]);
    }
  });

  it("short names are the pane's and spills' words for long or shared labels", () => {
    const diluted = index.itemsById.get("ops.net_income_per_ads_diluted")!;
    expect(shortName(index, diluted)).toBe("Diluted EPS (ADS)");
    expect(typeableName(index, diluted)).toBe("Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc. > Diluted");
    expect(shortName(index, index.itemsById.get("ops.net_income")!)).toBe("Net income");
  });
});

describe("not reported means not reported", () => {
  it.each([
    ["FCF", "free cash flow", ["Net cash provided by operating activities"]],
    ["free cash flow", "free cash flow", ["Net cash used in investing activities"]],
    ["capex", "capital expenditure", ["Net cash used in investing activities"]],
    ["EBITDA", "EBITDA", ["Income from operations"]],
    ["gross profit", "gross profit", ["Total net revenue"]],
    ["R&D", "research and development", []],
    ["take rate", "a take rate", ["Total facilitation and origination loan volume"]],
    ["ROE", "return on equity", ["Net income"]],
    ["ROA", "return on assets", ["TOTAL ASSETS"]],
    ["NIM", "net interest margin", ["Funding costs"]],
    ["SG&A", "SG&A", ["Sales and marketing", "General and administrative"]],
    ["effective tax rate", "effective tax rate", ["Income taxes expense"]],
    ["market cap", "market data", []],
    ["credit impairment", "provisions", ["Provision for loans receivable", "Provision for contingent liabilities"]],
    ["30+ DPD", "vintage delinquency", ["90 day+ delinquency rate"]],
  ])("%s: #N/A saying it is not in the release, naming the nearest reported lines", (term, what, related) => {
    const error = errorOf(term);
    expect(error.type).toBe(ErrorType.NA);
    expect(error.message).toMatch(new RegExp(`^"${term.replace(/[+&]/g, "\\$&")}" \\(.*${what.replace(/[+&]/g, "\\$&")}.*\\) is not reported in the release\\.`));
    for (const label of related) expect(error.message).toContain(`"${label}"`);
    expect(error.message).not.toContain("did you mean");
  });

  it("through the functions too: METRIC answers #N/A, never an unrelated line", () => {
    const result = invoke(index, "METRIC", ["Capex", "Q2 2023"]) as CellError;
    expect(result.type).toBe(ErrorType.NA);
    expect(result.message).toMatch(/^"Capex" \(capital expenditure\) is not reported in the release/);
    expect(result.message).not.toContain("Total operating costs and expenses");
  });
});

describe("fuzzy input stays a suggestion, never a silent answer", () => {
  it.each([
    ["Revenu", "Total net revenue"],
    ["Net incme", "Net income"],
    ["Funding costz", "Funding costs"],
  ])("%s → #N/A did you mean %s", (typed, meant) => {
    const error = errorOf(typed);
    expect(error.type).toBe(ErrorType.NA);
    expect(error.message).toContain(`did you mean "${meant}"`);
  });

  it("an acronym the vocabulary lacks is not guessed at", () => {
    const error = errorOf("XYZQ");
    expect(error.type).toBe(ErrorType.NA);
    expect(error.message).not.toContain("did you mean");
  });
});

describe("every label the release prints in a table", () => {
  /** Rows of the release's tables with at least one figure: label → the line numbers it is printed on. */
  const printedRows = (): Map<string, number[]> => {
    const rows = new Map<string, number[]>();
    releaseText()
      .split("\n")
      .forEach((line, at) => {
        const [label, ...cells] = line.split("\t");
        if (!label || !cells.some((cell) => /^\(?-?\d[\d,]*(\.\d+)?\)?%?$/.test(cell.trim()))) return;
        rows.set(label.trim(), [...(rows.get(label.trim()) ?? []), at + 1]);
      });
    return rows;
  };
  /** The items whose figures were read from a row of that label. */
  const itemsPrintedAs = (label: string): Set<string> => {
    const items = new Set<string>();
    for (const fact of index.dataset.facts) for (const source of [fact.source, ...(fact.copies ?? [])]) if (source.row === label) items.add(fact.item);
    return items;
  };

  it("reaches the figures printed on it, or is refused as ambiguous naming every candidate", () => {
    const rows = printedRows();
    expect(rows.size).toBeGreaterThan(80);
    const ambiguous: string[] = [];
    for (const [label, lines] of rows) {
      const items = itemsPrintedAs(label);
      expect([label, lines, items.size > 0]).toEqual([label, lines, true]);
      const resolved = resolveItem(index, label);
      if (resolved instanceof CellError) {
        expect([label, resolved.type]).toEqual([label, ErrorType.VALUE]);
        expect(resolved.message).toMatch(/is ambiguous: it could be /);
        ambiguous.push(label);
        continue;
      }
      expect([label, items.has(resolved.id)]).toEqual([label, true]);
    }
    // Only labels the release itself uses for more than one figure.
    expect(ambiguous.sort()).toEqual(["Amounts due from related parties", "Basic", "Diluted", "Other services fees"]);
  });

  it("the non-GAAP reconciliation's own labels for diluted EPS, GAAP and non-GAAP", () => {
    expect(invoke(index, "METRIC", ["Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc. -diluted", "Q2 2023"])).toBe(6.64);
    expect(invoke(index, "METRIC", ["Non-GAAP net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc. -diluted", "Q2 2023"])).toBe(6.95);
    expect(invoke(index, "METRIC", ["Weighted average ADS used in calculating net income per ordinary share for both GAAP and non-GAAP EPS -diluted", "H1 2023"])).toBe(165559445);
  });
});
