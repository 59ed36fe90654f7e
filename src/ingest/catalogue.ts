/**
 * The chart of accounts of a QFIN results release: which rows each table has, in which order, what each row
 * is (its frozen id, unit, parent) and which rows are totals of which. The text conversion of the release loses
 * indentation, so the hierarchy cannot be read from it; it is declared here and *verified* against the figures
 * (every total must tie out), and a table whose rows differ from it is refused rather than guessed at.
 *
 * No figure is written here: only structure, labels and the names analysts use.
 */
import type { ItemUnit, StatementId } from "../core/model";

export interface RowSpec {
  /** Frozen item id. Rows that repeat a figure shown elsewhere (Net income in the reconciliation) reuse its id. */
  id: string;
  /** The row label as printed (after markup removal). */
  label: string;
  /** Defaults to "amount". */
  unit?: ItemUnit;
  /** Components of a total: ids, prefixed with "-" when subtracted. */
  sum?: string[];
  aliases?: string[];
  /** A heading row: no figures, it names the section for the rows below it. */
  heading?: boolean;
  /** Beginning/end-of-period balances in a flow statement: not additive over periods. */
  balance?: "opening" | "closing";
  /** The components of this total are its children in the browse tree (segments, balance-sheet sections). */
  rollup?: boolean;
  /** For ratio rows: the stated margin, as `numerator/denominator` item ids, checked at the printed precision. */
  ratioOf?: [string, string];
}

export interface TableSpec {
  statement: StatementId;
  /** The caption line that opens the table. */
  caption: string;
  /** The rows of one header block; tables with several blocks (three and six months) repeat them. */
  rows: RowSpec[];
}

const h = (label: string): RowSpec => ({ id: "", label, heading: true });

