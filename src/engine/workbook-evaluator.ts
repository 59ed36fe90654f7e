/**
 * Recalculates the QFIN formulas of a whole workbook — several sheets, formulas that reference other cells and other
 * sheets, ordinary formulas that depend on QFIN cells — with fast-formula-parser (MIT) and the same QFIN functions as
 * the single-cell engine. Cells whose result cannot change (constants, formulas that depend on no QFIN cell) keep the
 * value the workbook holds, as Excel computed it; only the QFIN cells and what depends on them are evaluated, in
 * dependency order, and cycles are reported instead of evaluated. Browser-safe: no Node APIs (the taskpane may use it).
 */
import FormulaParser from "fast-formula-parser";
import type { CellReference, RangeReference } from "fast-formula-parser";
import { CellValue, ErrorType, FunctionResult, QFIN_NAMESPACE, isCellError } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { Messages } from "../core/messages";
import { parseA1 } from "../excel/a1";
import { callsQfin, typedFormula } from "../excel/formula-text";
import { AreaIndex, CellGrid, type GridArea } from "./cell-grid";
import { createExcelParser, parserText, unimplementedFunction } from "./excel-parser";
import { qfinParserFunctions, unknownFunctionError } from "./qfin-functions";
import { fromEngineResult } from "./value-bridge";

const { FormulaError, DepParser } = FormulaParser as unknown as {
  FormulaError: typeof FormulaParser.FormulaError;
  DepParser: new (config?: { onVariable?: (name: string, sheet: string) => CellReference | RangeReference | null }) => {
    parse(formula: string, position: CellReference & { sheet: string }): (CellReference | RangeReference)[];
  };
};
type FormulaError = InstanceType<typeof FormulaParser.FormulaError>;

/** One cell of the workbook as stored: its formula (if any) and the value it holds now (the cached value). */
export interface WorkbookCell {
  sheet: string;
  /** A1 address, e.g. `C6`. */
  address: string;
  /** The formula as stored, with or without the leading `=`; `_xldudf_QFIN_METRIC(` and `_xlfn.` prefixes are fine. */
  formula?: string;
  /** The value the cell holds (for a formula: its cached result); null when empty. */
  value: CellValue | null;
  /** For an array or spilling formula: the area its result occupies now (rows × columns from this cell). */
  spill?: { rows: number; columns: number };
}

/** What became of one evaluated formula cell. */
export type Recalculated =
  | { kind: "value"; value: FunctionResult }
  /** Part of a circular reference: not evaluated; `cycle` lists its cells in order. */
  | { kind: "cycle"; cycle: string[] }
  /** The formula uses something this engine cannot evaluate (an Excel function it lacks, unreadable text). */
  | { kind: "unsupported"; reason: string };

export interface WorkbookEvaluation {
  /** Every formula cell that was (or should have been) recalculated, by `Sheet!A1`, in evaluation order. */
  cells: Map<string, Recalculated>;
}

export interface WorkbookEvaluatorOptions {
  /** The data the QFIN functions read; null when none is loaded (they then say so). */
  index: DatasetIndex | null;
  /** Workbook-level defined names → the reference they stand for (`Sheet1!$A$1`, `'My sheet'!$B$2:$C$9`). */
  definedNames?: ReadonlyMap<string, string>;
}

/** `Income statement!C6`: how cells are named in results and messages. */
export const cellName = (sheet: string, address: string): string => `${sheet}!${address}`;

/** Nested evaluation (a reference no static analysis saw, e.g. INDIRECT) deeper than this is refused as a cycle would be. */
const MAX_NESTING = 64;

/**
 * A range larger than this is read only up to the sheet's last used row and column (past them every cell is blank),
 * as whole columns always were; a smaller one is read whole, so its shape stays Excel's (INDEX, array results).
 */
const CLIP_RANGES_OVER = 1_000_000;
/** A range that, clipped, still spans more cells than this is refused (the cell keeps its value), not materialised. */
export const MAX_RANGE_CELLS = 5_000_000;

/** Thrown from a range read that would exceed MAX_RANGE_CELLS; the cell is reported, not evaluated. */
class RangeTooLargeError extends Error {}

interface Cell extends WorkbookCell {
  key: string;
  sheetKey: string;
  row: number;
  col: number;
  body?: string;
}

