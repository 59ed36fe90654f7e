/**
 * QFIN formulas against the manual way, in one real formula engine (HyperFormula 3.5, GPL-3.0, used here and in
 * tests only). Both workbooks are built from the shipped dataset and ask for the same figures:
 *
 * - QFIN:   =QFIN.METRIC($A5,B$1,B$2), =QFIN.MARGIN($A5,B$1), =QFIN.GROWTH($A5,B$1)
 * - manual: the release's tables pasted as values (RMB/US$ thousands) into a "Release" sheet, looked up with
 *           INDEX/MATCH (or XLOOKUP) and divided by 1,000 into millions; margins and growth written out by hand.
 *
 * The model sheet is identical in both workbooks but for the formulas: blocks of item rows × period columns
 * (amount items of the statements, the columns the release's tables print), repeated until there are 10,000
 * formulas, as a workbook with many tabs pulling the same figures would. Before anything is timed, every formula
 * cell of each workbook is compared with its counterpart; the benchmark refuses to time models that disagree.
 *
 * Timed: building the workbook (parse + first calculation) and recalculating all 10,000 formulas after an input
 * change (every item name retyped in upper case or back, which both QFIN and MATCH read case-insensitively).
 * Caveat: the HyperFormula plugin (test/support) sizes every QFIN call at parse time by calling it once, so the
 * QFIN build calls each function twice; Excel does not. The recalculation has no such extra call.
 *
 * Where QFIN answers by the analyst conventions rather than by plain division (a margin or growth rate the release
 * states, n.m. across a sign change), the hand-written formula would give another
 * number, so those cells are left out of both models: the benchmark times the same questions answered the same way.
 */
import { HyperFormula, type RawCellContent, type Sheets } from "hyperformula";
import { typeableName } from "../src/core/resolve-item";
import type { DatasetIndex } from "../src/core/dataset-index";
import type { Currency, Fact, ItemInfo, PeriodInfo } from "../src/core/model";
import { QFIN_HYPERFORMULA_CONFIG, registerQfinFunctions } from "../test/support/hyperformula-qfin";
import { time, type Timing } from "./measure";

export const FORMULA_COUNT = 10_000;
const MODEL = "Model";
const RELEASE = "Release";
const REVENUE = "ops.total_net_revenue";

type Kind = "METRIC" | "MARGIN" | "GROWTH";
type Lookup = "INDEX/MATCH" | "XLOOKUP";

interface Column {
  period: PeriodInfo;
  currency: Currency;
  /** The pasted sheet's header for this column, e.g. "Q2 2023 RMB". */
  key: string;
}

interface Block {
  kind: Kind;
  columns: { column: Column; priorKey: string }[];
  items: ItemInfo[];
}

/** A column of the release's tables: a (period, currency) pair with reported amounts. */
const columnKey = (period: PeriodInfo, currency: Currency): string => `${period.label} ${currency}`;

/** The release's tables as an analyst would paste them: rows of items, columns of (period, currency), in thousands. */
function pastedTables(index: DatasetIndex): { columns: Column[]; items: ItemInfo[]; values: Map<string, number> } {
  const reported = [...index.facts.values()].filter(
    (fact: Fact) => fact.basis === "reported" && fact.currency !== null && index.itemsById.get(fact.item)?.unit === "amount",
  );
  const columns = new Map<string, Column>();
  const itemIds = new Set<string>();
  const values = new Map<string, number>();
  for (const fact of reported) {
    const period = index.periodsById.get(fact.period) as PeriodInfo;
    const key = columnKey(period, fact.currency as Currency);
    columns.set(key, { period, currency: fact.currency as Currency, key });
    itemIds.add(fact.item);
    // Pasted as the release prints it: thousands, an integer.
    values.set(`${fact.item}|${key}`, Number(BigInt(fact.value) / 1000n));
  }
  const items = [...itemIds].map((id) => index.itemsById.get(id) as ItemInfo).sort((a, b) => a.order - b.order);
  const ordered = [...columns.values()].sort((a, b) => a.period.end.localeCompare(b.period.end) || a.period.type.localeCompare(b.period.type) || a.currency.localeCompare(b.currency));
  return { columns: ordered, items, values };
}