export const BALANCE_SHEET: TableSpec = {
  statement: "balance_sheet",
  caption: "Unaudited Condensed Consolidated Balance Sheets",
  rows: [
    h("ASSETS"),
    h("Current assets:"),
    { id: "bs.cash_and_cash_equivalents", label: "Cash and cash equivalents", aliases: ["Cash"] },
    { id: "bs.restricted_cash", label: "Restricted cash" },
    { id: "bs.short_term_investments", label: "Short term investments" },
    { id: "bs.security_deposit_prepaid", label: "Security deposit prepaid to third-party guarantee companies" },
    { id: "bs.funds_receivable", label: "Funds receivable from third party payment service providers" },
    { id: "bs.accounts_receivable_and_contract_assets", label: "Accounts receivable and contract assets, net" },
    { id: "bs.financial_assets_receivable", label: "Financial assets receivable, net" },
    { id: "bs.amounts_due_from_related_parties_current", label: "Amounts due from related parties" },
    { id: "bs.loans_receivable", label: "Loans receivable, net" },
    { id: "bs.prepaid_expenses_and_other_assets", label: "Prepaid expenses and other assets" },
    {
      id: "bs.total_current_assets", rollup: true,
      label: "Total current assets",
      aliases: ["Current assets"],
      sum: [
        "bs.cash_and_cash_equivalents",
        "bs.restricted_cash",
        "bs.short_term_investments",
        "bs.security_deposit_prepaid",
        "bs.funds_receivable",
        "bs.accounts_receivable_and_contract_assets",
        "bs.financial_assets_receivable",
        "bs.amounts_due_from_related_parties_current",
        "bs.loans_receivable",
        "bs.prepaid_expenses_and_other_assets",
      ],
    },
    h("Non-current assets:"),
    { id: "bs.accounts_receivable_and_contract_assets_non_current", label: "Accounts receivable and contract assets, net-non current" },
    { id: "bs.financial_assets_receivable_non_current", label: "Financial assets receivable, net-non current" },
    { id: "bs.amounts_due_from_related_parties_non_current", label: "Amounts due from related parties" },
    { id: "bs.loans_receivable_non_current", label: "Loans receivable, net-non current" },
    { id: "bs.property_and_equipment", label: "Property and equipment, net" },
    { id: "bs.land_use_rights", label: "Land use rights, net" },
    { id: "bs.intangible_assets", label: "Intangible assets" },
    { id: "bs.deferred_tax_assets", label: "Deferred tax assets" },
    { id: "bs.other_non_current_assets", label: "Other non-current assets" },
    {
      id: "bs.total_non_current_assets", rollup: true,
      label: "Total non-current assets",
      aliases: ["Non-current assets"],
      sum: [
        "bs.accounts_receivable_and_contract_assets_non_current",
        "bs.financial_assets_receivable_non_current",
        "bs.amounts_due_from_related_parties_non_current",
        "bs.loans_receivable_non_current",
        "bs.property_and_equipment",
        "bs.land_use_rights",
        "bs.intangible_assets",
        "bs.deferred_tax_assets",
        "bs.other_non_current_assets",
      ],
    },
    {
      id: "bs.total_assets",
      label: "TOTAL ASSETS",
      aliases: ["Assets"],
      sum: ["bs.total_current_assets", "bs.total_non_current_assets"],
    },
    h("LIABILITIES AND EQUITY"),
    h("Current liabilities:"),
    { id: "bs.payable_to_investors_of_consolidated_trusts_current", label: "Payable to investors of the consolidated trusts-current" },
    { id: "bs.accrued_expenses_and_other_current_liabilities", label: "Accrued expenses and other current liabilities" },
    { id: "bs.amounts_due_to_related_parties", label: "Amounts due to related parties" },
    { id: "bs.short_term_loans", label: "Short term loans" },
    { id: "bs.guarantee_liabilities_stand_ready", label: "Guarantee liabilities-stand ready" },
    { id: "bs.guarantee_liabilities_contingent", label: "Guarantee liabilities-contingent" },
    { id: "bs.income_tax_payable", label: "Income tax payable" },
    { id: "bs.other_tax_payable", label: "Other tax payable" },
    {
      id: "bs.total_current_liabilities", rollup: true,
      label: "Total current liabilities",
      aliases: ["Current liabilities"],
      sum: [
        "bs.payable_to_investors_of_consolidated_trusts_current",
        "bs.accrued_expenses_and_other_current_liabilities",
        "bs.amounts_due_to_related_parties",
        "bs.short_term_loans",
        "bs.guarantee_liabilities_stand_ready",
        "bs.guarantee_liabilities_contingent",
        "bs.income_tax_payable",
        "bs.other_tax_payable",
      ],
    },
    h("Non-current liabilities:"),
    { id: "bs.deferred_tax_liabilities", label: "Deferred tax liabilities" },
    { id: "bs.payable_to_investors_of_consolidated_trusts_non_current", label: "Payable to investors of the consolidated trusts-noncurrent" },
    { id: "bs.other_long_term_liabilities", label: "Other long-term liabilities" },
    {
      id: "bs.total_non_current_liabilities", rollup: true,
      label: "Total non-current liabilities",
      aliases: ["Non-current liabilities"],
      sum: [
        "bs.deferred_tax_liabilities",
        "bs.payable_to_investors_of_consolidated_trusts_non_current",
        "bs.other_long_term_liabilities",
      ],
    },
    {
      id: "bs.total_liabilities",
      label: "TOTAL LIABILITIES",
      aliases: ["Liabilities"],
      sum: ["bs.total_current_liabilities", "bs.total_non_current_liabilities"],
    },
    {
      id: "bs.total_qifu_technology_equity",
      label: "TOTAL QIFU TECHNOLOGY INC EQUITY",
      aliases: ["Shareholders' equity", "Total shareholders' equity", "Equity attributable to the Company"],
    },
    { id: "bs.noncontrolling_interests", label: "Noncontrolling interests", aliases: ["Minority interests"] },
    {
      id: "bs.total_equity", rollup: true,
      label: "TOTAL EQUITY",
      aliases: ["Equity"],
      sum: ["bs.total_qifu_technology_equity", "bs.noncontrolling_interests"],
    },
    {
      id: "bs.total_liabilities_and_equity",
      label: "TOTAL LIABILITIES AND EQUITY",
      sum: ["bs.total_liabilities", "bs.total_equity"],
    },
  ],
};

const SHARE_BASED_COMPENSATION = "ng.share_based_compensation";

