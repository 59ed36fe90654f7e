/**
 * The figures the release states only (or also) in its prose: the business-highlight KPIs, the capital
 * return and outlook paragraphs, and the CEO/CFO/CRO quotes. Each entry is a sentence pattern whose captures
 * are figures; the pattern names which item and period each capture is. Patterns read figures; no figure is
 * typed here. A required pattern that matches no sentence refuses the release (its wording changed: look).
 */
import type { ItemUnit, PeriodNature, StatementId } from "../core/model";

export interface NarrativeItemSpec {
  id: string;
  label: string;
  statement: StatementId;
  unit: ItemUnit;
  nature: PeriodNature;
  /** Footnote marker whose text defines the item, e.g. "*8". */
  footnote?: string;
  aliases?: string[];
}

/**
 * Which period a capture speaks of, relative to the release's quarter: the quarter itself, the same quarter a
 * year earlier, the quarter before; the quarter-end date and a year before it; or a date read from a capture.
 */
export type RelativePeriod =
  | "quarter"
  | "year_ago_quarter"
  | "prior_quarter"
  | "quarter_end"
  | "year_ago_quarter_end"
  | "fiscal_year"
  | { dateGroup: string }
  /** A capture such as "first half of 2023". */
  | { halfGroup: string };

/** How a capture is written: "220.6" (million), "124,225" (million), "8.5" (billion), "1.84" (%), "16,702,579" (units). */
export type NarrativeScale = "unit" | "million" | "billion" | "percent";

export interface NarrativeFigure {
  group: string;
  item: string;
  period: RelativePeriod;
  scale: NarrativeScale;
  currency?: "RMB" | "USD";
}

export interface StatedRatio {
  /** Capture holding the stated percentage. */
  group: string;
  kind: "growth" | "share";
  /** growth: (current / base − 1); share: part / whole. Each is an item and a period. */
  numerator: { item: string; period: RelativePeriod };
  denominator: { item: string; period: RelativePeriod };
}

export interface NarrativeSpec {
  /** What the sentence says, for messages. */
  name: string;
  /**
   * A phrase only this sentence has. A sentence with the cue that the pattern cannot read is garbled and refuses the
   * release (skipping it would drop its figures and checks silently). Literal words only, so it is linear.
   */
  cue: RegExp;
  pattern: RegExp;
  figures: NarrativeFigure[];
  stated?: StatedRatio[];
  required: boolean;
}

/** The statements the narrative's figures form, with the titles the dataset gives them (the tables' are their captions). */
export const NARRATIVE_STATEMENT_TITLES = {
  kpi: "Business highlights (operating KPIs)",
  capital: "Dividend, share repurchase and outlook",
} as const;

const kpi = (id: string, label: string, unit: ItemUnit, nature: PeriodNature, extra: Partial<NarrativeItemSpec> = {}): NarrativeItemSpec => ({
  id,
  label,
  statement: "kpi",
  unit,
  nature,
  ...extra,
});
const capital = (id: string, label: string, unit: ItemUnit, nature: PeriodNature, aliases: string[] = []): NarrativeItemSpec => ({
  id,
  label,
  statement: "capital",
  unit,
  nature,
  aliases,
});

