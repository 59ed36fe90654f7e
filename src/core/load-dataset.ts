/**
 * Validates dataset JSON (from the bundle, a file, or a refresh) before anything reads it. A dataset either loads
 * whole or is refused with a message naming the first thing wrong, so a bad file can never half-replace good data.
 */
import {
  CHECK_STATUSES,
  STATED_KINDS,
  CURRENCIES,
  DATASET_SCHEMA_VERSION,
  FACT_BASES,
  ITEM_UNITS,
  PERIOD_NATURES,
  PERIOD_TYPES,
  STATEMENT_IDS,
  type CheckResult,
  type Dataset,
  type Fact,
  type ItemInfo,
  type PeriodInfo,
  type Provenance,
  type ReleaseInfo,
  type StatedRatio,
  type StatementInfo,
} from "./model";
import { sumOfParts } from "./components";
import { Decimal, isDatasetDecimal, parseDatasetDecimal } from "./decimal";
import { parsePeriodId, periodEnd, periodStart } from "./period-id";

/** Thrown by `loadDataset` (and only there): the data file is not a dataset this version can read. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatasetError";
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function fail(where: string, problem: string): never {
  throw new DatasetError(`Invalid QFIN dataset: ${where}: ${problem}.`);
}

function requireArray(json: Json, key: string): unknown[] {
  const value = json[key];
  if (!Array.isArray(value)) fail(`"${key}"`, "missing or not an array");
  return value;
}

function requireString(json: Json, key: string, where: string, allowEmpty = false): string {
  const value = json[key];
  if (typeof value !== "string" || (!allowEmpty && value.trim() === "")) fail(where, `"${key}" must be a non-empty string`);
  return value;
}

function requireNullableString(json: Json, key: string, where: string): string | null {
  const value = json[key];
  if (value !== null && typeof value !== "string") fail(where, `"${key}" must be a string or null`);
  return value;
}

function requireOneOf<T extends string>(json: Json, key: string, allowed: readonly T[], where: string): T {
  const value = json[key];
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    fail(where, `"${key}" is ${JSON.stringify(value)}; expected one of ${allowed.join(", ")}`);
  }
  return value as T;
}

function requireInteger(json: Json, key: string, where: string): number {
  const value = json[key];
  if (typeof value !== "number" || !Number.isInteger(value)) fail(where, `"${key}" must be an integer`);
  return value;
}

function requireIsoDate(json: Json, key: string, where: string): string {
  const value = requireString(json, key, where);
  if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) fail(where, `"${key}" must be an ISO date, got "${value}"`);
  return value;
}

function requireStringArray(json: Json, key: string, where: string): string[] {
  const value = json[key];
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== "string")) fail(where, `"${key}" must be an array of strings`);
  return value as string[];
}

function uniqueIds<T extends { id: string }>(entries: T[], kind: string): Map<string, T> {
  const byId = new Map<string, T>();
  for (const entry of entries) {
    if (byId.has(entry.id)) fail(`${kind} "${entry.id}"`, "the id is used twice");
    byId.set(entry.id, entry);
  }
  return byId;
}

function checkRelease(json: unknown, index: number): ReleaseInfo {
  const where = `releases[${index}]`;
  if (!isObject(json)) fail(where, "not an object");
  const usdRate = requireString(json, "usdRate", where);
  const rate = parseDatasetDecimal(usdRate);
  if (rate === null || !rate.isPositive() || rate.isZero()) fail(where, `"usdRate" must be a positive decimal string, got "${usdRate}"`);
  return {
    id: requireString(json, "id", where),
    title: requireString(json, "title", where),
    date: requireIsoDate(json, "date", where),
    company: requireString(json, "company", where),
    file: requireString(json, "file", where),
    sha256: requireString(json, "sha256", where),
    usdRate,
    usdRateDate: requireIsoDate(json, "usdRateDate", where),
  };
}

function checkStatement(json: unknown, index: number): StatementInfo {
  const where = `statements[${index}]`;
  if (!isObject(json)) fail(where, "not an object");
  return {
    id: requireOneOf(json, "id", STATEMENT_IDS, where),
    title: requireString(json, "title", where),
    order: requireInteger(json, "order", where),
  };
}

function checkPeriod(json: unknown, index: number): PeriodInfo {
  const where = `periods[${index}]`;
  if (!isObject(json)) fail(where, "not an object");
  const type = requireOneOf(json, "type", PERIOD_TYPES, where);
  const start = type === "instant" ? requireNullableString(json, "start", where) : requireIsoDate(json, "start", where);
  const period: PeriodInfo = {
    id: requireString(json, "id", where),
    type,
    start,
    end: requireIsoDate(json, "end", where),
    label: requireString(json, "label", where),
  };
  // The id is the period: its type and dates must be the ones the id names.
  const key = parsePeriodId(period.id);
  if (key === null) fail(where, `"id" "${period.id}" is not a period id (2023Q2, 2023H1, 2023M9, 2023FY or a date such as 2023-06-30)`);
  if (key.type !== type || periodEnd(key) !== period.end || (type !== "instant" && periodStart(key) !== start)) {
    fail(where, `"${period.id}" is a ${key.type} from ${periodStart(key) ?? "-"} to ${periodEnd(key)}, but the file says ${type} from ${start ?? "-"} to ${period.end}`);
  }
  return period;
}

function checkItem(json: unknown, index: number): ItemInfo {
  const where = `items[${index}]`;
  if (!isObject(json)) fail(where, "not an object");
  const id = requireString(json, "id", where);
  const at = `item "${id}"`;
  const components = json.components;
  if (!Array.isArray(components)) fail(at, `"components" must be an array`);
  return {
    id,
    label: requireString(json, "label", at),
    statement: requireOneOf(json, "statement", STATEMENT_IDS, at),
    section: requireNullableString(json, "section", at),
    parent: requireNullableString(json, "parent", at),
    path: requireStringArray(json, "path", at),
    unit: requireOneOf(json, "unit", ITEM_UNITS, at),
    nature: requireOneOf(json, "nature", PERIOD_NATURES, at),
    components: components.map((component, position) => {
      if (!isObject(component) || typeof component.item !== "string" || (component.sign !== 1 && component.sign !== -1)) {
        fail(at, `components[${position}] must be { item: string, sign: 1 | -1 }`);
      }
      return { item: component.item, sign: component.sign };
    }),
    additive: typeof json.additive === "boolean" ? json.additive : fail(at, `"additive" must be a boolean`),
    aliases: requireStringArray(json, "aliases", at),
    definition: requireNullableString(json, "definition", at),
    footnote: requireNullableString(json, "footnote", at),
    order: requireInteger(json, "order", at),
  };
}

function checkFact(json: unknown, index: number): Fact {
  const where = `facts[${index}]`;
  if (!isObject(json)) fail(where, "not an object");
  const currency = json.currency;
  if (currency !== null && !(typeof currency === "string" && (CURRENCIES as readonly string[]).includes(currency))) {
    fail(where, `"currency" is ${JSON.stringify(currency)}; expected "RMB", "USD" or null`);
  }
  const value = requireString(json, "value", where);
  if (!isDatasetDecimal(value)) fail(where, `"value" must be a plain decimal string, got "${value}"`);
  return {
    item: requireString(json, "item", where),
    period: requireString(json, "period", where),
    currency: currency as Fact["currency"],
    value,
    precision: requireInteger(json, "precision", where),
    basis: requireOneOf(json, "basis", FACT_BASES, where),
    source: checkSource(json.source, where),
    ...(json.copies === undefined ? {} : { copies: checkCopies(json.copies, where) }),
  };
}

/** The other places the release prints the same figure (Net income in three tables): STATEMENT lays tables out by them. */
function checkCopies(json: unknown, where: string): Provenance[] {
  if (!Array.isArray(json)) fail(where, `"copies" must be a list of sources`);
  return json.map((copy, position) => checkSource(copy, `${where}.copies[${position}]`));
}

