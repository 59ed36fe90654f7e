/**
 * The words analysts type for the release's lines: the terms of sell-side models and terminals (S&M, PBT, adjusted
 * EPS, 90+ DPD…), each naming one item, with the short name the pane and the spills show; and the terms a results
 * release does not report (FCF, capex, EBITDA…), each with the reported lines that come closest. One curated table,
 * read by item resolution (QFIN.METRIC and every function taking an item) and by search (QFIN.ITEMS and the pane), so
 * the same words work everywhere. Deterministic: a term names its item or it does not; fuzzy matching stays a
 * suggestion elsewhere.
 *
 * Conventions this table encodes (README, "Analyst vocabulary"):
 * - QFIN trades as ADSs on NASDAQ (1 ADS = 2 Class A ordinary shares), so "EPS" means net income per diluted ADS, as
 *   the release headlines it; per ordinary share only when asked ("EPS per share"). "Adjusted" / "non-GAAP EPS" is
 *   non-GAAP net income per diluted ADS. "DPS" likewise means the dividend per ADS.
 * - "Opex" is total operating costs and expenses (the release has no separate cost of revenue).
 */

export interface ItemTerms {
  item: string;
  /** What the pane and the spills call the line when its printed label is long or shared ("Diluted EPS (ADS)"). */
  short?: string;
  /** Words that mean exactly this line. */
  terms: readonly string[];
  /** A convention worth saying wherever the figure is described (SOURCE). */
  note?: string;
}

export interface UnreportedTerm {
  terms: readonly string[];
  /** What the term is, in a few words: "free cash flow". */
  what: string;
  /** The reported lines that come closest, by id (missing ones are skipped). */
  related: readonly string[];
  /** How to get there from what is reported, when there is a way. */
  hint?: string;
}

const PER_ADS_DIVIDEND = "Per ADS: 1 ADS = 2 Class A ordinary shares; DPS means the dividend per ADS on this ADS-listed name, per ordinary share only when asked (\"dividend per share\").";
const PER_ADS = "Per ADS: 1 ADS = 2 Class A ordinary shares; on this ADS-listed name EPS means per diluted ADS, per ordinary share only when asked (\"EPS per share\").";