export const NARRATIVE_ITEMS: readonly NarrativeItemSpec[] = [
  kpi("kpi.financial_institutional_partners", "Financial institutional partners", "count", "instant", {
    aliases: ["Number of financial institutional partners", "Financial institution partners"],
  }),
  kpi("kpi.cumulative_registered_users", "Cumulative registered users", "count", "instant", {
    footnote: "*1",
    aliases: ["Registered users", "Consumers with potential credit needs"],
  }),
  kpi("kpi.cumulative_users_with_approved_credit_lines", "Cumulative users with approved credit lines", "count", "instant", {
    footnote: "*2",
    aliases: ["Users with approved credit lines"],
  }),
  kpi("kpi.cumulative_borrowers_with_successful_drawdown", "Cumulative borrowers with successful drawdown", "count", "instant", {
    aliases: ["Cumulative borrowers", "Borrowers with successful drawdown"],
  }),
  kpi("kpi.loans_originated", "Loans originated", "count", "duration", { footnote: "*3", aliases: ["Number of loans originated", "Number of loans"] }),
  kpi("kpi.loans_originated_v_pocket", "Loans originated across V-pocket", "count", "duration", { aliases: ["V-pocket loans"] }),
  kpi("kpi.loans_originated_other_products", "Loans originated across other products", "count", "duration"),
  kpi("kpi.total_loan_volume", "Total facilitation and origination loan volume", "amount", "duration", {
    footnote: "*4",
    aliases: ["Loan volume", "Total loan facilitation and origination volume", "Loan facilitation and origination volume", "Total loan volume"],
  }),
  kpi(
    "kpi.loan_volume_capital_light_ice_and_other_technology_solutions",
    "Loan volume under capital-light model, ICE and other technology solutions",
    "amount",
    "duration",
    { footnote: "*5", aliases: ["Capital-light loan volume", "Capital-light, ICE and other technology solutions loan volume"] },
  ),
  kpi(
    "kpi.loan_volume_capital_light_ice_and_other_technology_solutions_share",
    "Share of loan volume under capital-light model, ICE and other technology solutions",
    "ratio",
    "duration",
    { aliases: ["Capital-light share of loan volume"] },
  ),
  kpi("kpi.loan_volume_ice", "Loan facilitation volume through ICE", "amount", "duration", { footnote: "*5", aliases: ["ICE loan volume"] }),
  kpi("kpi.loan_volume_other_technology_solutions", "Loan facilitation volume through other technology solutions", "amount", "duration", {
    footnote: "*5",
    aliases: ["Other technology solutions loan volume"],
  }),
  kpi("kpi.total_outstanding_loan_balance", "Total outstanding loan balance", "amount", "instant", {
    footnote: "*6",
    aliases: ["Outstanding loan balance", "Loan balance"],
  }),
  kpi(
    "kpi.outstanding_loan_balance_capital_light_ice_and_other_technology_solutions",
    "Outstanding loan balance under capital-light model, ICE and other technology solutions",
    "amount",
    "instant",
    { footnote: "*7", aliases: ["Capital-light loan balance"] },
  ),
  kpi("kpi.outstanding_loan_balance_ice", "Outstanding loan balance for ICE", "amount", "instant", { footnote: "*7", aliases: ["ICE loan balance"] }),
  kpi("kpi.outstanding_loan_balance_other_technology_solutions", "Outstanding loan balance for other technology solutions", "amount", "instant", {
    footnote: "*7",
    aliases: ["Other technology solutions loan balance"],
  }),
  kpi("kpi.weighted_average_contractual_tenor", "Weighted average contractual tenor", "months", "duration", {
    aliases: ["Contractual tenor", "Average tenor", "Tenor"],
  }),
  kpi("kpi.delinquency_rate_90_day", "90 day+ delinquency rate", "ratio", "instant", {
    footnote: "*8",
    aliases: ["90+ delinquency rate", "90 day delinquency rate", "90-day+ delinquency rate", "M3+ delinquency rate"],
  }),
  kpi("kpi.repeat_borrower_contribution", "Repeat borrower contribution", "ratio", "duration", { footnote: "*9" }),
  kpi("kpi.day_1_delinquency_rate", "Day-1 delinquency rate", "ratio", "duration", { footnote: "*12", aliases: ["Day 1 delinquency rate"] }),
  kpi("kpi.collection_rate_30_day", "30 day collection rate", "ratio", "duration", { footnote: "*13", aliases: ["30-day collection rate"] }),
  kpi("kpi.total_cash", "Total cash and cash equivalent", "amount", "instant", {
    footnote: "*11",
    aliases: ["Total cash", "Total cash and cash equivalents"],
  }),
  {
    id: "ng.weighted_average_ads_basic",
    label: "Weighted average basic ADS used in calculating GAAP and non-GAAP net income per ADS",
    statement: "non_gaap",
    unit: "shares",
    nature: "duration",
    aliases: ["Weighted average basic ADS", "Basic ADS"],
  },
  capital("cap.dividend_per_share", "Dividend per Class A ordinary share", "per_share", "duration", ["Dividend per share", "DPS"]),
  capital("cap.dividend_per_ads", "Dividend per ADS", "per_share", "duration", ["DPADS"]),
  capital("cap.share_repurchase_program", "Share repurchase program size", "amount", "instant", ["Share repurchase plan", "Buyback program"]),
  capital("cap.share_repurchase_ads_purchased", "ADSs purchased under the share repurchase plan", "count", "instant", ["ADSs repurchased"]),
  capital("cap.share_repurchase_cost", "Total cost of ADSs purchased under the share repurchase plan", "amount", "instant", ["Share repurchase cost"]),
  capital("cap.share_repurchase_average_price", "Average price per ADS purchased under the share repurchase plan", "per_share", "instant", [
    "Average repurchase price",
  ]),
  capital("cap.loan_volume_outlook_low", "Loan volume outlook (low end)", "amount", "duration", ["Outlook low", "Guidance low"]),
  capital("cap.loan_volume_outlook_high", "Loan volume outlook (high end)", "amount", "duration", ["Outlook high", "Guidance high"]),
  capital("cap.loan_volume_outlook_growth_low", "Loan volume outlook year-on-year growth (low end)", "ratio", "duration"),
  capital("cap.loan_volume_outlook_growth_high", "Loan volume outlook year-on-year growth (high end)", "ratio", "duration"),
  capital("cap.previous_loan_volume_outlook_low", "Previous loan volume outlook (low end)", "amount", "duration"),
  capital("cap.previous_loan_volume_outlook_high", "Previous loan volume outlook (high end)", "amount", "duration"),
];