const yearEarlier = (period: PeriodInfo, index: DatasetIndex): PeriodInfo | undefined => {
  const shifted = period.id.replace(/^(\d{4})/, (year) => String(Number(year) - 1));
  return index.periodsById.get(shifted);
};

/** The kinds of block a model is made of, each with only the cells both workbooks can answer. */
function blockTemplates(index: DatasetIndex, pasted: ReturnType<typeof pastedTables>): Block[] {
  const has = (item: ItemInfo, key: string): boolean => pasted.values.has(`${item.id}|${key}`);
  const templates: Block[] = [];
  for (const nature of ["duration", "instant"] as const) {
    const columns = pasted.columns.filter((column) => (column.period.type === "instant") === (nature === "instant"));
    const items = pasted.items.filter((item) => item.nature === nature);
    templates.push({ kind: "METRIC", columns: columns.map((column) => ({ column, priorKey: "" })), items });
  }
  const rmbDuration = pasted.columns.filter((column) => column.currency === "RMB" && column.period.type !== "instant");
  const flows = pasted.items.filter((item) => item.nature === "duration" && item.statement === "operations");
  templates.push({ kind: "MARGIN", columns: rmbDuration.map((column) => ({ column, priorKey: "" })), items: flows });
  const growthColumns = rmbDuration.flatMap((column) => {
    const prior = yearEarlier(column.period, index);
    const priorKey = prior ? columnKey(prior, "RMB") : "";
    return prior && pasted.columns.some((candidate) => candidate.key === priorKey) ? [{ column, priorKey }] : [];
  });
  const durationItems = pasted.items.filter((item) => item.nature === "duration");
  templates.push({ kind: "GROWTH", columns: growthColumns, items: durationItems });
  // Keep only cells whose figures are all on the pasted sheet (and, for growth, non-zero a year earlier).
  for (const block of templates) {
    block.items = block.items.filter((item) =>
      block.columns.some(({ column, priorKey }) => cellAnswerable(block.kind, item, column.key, priorKey, has, pasted) && !statedRatio(index, pasted, block.kind, item, column.key, priorKey)),
    );
  }
  return templates;
}

/**
 * Whether QFIN answers this ratio by a rule no division of the pasted tables follows (issue 10): a margin, share or
 * growth rate the release states is returned as printed, and growth across a sign change is n.m. A hand-written ratio
 * cannot be the baseline for such a cell.
 */
function statedRatio(index: DatasetIndex, pasted: ReturnType<typeof pastedTables>, kind: Kind, item: ItemInfo, key: string, priorKey: string): boolean {
  const periodOf = (columnKeyText: string): string => pasted.columns.find((column) => column.key === columnKeyText)?.period.id ?? "";
  const period = periodOf(key);
  if (kind === "MARGIN") return index.stated("margin", item.id, period, REVENUE, period) !== undefined || index.stated("share", item.id, period, REVENUE, period) !== undefined;
  if (kind === "GROWTH") {
    const signs = Math.sign(pasted.values.get(`${item.id}|${key}`) ?? 0) * Math.sign(pasted.values.get(`${item.id}|${priorKey}`) ?? 0);
    return signs < 0 || index.stated("growth", item.id, period, item.id, periodOf(priorKey)) !== undefined;
  }
  return false;
}

function cellAnswerable(
  kind: Kind,
  item: ItemInfo,
  key: string,
  priorKey: string,
  has: (item: ItemInfo, key: string) => boolean,
  pasted: ReturnType<typeof pastedTables>,
): boolean {
  if (!has(item, key)) return false;
  if (kind === "MARGIN") return pasted.values.has(`${REVENUE}|${key}`) && pasted.values.get(`${REVENUE}|${key}`) !== 0;
  if (kind === "GROWTH") return has(item, priorKey) && pasted.values.get(`${item.id}|${priorKey}`) !== 0;
  return true;
}

