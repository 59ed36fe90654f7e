/**
 * Forgiving text comparison for what analysts type: labels match regardless of case, spacing and punctuation
 * ("fees-capital heavy" = "Fees - Capital Heavy"), and near misses are found by edit distance for "did you mean".
 */

/**
 * The comparison key of a label: lower case, letters and digits only.
 *
 * @example
 * labelKey("Loan facilitation and servicing fees - capital heavy") === labelKey("loan facilitation and servicing fees-capital heavy") // true
 * labelKey("90 day+ delinquency rate") // "90daydelinquencyrate"
 */
export function labelKey(text: string): string {
  // Most labels are plain ASCII: no Unicode normalisation or Unicode-aware pattern needed for those.
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase().replace(/[^a-z0-9]+/g, "");
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Words of a plural that stay as they are ("loss", "bonus", "analysis", "ADS" read as "ads"). */
const SINGULAR_AS_IS = /(?:ss|us|is)$/;

/**
 * A word's singular, by the rules English plurals of this release follow: liabilities → liability, taxes → tax,
 * losses → loss, fees → fee, costs → cost. Words of three letters or fewer are left alone ("ads" is ADS).
 *
 * @example
 * singular("revenues") // "revenue"
 */
export function singular(word: string): string {
  if (word.length <= 3 || SINGULAR_AS_IS.test(word)) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (/(?:x|ch|sh|ss|z)es$/.test(word)) return word.slice(0, -2);
  return word.endsWith("s") ? word.slice(0, -1) : word;
}

/** Words analysts use for the same word of a label. */
const WORD_SYNONYMS: Readonly<Record<string, string>> = { selling: "sale" };

/**
 * The normalised key of a name for matching phrasings: "&" read as "and", "+" as "plus", words lower-cased and made
 * singular, punctuation and spacing ignored. "Selling & marketing expenses" and "sales and marketing expense" share a
 * key; so do "Net revenues" and "net revenue".
 *
 * @example
 * termKey("Funding cost")          // "funding cost"
 * termKey("S&M")                   // "s and m"
 * termKey("Selling and marketing") // "sale and marketing"
 */
export function termKey(text: string): string {
  const spaced = text.normalize("NFKC").toLowerCase().replace(/&/g, " and ").replace(/\+/g, " plus ");
  return spaced
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .map((word) => {
      const one = singular(word);
      return WORD_SYNONYMS[one] ?? one;
    })
    .join(" ");
}

/** The key without a trailing "expense": "Sales and marketing expenses" also answers as "sales and marketing". */
export function withoutExpense(key: string): string | null {
  return key.endsWith(" expense") ? key.slice(0, -" expense".length) : null;
}

/**
 * Words of a text for searching: lower case, split at anything that is not a letter or digit.
 *
 * @example
 * words("Net income per ADS -diluted") // ["net", "income", "per", "ads", "diluted"]
 */
export function words(text: string): string[] {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/**
 * Levenshtein distance (insertions, deletions, substitutions), two rows of memory.
 *
 * @example
 * editDistance("revenu", "revenue") // 1
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

const CONTAINED = 3;

/**
 * How close a typed name is to a known one, lower is closer; null when too far to suggest.
 * A typed text contained in the name (a truncated or partial label) counts as close.
 *
 * @example
 * nameDistance("revenu", "revenue")            // 1
 * nameDistance("revenu", "total net revenue")  // 3 (contained: weaker than a one- or two-letter typo)
 * nameDistance("goodwill", "net income")       // null
 */
export function nameDistance(typed: string, name: string): number | null {
  const a = labelKey(typed);
  const b = labelKey(name);
  if (a.length === 0 || b.length === 0) return null;
  if (a === b) return 0;
  // Short names tolerate one slip, longer ones two, long ones a third of their letters.
  const shorter = Math.min(a.length, b.length);
  const allowed = shorter <= 4 ? 1 : shorter <= 7 ? 2 : Math.floor(shorter * 0.34);
  // The distance is at least the difference in length: skip the quadratic comparison when that alone rules it out.
  const distance = Math.abs(a.length - b.length) > allowed ? Number.POSITIVE_INFINITY : editDistance(a, b);
  if (distance <= allowed) return distance;
  return a.length >= 4 && b.includes(a) ? CONTAINED : null;
}
