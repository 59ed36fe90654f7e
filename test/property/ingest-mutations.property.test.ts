/**
 * Ingest against mutated copies of the shipped release: a digit changed in a table figure or a narrative figure, a
 * table row deleted or duplicated, a table truncated, two figure columns swapped, a junk line inserted. Whatever the
 * mutation, ingest must either refuse it with an IngestError whose message names the failed checks, or produce a
 * dataset that passes every check and holds no figure the original dataset does not hold: never a silently wrong
 * figure, never a crash.
 *
 * The two exceptions are measured, not assumed (tie-out-coverage.test.ts): the table figures in known-gaps.ts, and
 * figures the prose is the only source of (KPIs, capital return, outlook), which the release states once and no
 * check can compare with anything.
 *
 * Fixed seeds and 200 runs per mutation kind: 1,400 ingests, about 25 s on a 2-core machine.
 */
import fc from "fast-check";
import type { Dataset } from "../../src/core/model";
import { TABLES } from "../../src/ingest/catalogue";
import { releaseText, shippedDataset } from "../support/release";
import { isKnownTableGap } from "./known-gaps";
import {
  describeWrongFigure,
  firstTableLineIndex,
  judgeIngest,
  narrativeFigures,
  replaceField,
  replaceNarrative,
  tableFigures,
  type TableFigure,
  type WrongFigure,
} from "./release-mutations";

const RUNS = 200;
const SEED = 20230821; // the release's date

const text = releaseText();
const lines = text.split("\n");
const tablesStart = firstTableLineIndex(lines);
let original: Dataset;
let figures: TableFigure[];

/** A mutated release with a short description (fast-check prints the description, not 40 KB of text). */
interface Mutation {
  description: string;
  text: string;
  /** The table figure changed, for the known-gap exemption. */
  figure?: TableFigure;
}

const mutation = (description: string, mutatedText: string, figure?: TableFigure): Mutation => ({
  description,
  text: mutatedText,
  figure,
  [fc.toStringMethod]: () => description,
} as Mutation);

const withLines = (edit: (copy: string[]) => void): string => {
  const copy = [...lines];
  edit(copy);
  return copy.join("\n");
};

/** Indexes (0-based) of the table lines that carry a row: label and/or figures. */
const tableRowIndexes = (): number[] =>
  lines.map((line, index) => (index > tablesStart && line.includes("\t") && line.trim() !== "" ? index : -1)).filter((index) => index >= 0);

/** [first, end) line indexes of each table, caption included. */
function tableRanges(): [number, number][] {
  const captions = TABLES.map((table) => table.caption);
  const starts = lines.map((line, index) => (captions.includes(line.trim()) ? index : -1)).filter((index) => index >= 0);
  return starts.map((start, n) => [start, starts[n + 1] ?? lines.length]);
}

/** Replaces the digit at `position` of `printed` (which must be a digit) by a different digit. */
const changeDigit = (printed: string, position: number, shift: number): string =>
  `${printed.slice(0, position)}${(Number(printed[position]) + shift) % 10}${printed.slice(position + 1)}`;

const digitPositions = (printed: string): number[] => [...printed].flatMap((char, index) => (/\d/.test(char) ? [index] : []));

// ---- Mutation generators -----------------------------------------------------------------------------------

/** A digit position, the last one half of the time (the change rounding is most likely to hide). */
const digitPosition = (printed: string): fc.Arbitrary<number> => {
  const positions = digitPositions(printed);
  return fc.oneof(fc.constant(positions[positions.length - 1] as number), fc.constantFrom(...positions));
};

const tableDigitChanged = (): fc.Arbitrary<Mutation> =>
  fc.constantFrom(...figures).chain((figure) =>
    fc.tuple(digitPosition(figure.printed), fc.integer({ min: 1, max: 9 })).map(([position, shift]) => {
      const printed = changeDigit(figure.printed, position, shift);
      return mutation(`line ${figure.line} (${figure.row}, ${figure.column}): ${figure.printed} → ${printed}`, replaceField(text, figure, printed), figure);
    }),
  );

const rowDeleted = (): fc.Arbitrary<Mutation> =>
  fc.constantFrom(...tableRowIndexes()).map((index) => mutation(`line ${index + 1} deleted: ${lines[index]}`, withLines((copy) => copy.splice(index, 1))));

const rowDuplicated = (): fc.Arbitrary<Mutation> =>
  fc.constantFrom(...tableRowIndexes()).map((index) =>
    mutation(`line ${index + 1} duplicated: ${lines[index]}`, withLines((copy) => copy.splice(index, 0, copy[index] as string))),
  );

const tableTruncated = (): fc.Arbitrary<Mutation> =>
  fc.constantFrom(...tableRanges()).chain(([start, end]) =>
    fc.tuple(fc.integer({ min: start + 1, max: end - 1 }), fc.boolean()).map(([cut, wholeText]) =>
      wholeText
        ? mutation(`release cut at line ${cut + 1}`, withLines((copy) => copy.splice(cut)))
        : mutation(`table at line ${start + 1} cut at line ${cut + 1} (lines ${cut + 1}–${end} removed)`, withLines((copy) => copy.splice(cut, end - cut))),
    ),
  );

