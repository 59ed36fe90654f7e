/**
 * The standalone preview runs the add-in's pages in a plain browser. office.js loaded outside Office defines
 * `CustomFunctions.associate` but not `CustomFunctions.Error`/`ErrorCode`, which only Excel provides; this
 * installs stand-ins with the same shape so the registered functions can be called in the preview exactly as
 * Excel would call them. It never replaces what a real host provides.
 */

/** Excel's error codes for custom functions, as `CustomFunctions.ErrorCode` defines them. */
const PREVIEW_ERROR_CODES = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
} as const;

class PreviewCustomFunctionsError extends Error {
  constructor(
    public readonly code: string,
    message?: string,
  ) {
    super(message);
    this.name = "CustomFunctions.Error";
  }
}

interface CustomFunctionsGlobal {
  Error?: unknown;
  ErrorCode?: unknown;
}

/**
 * Installs `CustomFunctions.Error` and `CustomFunctions.ErrorCode` when no host provides them.
 * Returns whether it installed anything.
 */
export function installPreviewCustomFunctions(scope: typeof globalThis = globalThis): boolean {
  const holder = scope as unknown as { CustomFunctions?: CustomFunctionsGlobal };
  const customFunctions = holder.CustomFunctions ?? (holder.CustomFunctions = {});
  if (customFunctions.Error && customFunctions.ErrorCode) return false;
  customFunctions.Error = PreviewCustomFunctionsError;
  customFunctions.ErrorCode = PREVIEW_ERROR_CODES;
  return true;
}
