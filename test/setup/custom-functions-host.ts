/**
 * The one stub of the Excel host: `CustomFunctions.Error`/`ErrorCode` exist only inside Excel.
 * Outside it (jest) we provide them with the same shape, so the real adapter code runs unchanged.
 */
class CustomFunctionsErrorStub extends Error {
  constructor(
    public readonly code: string,
    message?: string,
  ) {
    super(message);
    this.name = "CustomFunctions.Error";
  }
}

(globalThis as unknown as { CustomFunctions: unknown }).CustomFunctions = {
  Error: CustomFunctionsErrorStub,
  ErrorCode: {
    invalidValue: "#VALUE!",
    notAvailable: "#N/A",
    divisionByZero: "#DIV/0!",
    invalidNumber: "#NUM!",
    nullReference: "#NULL!",
    invalidName: "#NAME?",
    invalidReference: "#REF!",
  },
  associate: () => undefined,
};
