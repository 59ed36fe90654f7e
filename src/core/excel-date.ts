/**
 * Excel date serials (1900 date system): day 1 is 1900-01-01 and Excel counts a 29 Feb 1900 that never was, so
 * from serial 61 (1900-03-01) on, serial n is n days after 1899-12-30.
 */

const DAY_MS = 86_400_000;
const EPOCH_MS = Date.UTC(1899, 11, 30);

/** Serials that can be dates of a release: 1927-05-18 (10000) up to Excel's last day, 9999-12-31. */
export const MIN_PLAUSIBLE_SERIAL = 10_000;
export const MAX_SERIAL = 2_958_465;

/**
 * The ISO date of a serial, ignoring any time of day; null outside the plausible range.
 *
 * @example
 * serialToIsoDate(45107) // "2023-06-30"
 * serialToIsoDate(2023)  // null (a year typed as a number, not a date)
 */
export function serialToIsoDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < MIN_PLAUSIBLE_SERIAL || serial > MAX_SERIAL) return null;
  return new Date(EPOCH_MS + Math.floor(serial) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The serial of an ISO date (for writing dates back to cells).
 *
 * @example
 * isoDateToSerial("2023-06-30") // 45107
 */
export function isoDateToSerial(isoDate: string): number {
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - EPOCH_MS) / DAY_MS);
}