export const STATEMENT_OF_OPERATIONS: TableSpec = {
  statement: "operations",
  caption: "Unaudited Condensed Consolidated Statements of Operations",
  rows: [
    {
      id: "ops.credit_driven_services", rollup: true,
      label: "Credit driven services",
      aliases: ["Net revenue from Credit Driven Services", "Credit driven services revenue"],
      sum: [
        "ops.loan_facilitation_and_servicing_fees_capital_heavy",
        "ops.financing_income",
        "ops.revenue_from_releasing_of_guarantee_liabilities",
        "ops.credit_driven_services.other_services_fees",
      ],
    },
    { id: "ops.loan_facilitation_and_servicing_fees_capital_heavy", label: "Loan facilitation and servicing fees-capital heavy" },
    { id: "ops.financing_income", label: "Financing income" },
    { id: "ops.revenue_from_releasing_of_guarantee_liabilities", label: "Revenue from releasing of guarantee liabilities" },
    { id: "ops.credit_driven_services.other_services_fees", label: "Other services fees" },
    {
      id: "ops.platform_services", rollup: true,
      label: "Platform services",
      aliases: ["Net revenue from Platform Services", "Platform services revenue"],
      sum: [
        "ops.loan_facilitation_and_servicing_fees_capital_light",
        "ops.referral_services_fees",
        "ops.platform_services.other_services_fees",
      ],
    },
    { id: "ops.loan_facilitation_and_servicing_fees_capital_light", label: "Loan facilitation and servicing fees-capital light" },
    { id: "ops.referral_services_fees", label: "Referral services fees" },
    { id: "ops.platform_services.other_services_fees", label: "Other services fees" },
    {
      id: "ops.total_net_revenue",
      label: "Total net revenue",
      aliases: ["Revenue", "Revenues", "Net revenue", "Total revenue", "Sales"],
      sum: ["ops.credit_driven_services", "ops.platform_services"],
    },
    {
      id: "ops.facilitation_origination_and_servicing",
      label: "Facilitation, origination and servicing",
      aliases: ["Facilitation, origination and servicing expenses"],
    },
    { id: "ops.funding_costs", label: "Funding costs" },
    { id: "ops.sales_and_marketing", label: "Sales and marketing", aliases: ["Sales and marketing expenses"] },
    {
      id: "ops.general_and_administrative",
      label: "General and administrative",
      aliases: ["General and administrative expenses", "G&A"],
    },
    { id: "ops.provision_for_loans_receivable", label: "Provision for loans receivable" },
    { id: "ops.provision_for_financial_assets_receivable", label: "Provision for financial assets receivable" },
    {
      id: "ops.provision_for_accounts_receivable_and_contract_assets",
      label: "Provision for accounts receivable and contract assets",
    },
    {
      id: "ops.provision_for_contingent_liabilities",
      label: "Provision for contingent liabilities",
      aliases: ["Provision for contingent liability"],
    },
    {
      id: "ops.total_operating_costs_and_expenses", rollup: true,
      label: "Total operating costs and expenses",
      aliases: ["Operating costs and expenses", "Operating expenses", "Total operating expenses", "Opex"],
      sum: [
        "ops.facilitation_origination_and_servicing",
        "ops.funding_costs",
        "ops.sales_and_marketing",
        "ops.general_and_administrative",
        "ops.provision_for_loans_receivable",
        "ops.provision_for_financial_assets_receivable",
        "ops.provision_for_accounts_receivable_and_contract_assets",
        "ops.provision_for_contingent_liabilities",
      ],
    },
    {
      id: "ops.income_from_operations",
      label: "Income from operations",
      aliases: ["Operating income", "Operating profit", "EBIT"],
      sum: ["ops.total_net_revenue", "-ops.total_operating_costs_and_expenses"],
    },
    { id: "ops.interest_income_net", label: "Interest income, net" },
    { id: "ops.foreign_exchange_gain_loss", label: "Foreign exchange (loss) gain", aliases: ["Foreign exchange gain (loss)"] },
    { id: "ops.other_income_net", label: "Other income, net" },
    { id: "ops.investment_loss", label: "Investment loss" },
    {
      id: "ops.income_before_income_tax_expense",
      label: "Income before income tax expense",
      aliases: ["Pre-tax income", "Income before tax", "Profit before tax"],
      sum: [
        "ops.income_from_operations",
        "ops.interest_income_net",
        "ops.foreign_exchange_gain_loss",
        "ops.other_income_net",
        "ops.investment_loss",
      ],
    },
    { id: "ops.income_taxes_expense", label: "Income taxes expense", aliases: ["Income tax expense", "Taxes"] },
    {
      id: "ops.net_income",
      label: "Net income",
      aliases: ["Net profit", "GAAP net income"],
      sum: ["ops.income_before_income_tax_expense", "ops.income_taxes_expense"],
    },
    { id: "ops.net_loss_attributable_to_noncontrolling_interests", label: "Net loss attributable to noncontrolling interests" },
    {
      id: "ops.net_income_attributable_to_ordinary_shareholders",
      label: "Net income attributable to ordinary shareholders of the Company",
      aliases: [
        "Net income attributed to the Company",
        "Net income attributable to shareholders of Qifu Technology, Inc.",
        "Net income attributable to the Company",
      ],
      sum: ["ops.net_income", "ops.net_loss_attributable_to_noncontrolling_interests"],
    },
    h("Net income per ordinary share attributable to ordinary shareholders of Qifu Technology, Inc."),
    // "EPS" on this ADS-listed name means per ADS: the analyst vocabulary (src/core/vocabulary.ts) names these lines.
    { id: "ops.net_income_per_share_basic", label: "Basic", unit: "per_share" },
    { id: "ops.net_income_per_share_diluted", label: "Diluted", unit: "per_share" },
    h("Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc."),
    { id: "ops.net_income_per_ads_basic", label: "Basic", unit: "per_share", aliases: ["Basic EPS per ADS", "EPADS basic"] },
    {
      id: "ops.net_income_per_ads_diluted",
      label: "Diluted",
      unit: "per_share",
      aliases: ["Net income per fully diluted ADS", "Diluted EPS per ADS", "EPADS", "EPADS diluted"],
    },
    h("Weighted average shares used in calculating net income per ordinary share"),
    { id: "ops.weighted_average_shares_basic", label: "Basic", unit: "shares", aliases: ["Basic shares", "Weighted average basic shares"] },
    {
      id: "ops.weighted_average_shares_diluted",
      label: "Diluted",
      unit: "shares",
      aliases: ["Diluted shares", "Weighted average diluted shares"],
    },
  ],
};