const columnLetter = (col: number): string => {
  let letters = "";
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
};

export interface ModelWorkbooks {
  /** The Model sheet with QFIN formulas. */
  qfin: Sheets;
  /** Release sheet + Model sheet with INDEX/MATCH formulas. */
  indexMatch: Sheets;
  /** Release sheet + Model sheet with XLOOKUP formulas. */
  xlookup: Sheets;
  /** Model-sheet cells ([row, col]) holding formulas, and which kind. */
  formulaCells: { row: number; col: number; kind: Kind }[];
  /** Model-sheet cells holding item names (the input the recalculation changes). */
  nameCells: { row: number; col: number; name: string }[];
  mix: Record<Kind, number>;
  distinctFigures: number;
}

/** Builds the three workbooks (as HyperFormula sheets) from the dataset. */
export function buildModelWorkbooks(index: DatasetIndex, formulaCount = FORMULA_COUNT): ModelWorkbooks {
  const pasted = pastedTables(index);
  const names = new Map(pasted.items.map((item) => [item.id, typeableName(index, item)]));
  const revenueName = typeableName(index, index.itemsById.get(REVENUE) as ItemInfo);
  if (!pasted.values.has(`${REVENUE}|${pasted.columns[0]?.key}`) && !pasted.items.some((item) => item.id === REVENUE)) {
    throw new Error("Total net revenue is not on the pasted sheet; margins cannot be written by hand");
  }

  // The Release sheet: A1 header, A2:A{n} item names, B1:{X}1 column keys, values in thousands.
  const releaseSheet: RawCellContent[][] = [["Item", ...pasted.columns.map((column) => column.key)]];
  for (const item of pasted.items) {
    releaseSheet.push([names.get(item.id) as string, ...pasted.columns.map((column) => pasted.values.get(`${item.id}|${column.key}`) ?? null)]);
  }
  const lastRow = releaseSheet.length;
  const lastCol = columnLetter(pasted.columns.length);
  const namesRange = `${RELEASE}!$A$2:$A$${lastRow}`;
  const keysRange = `${RELEASE}!$B$1:$${lastCol}$1`;
  const dataRange = `${RELEASE}!$B$2:$${lastCol}$${lastRow}`;
  const indexMatch = (name: string, key: string): string => `INDEX(${dataRange},MATCH(${name},${namesRange},0),MATCH(${key},${keysRange},0))`;
  const xlookup = (name: string, key: string): string => `XLOOKUP(${name},${namesRange},XLOOKUP(${key},${keysRange},${dataRange}))`;
  const manual = (lookup: (name: string, key: string) => string, kind: Kind, name: string, key: string, priorKey: string): string => {
    if (kind === "METRIC") return `=${lookup(name, key)}/1000`;
    if (kind === "MARGIN") return `=${lookup(name, key)}/${lookup(`"${revenueName}"`, key)}`;
    // Like with like (issue 10): current ÷ year earlier − 1, so a cost printed negative grows when it gets larger.
    return `=${lookup(name, key)}/${lookup(name, priorKey)}-1`;
  };

  const templates = blockTemplates(index, pasted);
  const qfinModel: RawCellContent[][] = [];
  const indexMatchModel: RawCellContent[][] = [];
  const xlookupModel: RawCellContent[][] = [];
  const formulaCells: ModelWorkbooks["formulaCells"] = [];
  const nameCells: ModelWorkbooks["nameCells"] = [];
  const mix: Record<Kind, number> = { METRIC: 0, MARGIN: 0, GROWTH: 0 };
  const distinct = new Set<string>();

  const pushRow = (row: RawCellContent[]): void => {
    qfinModel.push([...row]);
    indexMatchModel.push([...row]);
    xlookupModel.push([...row]);
  };

  for (let blockNumber = 0; formulaCells.length < formulaCount; blockNumber++) {
    const block = templates[blockNumber % templates.length] as Block;
    const top = qfinModel.length;
    // Four header rows (1-based): period as typed, currency, the pasted table's column key, the year-earlier key.
    const periodRow = top + 1;
    const currencyRow = top + 2;
    const keyRow = top + 3;
    const priorRow = top + 4;
    pushRow([block.kind, ...block.columns.map(({ column }) => column.period.label)]);
    pushRow(["currency", ...block.columns.map(({ column }) => column.currency)]);
    pushRow(["column", ...block.columns.map(({ column }) => column.key)]);
    pushRow(["year earlier", ...block.columns.map(({ priorKey }) => priorKey)]);
    for (const item of block.items) {
      if (formulaCells.length >= formulaCount) break;
      const row = qfinModel.length;
      const r = row + 1;
      const name = names.get(item.id) as string;
      const qfinRow: RawCellContent[] = [name];
      const indexMatchRow: RawCellContent[] = [name];
      const xlookupRow: RawCellContent[] = [name];
      nameCells.push({ row, col: 0, name });
      block.columns.forEach(({ column, priorKey }, position) => {
        const col = position + 1;
        const letter = columnLetter(col);
        const answerable =
          cellAnswerable(block.kind, item, column.key, priorKey, (candidate, key) => pasted.values.has(`${candidate.id}|${key}`), pasted) &&
          !statedRatio(index, pasted, block.kind, item, column.key, priorKey);
        if (!answerable || formulaCells.length >= formulaCount) {
          qfinRow.push(null);
          indexMatchRow.push(null);
          xlookupRow.push(null);
          return;
        }
        const key = `${letter}$${keyRow}`;
        const prior = `${letter}$${priorRow}`;
        qfinRow.push(
          block.kind === "METRIC"
            ? `=QFIN.METRIC($A${r},${letter}$${periodRow},${letter}$${currencyRow})`
            : `=QFIN.${block.kind}($A${r},${letter}$${periodRow})`,
        );
        indexMatchRow.push(manual(indexMatch, block.kind, `$A${r}`, key, prior));
        xlookupRow.push(manual(xlookup, block.kind, `$A${r}`, key, prior));
        formulaCells.push({ row, col, kind: block.kind });
        mix[block.kind]++;
        distinct.add(`${block.kind}|${item.id}|${column.key}`);
      });
      qfinModel.push(qfinRow);
      indexMatchModel.push(indexMatchRow);
      xlookupModel.push(xlookupRow);
    }
    if (block.items.length === 0 && blockNumber > templates.length * 2) throw new Error("no answerable cells for the model");
  }

  return {
    qfin: { [MODEL]: qfinModel },
    indexMatch: { [MODEL]: indexMatchModel, [RELEASE]: releaseSheet },
    xlookup: { [MODEL]: xlookupModel, [RELEASE]: releaseSheet },
    formulaCells,
    nameCells,
    mix,
    distinctFigures: distinct.size,
  };
}