export const VOCABULARY: readonly ItemTerms[] = [
  // Balance sheet
  { item: "bs.cash_and_cash_equivalents", short: "Cash & equivalents", terms: ["cash and equivalents", "cash & equivalents", "C&CE"] },
  { item: "bs.short_term_investments", terms: ["ST investments"] },
  { item: "bs.loans_receivable", short: "Loans receivable (current)", terms: ["loans receivable current", "current loans receivable"] },
  { item: "bs.loans_receivable_non_current", short: "Loans receivable (non-current)", terms: ["loans receivable non-current", "non-current loans receivable"] },
  { item: "bs.amounts_due_from_related_parties_current", short: "Due from related parties (current)", terms: ["amounts due from related parties current"] },
  { item: "bs.amounts_due_from_related_parties_non_current", short: "Due from related parties (non-current)", terms: ["amounts due from related parties non-current"] },
  { item: "bs.total_assets", short: "Total assets", terms: ["total assets"] },
  { item: "bs.total_liabilities", short: "Total liabilities", terms: ["total liabilities"] },
  {
    item: "bs.total_qifu_technology_equity",
    short: "Shareholders' equity",
    terms: ["shareholders equity", "book value", "equity attributable to shareholders", "parent equity", "common equity"],
  },
  { item: "bs.total_equity", short: "Total equity", terms: ["total equity"] },
  { item: "bs.total_liabilities_and_equity", short: "Total liabilities & equity", terms: ["total liabilities and equity", "L+E"] },
  { item: "bs.short_term_loans", terms: ["short-term debt", "short-term borrowings", "ST debt"] },
  { item: "bs.guarantee_liabilities_stand_ready", terms: ["stand-ready guarantee liabilities"] },
  { item: "bs.guarantee_liabilities_contingent", terms: ["contingent guarantee liabilities"] },

  // Statement of operations
  {
    item: "ops.total_net_revenue",
    short: "Total net revenue",
    terms: ["revenue", "net revenue", "total revenue", "top line", "topline", "sales", "turnover"],
  },
  { item: "ops.credit_driven_services", short: "Credit-driven services", terms: ["credit-driven revenue", "credit driven services revenue"] },
  { item: "ops.platform_services", short: "Platform services", terms: ["platform revenue", "platform services revenue"] },
  {
    item: "ops.loan_facilitation_and_servicing_fees_capital_heavy",
    short: "Facilitation fees – capital heavy",
    terms: ["capital-heavy fees", "capital heavy facilitation fees", "facilitation fees capital heavy"],
  },
  {
    item: "ops.revenue_from_releasing_of_guarantee_liabilities",
    short: "Guarantee release revenue",
    terms: ["guarantee income", "guarantee revenue", "release of guarantee liabilities"],
  },
  {
    item: "ops.credit_driven_services.other_services_fees",
    short: "Other services fees (credit-driven)",
    terms: ["credit-driven other services fees", "other services fees credit-driven"],
  },
  {
    item: "ops.loan_facilitation_and_servicing_fees_capital_light",
    short: "Facilitation fees – capital light",
    terms: ["capital-light fees", "capital light facilitation fees", "facilitation fees capital light", "capital-light revenue"],
  },
  { item: "ops.referral_services_fees", terms: ["referral fees", "referral revenue"] },
  { item: "ops.platform_services.other_services_fees", short: "Other services fees (platform)", terms: ["platform other services fees", "other services fees platform"] },
  {
    item: "ops.facilitation_origination_and_servicing",
    short: "Facilitation, origination & servicing",
    terms: ["origination and servicing expenses", "servicing costs", "facilitation and servicing costs"],
  },
  { item: "ops.funding_costs", terms: ["funding expense", "cost of funds", "cost of funding"] },
  { item: "ops.sales_and_marketing", short: "Sales & marketing", terms: ["S&M", "selling and marketing", "marketing expense", "sales & marketing expenses"] },
  { item: "ops.general_and_administrative", short: "G&A", terms: ["G&A", "general & administrative", "general and admin", "general & admin", "admin expenses", "administrative expenses"] },
  { item: "ops.provision_for_loans_receivable", short: "Provision for loans", terms: ["loan loss provision", "provision for loans", "loan provisions"] },
  { item: "ops.provision_for_financial_assets_receivable", terms: ["provision for financial assets"] },
  { item: "ops.provision_for_accounts_receivable_and_contract_assets", terms: ["provision for receivables"] },
  { item: "ops.provision_for_contingent_liabilities", short: "Provision for contingent liabilities", terms: ["guarantee provision", "provision for guarantees", "contingent liability provision"] },
  {
    item: "ops.total_operating_costs_and_expenses",
    short: "Total operating costs & expenses",
    terms: ["opex", "total opex", "operating expenses", "operating costs", "total costs and expenses", "total expenses", "costs and expenses"],
  },
  { item: "ops.income_from_operations", short: "Income from operations", terms: ["EBIT", "operating income", "operating profit", "op income", "operating earnings"] },
  { item: "ops.interest_income_net", terms: ["net interest income", "interest income"] },
  { item: "ops.foreign_exchange_gain_loss", short: "FX gain (loss)", terms: ["FX", "FX gain", "FX loss", "forex", "foreign exchange gain", "foreign exchange loss"] },
  { item: "ops.other_income_net", terms: ["other income"] },
  { item: "ops.investment_loss", terms: ["investment gain", "investment income", "investment gain (loss)"] },
  {
    item: "ops.income_before_income_tax_expense",
    short: "Income before tax",
    terms: ["PBT", "pre-tax income", "pretax income", "profit before tax", "income before taxes", "EBT", "earnings before tax", "pre-tax profit"],
  },
  { item: "ops.income_taxes_expense", short: "Income tax expense", terms: ["tax expense", "income tax", "tax", "provision for income taxes", "tax charge"] },
  { item: "ops.net_income", short: "Net income", terms: ["net profit", "earnings", "net earnings", "bottom line", "NI", "profit", "GAAP net income", "net income GAAP"] },
  { item: "ops.net_loss_attributable_to_noncontrolling_interests", short: "Net loss attributable to NCI", terms: ["NCI", "noncontrolling interests share"] },
  {
    item: "ops.net_income_attributable_to_ordinary_shareholders",
    short: "Net income attributable to shareholders",
    terms: ["net income attributable", "attributable net income", "NI attributable", "net income to shareholders"],
  },
  {
    item: "ops.net_income_per_share_basic",
    short: "Basic EPS (per share)",
    terms: ["basic EPS per share", "basic EPS per ordinary share", "basic earnings per ordinary share", "EPS per share basic"],
    note: PER_ADS,
  },
  {
    item: "ops.net_income_per_share_diluted",
    short: "Diluted EPS (per share)",
    terms: ["EPS per share", "diluted EPS per share", "EPS per ordinary share", "diluted EPS per ordinary share", "diluted earnings per ordinary share", "EPS per share diluted"],
    note: PER_ADS,
  },
  {
    item: "ops.net_income_per_ads_basic",
    short: "Basic EPS (ADS)",
    terms: ["basic EPS", "EPS basic", "basic EPS per ADS", "basic earnings per ADS"],
    note: PER_ADS,
  },
  {
    item: "ops.net_income_per_ads_diluted",
    short: "Diluted EPS (ADS)",
    terms: ["EPS", "diluted EPS", "EPS diluted", "EPS per ADS", "diluted EPS per ADS", "earnings per ADS", "net income per ADS", "diluted earnings per ADS", "GAAP EPS", "GAAP diluted EPS", "EPADS"],
    note: PER_ADS,
  },
  { item: "ops.weighted_average_shares_basic", short: "Basic shares (weighted)", terms: ["basic share count", "weighted average basic shares outstanding"] },
  { item: "ops.weighted_average_shares_diluted", short: "Diluted shares (weighted)", terms: ["diluted share count", "weighted average diluted shares outstanding", "fully diluted shares"] },

  // Cash flows
  {
    item: "cf.net_cash_provided_by_operating_activities",
    short: "Operating cash flow",
    terms: ["CFO", "OCF", "operating cash flow", "cash from operations", "cash flow from operations", "cash flow from operating activities", "net cash from operating activities", "cash from operating activities"],
  },
  {
    item: "cf.net_cash_used_in_investing_activities",
    short: "Investing cash flow",
    terms: ["CFI", "investing cash flow", "cash flow from investing", "cash flow from investing activities", "net cash from investing activities", "cash from investing activities", "net cash from investing", "cash from investing", "investing activities"],
  },
  {
    item: "cf.net_cash_provided_by_financing_activities",
    short: "Financing cash flow",
    terms: ["CFF", "financing cash flow", "cash flow from financing", "cash flow from financing activities", "net cash from financing activities", "cash from financing activities", "net cash from financing", "cash from financing", "financing activities"],
  },
  { item: "cf.effect_of_foreign_exchange_rate_changes", short: "FX effect on cash", terms: ["FX effect on cash", "effect of exchange rates on cash"] },
  { item: "cf.net_increase_decrease_in_cash", short: "Net change in cash", terms: ["change in cash", "net change in cash"] },
  { item: "cf.cash_beginning_of_period", short: "Cash, beginning of period", terms: ["opening cash", "beginning cash"] },
  { item: "cf.cash_end_of_period", short: "Cash, end of period", terms: ["closing cash", "ending cash"] },

  // Comprehensive income
  { item: "ci.total_comprehensive_income", terms: ["total comprehensive income"] },

  // Non-GAAP
  {
    item: "ng.share_based_compensation",
    short: "Share-based compensation",
    terms: ["SBC", "stock-based compensation", "stock based comp", "share-based comp", "stock comp", "share based compensation expense", "stock-based compensation expense"],
  },
  { item: "ng.non_gaap_net_income", short: "Non-GAAP net income", terms: ["adjusted net income", "non-GAAP NI", "adjusted NI", "adjusted earnings", "non-GAAP earnings", "adjusted net profit", "adj. net income", "adj net income", "core net income"] },
  { item: "ng.gaap_net_income_margin", short: "Net margin", terms: ["net margin", "net income margin", "NI margin", "net profit margin"] },
  { item: "ng.non_gaap_net_income_margin", short: "Non-GAAP net margin", terms: ["adjusted net margin", "non-GAAP net margin", "adjusted net income margin"] },
  {
    item: "ng.non_gaap_net_income_attributable_to_shareholders",
    short: "Non-GAAP net income attributable to shareholders",
    terms: ["adjusted net income attributable", "non-GAAP net income attributable"],
  },
  { item: "ng.weighted_average_ads_diluted", short: "Diluted ADS (weighted)", terms: ["diluted ADS count", "weighted average diluted ADS outstanding"] },
  { item: "ng.weighted_average_ads_basic", short: "Basic ADS (weighted)", terms: ["basic ADS count"] },
  {
    item: "ng.non_gaap_net_income_per_ads_diluted",
    short: "Adjusted EPS (ADS)",
    terms: ["non-GAAP EPS", "adjusted EPS", "adjusted diluted EPS", "non-GAAP diluted EPS", "adjusted EPS per ADS", "non-GAAP EPS per ADS", "adjusted EPADS"],
    note: PER_ADS,
  },
  {
    item: "ng.non_gaap_income_from_operations",
    short: "Non-GAAP income from operations",
    terms: ["adjusted EBIT", "non-GAAP EBIT", "adjusted operating income", "non-GAAP operating income", "adjusted operating profit"],
  },
  { item: "ng.gaap_operating_margin", short: "Operating margin", terms: ["operating margin", "EBIT margin", "op margin"] },
  { item: "ng.non_gaap_operating_margin", short: "Non-GAAP operating margin", terms: ["adjusted operating margin", "non-GAAP operating margin", "adjusted EBIT margin"] },

  // Operating KPIs
  {
    item: "kpi.total_loan_volume",
    short: "Loan volume",
    terms: ["loan volume", "origination volume", "originations", "loan originations", "facilitation volume", "loan facilitation volume", "GMV", "loan origination volume"],
  },
  {
    item: "kpi.loan_volume_capital_light_ice_and_other_technology_solutions",
    short: "Capital-light loan volume",
    terms: ["capital-light volume", "capital light loan volume", "capital-light originations"],
  },
  {
    item: "kpi.loan_volume_capital_light_ice_and_other_technology_solutions_share",
    short: "Capital-light share of volume",
    terms: ["capital-light share", "capital light mix", "capital-light mix", "capital-light %"],
  },
  { item: "kpi.loan_volume_ice", short: "ICE loan volume", terms: ["ICE volume"] },
  {
    item: "kpi.total_outstanding_loan_balance",
    short: "Outstanding loan balance",
    terms: ["loan balance", "outstanding balance", "loan book", "outstanding loans", "loan portfolio", "loan balance outstanding"],
  },
  { item: "kpi.outstanding_loan_balance_capital_light_ice_and_other_technology_solutions", short: "Capital-light loan balance", terms: ["capital-light balance"] },
  {
    item: "kpi.delinquency_rate_90_day",
    short: "90+ DPD",
    terms: ["90+ DPD", "90 DPD", "90+ delinquency", "90 day plus delinquency rate", "90+ DPD rate", "M3+", "M3+ delinquency", "90 day+ delinquency"],
  },
  { item: "kpi.day_1_delinquency_rate", short: "Day-1 delinquency", terms: ["day 1 delinquency", "D1 delinquency", "first day delinquency", "day-1 DPD", "D1 DPD"] },
  { item: "kpi.collection_rate_30_day", short: "30-day collection rate", terms: ["30 day collection", "30-day collection rate", "M1 collection rate"] },
  { item: "kpi.repeat_borrower_contribution", short: "Repeat borrower contribution", terms: ["repeat borrower rate", "repeat borrower share", "repeat borrowers"] },
  { item: "kpi.weighted_average_contractual_tenor", short: "Average tenor (months)", terms: ["tenor", "loan tenor", "average loan tenor", "weighted average tenor"] },
  { item: "kpi.cumulative_registered_users", short: "Registered users", terms: ["registered users", "users", "consumers", "cumulative users"] },
  {
    item: "kpi.cumulative_users_with_approved_credit_lines",
    short: "Users with approved credit lines",
    terms: ["approved users", "users with credit lines", "credit line users", "approved credit line users", "users approved"],
  },
  { item: "kpi.cumulative_borrowers_with_successful_drawdown", short: "Cumulative borrowers", terms: ["borrowers", "cumulative borrowers", "total borrowers"] },
  { item: "kpi.financial_institutional_partners", short: "Financial institution partners", terms: ["partners", "FI partners", "funding partners", "financial institutions"] },
  { item: "kpi.loans_originated", short: "Loans originated (number)", terms: ["loan count", "number of loans"] },
  { item: "kpi.total_cash", short: "Total cash", terms: ["cash position", "total cash position"] },

  // Dividend, repurchase, outlook
  { item: "cap.dividend_per_ads", short: "Dividend per ADS", terms: ["DPS", "dividend", "interim dividend", "semi-annual dividend", "dividend per ADS"], note: PER_ADS_DIVIDEND },
  { item: "cap.dividend_per_share", short: "Dividend per share", terms: ["DPS per share", "dividend per ordinary share", "dividend per share"], note: PER_ADS_DIVIDEND },
  { item: "cap.share_repurchase_program", short: "Repurchase program size", terms: ["buyback program", "repurchase program", "buyback size", "buyback authorization"] },
  { item: "cap.share_repurchase_cost", short: "Repurchased so far (US$)", terms: ["buyback amount", "amount repurchased", "buyback spent"] },
  { item: "cap.share_repurchase_ads_purchased", short: "ADSs repurchased", terms: ["ADSs repurchased", "shares repurchased", "ADS bought back"] },
  { item: "cap.loan_volume_outlook_low", short: "Loan volume guidance (low)", terms: ["guidance low", "loan volume guidance low", "outlook low end"] },
  { item: "cap.loan_volume_outlook_high", short: "Loan volume guidance (high)", terms: ["guidance high", "loan volume guidance high", "outlook high end"] },
];