const columnsSwapped = (): fc.Arbitrary<Mutation> => {
  const rows = [...new Set(figures.map((figure) => figure.line))]
    .map((line) => figures.filter((figure) => figure.line === line))
    .filter((row) => row.length >= 2);
  return fc.constantFrom(...rows).chain((row) =>
    fc.uniqueArray(fc.constantFrom(...row), { minLength: 2, maxLength: 2, selector: (figure) => figure.field }).map(([a, b]) => {
      const first = a as TableFigure;
      const second = b as TableFigure;
      return mutation(
        `line ${first.line} (${first.row}): ${first.column} ⇄ ${second.column} (${first.printed} ⇄ ${second.printed})`,
        replaceField(replaceField(text, first, second.printed), second, first.printed),
      );
    }),
  );
};

/** Lines a page conversion or a careless edit could leave in a table. */
const junkLine = (): fc.Arbitrary<string> => {
  const printedNumber = fc.oneof(
    fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => (n < 0 ? `(${(-n).toLocaleString("en-US")})` : n.toLocaleString("en-US"))),
    fc.double({ min: 0, max: 100, noNaN: true }).map((n) => `${n.toFixed(1)}%`),
    fc.constantFrom(...figures.map((figure) => figure.printed)),
  );
  const field = fc.oneof(printedNumber, fc.string({ maxLength: 12 }), fc.constant(""), fc.constantFrom("RMB", "USD", "2022", "2023"));
  return fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: "grapheme", maxLength: 30 }),
    fc.array(field, { minLength: 1, maxLength: 8 }).map((fields) => fields.join("\t")),
    fc.array(printedNumber, { minLength: 1, maxLength: 6 }).map((numbers) => `\t${numbers.join("\t")}`),
    fc.tuple(fc.constantFrom(...figures.map((figure) => figure.row ?? "")), fc.array(printedNumber, { maxLength: 6 })).map(([label, numbers]) => [label, ...numbers].join("\t")),
    // A copy of any line of the release: a caption, a header row, a row of another table, a sentence.
    fc.constantFrom(...lines),
  );
};

const junkInserted = (): fc.Arbitrary<Mutation> =>
  fc.tuple(fc.integer({ min: tablesStart + 1, max: lines.length }), junkLine()).map(([index, junk]) =>
    mutation(`inserted before line ${index + 1}: ${JSON.stringify(junk)}`, withLines((copy) => copy.splice(index, 0, junk))),
  );

const narrativeDigitChanged = (): fc.Arbitrary<Mutation> =>
  fc.constantFrom(...narrativeFigures(text)).chain((figure) =>
    fc.tuple(digitPosition(figure.printed), fc.integer({ min: 1, max: 9 })).map(([position, shift]) => {
      const printed = changeDigit(figure.printed, position, shift);
      return mutation(`narrative line ${figure.line}: ${figure.printed} → ${printed}`, replaceNarrative(text, figure, printed));
    }),
  );

// ---- The rule -----------------------------------------------------------------------------------------------

/** Wrong figures no check of this release can see (measured in tie-out-coverage.test.ts), for this mutation. */
function unseeable(wrong: WrongFigure, changed: Mutation): boolean {
  const { fact } = wrong;
  // A known-gap table figure, or a figure derived from it (basic ADS = basic shares ÷ 2).
  if (changed.figure && isKnownTableGap(changed.figure)) {
    if (fact.item === changed.figure.item || (fact.basis === "derived" && fact.source.line === changed.figure.line)) return true;
  }
  // A figure only the prose states: no table figure, no derived figure for the same item, period and currency.
  return (
    fact.basis === "narrative" &&
    !original.facts.some((other) => other.basis !== "narrative" && other.item === fact.item && other.period === fact.period && other.currency === fact.currency)
  );
}

function assertRefusedOrFaithful(changed: Mutation): void {
  const outcome = judgeIngest(original, changed.text);
  switch (outcome.kind) {
    case "crashed":
      throw new Error(`ingest threw ${String(outcome.error)} instead of refusing with an IngestError`);
    case "refused": {
      expect(outcome.failures.length).toBeGreaterThan(0);
      for (const failure of outcome.failures) {
        expect(failure.status).toBe("fail");
        expect(failure.check).toMatch(/^[a-z_]+$/);
        expect(failure.message.trim()).not.toBe("");
      }
      expect(outcome.message).toContain(`[${outcome.failures[0]?.check}]`);
      return;
    }
    case "faithful":
      expect(outcome.dataset.checks.filter((check) => check.status !== "pass")).toEqual([]);
      return;
    case "wrong": {
      expect(outcome.dataset.checks.filter((check) => check.status !== "pass")).toEqual([]);
      const silent = outcome.wrong.filter((wrong) => !unseeable(wrong, changed));
      expect(silent.map(describeWrongFigure)).toEqual([]);
    }
  }
}

const property = (arbitrary: () => fc.Arbitrary<Mutation>, seedOffset: number): void =>
  fc.assert(fc.property(arbitrary(), assertRefusedOrFaithful), { seed: SEED + seedOffset, numRuns: RUNS });

describe("ingest of a mutated release: refused, or faithful to the original", () => {
  beforeAll(() => {
    original = shippedDataset();
    figures = tableFigures(text, original);
  });

  it("a digit changed in any table figure", () => property(tableDigitChanged, 1));
  it("a table row deleted", () => property(rowDeleted, 2));
  it("a table row duplicated", () => property(rowDuplicated, 3));
  it("a table truncated at any line", () => property(tableTruncated, 4));
  it("two figure columns swapped in a row", () => property(columnsSwapped, 5));
  it("a junk line inserted into a table", () => property(junkInserted, 6));
  it("a digit changed in any narrative figure", () => property(narrativeDigitChanged, 7));

  it("is not vacuous: the shipped release itself is accepted and faithful", () => {
    expect(judgeIngest(original, text).kind).toBe("faithful");
  });
});