export const STATEMENT_OF_CASH_FLOWS: TableSpec = {
  statement: "cash_flows",
  caption: "Unaudited Condensed Consolidated Statements of Cash Flows",
  rows: [
    {
      id: "cf.net_cash_provided_by_operating_activities",
      label: "Net cash provided by operating activities",
      aliases: ["Operating cash flow", "Cash from operations", "CFO"],
    },
    { id: "cf.net_cash_used_in_investing_activities", label: "Net cash used in investing activities", aliases: ["Investing cash flow"] },
    {
      id: "cf.net_cash_provided_by_financing_activities",
      label: "Net cash provided by financing activities",
      aliases: ["Financing cash flow"],
    },
    { id: "cf.effect_of_foreign_exchange_rate_changes", label: "Effect of foreign exchange rate changes" },
    {
      id: "cf.net_increase_decrease_in_cash",
      label: "Net increase (decrease) in cash and cash equivalents",
      aliases: ["Net change in cash"],
      sum: [
        "cf.net_cash_provided_by_operating_activities",
        "cf.net_cash_used_in_investing_activities",
        "cf.net_cash_provided_by_financing_activities",
        "cf.effect_of_foreign_exchange_rate_changes",
      ],
    },
    {
      id: "cf.cash_beginning_of_period",
      label: "Cash, cash equivalents, and restricted cash, beginning of period",
      balance: "opening",
      aliases: ["Beginning cash"],
    },
    {
      id: "cf.cash_end_of_period",
      label: "Cash, cash equivalents, and restricted cash, end of period",
      balance: "closing",
      aliases: ["Ending cash"],
      sum: ["cf.cash_beginning_of_period", "cf.net_increase_decrease_in_cash"],
    },
  ],
};

export const STATEMENTS_OF_COMPREHENSIVE_INCOME: TableSpec = {
  statement: "comprehensive_income",
  caption: "Unaudited Condensed Consolidated Statements of Comprehensive Income",
  rows: [
    { id: "ops.net_income", label: "Net income" },
    h("Other comprehensive income, net of tax of nil:"),
    { id: "ci.foreign_currency_translation_adjustment", label: "Foreign currency translation adjustment" },
    {
      id: "ci.other_comprehensive_income",
      label: "Other comprehensive income",
      aliases: ["OCI"],
      sum: ["ci.foreign_currency_translation_adjustment"],
    },
    {
      id: "ci.total_comprehensive_income",
      label: "Total comprehensive income",
      aliases: ["Comprehensive income"],
      sum: ["ops.net_income", "ci.other_comprehensive_income"],
    },
    { id: "ci.comprehensive_loss_attributable_to_noncontrolling_interests", label: "Comprehensive loss attributable to noncontrolling interests" },
    {
      id: "ci.comprehensive_income_attributable_to_ordinary_shareholders",
      label: "Comprehensive income attributable to ordinary shareholders",
      sum: ["ci.total_comprehensive_income", "ci.comprehensive_loss_attributable_to_noncontrolling_interests"],
    },
  ],
};

