/**
 * The QFIN function family, declared as data: one entry per function with its parameters, in the order Excel
 * passes them. Every surface registers functions from this table (the formula engine used by tests and the CLI,
 * the taskpane workbench) or is checked against it (the JSDoc-declared Excel functions in `./functions.ts`, whose
 * generated `functions.json` a test compares with this table). Ids are frozen: they are stored in users' workbooks.
 */

export type QfinFunctionId =
  | "METRIC"
  | "MARGIN"
  | "GROWTH"
  | "SERIES"
  | "STATEMENT"
  | "ITEMS"
  | "PERIODS"
  | "SOURCE"
  | "DEFINITION"
  | "CHECK"
  | "VERSION";

export interface ParamSpec {
  name: string;
  description: string;
  optional: boolean;
}

export interface FunctionSpec {
  id: QfinFunctionId;
  description: string;
  params: ParamSpec[];
  /** `matrix` results spill. */
  result: "scalar" | "matrix";
  /** A formula an analyst would type, and what it returns. */
  example: { formula: string; result: string };
}

const ITEM: ParamSpec = {
  name: "item",
  description:
    'Line item or KPI: the release label ("Net income"), a Parent > Label path ("Platform services > Other services fees"), an id, or an alias ("Revenue").',
  optional: false,
};
const PERIOD: ParamSpec = {
  name: "period",
  description: 'Period: "2023Q2", "Q2 2023", "2Q23", "H1 2023", "1H23", a date or date serial for balance-sheet items, "latest" or "latest-1".',
  optional: false,
};
const CURRENCY: ParamSpec = {
  name: "currency",
  description: '"RMB" (default) or "USD" (the release\'s own US$ figure where it prints one).',
  optional: true,
};
const AS_OF: ParamSpec = {
  name: "as_of",
  description:
    'Point in time when releases restate a figure: "latest" (default), "first" (as first reported) or a release such as "2023Q2" (as reported up to that release).',
  optional: true,
};
const SCALE: ParamSpec = {
  name: "scale",
  description: 'Units for amounts: "U" units, "K" thousands, "M" millions (default), "B" billions. Per-share figures, counts and ratios are never scaled.',
  optional: true,
};

export const FUNCTION_SPECS: readonly FunctionSpec[] = [
  {
    id: "METRIC",
    description: "A reported figure of Qifu Technology (QFIN) for one period, exactly as the release prints it.",
    params: [ITEM, PERIOD, CURRENCY, SCALE, AS_OF],
    result: "scalar",
    example: { formula: '=QFIN.METRIC("Total net revenue","Q2 2023")', result: "3914.324" },
  },
  {
    id: "MARGIN",
    description: "An item as a fraction of a base item (default Total net revenue) for one period.",
    params: [
      ITEM,
      PERIOD,
      { name: "base", description: 'The denominator item (default "Total net revenue").', optional: true },
    ],
    result: "scalar",
    example: { formula: '=QFIN.MARGIN("Net income","Q2 2023")', result: "0.27932…" },
  },
  {
    id: "GROWTH",
    description: "Growth of an item as a fraction: year over year (default) or quarter over quarter.",
    params: [ITEM, PERIOD, { name: "basis", description: '"YoY" (default) or "QoQ".', optional: true }],
    result: "scalar",
    example: { formula: '=QFIN.GROWTH("Total net revenue","Q2 2023")', result: "-0.06427…" },
  },
  {
    id: "SERIES",
    description: "One item across periods, spilled in a row (optionally under a header row of periods).",
    params: [
      ITEM,
      {
        name: "periods",
        description: 'A range or list of periods, or "quarters", "halves", "instants", "all" (default: every period the item has), or "last 4 quarters" / "LTM" (the newest quarters; they roll forward with new releases).',
        optional: true,
      },
      CURRENCY,
      SCALE,
      { name: "header", description: "TRUE to add a header row with the period labels.", optional: true },
    ],
    result: "matrix",
    example: { formula: '=QFIN.SERIES("Net income","quarters",,,TRUE)', result: "periods and values in two rows" },
  },
  {
    id: "STATEMENT",
    description: "A whole statement for one period, spilled as rows of label and value in the release's order.",
    params: [
      {
        name: "statement",
        description: '"Balance sheet", "Operations" (income statement), "Cash flows", "Comprehensive income", "Non-GAAP" or "KPI".',
        optional: false,
      },
      PERIOD,
      CURRENCY,
      SCALE,
    ],
    result: "matrix",
    example: { formula: '=QFIN.STATEMENT("Operations","Q2 2023")', result: "label | value rows" },
  },
  {
    id: "ITEMS",
    description: "Searches line items and KPIs; spills id, label, statement and section, best match first.",
    params: [
      { name: "query", description: "Words to search for (default: every item).", optional: true },
      { name: "statement", description: "Limit to one statement.", optional: true },
    ],
    result: "matrix",
    example: { formula: '=QFIN.ITEMS("delinquency")', result: "matching items" },
  },
  {
    id: "PERIODS",
    description: "Lists the periods the data covers (or one item has), spilled as id, label and type.",
    params: [{ name: "item", description: "Limit to the periods this item is reported for.", optional: true }],
    result: "matrix",
    example: { formula: "=QFIN.PERIODS()", result: "period rows" },
  },
  {
    id: "SOURCE",
    description: "Where a figure comes from: release, table, row, column and line, or the formula that derives it.",
    params: [ITEM, PERIOD, CURRENCY, AS_OF],
    result: "scalar",
    example: { formula: '=QFIN.SOURCE("Net income","Q1 2023")', result: "derived: H1 2023 − Q2 2023 …" },
  },
  {
    id: "DEFINITION",
    description: "The release's own definition of an item or KPI (its footnote), with its statement and section.",
    params: [ITEM],
    result: "scalar",
    example: { formula: '=QFIN.DEFINITION("90 day+ delinquency rate")', result: "the footnote text" },
  },
  {
    id: "CHECK",
    description: "The ingest tie-out checks of the loaded data, spilled as check, status and message rows.",
    params: [],
    result: "matrix",
    example: { formula: "=QFIN.CHECK()", result: "check rows" },
  },
  {
    id: "VERSION",
    description: "Which release(s) the loaded data comes from.",
    params: [],
    result: "scalar",
    example: { formula: "=QFIN.VERSION()", result: "QFIN data: release 2023Q2 (2023-08-21), schema 1, 132 items, 772 facts" },
  },
];