/**
 * Recalculates every formula that calls a QFIN function and every formula that depends on one, reading everything
 * else as the workbook holds it.
 *
 * @example
 * const result = evaluateWorkbook([
 *   { sheet: "Model", address: "A1", value: "Net income" },
 *   { sheet: "Model", address: "B1", formula: '=QFIN.METRIC(A1,"Q2 2023")', value: 0 },
 *   { sheet: "Model", address: "C1", formula: "=B1*2", value: 0 },
 * ], { index });
 * result.cells.get("Model!C1") // { kind: "value", value: 2186.754 }
 */
export function evaluateWorkbook(cells: readonly WorkbookCell[], options: WorkbookEvaluatorOptions): WorkbookEvaluation {
  return new WorkbookEvaluator(cells, options).run();
}

class WorkbookEvaluator {
  private readonly cells = new Map<string, Cell>();
  private readonly formulasBySheet = new Map<string, Cell[]>();
  /** Formula cells by sheet, indexed by row and column: which lie inside a reference, without a scan. */
  private readonly formulaGrids = new Map<string, CellGrid<Cell>>();
  private readonly sheetNames = new Map<string, string>();
  /** Spill areas by sheet, so a reference into a spill depends on its anchor. */
  private readonly spills = new Map<string, AreaIndex<Cell>>();
  /** The last used row and column of each sheet (cells, spill areas, spilled values). */
  private readonly extents = new Map<string, { row: number; col: number }>();
  /** Current values by key: the workbook's, replaced as formulas are recalculated. */
  private readonly values = new Map<string, CellValue>();
  private readonly results = new Map<string, Recalculated>();
  private readonly pending = new Set<string>();
  private readonly inProgress = new Set<string>();
  private readonly parsers: FormulaParser[] = [];
  private readonly definedNames = new Map<string, CellReference | RangeReference>();
  private readonly functions: ReturnType<typeof qfinParserFunctions>;

  constructor(cells: readonly WorkbookCell[], options: WorkbookEvaluatorOptions) {
    this.functions = qfinParserFunctions(options.index);
    for (const source of cells) {
      const position = parseA1(source.address);
      if (!position) throw new RangeError(`Not a cell address: ${source.sheet}!${source.address}`);
      const sheetKey = source.sheet.toLowerCase();
      this.sheetNames.set(sheetKey, source.sheet);
      const cell: Cell = { ...source, key: keyOf(sheetKey, position.row, position.col), sheetKey, ...position };
      this.extend(sheetKey, position.row, position.col);
      if (source.formula !== undefined) {
        cell.body = parserText(typedFormula(source.formula));
        pushTo(this.formulasBySheet, sheetKey, cell);
        let grid = this.formulaGrids.get(sheetKey);
        if (!grid) this.formulaGrids.set(sheetKey, (grid = new CellGrid<Cell>()));
        grid.add(cell.row, cell.col, cell);
        if (source.spill && (source.spill.rows > 1 || source.spill.columns > 1)) {
          let spills = this.spills.get(sheetKey);
          if (!spills) this.spills.set(sheetKey, (spills = new AreaIndex<Cell>()));
          const lastRow = cell.row + source.spill.rows - 1;
          const lastCol = cell.col + source.spill.columns - 1;
          spills.add({ fromRow: cell.row, fromCol: cell.col, toRow: lastRow, toCol: lastCol }, cell);
          this.extend(sheetKey, lastRow, lastCol);
        }
      }
      this.cells.set(cell.key, cell);
      if (source.value !== null) this.values.set(cell.key, source.value);
    }
    for (const [name, reference] of options.definedNames ?? []) {
      const parsed = parseReference(reference);
      if (parsed) this.definedNames.set(name.toUpperCase(), parsed);
    }
  }

  run(): WorkbookEvaluation {
    const dependents = this.dependents();
    const affected = this.affected(dependents);
    const order = this.order(affected, dependents);
    for (const key of order) this.pending.add(key);
    for (const key of order) if (this.pending.has(key)) this.evaluate(this.cells.get(key) as Cell, 0);
    const ordered = new Map<string, Recalculated>();
    for (const key of order) {
      const cell = this.cells.get(key) as Cell;
      ordered.set(cellName(cell.sheet, cell.address), this.results.get(key) as Recalculated);
    }
    return { cells: ordered };
  }