/** Items defined by a footnote that are table rows (the table has no marker, the narrative does). */
export const TABLE_ITEM_FOOTNOTES: Readonly<Record<string, string>> = {
  "ops.financing_income": "*14",
  "ng.non_gaap_income_from_operations": "*10",
  "ng.non_gaap_net_income": "*10",
  "ng.non_gaap_operating_margin": "*10",
  "ng.non_gaap_net_income_margin": "*10",
};

// Grouped digits then an optional fraction: no two quantifiers can share a character, so no pattern backtracks far.
const N = String.raw`(-?\d{1,3}(?:,\d{3})*(?:\.\d+)?|-?\d+(?:\.\d+)?)`;
const DATE = String.raw`([A-Z][a-z]+ \d{1,2}, \d{4})`;

const f = (group: string, item: string, period: RelativePeriod, scale: NarrativeScale, currency?: "RMB" | "USD"): NarrativeFigure =>
  currency ? { group, item, period, scale, currency } : { group, item, period, scale };
const growth = (group: string, item: string, period: RelativePeriod, base: RelativePeriod): StatedRatio => ({
  group,
  kind: "growth",
  numerator: { item, period },
  denominator: { item, period: base },
});
const re = (source: string): RegExp => new RegExp(source);

export const NARRATIVE_SPECS: readonly NarrativeSpec[] = [
  {
    name: "financial institutional partners and cumulative registered users",
    cue: /million consumers with potential credit needs/,
    pattern: re(
      String.raw`connected ${N} financial institutional partners and ${N} million consumers with potential credit needs, cumulatively, an increase of ${N}% from ${N} million a year ago`,
    ),
    figures: [
      f("1", "kpi.financial_institutional_partners", "quarter_end", "unit"),
      f("2", "kpi.cumulative_registered_users", "quarter_end", "million"),
      f("4", "kpi.cumulative_registered_users", "year_ago_quarter_end", "million"),
    ],
    stated: [growth("3", "kpi.cumulative_registered_users", "quarter_end", "year_ago_quarter_end")],
    required: true,
  },
  {
    name: "cumulative users with approved credit lines",
    cue: /^Cumulative users with approved credit lines were /,
    pattern: re(String.raw`^Cumulative users with approved credit lines were ${N} million as of ${DATE}, an increase of ${N}% from ${N} million as of ${DATE}`),
    figures: [
      f("1", "kpi.cumulative_users_with_approved_credit_lines", { dateGroup: "2" }, "million"),
      f("4", "kpi.cumulative_users_with_approved_credit_lines", { dateGroup: "5" }, "million"),
    ],
    stated: [growth("3", "kpi.cumulative_users_with_approved_credit_lines", "quarter_end", "year_ago_quarter_end")],
    required: true,
  },
  {
    name: "cumulative borrowers with successful drawdown",
    cue: /^Cumulative borrowers with successful drawdown/,
    pattern: re(
      String.raw`^Cumulative borrowers with successful drawdown, including repeat borrowers was ${N} million as of ${DATE}, an increase of ${N}% from ${N} million as of ${DATE}`,
    ),
    figures: [
      f("1", "kpi.cumulative_borrowers_with_successful_drawdown", { dateGroup: "2" }, "million"),
      f("4", "kpi.cumulative_borrowers_with_successful_drawdown", { dateGroup: "5" }, "million"),
    ],
    stated: [growth("3", "kpi.cumulative_borrowers_with_successful_drawdown", "quarter_end", "year_ago_quarter_end")],
    required: true,
  },
  {
    name: "loans originated",
    cue: /financial institutional partners originated /,
    pattern: re(String.raw`financial institutional partners originated ${N} loans through our platform`),
    figures: [f("1", "kpi.loans_originated", "quarter", "unit")],
    required: true,
  },
  {
    name: "total facilitation and origination loan volume",
    cue: /^Total facilitation and origination loan volume reached /,
    pattern: re(String.raw`^Total facilitation and origination loan volume reached RMB${N} million, an increase of ${N}% from RMB${N} million in the same period of \d{4}`),
    figures: [f("1", "kpi.total_loan_volume", "quarter", "million", "RMB"), f("3", "kpi.total_loan_volume", "year_ago_quarter", "million", "RMB")],
    stated: [growth("2", "kpi.total_loan_volume", "quarter", "year_ago_quarter")],
    required: true,
  },
  {
    name: "loan volume under capital-light model, ICE and other technology solutions",
    cue: /was under capital-light model, Intelligence Credit Engine/,
    pattern: re(
      String.raw`RMB${N} million was under capital-light model, Intelligence Credit Engine \("ICE"\) and other technology solutions, representing ${N}% of the total, an increase of ${N}% from RMB${N} million in the same period of \d{4}`,
    ),
    figures: [
      f("1", "kpi.loan_volume_capital_light_ice_and_other_technology_solutions", "quarter", "million", "RMB"),
      f("2", "kpi.loan_volume_capital_light_ice_and_other_technology_solutions_share", "quarter", "percent"),
      f("4", "kpi.loan_volume_capital_light_ice_and_other_technology_solutions", "year_ago_quarter", "million", "RMB"),
    ],
    stated: [
      {
        group: "2",
        kind: "share",
        numerator: { item: "kpi.loan_volume_capital_light_ice_and_other_technology_solutions", period: "quarter" },
        denominator: { item: "kpi.total_loan_volume", period: "quarter" },
      },
      growth("3", "kpi.loan_volume_capital_light_ice_and_other_technology_solutions", "quarter", "year_ago_quarter"),
    ],
    required: true,
  },
  {
    name: "total outstanding loan balance",
    cue: /^Total outstanding loan balance was /,
    pattern: re(String.raw`^Total outstanding loan balance was RMB${N} million as of ${DATE}, an increase of ${N}% from RMB${N} million as of ${DATE}`),
    figures: [
      f("1", "kpi.total_outstanding_loan_balance", { dateGroup: "2" }, "million", "RMB"),
      f("4", "kpi.total_outstanding_loan_balance", { dateGroup: "5" }, "million", "RMB"),
    ],
    stated: [growth("3", "kpi.total_outstanding_loan_balance", "quarter_end", "year_ago_quarter_end")],
    required: true,
  },
  {
    name: "outstanding loan balance under capital-light model, ICE and other technology solutions",
    cue: /of such loan balance was under capital-light model/,
    pattern: re(
      String.raw`^RMB${N} million of such loan balance was under capital-light model, "ICE" and other technology solutions, an increase of ${N}% from RMB${N} million as of ${DATE}`,
    ),
    figures: [
      f("1", "kpi.outstanding_loan_balance_capital_light_ice_and_other_technology_solutions", "quarter_end", "million", "RMB"),
      f("3", "kpi.outstanding_loan_balance_capital_light_ice_and_other_technology_solutions", { dateGroup: "4" }, "million", "RMB"),
    ],
    stated: [growth("2", "kpi.outstanding_loan_balance_capital_light_ice_and_other_technology_solutions", "quarter_end", "year_ago_quarter_end")],
    required: true,
  },
  {
    name: "weighted average contractual tenor",
    cue: /weighted average contractual tenor of loans /,
    pattern: re(String.raw`weighted average contractual tenor of loans .{1,300}? was approximately ${N} months, compared with ${N} months in the same period of \d{4}`),
    figures: [f("1", "kpi.weighted_average_contractual_tenor", "quarter", "unit"), f("2", "kpi.weighted_average_contractual_tenor", "year_ago_quarter", "unit")],
    required: true,
  },
  {
    name: "90 day+ delinquency rate",
    cue: /^90 day\+ delinquency rate of loans /,
    pattern: re(String.raw`^90 day\+ delinquency rate of loans .{1,300}? was ${N}% as of ${DATE}`),
    figures: [f("1", "kpi.delinquency_rate_90_day", { dateGroup: "2" }, "percent")],
    required: true,
  },
  {
    name: "repeat borrower contribution",
    cue: /^Repeat borrower contribution of loans /,
    pattern: re(String.raw`^Repeat borrower contribution of loans .{1,300}? for the \w+ quarter of \d{4} was ${N}%`),
    figures: [f("1", "kpi.repeat_borrower_contribution", "quarter", "percent")],
    required: true,
  },
  {
    name: "loans originated across V-pocket and other products (footnote 3)",
    cue: / loans across "V-pocket"/,
    pattern: re(String.raw`^Including ${N} loans across "V-pocket", and ${N} loans across other products`),
    figures: [f("1", "kpi.loans_originated_v_pocket", "quarter", "unit"), f("2", "kpi.loans_originated_other_products", "quarter", "unit")],
    required: true,
  },
  {
    name: "loan facilitation volume through ICE (footnote 5)",
    cue: /^Loan facilitation volume through "ICE" was /,
    pattern: re(String.raw`^Loan facilitation volume through "ICE" was RMB${N} million in the \w+ quarter of \d{4}`),
    figures: [f("1", "kpi.loan_volume_ice", "quarter", "million", "RMB")],
    required: true,
  },
  {
    name: "loan facilitation volume through other technology solutions (footnote 5)",
    cue: /^Loan facilitation volume through other technology solutions was /,
    pattern: re(String.raw`^Loan facilitation volume through other technology solutions was RMB${N} million in the \w+ quarter of \d{4}`),
    figures: [f("1", "kpi.loan_volume_other_technology_solutions", "quarter", "million", "RMB")],
    required: true,
  },
  {
    name: "outstanding loan balance for ICE and other technology solutions (footnote 7)",
    cue: /^Outstanding loan balance for "ICE" and other technology solutions were /,
    pattern: re(String.raw`^Outstanding loan balance for "ICE" and other technology solutions were RMB${N} million and RMB${N} million, respectively, as of ${DATE}`),
    figures: [
      f("1", "kpi.outstanding_loan_balance_ice", { dateGroup: "3" }, "million", "RMB"),
      f("2", "kpi.outstanding_loan_balance_other_technology_solutions", { dateGroup: "3" }, "million", "RMB"),
    ],
    required: true,
  },
  {
    name: "CEO: loan volume in billions",
    cue: /total loan facilitation and origination volume was RMB/,
    pattern: re(String.raw`total loan facilitation and origination volume was RMB${N} billion, up approximately ${N}% year-on-year`),
    figures: [f("1", "kpi.total_loan_volume", "quarter", "billion", "RMB")],
    stated: [growth("2", "kpi.total_loan_volume", "quarter", "year_ago_quarter")],
    required: false,
  },
  {
    name: "CEO: share of loan volume under capital-light model, ICE and other technology solutions",
    cue: /of the loan volume was facilitated under the capital-light model/,
    pattern: re(String.raw`^Approximately ${N}% of the loan volume was facilitated under the capital-light model, ICE and other technology solutions`),
    figures: [],
    stated: [
      {
        group: "1",
        kind: "share",
        numerator: { item: "kpi.loan_volume_capital_light_ice_and_other_technology_solutions", period: "quarter" },
        denominator: { item: "kpi.total_loan_volume", period: "quarter" },
      },
    ],
    required: false,
  },
  {
    name: "CFO: total revenue and non-GAAP net income",
    cue: /Total revenue was RMB/,
    pattern: re(String.raw`Total revenue was RMB${N} billion and non-GAAP net income was RMB${N} million for the \w+ quarter`),
    figures: [f("1", "ops.total_net_revenue", "quarter", "billion", "RMB"), f("2", "ng.non_gaap_net_income", "quarter", "million", "RMB")],
    required: false,
  },
  {
    name: "CFO: total cash",
    cue: /our total cash and cash equivalent was /,
    pattern: re(String.raw`our total cash and cash equivalent was approximately RMB${N} billion, and we generated approximately RMB${N} billion cash from operations`),
    figures: [
      f("1", "kpi.total_cash", "quarter_end", "billion", "RMB"),
      f("2", "cf.net_cash_provided_by_operating_activities", "quarter", "billion", "RMB"),
    ],
    required: true,
  },
  {
    name: "CRO: Day-1 delinquency rate and 30 day collection rate",
    cue: /Day-1 delinquency rate was /,
    pattern: re(String.raw`Day-1 delinquency rate was ${N}%, and 30-day collection rate was approximately ${N}%`),
    figures: [f("1", "kpi.day_1_delinquency_rate", "quarter", "percent"), f("2", "kpi.collection_rate_30_day", "quarter", "percent")],
    required: true,
  },
  {
    name: "semi-annual dividend",
    cue: /approved a dividend of /,
    pattern: re(String.raw`dividend of US\$${N} per Class A ordinary share, or US\$${N} per ADS for the ((?:first|second) half of \d{4})`),
    figures: [f("1", "cap.dividend_per_share", { halfGroup: "3" }, "unit", "USD"), f("2", "cap.dividend_per_ads", { halfGroup: "3" }, "unit", "USD")],
    required: true,
  },
  {
    name: "share repurchase plan size",
    cue: /the Company announced a share repurchase plan /,
    pattern: re(String.raw`^On ${DATE}, the Company announced a share repurchase plan .{1,300}? with an aggregate value of up to US\$${N} million`),
    figures: [f("2", "cap.share_repurchase_program", { dateGroup: "1" }, "million", "USD")],
    required: true,
  },
  {
    name: "share repurchase plan execution",
    cue: /the Company in aggregate purchased approximately /,
    pattern: re(
      String.raw`to ${DATE}, the Company in aggregate purchased approximately ${N} million ADSs in the open market for a total cost of approximately US\$${N} million \(inclusive of commissions\) at an average price of \$${N} per ADS`,
    ),
    figures: [
      f("2", "cap.share_repurchase_ads_purchased", { dateGroup: "1" }, "million"),
      f("3", "cap.share_repurchase_cost", { dateGroup: "1" }, "million", "USD"),
      f("4", "cap.share_repurchase_average_price", { dateGroup: "1" }, "unit", "USD"),
    ],
    required: true,
  },
  {
    name: "loan volume outlook",
    cue: / outlook of loan volume for /,
    pattern: re(
      String.raw`outlook of loan volume for \d{4} to be between RMB${N} billion and RMB${N} billion, representing a year-on-year growth of ${N}% to ${N}%, compared to the previous outlook of RMB${N} billion to RMB${N} billion`,
    ),
    figures: [
      f("1", "cap.loan_volume_outlook_low", "fiscal_year", "billion", "RMB"),
      f("2", "cap.loan_volume_outlook_high", "fiscal_year", "billion", "RMB"),
      f("3", "cap.loan_volume_outlook_growth_low", "fiscal_year", "percent"),
      f("4", "cap.loan_volume_outlook_growth_high", "fiscal_year", "percent"),
      f("5", "cap.previous_loan_volume_outlook_low", "fiscal_year", "billion", "RMB"),
      f("6", "cap.previous_loan_volume_outlook_high", "fiscal_year", "billion", "RMB"),
    ],
    required: true,
  },
  {
    name: "weighted average basic ADS",
    cue: /^Weighted average basic ADS used in calculating /,
    pattern: re(String.raw`^Weighted average basic ADS used in calculating GAAP and non-GAAP net income per ADS was ${N} million`),
    figures: [f("1", "ng.weighted_average_ads_basic", "quarter", "million")],
    required: true,
  },
  {
    name: "weighted average diluted ADS",
    cue: /^Weighted average diluted ADS used in calculating /,
    pattern: re(String.raw`^Weighted average diluted ADS used in calculating GAAP and non-GAAP net income per ADS was ${N} million`),
    figures: [f("1", "ng.weighted_average_ads_diluted", "quarter", "million")],
    required: true,
  },
];