function checkSource(json: unknown, where: string): Fact["source"] {
  if (!isObject(json)) fail(where, `"source" must be an object`);
  const line = json.line;
  if (typeof line !== "number" || !Number.isInteger(line) || line < 0) fail(where, `"source.line" must be a line number`);
  const optional = (key: string): string | undefined => {
    const text = json[key];
    if (text === undefined) return undefined;
    if (typeof text !== "string") fail(where, `"source.${key}" must be a string`);
    return text;
  };
  return {
    release: requireString(json, "release", `${where}.source`),
    line,
    table: optional("table"),
    row: optional("row"),
    column: optional("column"),
    sentence: optional("sentence"),
    formula: optional("formula"),
    printed: optional("printed"),
  };
}

function checkStated(json: unknown, index: number): StatedRatio {
  const where = `stated[${index}]`;
  if (!isObject(json)) fail(where, "not an object");
  const value = requireString(json, "value", where);
  if (!isDatasetDecimal(value)) fail(where, `"value" must be a plain decimal string, got "${value}"`);
  const base = json.base;
  if (!isObject(base)) fail(where, `"base" must be { item, period }`);
  return {
    kind: requireOneOf(json, "kind", STATED_KINDS, where),
    item: requireString(json, "item", where),
    period: requireString(json, "period", where),
    base: { item: requireString(base, "item", `${where}.base`), period: requireString(base, "period", `${where}.base`) },
    value,
    precision: requireInteger(json, "precision", where),
    source: checkSource(json.source, where),
  };
}