  /**
   * The dependency graph: for each node, the nodes that read it. Nodes are formula cells and, for each distinct
   * multi-cell range a formula references, one range node standing between the formula cells inside the range and
   * the formulas that read it — so a range read by ten thousand formulas costs its cells once, not ten thousand
   * times, and finding the cells inside a range is a lookup in the sheet's grid.
   */
  private dependents(): Map<string, string[]> {
    const dependents = new Map<string, string[]>();
    const ranges = new Map<string, string[]>();
    const depParser = new DepParser({ onVariable: (name) => this.definedNames.get(name.toUpperCase()) ?? null });
    for (const formulas of this.formulasBySheet.values()) {
      for (const cell of formulas) {
        let references: (CellReference | RangeReference)[];
        try {
          references = depParser.parse(cell.body as string, { sheet: cell.sheet, row: cell.row, col: cell.col });
        } catch {
          continue; // unreadable: evaluation reports it
        }
        for (const reference of references) {
          const sheetKey = (reference.sheet ?? cell.sheet).toLowerCase();
          const area = "from" in reference
            ? { fromRow: reference.from.row, fromCol: reference.from.col, toRow: reference.to.row, toCol: reference.to.col }
            : { fromRow: reference.row, fromCol: reference.col, toRow: reference.row, toCol: reference.col };
          const single = area.fromRow === area.toRow && area.fromCol === area.toCol;
          const containsSelf = sheetKey === cell.sheetKey && cell.row >= area.fromRow && cell.row <= area.toRow && cell.col >= area.fromCol && cell.col <= area.toCol;
          if (single || containsSelf) {
            // A formula's reference to itself is not a dependency (its own value is read as it stands).
            for (const precedent of this.formulaCellsIn(sheetKey, area)) if (precedent !== cell.key) pushTo(dependents, precedent, cell.key);
            continue;
          }
          const rangeKey = `range|${sheetKey}|${area.fromRow}|${area.fromCol}|${area.toRow}|${area.toCol}`;
          let inside = ranges.get(rangeKey);
          if (!inside) {
            ranges.set(rangeKey, (inside = this.formulaCellsIn(sheetKey, area)));
            for (const precedent of inside) pushTo(dependents, precedent, rangeKey);
          }
          if (inside.length > 0) pushTo(dependents, rangeKey, cell.key);
        }
      }
    }
    return dependents;
  }

  /** Keys of the formula cells inside an area, and of the spills that overlap it (through their anchor). */
  private formulaCellsIn(sheetKey: string, area: GridArea): string[] {
    const inside = this.formulaGrids.get(sheetKey)?.within(area) ?? [];
    const keys = inside.map((cell) => cell.key);
    const spills = this.spills.get(sheetKey)?.overlapping(area) ?? [];
    if (spills.length > 0) {
      const seen = new Set(keys);
      for (const anchor of spills) if (!seen.has(anchor.key)) keys.push(anchor.key);
    }
    return keys;
  }

  /** The QFIN formula cells and every node that depends on one, directly or not. */
  private affected(dependents: ReadonlyMap<string, string[]>): Set<string> {
    const affected = new Set<string>();
    const queue: string[] = [];
    for (const formulas of this.formulasBySheet.values()) {
      for (const cell of formulas) if (callsQfin(cell.formula as string)) queue.push(cell.key);
    }
    while (queue.length > 0) {
      const key = queue.pop() as string;
      if (affected.has(key)) continue;
      affected.add(key);
      for (const dependent of dependents.get(key) ?? []) if (!affected.has(dependent)) queue.push(dependent);
    }
    return affected;
  }