export const RECONCILIATIONS_OF_GAAP_AND_NON_GAAP: TableSpec = {
  statement: "non_gaap",
  caption: "Unaudited Reconciliations of GAAP and Non-GAAP Results",
  rows: [
    h("Reconciliation of Non-GAAP Net Income to Net Income"),
    { id: "ops.net_income", label: "Net income" },
    {
      id: SHARE_BASED_COMPENSATION,
      label: "Add: Share-based compensation expenses",
      aliases: ["Share-based compensation expenses", "Share-based compensation", "SBC"],
    },
    {
      id: "ng.non_gaap_net_income",
      label: "Non-GAAP net income",
      aliases: ["Adjusted net income"],
      sum: ["ops.net_income", SHARE_BASED_COMPENSATION],
    },
    {
      id: "ng.gaap_net_income_margin",
      label: "GAAP net income margin",
      unit: "ratio",
      aliases: ["Net income margin", "Net margin"],
      ratioOf: ["ops.net_income", "ops.total_net_revenue"],
    },
    {
      id: "ng.non_gaap_net_income_margin",
      label: "Non-GAAP net income margin",
      unit: "ratio",
      aliases: ["Adjusted net income margin"],
      ratioOf: ["ng.non_gaap_net_income", "ops.total_net_revenue"],
    },
    { id: "ops.net_income_attributable_to_ordinary_shareholders", label: "Net income attributable to shareholders of Qifu Technology, Inc." },
    { id: SHARE_BASED_COMPENSATION, label: "Add: Share-based compensation expenses" },
    {
      id: "ng.non_gaap_net_income_attributable_to_shareholders",
      label: "Non-GAAP net income attributable to shareholders of Qifu Technology, Inc.",
      aliases: ["Non-GAAP net income attributed to the Company"],
      sum: ["ops.net_income_attributable_to_ordinary_shareholders", SHARE_BASED_COMPENSATION],
    },
    {
      id: "ng.weighted_average_ads_diluted",
      label: "Weighted average ADS used in calculating net income per ordinary share for both GAAP and non-GAAP EPS -diluted",
      unit: "shares",
      aliases: [
        "Weighted average diluted ADS",
        "Weighted average diluted ADS used in calculating GAAP and non-GAAP net income per ADS",
        "Diluted ADS",
      ],
    },
    {
      id: "ops.net_income_per_ads_diluted",
      label: "Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc. -diluted",
      unit: "per_share",
    },
    {
      id: "ng.non_gaap_net_income_per_ads_diluted",
      label: "Non-GAAP net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc. -diluted",
      unit: "per_share",
      aliases: ["Non-GAAP net income per fully diluted ADS", "Adjusted EPADS", "Non-GAAP EPADS"],
    },
    h("Reconciliation of Non-GAAP Income from operations to Income from operations"),
    { id: "ops.income_from_operations", label: "Income from operations" },
    { id: SHARE_BASED_COMPENSATION, label: "Add: Share-based compensation expenses" },
    {
      id: "ng.non_gaap_income_from_operations",
      label: "Non-GAAP Income from operations",
      aliases: ["Adjusted Income from operations", "Non-GAAP income from operation", "Non-GAAP operating income", "Adjusted operating income"],
      sum: ["ops.income_from_operations", SHARE_BASED_COMPENSATION],
    },
    {
      id: "ng.gaap_operating_margin",
      label: "GAAP operating margin",
      unit: "ratio",
      aliases: ["Operating margin"],
      ratioOf: ["ops.income_from_operations", "ops.total_net_revenue"],
    },
    {
      id: "ng.non_gaap_operating_margin",
      label: "Non-GAAP operating margin",
      unit: "ratio",
      aliases: ["Adjusted operating margin"],
      ratioOf: ["ng.non_gaap_income_from_operations", "ops.total_net_revenue"],
    },
  ],
};

/** In the order the release prints them. */
export const TABLES: readonly TableSpec[] = [
  BALANCE_SHEET,
  STATEMENT_OF_OPERATIONS,
  STATEMENT_OF_CASH_FLOWS,
  STATEMENTS_OF_COMPREHENSIVE_INCOME,
  RECONCILIATIONS_OF_GAAP_AND_NON_GAAP,
];

function balanceRow(role: "opening" | "closing"): string {
  const row = TABLES.flatMap((table) => table.rows).find((candidate) => candidate.balance === role);
  if (row === undefined) throw new Error(`internal: the catalogue has no ${role} cash balance row`);
  return row.id;
}

/** The cash flow statement's opening and closing balances, as the catalogue marks them (derivation and checks read these). */
export const CASH_BALANCES: Readonly<Record<"opening" | "closing", string>> = { opening: balanceRow("opening"), closing: balanceRow("closing") };
