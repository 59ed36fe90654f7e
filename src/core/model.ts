/**
 * The dataset model: what ingest produces and everything downstream reads.
 *
 * A dataset is plain JSON (it is embedded in the functions bundle and served to the add-in), so every
 * number is a decimal *string*, never a JS number: `"3914324000"`, `"0.279"`, `"3.40"`. Arithmetic on it
 * goes through decimal.js (see `./decimal.ts`); conversion to Number happens only at the Excel boundary.
 */

/** Bumped when the JSON shape changes incompatibly; loaders refuse other versions. */
export const DATASET_SCHEMA_VERSION = 1;

/** Every value a field of the dataset may take, as lists: the types below are read from them, and the loader checks them. */
export const CURRENCIES = ["RMB", "USD"] as const;
export type Currency = (typeof CURRENCIES)[number];

/**
 * How an item's value is measured. Decides scaling and formatting downstream:
 * - `amount`: money (tables print thousands, the narrative millions), scaled by the `scale` argument;
 * - `per_share`: money per ordinary share or per ADS, never scaled;
 * - `shares`: a number of shares or ADSs (weighted averages), units;
 * - `count`: a count of things (users, loans, partners), units;
 * - `ratio`: a fraction (27.9% is 0.279);
 * - `months`: a duration in months (weighted average contractual tenor).
 */
export const ITEM_UNITS = ["amount", "per_share", "shares", "count", "ratio", "months"] as const;
export type ItemUnit = (typeof ITEM_UNITS)[number];

/** Flow items have values over a duration (a quarter, a half); instant items at a date (balance sheet). */
export const PERIOD_NATURES = ["duration", "instant"] as const;
export type PeriodNature = (typeof PERIOD_NATURES)[number];

/** The statements, in the release's order; `capital` holds the dividend, the share repurchase and the outlook. */
export const STATEMENT_IDS = ["balance_sheet", "operations", "cash_flows", "comprehensive_income", "non_gaap", "kpi", "capital"] as const;
export type StatementId = (typeof STATEMENT_IDS)[number];

export interface StatementInfo {
  id: StatementId;
  /** The table caption as the release prints it (KPIs: "Business highlights"). */
  title: string;
  order: number;
}

export interface ItemInfo {
  /** Stable, frozen id: lower-case words joined by `.` and `_`, e.g. `ops.credit_driven_services.other_services_fees`. */
  id: string;
  /** The label as the release prints it (markup removed). */
  label: string;
  statement: StatementId;
  /** The heading row the item sits under, e.g. "Current assets", or null at the top level. */
  section: string | null;
  /** Id of the parent item (Credit driven services → its fee lines), or null. */
  parent: string | null;
  /** Labels from the top of the statement to this item: ["Credit driven services", "Other services fees"]. */
  path: string[];
  unit: ItemUnit;
  nature: PeriodNature;
  /**
   * Components that sum to this item when it is a subtotal, with their sign: the tie-out checks use it, and
   * the taskpane shows it. Empty when the item is not a computed total.
   */
  components: { item: string; sign: 1 | -1 }[];
  /** Whether values over contained periods add up (Q1 + Q2 = H1). True for amounts on duration statements. */
  additive: boolean;
  /** Other names analysts and the release's narrative use ("Revenue", "Net revenue from Credit Driven Services"). */
  aliases: string[];
  /** The footnote or release text that defines the item, if the release gives one. */
  definition: string | null;
  /** Footnote marker that defines it, e.g. "*8". */
  footnote: string | null;
  /** Position in the release's own order (browse trees sort by it). */
  order: number;
}

/** In the order analysts lay out columns that end on one date: the shorter period first (Q2 before H1). */
export const PERIOD_TYPES = ["quarter", "half", "nine_months", "year", "instant"] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

export interface PeriodInfo {
  /** `2023Q2`, `2023H1`, `2023M9`, `2023FY`, or an ISO date `2023-06-30` for instants. */
  id: string;
  type: PeriodType;
  /** ISO date of the first day (durations) — null for instants. */
  start: string | null;
  /** ISO date of the last day (durations) or the instant itself. */
  end: string;
  /** Human label: "Q2 2023", "H1 2023", "Jun 30, 2023". */
  label: string;
}