/**
 * One configuration for all three workbooks: the tests' (Excel's plain doubles) plus HyperFormula's column index,
 * which makes exact MATCH/XLOOKUP an indexed lookup instead of a scan — the manual way at its fastest. No undo
 * history: HyperFormula scans it on every edit, which made repeated recalculations measure the undo stack.
 */
const CONFIG = { ...QFIN_HYPERFORMULA_CONFIG, useColumnIndex: true, undoLimit: 0 };

function build(sheets: Sheets): HyperFormula {
  return HyperFormula.buildFromSheets(sheets, CONFIG);
}

/** Every formula cell's value in the Model sheet, in formulaCells order. */
function formulaValues(engine: HyperFormula, cells: ModelWorkbooks["formulaCells"]): unknown[] {
  const sheet = engine.getSheetId(MODEL) as number;
  const values = engine.getSheetValues(sheet);
  return cells.map(({ row, col }) => values[row]?.[col]);
}

export interface Agreement {
  cells: number;
  exactlyEqual: number;
  /** Largest |a − b| / |b| over cells that are not bit-identical (margins and growth: decimal vs binary division). */
  maxRelativeDifference: number;
}

/** Compares two workbooks cell by cell; throws when any cell is not a number or differs beyond 1e-12 relative. */
function compare(label: string, expected: unknown[], actual: unknown[], cells: ModelWorkbooks["formulaCells"]): Agreement {
  let exactlyEqual = 0;
  let maxRelativeDifference = 0;
  expected.forEach((want, position) => {
    const got = actual[position];
    const cell = cells[position] as ModelWorkbooks["formulaCells"][number];
    const where = `${MODEL}!${columnLetter(cell.col)}${cell.row + 1} (${cell.kind})`;
    if (typeof want !== "number" || typeof got !== "number") {
      throw new Error(`${label}: ${where} is not a number in both workbooks: ${JSON.stringify(want)} vs ${JSON.stringify(got)}`);
    }
    if (want === got) {
      exactlyEqual++;
      return;
    }
    const relative = Math.abs(want - got) / Math.max(Math.abs(want), Number.MIN_VALUE);
    if (cell.kind === "METRIC" || relative > 1e-12) throw new Error(`${label}: ${where} differs: ${want} vs ${got}`);
    maxRelativeDifference = Math.max(maxRelativeDifference, relative);
  });
  return { cells: expected.length, exactlyEqual, maxRelativeDifference };
}

