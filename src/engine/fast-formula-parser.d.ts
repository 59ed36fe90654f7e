/**
 * The part of fast-formula-parser 1.0.19 (MIT, untyped) that the formula engine uses. Shapes verified against the
 * package's `grammar/hooks.js` and `formulas/error.js`.
 */
declare module "fast-formula-parser" {
  class FormulaParser {
    constructor(config?: FormulaParser.FormulaParserConfig);
    /**
     * Evaluates a formula (without its leading `=`). Returns the value, or a FormulaError value for errors that
     * Excel shows in the cell; throws a FormulaError with code `#ERROR!` when the text does not parse.
     */
    parse(formula: string, position: FormulaParser.CellReference & { sheet: string }, allowReturnArray?: boolean): unknown;
  }

  namespace FormulaParser {
    /** 1-based position of a cell, as the parser reports references. */
    interface CellReference {
      sheet?: string;
      row: number;
      col: number;
    }

    interface RangeReference {
      sheet?: string;
      from: { row: number; col: number };
      to: { row: number; col: number };
    }

    /**
     * One argument as a custom function receives it: the evaluated value (a 2-D array for ranges and array
     * literals), and `omitted: true` for an empty argument slot such as the third in `F(1,2,,4)`.
     */
    interface FunctionArgument {
      value: unknown;
      isArray: boolean;
      isRangeRef?: boolean;
      isCellRef?: boolean;
      omitted?: boolean;
    }

    interface FormulaParserConfig {
      /** Custom functions by upper-case name; they override built-ins of the same name. */
      functions?: Record<string, (...args: FunctionArgument[]) => unknown>;
      onCell?: (ref: CellReference) => unknown;
      onRange?: (ref: RangeReference) => unknown[][];
      onVariable?: (name: string, sheet: string) => CellReference | RangeReference | null;
    }

    /** An Excel error value (`#N/A`, `#VALUE!`, …) with an optional message. */
    class FormulaError extends Error {
      constructor(error: string, message?: string, details?: unknown);
      /** The Excel error code, e.g. `#N/A`; `#ERROR!` for parse errors. */
      readonly error: string;
      /** For `#ERROR!`: the underlying exception or FormulaError. */
      details?: unknown;
    }
    const MAX_ROW: number;
    const MAX_COLUMN: number;
  }

  export = FormulaParser;
}
