/** The input is not a readable .xlsx workbook (or one qfin refuses to read): nothing is written. */
export class WorkbookFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkbookFileError";
  }
}
