/**
 * Search as analysts use it, on the shipped release: realistic queries with the line that must come first, lines that
 * must be among the first few, and results that must be left out because they share nothing with the query.
 */
import { searchItems } from "../../src/core/search-items";
import { shippedIndex } from "../support/release";

const index = shippedIndex();
const ids = (query: string): string[] => searchItems(index, query).map((item) => item.id);

describe("search ranks the headline line first", () => {
  it.each([
    ["revenue", "ops.total_net_revenue"],
    ["Revenues", "ops.total_net_revenue"],
    ["net income", "ops.net_income"],
    ["eps", "ops.net_income_per_ads_diluted"],
    ["EPS", "ops.net_income_per_ads_diluted"],
    ["adjusted eps", "ng.non_gaap_net_income_per_ads_diluted"],
    ["non-gaap net income", "ng.non_gaap_net_income"],
    ["S&M", "ops.sales_and_marketing"],
    ["G&A", "ops.general_and_administrative"],
    ["sbc", "ng.share_based_compensation"],
    ["PBT", "ops.income_before_income_tax_expense"],
    ["tax", "ops.income_taxes_expense"],
    ["operating cash flow", "cf.net_cash_provided_by_operating_activities"],
    ["net cash from investing", "cf.net_cash_used_in_investing_activities"],
    ["cash from financing", "cf.net_cash_provided_by_financing_activities"],
    ["cash", "bs.cash_and_cash_equivalents"],
    ["total assets", "bs.total_assets"],
    ["loan volume", "kpi.total_loan_volume"],
    ["loan balance", "kpi.total_outstanding_loan_balance"],
    ["delinquency", "kpi.delinquency_rate_90_day"],
    ["90+ dpd", "kpi.delinquency_rate_90_day"],
    ["day 1", "kpi.day_1_delinquency_rate"],
    ["tenor", "kpi.weighted_average_contractual_tenor"],
    ["dividend", "cap.dividend_per_ads"],
    ["buyback", "cap.share_repurchase_program"],
    ["funding costs", "ops.funding_costs"],
    ["provision for loans", "ops.provision_for_loans_receivable"],
  ])("%s → %s first", (query, first) => {
    expect(ids(query)[0]).toBe(first);
  });
});

describe("and finds the rest a reader would look for among the first few", () => {
  it.each([
    ["revenue", ["ops.credit_driven_services", "ops.platform_services"]],
    ["eps", ["ng.non_gaap_net_income_per_ads_diluted", "ops.net_income_per_share_diluted"]],
    ["margin", ["ng.gaap_net_income_margin", "ng.non_gaap_net_income_margin", "ng.gaap_operating_margin", "ng.non_gaap_operating_margin"]],
    ["provision", ["ops.provision_for_loans_receivable", "ops.provision_for_financial_assets_receivable", "ops.provision_for_accounts_receivable_and_contract_assets", "ops.provision_for_contingent_liabilities"]],
    ["users", ["kpi.cumulative_registered_users", "kpi.cumulative_users_with_approved_credit_lines"]],
  ])("%s", (query, expected) => {
    expect(ids(query).slice(0, 6)).toEqual(expect.arrayContaining(expected));
  });
});

describe("results that share nothing with the query are left out", () => {
  it("revenue: no collection rate, no cash flow", () => {
    expect(ids("revenue")).not.toContain("kpi.collection_rate_30_day");
    expect(ids("revenue").every((id) => id.startsWith("ops.") || id.startsWith("ng."))).toBe(true);
  });

  it("an abbreviation's letters are not word beginnings: S&M and G&A find one line each", () => {
    expect(ids("S&M")).toEqual(["ops.sales_and_marketing"]);
    expect(ids("G&A")).toEqual(["ops.general_and_administrative"]);
  });

  it("a term the release does not report finds nothing rather than something unrelated", () => {
    expect(ids("EBITDA")).toEqual([]);
    expect(ids("zzzz")).toEqual([]);
  });
});