  /**
   * Formula cells, precedents before dependents (an iterative depth-first walk over the graph, range nodes
   * included, so long chains cannot overflow the stack). Cells on a cycle are marked and left out.
   */
  private order(affected: ReadonlySet<string>, dependents: ReadonlyMap<string, string[]>): string[] {
    const precedents = new Map<string, string[]>();
    for (const [precedent, list] of dependents) {
      if (!affected.has(precedent)) continue;
      for (const dependent of list) if (affected.has(dependent)) pushTo(precedents, dependent, precedent);
    }
    const state = new Map<string, "open" | "done">();
    const order: string[] = [];
    const starts = [...affected].filter((key) => this.cells.has(key));
    starts.sort((a, b) => (this.cells.get(a) as Cell).row - (this.cells.get(b) as Cell).row || (a < b ? -1 : a > b ? 1 : 0));
    for (const start of starts) {
      if (state.has(start)) continue;
      const stack: { key: string; next: number }[] = [{ key: start, next: 0 }];
      state.set(start, "open");
      while (stack.length > 0) {
        const frame = stack[stack.length - 1] as { key: string; next: number };
        const list = precedents.get(frame.key) ?? [];
        if (frame.next < list.length) {
          const precedent = list[frame.next++] as string;
          const seen = state.get(precedent);
          if (seen === undefined) {
            state.set(precedent, "open");
            stack.push({ key: precedent, next: 0 });
          } else if (seen === "open") {
            const loop = stack.slice(stack.findIndex((entry) => entry.key === precedent)).map((entry) => entry.key);
            this.markCycle([...loop, precedent].filter((key) => this.cells.has(key)));
          }
        } else {
          state.set(frame.key, "done");
          order.push(frame.key);
          stack.pop();
        }
      }
    }
    // A cell that depends on a cycle (directly or through a range) cannot be computed either; it keeps its value,
    // reported with the cycle.
    const blocked = new Map<string, Recalculated>();
    for (const key of order) {
      const own = this.results.get(key);
      if (own?.kind === "cycle") {
        blocked.set(key, own);
        continue;
      }
      const through = (precedents.get(key) ?? []).find((precedent) => blocked.has(precedent));
      if (through === undefined) continue;
      const cycle = blocked.get(through) as Recalculated;
      blocked.set(key, cycle);
      if (this.cells.has(key) && !this.results.has(key)) this.results.set(key, cycle);
    }
    return order.filter((key) => this.cells.has(key));
  }

  private markCycle(keys: string[]): void {
    const names = keys.map((key) => {
      const cell = this.cells.get(key) as Cell;
      return cellName(cell.sheet, cell.address);
    });
    for (const key of keys) if (!this.results.has(key)) this.results.set(key, { kind: "cycle", cycle: names });
  }

  private evaluate(cell: Cell, depth: number): void {
    this.pending.delete(cell.key);
    if (this.results.has(cell.key)) return; // a cycle, marked when ordering
    this.inProgress.add(cell.key);
    const outcome = this.compute(cell, depth);
    this.inProgress.delete(cell.key);
    this.results.set(cell.key, outcome);
    if (outcome.kind !== "value") return;
    const value = outcome.value;
    if (!Array.isArray(value)) {
      this.values.set(cell.key, value);
      return;
    }
    value.forEach((cells, rowOffset) =>
      cells.forEach((entry, colOffset) => this.values.set(keyOf(cell.sheetKey, cell.row + rowOffset, cell.col + colOffset), entry)),
    );
    this.extend(cell.sheetKey, cell.row + value.length - 1, cell.col + (value[0]?.length ?? 1) - 1);
  }

  private compute(cell: Cell, depth: number): Recalculated {
    const body = cell.body as string;
    if (body.trim() === "") return { kind: "unsupported", reason: "the formula is empty." };
    let result: unknown;
    try {
      result = this.parser(depth).parse(body, { sheet: cell.sheet, row: cell.row, col: cell.col }, true);
    } catch (error) {
      // fast-formula-parser may wrap what a range read throws in its own error, as `details`.
      const cause = error instanceof RangeTooLargeError ? error : (error as { details?: unknown } | null)?.details;
      if (cause instanceof RangeTooLargeError) return { kind: "unsupported", reason: cause.message };
      return fromParseFailure(error);
    }
    return { kind: "value", value: fromWorkbookResult(result) };
  }

  private parser(depth: number): FormulaParser {
    let parser = this.parsers[depth];
    if (parser) return parser;
    parser = createExcelParser({
      functions: this.functions,
      onCell: (ref) => this.read(ref.sheet, ref.row, ref.col, depth),
      onRange: (ref) => this.readRange(ref, depth),
      onVariable: (name) => this.definedNames.get(name.toUpperCase()) ?? null,
    });
    this.parsers[depth] = parser;
    return parser;
  }

  private read(sheet: string | undefined, row: number, col: number, depth: number): unknown {
    const sheetKey = (sheet ?? "").toLowerCase();
    if (!this.sheetNames.has(sheetKey) && sheet !== undefined) {
      return new FormulaError(ErrorType.REF, Messages.noSuchSheet(sheet, null));
    }
    const key = keyOf(sheetKey, row, col);
    this.settle(key, sheetKey, row, col, depth);
    const value = this.values.get(key);
    return value === undefined ? null : isCellError(value) ? new FormulaError(value.type, value.message) : value;
  }