/** Retypes every item name (upper case, or back), so every formula recalculates: one input change, as in Excel. */
function retypeNames(engine: HyperFormula, cells: ModelWorkbooks["nameCells"], upper: boolean): void {
  const sheet = engine.getSheetId(MODEL) as number;
  engine.batch(() => {
    for (const { row, col, name } of cells) engine.setCellContents({ sheet, row, col }, upper ? name.toUpperCase() : name);
  });
}

export interface ModelResult {
  formulas: number;
  mix: Record<Kind, number>;
  distinctFigures: number;
  agreement: Record<Lookup, Agreement>;
  build: Record<"QFIN" | Lookup, Timing>;
  recalc: Record<"QFIN" | Lookup, Timing>;
}

export function runModelBenchmark(index: DatasetIndex, options: { buildSamples: number; recalcSamples: number }): ModelResult {
  registerQfinFunctions(index);
  const workbooks = buildModelWorkbooks(index);
  const engines = {
    QFIN: build(workbooks.qfin),
    "INDEX/MATCH": build(workbooks.indexMatch),
    XLOOKUP: build(workbooks.xlookup),
  };

  // Same figures, or no timing at all — also after the input change the recalculation benchmark makes.
  const agreement = {} as Record<Lookup, Agreement>;
  for (const upper of [false, true]) {
    for (const engine of Object.values(engines)) if (upper) retypeNames(engine, workbooks.nameCells, true);
    const qfinValues = formulaValues(engines.QFIN, workbooks.formulaCells);
    for (const lookup of ["INDEX/MATCH", "XLOOKUP"] as const) {
      agreement[lookup] = compare(`QFIN vs ${lookup}${upper ? " (names in upper case)" : ""}`, qfinValues, formulaValues(engines[lookup], workbooks.formulaCells), workbooks.formulaCells);
    }
  }

  const buildTimes = {} as ModelResult["build"];
  const recalcTimes = {} as ModelResult["recalc"];
  // The builds above were the warm-up.
  for (const [name, sheets] of [["QFIN", workbooks.qfin], ["INDEX/MATCH", workbooks.indexMatch], ["XLOOKUP", workbooks.xlookup]] as const) {
    buildTimes[name] = time(() => build(sheets).destroy(), { warmups: 0, samples: options.buildSamples });
  }
  for (const [name, engine] of Object.entries(engines) as [keyof typeof engines, HyperFormula][]) {
    let upper = true;
    recalcTimes[name] = time(
      () => {
        upper = !upper;
        retypeNames(engine, workbooks.nameCells, upper);
      },
      { warmups: 1, samples: options.recalcSamples },
    );
    engine.destroy();
  }
  return {
    formulas: workbooks.formulaCells.length,
    mix: workbooks.mix,
    distinctFigures: workbooks.distinctFigures,
    agreement,
    build: buildTimes,
    recalc: recalcTimes,
  };
}
