/**
 * The production functions bundle (functions.js of a production build) loaded the way Excel's custom-functions
 * runtime loads it: one script evaluated in a global of its own that has the `CustomFunctions` host object — the
 * same stand-in bench/startup-probe.js installs (`Error`, `ErrorCode`, `associate`) — before the script runs. The
 * functions it registers are then called by the served functions.json: every declared parameter present (omitted
 * ones null) and a single value given to a `matrix` parameter as a 1×1 range, as Excel passes it.
 */
import { readFileSync } from "fs";
import { join } from "path";
import * as vm from "vm";

/** Excel's error codes for custom functions (CustomFunctions.ErrorCode), as the runtime defines them. */
export const EXCEL_ERROR_CODES = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
} as const;

/** The stand-in of `CustomFunctions.Error` inside the bundle's global: what a result error is an instance of. */
export class HostCustomFunctionsError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message);
  }
}

export type RegisteredFunction = (...args: unknown[]) => unknown;

export interface DeclaredParameter {
  name: string;
  dimensionality?: string;
  optional?: boolean;
}

export interface DeclaredFunction {
  id: string;
  parameters: DeclaredParameter[];
  result: { dimensionality?: string };
}

export interface LoadedBundle {
  /** The build folder the bundle came from. */
  dir: string;
  /** Bytes of functions.js. */
  size: number;
  /** What functions.json declares, in its order. */
  declared: DeclaredFunction[];
  /** What the bundle registered with `CustomFunctions.associate`, by id. */
  registered: Map<string, RegisteredFunction>;
  /** Milliseconds spent evaluating the script (it activates its embedded dataset). */
  loadMs: number;
  /** Console output of the bundle while it loaded (it reports a dataset it could not load there). */
  console: string[];
}

/**
 * Evaluates `dir`/functions.js in a fresh global with the host stand-in, and reads `dir`/functions.json.
 *
 * @example
 * const bundle = loadFunctionsBundle(await sharedProductionBuild());
 * callAsExcel(bundle, "METRIC", ["Net income", "Q2 2023"]) // [[1093.377]]
 */
export function loadFunctionsBundle(dir: string): LoadedBundle {
  const code = readFileSync(join(dir, "functions.js"), "utf8");
  const declared = (JSON.parse(readFileSync(join(dir, "functions.json"), "utf8")) as { functions: DeclaredFunction[] }).functions;
  const registered = new Map<string, RegisteredFunction>();
  const output: string[] = [];
  const record = (...parts: unknown[]): void => void output.push(parts.map(String).join(" "));
  const sandbox: Record<string, unknown> = {
    console: { log: record, info: record, warn: record, error: record, debug: record },
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    TextEncoder,
    TextDecoder,
    URL,
    CustomFunctions: {
      Error: HostCustomFunctionsError,
      ErrorCode: EXCEL_ERROR_CODES,
      associate: (id: string, fn: RegisteredFunction) => void registered.set(id, fn),
    },
  };
  const context = vm.createContext(sandbox);
  sandbox.self = context;
  sandbox.window = context;
  const started = performance.now();
  vm.runInContext(code, context, { filename: join(dir, "functions.js") });
  const loadMs = performance.now() - started;
  for (const fn of declared) if (!registered.has(fn.id)) throw new Error(`the bundle in ${dir} did not register ${fn.id}, which functions.json declares`);
  return { dir, size: Buffer.byteLength(code), declared, registered, loadMs, console: output };
}

/**
 * Calls a registered function as Excel does: `args` fill the declared parameters in order (the rest null), and a
 * value that is not an array given to a `matrix` parameter is wrapped as a 1×1 range.
 */
export function callAsExcel(bundle: LoadedBundle, id: string, args: readonly unknown[]): unknown {
  const declared = bundle.declared.find((fn) => fn.id === id);
  const fn = bundle.registered.get(id);
  if (!declared || !fn) throw new Error(`the bundle has no function ${id}`);
  const full = declared.parameters.map((param, position) => {
    const value = position < args.length ? args[position] : null;
    return param.dimensionality === "matrix" && value !== null && value !== undefined && !Array.isArray(value) ? [[value]] : value;
  });
  return fn(...full);
}