  /** Before a cell is read: evaluates it first if it is (or spills from) a formula still waiting its turn. */
  private settle(key: string, sheetKey: string, row: number, col: number, depth: number): void {
    let waiting: Cell | undefined = this.pending.has(key) ? this.cells.get(key) : undefined;
    if (!waiting) waiting = this.spills.get(sheetKey)?.covering(row, col).find((anchor) => this.pending.has(anchor.key));
    if (!waiting || this.inProgress.has(waiting.key)) return;
    if (depth + 1 >= MAX_NESTING) return;
    this.evaluate(waiting, depth + 1);
  }

  private readRange(ref: RangeReference, depth: number): unknown[][] {
    const sheetKey = (ref.sheet ?? "").toLowerCase();
    // A huge range (A:A, C1:ZZ1048575) stops at the sheet's last used row and column: it costs the cells the sheet
    // has, not a million rows of blanks.
    let lastRow = ref.to.row;
    let lastCol = ref.to.col;
    if ((lastRow - ref.from.row + 1) * (lastCol - ref.from.col + 1) > CLIP_RANGES_OVER) {
      const used = this.extents.get(sheetKey) ?? { row: 0, col: 0 };
      lastRow = Math.max(ref.from.row, Math.min(lastRow, used.row));
      lastCol = Math.max(ref.from.col, Math.min(lastCol, used.col));
    }
    const cellCount = (lastRow - ref.from.row + 1) * (lastCol - ref.from.col + 1);
    if (cellCount > MAX_RANGE_CELLS) {
      throw new RangeTooLargeError(
        `a range it reads spans ${cellCount.toLocaleString("en-US")} used cells, more than the ${MAX_RANGE_CELLS.toLocaleString("en-US")} this engine reads in one range.`,
      );
    }
    const rows: unknown[][] = [];
    for (let row = ref.from.row; row <= lastRow; row++) {
      const cells: unknown[] = [];
      for (let col = ref.from.col; col <= lastCol; col++) cells.push(this.read(ref.sheet, row, col, depth));
      rows.push(cells);
    }
    return rows;
  }

  private extend(sheetKey: string, row: number, col: number): void {
    const extent = this.extents.get(sheetKey);
    if (!extent) this.extents.set(sheetKey, { row, col });
    else {
      if (row > extent.row) extent.row = row;
      if (col > extent.col) extent.col = col;
    }
  }
}

function keyOf(sheetKey: string, row: number, col: number): string {
  return `${sheetKey}!${row},${col}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `Sheet1!$A$1`, `'My sheet'!$B$2:$C$9` → a reference; undefined for anything else (constants, formulas). */
function parseReference(text: string): CellReference | RangeReference | undefined {
  const match = /^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Za-z]{1,3}\$?\d+)(?::(\$?[A-Za-z]{1,3}\$?\d+))?$/.exec(text.trim().replace(/^=/, ""));
  if (!match) return undefined;
  const sheet = match[1] !== undefined ? match[1].replace(/''/g, "'") : match[2];
  const from = parseA1(match[3]);
  const to = match[4] === undefined ? from : parseA1(match[4]);
  if (!from || !to) return undefined;
  return match[4] === undefined ? { sheet, ...from } : { sheet, from, to };
}

/** A reference to an empty cell shows 0; an empty cell inside a spill shows blank (""); a 1×1 result is one value. */
function fromWorkbookResult(result: unknown): FunctionResult {
  const value = fromEngineResult(result);
  return Array.isArray(value) && value.length === 1 && value[0]?.length === 1 ? (value[0][0] as CellValue) : value;
}

/**
 * fast-formula-parser throws for what it cannot evaluate. An unknown QFIN name is Excel's `#NAME?` (a value); an Excel
 * function the engine lacks, or text it cannot read, means this engine cannot recalculate the cell — the workbook's
 * value stays.
 */
function fromParseFailure(error: unknown): Recalculated {
  if (error instanceof FormulaError && error.details instanceof FormulaError && error.details.error === ErrorType.NAME) {
    const unknown = unimplementedFunction(error.details.message);
    if (unknown !== null && unknown.toUpperCase().startsWith(`${QFIN_NAMESPACE}.`)) return { kind: "value", value: unknownFunctionError(unknown) };
    return { kind: "unsupported", reason: unknown !== null ? `this engine has no ${unknown.toUpperCase()} function.` : error.details.message };
  }
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return { kind: "unsupported", reason: `the formula could not be read (${message}).` };
}