export const NOT_REPORTED: readonly UnreportedTerm[] = [
  {
    terms: ["FCF", "free cash flow", "FCFE", "levered free cash flow", "free cash"],
    what: "free cash flow",
    related: ["cf.net_cash_provided_by_operating_activities", "cf.net_cash_used_in_investing_activities"],
    hint: "The release prints operating and investing cash flow as single lines; it does not split out capital expenditure.",
  },
  {
    terms: ["capex", "capital expenditure", "capital expenditures", "purchases of property and equipment"],
    what: "capital expenditure",
    related: ["cf.net_cash_used_in_investing_activities", "bs.property_and_equipment"],
    hint: "The release prints investing cash flow as one line.",
  },
  {
    terms: ["EBITDA", "adjusted EBITDA", "D&A", "depreciation", "amortization", "depreciation and amortization"],
    what: "EBITDA and D&A",
    related: ["ops.income_from_operations", "ng.non_gaap_income_from_operations"],
    hint: "The release does not print depreciation and amortization.",
  },
  {
    terms: ["gross profit", "gross margin", "COGS", "cost of revenue", "cost of sales"],
    what: "gross profit and cost of revenue",
    related: ["ops.total_net_revenue", "ops.total_operating_costs_and_expenses"],
    hint: "The release reports one line of total operating costs and expenses, not a cost of revenue.",
  },
  { terms: ["R&D", "research and development", "technology expense"], what: "research and development", related: ["ops.total_operating_costs_and_expenses", "ops.general_and_administrative"] },
  {
    terms: ["SG&A", "selling general and administrative"],
    what: "SG&A as one line",
    related: ["ops.sales_and_marketing", "ops.general_and_administrative"],
    hint: "Add the two: =QFIN.METRIC(\"S&M\",p)+QFIN.METRIC(\"G&A\",p).",
  },
  {
    terms: ["take rate", "revenue take rate", "take-rate"],
    what: "a take rate",
    related: ["ops.total_net_revenue", "kpi.total_loan_volume"],
    hint: "Divide them: =QFIN.METRIC(\"Revenue\",p)/QFIN.METRIC(\"Loan volume\",p).",
  },
  { terms: ["ROE", "return on equity", "ROAE"], what: "return on equity", related: ["ops.net_income", "bs.total_qifu_technology_equity"] },
  { terms: ["ROA", "return on assets", "ROAA"], what: "return on assets", related: ["ops.net_income", "bs.total_assets"] },
  { terms: ["BVPS", "book value per share", "book value per ADS"], what: "book value per share", related: ["bs.total_qifu_technology_equity", "ops.weighted_average_shares_diluted"] },
  { terms: ["NIM", "net interest margin"], what: "a net interest margin", related: ["ops.financing_income", "ops.funding_costs"] },
  {
    terms: ["effective tax rate", "ETR", "tax rate"],
    what: "an effective tax rate",
    related: ["ops.income_taxes_expense", "ops.income_before_income_tax_expense"],
    hint: "Divide them: =-QFIN.METRIC(\"Tax expense\",p)/QFIN.METRIC(\"PBT\",p).",
  },
  { terms: ["interest expense"], what: "interest expense", related: ["ops.funding_costs"], hint: "Funding costs are the release's closest line." },
  { terms: ["payout ratio", "dividend payout ratio"], what: "a payout ratio", related: ["cap.dividend_per_ads", "ops.net_income_per_ads_diluted"] },
  { terms: ["P/E", "PE ratio", "market cap", "market capitalization", "share price", "EV", "enterprise value"], what: "market data", related: [], hint: "A results release holds no market data." },
  { terms: ["headcount", "employees", "number of employees"], what: "headcount", related: [] },
  { terms: ["CAC", "customer acquisition cost", "acquisition cost"], what: "customer acquisition cost", related: ["ops.sales_and_marketing"] },
  {
    terms: ["30 day+ delinquency", "30+ DPD", "M1+", "M1+ delinquency", "180 day+ delinquency", "180+ DPD", "vintage delinquency"],
    what: "vintage delinquency rates",
    related: ["kpi.delinquency_rate_90_day", "kpi.day_1_delinquency_rate"],
    hint: "The release shows 30 day+ and 180 day+ delinquency by vintage as charts only.",
  },
  { terms: ["NPL", "NPL ratio", "non-performing loans"], what: "a non-performing loan ratio", related: ["kpi.delinquency_rate_90_day"], hint: "QFIN reports the 90 day+ delinquency rate." },
  { terms: ["cost of risk", "credit cost", "credit costs"], what: "a cost of risk", related: ["ops.provision_for_loans_receivable", "ops.provision_for_contingent_liabilities"] },
  {
    terms: ["provision", "provisions", "total provisions", "credit impairment", "credit impairment losses", "impairment", "LLP"],
    what: "one total of provisions",
    related: ["ops.provision_for_loans_receivable", "ops.provision_for_financial_assets_receivable", "ops.provision_for_accounts_receivable_and_contract_assets", "ops.provision_for_contingent_liabilities"],
    hint: "The release prints four provision lines; add the ones you need.",
  },
  { terms: ["ABS issuance"], what: "ABS issuance", related: ["ops.funding_costs"] },
];