function checkCheck(json: unknown, index: number): CheckResult {
  const where = `checks[${index}]`;
  if (!isObject(json)) fail(where, "not an object");
  return {
    ...(json as Partial<CheckResult>),
    check: requireString(json, "check", where),
    status: requireOneOf(json, "status", CHECK_STATUSES, where),
    message: requireString(json, "message", where),
  };
}

/**
 * Two facts of one release, basis and precision for the same item, period and currency must agree: copies of a
 * figure (Net income in three tables) are fine, two different figures would make METRIC's answer arbitrary.
 */
function rejectConflictingFacts(facts: Fact[]): void {
  const seen = new Map<string, Fact>();
  for (const fact of facts) {
    const key = [fact.item, fact.period, fact.currency ?? "", fact.source.release, fact.basis, fact.precision].join("|");
    const earlier = seen.get(key);
    if (earlier === undefined) {
      seen.set(key, fact);
    } else if (parseDatasetDecimal(earlier.value)?.equals(fact.value) !== true) {
      fail(
        `item "${fact.item}" ${fact.period} ${fact.currency ?? ""}`.trimEnd(),
        `two ${fact.basis} facts disagree: "${earlier.value}" (line ${earlier.source.line}) and "${fact.value}" (line ${fact.source.line})`,
      );
    }
  }
}

/**
 * Validates parsed JSON as a dataset and returns it typed. Checks the schema version, every required field, that
 * every value is a decimal string, that ids are unique and that every reference (fact → item, period, release;
 * item → parent, statement, components) exists.
 *
 * @throws DatasetError naming the first problem, e.g. `Invalid QFIN dataset: facts[12]: "value" must be a plain decimal string, got "3,914".`
 * @example
 * const dataset = loadDataset(JSON.parse(fs.readFileSync("data/qfin-dataset.json", "utf8")));
 */
export function loadDataset(json: unknown): Dataset {
  if (!isObject(json)) fail("the file", "not a JSON object");
  if (json.schema !== DATASET_SCHEMA_VERSION) {
    fail("the file", `schema version is ${JSON.stringify(json.schema)}; this version of QFIN for Excel reads schema ${DATASET_SCHEMA_VERSION}`);
  }
  const releases = requireArray(json, "releases").map(checkRelease);
  const statements = requireArray(json, "statements").map(checkStatement);
  const periods = requireArray(json, "periods").map(checkPeriod);
  const items = requireArray(json, "items").map(checkItem);
  const facts = requireArray(json, "facts").map(checkFact);
  const checks = requireArray(json, "checks").map(checkCheck);
  const stated = json.stated === undefined ? undefined : requireArray(json, "stated").map(checkStated);
  if (releases.length === 0) fail(`"releases"`, "empty; a dataset comes from at least one release");

  const releaseIds = uniqueIds(releases, "release");
  const statementIds = uniqueIds(statements, "statement");
  const periodIds = uniqueIds(periods, "period");
  const itemIds = uniqueIds(items, "item");

  for (const item of items) {
    const at = `item "${item.id}"`;
    if (!statementIds.has(item.statement)) fail(at, `statement "${item.statement}" is not in "statements"`);
    if (item.parent !== null && !itemIds.has(item.parent)) fail(at, `parent "${item.parent}" is not an item`);
    for (const component of item.components) {
      if (!itemIds.has(component.item)) fail(at, `component "${component.item}" is not an item`);
    }
    if (item.path.length === 0 || item.path[item.path.length - 1] !== item.label) fail(at, `"path" must end with the item's label "${item.label}"`);
  }
  facts.forEach((fact, index) => {
    const where = `facts[${index}] (${fact.item} ${fact.period})`;
    const item = itemIds.get(fact.item);
    if (item === undefined) fail(where, `item "${fact.item}" is not in "items"`);
    const period = periodIds.get(fact.period);
    if (period === undefined) fail(where, `period "${fact.period}" is not in "periods"`);
    if ((period.type === "instant") !== (item.nature === "instant")) {
      fail(where, `a ${item.nature} item cannot have a fact for the ${period.type} period "${period.id}"`);
    }
    if (!releaseIds.has(fact.source.release)) fail(where, `source release "${fact.source.release}" is not in "releases"`);
  });
  for (const [position, ratio] of (stated ?? []).entries()) {
    for (const [role, id] of [["item", ratio.item], ["base item", ratio.base.item]] as const) {
      if (!itemIds.has(id)) fail(`stated[${position}]`, `${role} "${id}" is not in "items"`);
    }
    for (const [role, id] of [["period", ratio.period], ["base period", ratio.base.period]] as const) {
      if (!periodIds.has(id)) fail(`stated[${position}]`, `${role} "${id}" is not in "periods"`);
    }
    if (!releaseIds.has(ratio.source.release)) fail(`stated[${position}]`, `source release "${ratio.source.release}" is not in "releases"`);
  }
  rejectConflictingFacts(facts);
  rejectUntiedData(checks, items, facts);
  rejectUnderivedQuarters(periods, facts);
  return { schema: DATASET_SCHEMA_VERSION, releases, statements, periods, items, facts, checks, ...(stated === undefined ? {} : { stated }) };
}