/**
 * How a fact came to be, in order of preference at one precision: `reported` (printed in a table of the release),
 * `derived` (computed from reported facts, Q1 = H1 − Q2; the formula is in its provenance), `narrative` (printed in
 * the release's prose, usually rounded to millions).
 */
export const FACT_BASES = ["reported", "derived", "narrative"] as const;
export type FactBasis = (typeof FACT_BASES)[number];

export interface Provenance {
  /** Release id, e.g. `2023Q2`. */
  release: string;
  /** 1-based line number in the release text. */
  line: number;
  /** Table caption, for table facts. */
  table?: string;
  /** Row label exactly as printed (after markup removal). */
  row?: string;
  /** Column heading, e.g. "Three months ended June 30, 2023 (RMB)". */
  column?: string;
  /** For narrative facts: the sentence it was read from. */
  sentence?: string;
  /** For derived facts: the computation, e.g. "H1 2023 − Q2 2023 = 7,513,498 − 3,914,324". */
  formula?: string;
  /** The figure as printed, e.g. "(91,610)" or "RMB3,914.3 million". */
  printed?: string;
}

export interface Fact {
  item: string;
  period: string;
  /** Currency of the value for amounts and per-share figures; null for counts, ratios and months. */
  currency: Currency | null;
  /** Exact decimal string in base units: RMB (not thousands), shares, a fraction for ratios. */
  value: string;
  /**
   * Decimal places (in base units) to which the printed figure is exact: thousands → -3, "RMB3,914.3 million"
   * → -5, "3.40" → 2, "27.9%" → 3. Used to compare figures "at the printed precision".
   */
  precision: number;
  basis: FactBasis;
  source: Provenance;
  /** Where the release prints the same figure again (Net income in comprehensive income and the reconciliation). */
  copies?: Provenance[];
}

export const CHECK_STATUSES = ["pass", "fail"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface CheckResult {
  /** Check family id, e.g. `subtotal`, `balance_sheet`, `usd_conversion`, `narrative`, `derived_prior_quarter`. */
  check: string;
  status: CheckStatus;
  /** What was checked, in words an analyst understands, with the figures. */
  message: string;
  table?: string;
  row?: string;
  period?: string;
  currency?: Currency | null;
  line?: number;
}

export interface ReleaseInfo {
  /** `2023Q2`: the fiscal quarter the release reports. */
  id: string;
  title: string;
  /** ISO date of the release (from the dateline). */
  date: string;
  company: string;
  /** Path of the release text relative to the project root. */
  file: string;
  /** SHA-256 of the release text, hex. */
  sha256: string;
  /** Convenience translation rate: RMB per US$1.00, as printed ("7.2513"). */
  usdRate: string;
  /** The rate's date (ISO). */
  usdRateDate: string;
}

/**
 * A growth rate, share or margin the release states in so many words ("an increase of 14.9%", "representing 57.8% of
 * the total", "GAAP net income margin 27.9%"). The company computed it from unrounded figures, so it is the answer
 * wherever it exists; QFIN computes a ratio only where the release states none.
 */
export const STATED_KINDS = ["growth", "share", "margin"] as const;
export type StatedKind = (typeof STATED_KINDS)[number];

export interface StatedRatio {
  kind: StatedKind;
  /** What the ratio is of: growth of `item` from `base.period` to `period`; a share or margin of `item` in `base.item`. */
  item: string;
  period: string;
  base: { item: string; period: string };
  /** The stated ratio as a fraction ("0.149"), exact to `precision` decimal places. */
  value: string;
  precision: number;
  source: Provenance;
}

/** The key of a fact among those of one release or view: item, period and currency (null for units that carry none). */
export const factKey = (item: string, period: string, currency: Currency | null): string => `${item}|${period}|${currency ?? ""}`;

/** Rank of a value in one of the ordered lists above (for sorting). */
export const rankIn = <T>(list: readonly T[], value: T): number => list.indexOf(value);

export interface Dataset {
  schema: typeof DATASET_SCHEMA_VERSION;
  /** Ordered oldest first. */
  releases: ReleaseInfo[];
  statements: StatementInfo[];
  periods: PeriodInfo[];
  items: ItemInfo[];
  facts: Fact[];
  /** Every tie-out check run at ingest (all pass in a dataset that was written). */
  checks: CheckResult[];
  /** Ratios the releases state (optional: datasets written before it was added have none). */
  stated?: StatedRatio[];
}