/**
 * A dataset is used only as ingest left it: its recorded tie-out checks all passed (and there are some for every
 * release), and its totals still add up — every reported total equals the sum of its reported components in the
 * same release, period and currency. A figure edited after ingest (by hand, by a faulty copy, by a proxy) breaks
 * the second even when the first was left as it was (derived quarters: see rejectUnderivedQuarters).
 */
function rejectUntiedData(checks: CheckResult[], items: ItemInfo[], facts: Fact[]): void {
  if (checks.length === 0) fail(`"checks"`, "empty; a dataset carries the tie-out checks its ingest ran");
  const failed = checks.find((check) => check.status === "fail");
  if (failed !== undefined) fail(`"checks"`, `the tie-out check "${failed.check}" failed: ${failed.message}`);
  const reported = new Map<string, Fact>();
  for (const fact of facts) {
    if (fact.basis === "reported") reported.set([fact.item, fact.period, fact.currency ?? "", fact.source.release].join("|"), fact);
  }
  const components = new Map(items.map((item) => [item.id, item.components]));
  for (const total of reported.values()) {
    const parts = components.get(total.item) ?? [];
    if (parts.length === 0) continue;
    const { sum, missing } = sumOfParts(parts, (id) => reported.get([id, total.period, total.currency ?? "", total.source.release].join("|"))?.value);
    if (missing.length === 0 && !sum.equals(total.value)) {
      fail(
        `item "${total.item}" ${total.period} ${total.currency ?? ""} (release ${total.source.release})`,
        `the total is ${total.value} but its components add up to ${sum.toFixed()}: the dataset was changed after ingest`,
      );
    }
  }
}

/** A derived quarter's formula as ingest writes it: "H1 2023 − Q2 2023 = 5,868,397 − 2,947,767 = 2,920,630 (…)". */
const SPLIT_FORMULA = /^(.+?) − (.+?) = /;
/**
 * The other derivations ingest writes (src/ingest/derive.ts), which this loader does not re-derive. A derived figure
 * whose formula is none of these is refused, so a change to how ingest words a split cannot turn the check off.
 */
const OTHER_DERIVATIONS = /^(?:opening balance of |closing balance of |weighted average basic shares ÷ 2 |footnote 11: )/;

/**
 * Every quarter ingest derived as a longer period less a contained one (Q1 = H1 − Q2) is still that difference of the
 * reported figures its formula names, in the same item, currency and release: a derived figure edited after ingest
 * would otherwise pass, since no total includes it. (Cash balances carried over, basic ADS counts and footnote 11's
 * total cash are derived otherwise and not re-derived here; any other derivation is refused.)
 */
function rejectUnderivedQuarters(periods: PeriodInfo[], facts: Fact[]): void {
  const periodByLabel = new Map(periods.map((period) => [period.label, period]));
  const reported = new Map<string, Fact>();
  const key = (item: string, period: string, currency: string | null, release: string): string => [item, period, currency ?? "", release].join("|");
  for (const fact of facts) if (fact.basis === "reported") reported.set(key(fact.item, fact.period, fact.currency, fact.source.release), fact);
  for (const fact of facts) {
    if (fact.basis !== "derived") continue;
    const formula = fact.source.formula ?? "";
    const where = `item "${fact.item}" ${fact.period} ${fact.currency ?? ""} (release ${fact.source.release}, derived)`;
    if (OTHER_DERIVATIONS.test(formula)) continue;
    const match = SPLIT_FORMULA.exec(formula);
    if (match === null) fail(where, `its formula "${formula.slice(0, 80)}" is no derivation this version knows`);
    const [whole, part] = [match[1] as string, match[2] as string].map((label) => periodByLabel.get(label));
    const from = whole && reported.get(key(fact.item, whole.id, fact.currency, fact.source.release));
    const less = part && reported.get(key(fact.item, part.id, fact.currency, fact.source.release));
    if (from === undefined || less === undefined) fail(where, `its formula "${match[0]}…" names figures the dataset does not report`);
    // Values were checked as dataset decimals above.
    const difference = new Decimal(from.value).minus(less.value);
    if (!difference.equals(fact.value)) {
      fail(where, `it is ${fact.value} but ${match[1]} less ${match[2]} is ${difference.toFixed()}: the dataset was changed after ingest`);
    }
  }
}
