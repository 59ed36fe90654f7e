/**
 * Class (c): single-character and single-digit mutations of the shipped release through ingest (`ingestRelease`),
 * and a set of whole-file variants (line endings, a byte-order mark, truncations, encodings).
 *
 * Each mutated release must be refused (an IngestError) or accepted with the loader passing. *Wrong data accepted*,
 * precisely: an accepted release whose dataset, compared with the original's, has
 * - W1 a figure (item, period, currency, basis, precision) with another value, or one the original lacks, unless no
 *   check can see it: a figure of the known table gaps (test/property/known-gaps.ts: the 2022 weighted-average share
 *   counts, seen only through per-share figures rounded to the cent) or derived from one, or a figure only the prose
 *   states (a KPI, the dividend) — the exceptions docs/tie-out-coverage.md measures;
 * - W2 such an unseeable figure changed on another line than the mutated one (a mutation may change only the figures
 *   of its own line);
 * - W3 a figure of the original missing;
 * - W4 fewer tie-out checks than the original's 469, or one that did not pass;
 * - W5 a dataset the loader refuses (ingest must never write what it could not read back);
 * - W6 other items or periods than the original's;
 * - W7 a definition that changed although the mutated line is not part of it, or vanished;
 * - W8 release facts (id, date, company, title, exchange rate) changed by a mutation inside the tables.
 * So a mutated figure that takes part in a tie-out identity (every table figure but the known gaps) must be refused.
 */
import fc from "fast-check";
import { loadDataset } from "../../../src/core/load-dataset";
import type { Dataset, Fact } from "../../../src/core/model";
import { IngestError, ingestRelease } from "../../../src/ingest";
import { isKnownTableGap } from "../../property/known-gaps";
import { firstTableLineIndex } from "../../property/release-mutations";
import { Tally, yielder, type ClassResult } from "./tally";

export const INGEST_BUDGET_MS = 3_000;

const identity = (fact: Fact): string => [fact.item, fact.period, fact.currency ?? "", fact.basis, fact.precision].join("|");
const linesOf = (fact: Fact): number[] => [fact.source.line, ...(fact.copies ?? []).map((copy) => copy.line)];

/** The original's facts and what the judge needs of them, computed once. */
interface Original {
  dataset: Dataset;
  text: string;
  lines: string[];
  tablesStart: number;
  values: Map<string, string>;
  /** item|period|currency of figures that a table (or a derivation) states: the prose restating them is checked. */
  stated: Set<string>;
  items: string;
  periods: string;
  definitions: Map<string, string | null>;
}

function original(text: string, dataset: Dataset): Original {
  return {
    dataset,
    text,
    lines: text.split("\n"),
    tablesStart: firstTableLineIndex(text.split("\n")) + 1,
    values: new Map(dataset.facts.map((fact) => [identity(fact), fact.value])),
    stated: new Set(dataset.facts.filter((fact) => fact.basis !== "narrative").map((fact) => `${fact.item}|${fact.period}|${fact.currency ?? ""}`)),
    items: dataset.items.map((item) => item.id).join(","),
    periods: dataset.periods.map((period) => period.id).join(","),
    definitions: new Map(dataset.items.map((item) => [item.id, item.definition])),
  };
}

/** Whether no check of this release can see a change to this figure (the measured exceptions). */
function unseeable(base: Original, fact: Fact): boolean {
  if (fact.basis === "narrative") return !base.stated.has(`${fact.item}|${fact.period}|${fact.currency ?? ""}`);
  if (fact.basis === "reported") return isKnownTableGap({ item: fact.item, column: fact.source.column ?? null });
  // Derived from a known gap (basic ADS = basic shares ÷ 2): the figure it is derived from is on the same line.
  const from = base.dataset.facts.find((other) => other.basis === "reported" && other.source.line === fact.source.line && isKnownTableGap({ item: other.item, column: other.source.column ?? null }));
  return from !== undefined;
}

/** The W1–W8 findings of an accepted mutation of 1-based line `line`, empty when it is faithful. */
export function wrongData(base: Original, mutated: Dataset, line: number, context?: [string, string]): string[] {
  const found: string[] = [];
  const present = new Set<string>();
  for (const fact of mutated.facts) {
    const key = identity(fact);
    present.add(key);
    const before = base.values.get(key);
    if (before === fact.value) continue;
    const what = `${fact.item} ${fact.period}${fact.currency ? ` ${fact.currency}` : ""} (${fact.basis}, line ${fact.source.line}): ${before ?? "(no such figure)"} → ${fact.value}`;
    if (!unseeable(base, fact)) found.push(`W1 ${what}`);
    else if (!linesOf(fact).includes(line)) found.push(`W2 ${what}, not on the mutated line ${line}`);
  }
  // A figure only the prose states may move to another date when the date on its own line is what changed
  // ("repurchased … as of August 18" → "August 19"): the same item, currency and line, another period.
  const moved = new Set<string>();
  for (const fact of base.dataset.facts) {
    const key = identity(fact);
    if (present.has(key)) continue;
    const elsewhere = mutated.facts.find((other) => other.item === fact.item && other.currency === fact.currency && other.basis === fact.basis && other.source.line === fact.source.line && other.period !== fact.period);
    if (unseeable(base, fact) && linesOf(fact).includes(line) && elsewhere) {
      moved.add(fact.period).add(elsewhere.period);
      continue;
    }
    found.push(`W3 ${key} is missing`);
  }
  const failing = mutated.checks.filter((check) => check.status !== "pass").length;
  if (mutated.checks.length < base.dataset.checks.length || failing > 0) found.push(`W4 ${mutated.checks.length - failing} passing checks of ${base.dataset.checks.length}`);
  try {
    loadDataset(JSON.parse(JSON.stringify(mutated)));
  } catch (error) {
    found.push(`W5 the loader refuses it: ${String(error).slice(0, 200)}`);
  }
  if (mutated.items.map((item) => item.id).join(",") !== base.items) found.push("W6 other items");
  const before = new Set(base.periods.split(","));
  const after = new Set(mutated.periods.map((period) => period.id));
  const changedPeriods = [...before, ...after].filter((id) => before.has(id) !== after.has(id) && !moved.has(id));
  if (changedPeriods.length > 0) found.push(`W6 periods added or lost: ${changedPeriods.join(", ")}`);
  // A definition may change only where it holds the text around the change (a footnote's own words).
  const around = (context ?? ["", ""]).map((part) => part.trim()).filter((part) => part.length >= 4);
  for (const item of mutated.items) {
    const was = base.definitions.get(item.id) ?? null;
    if (was === item.definition) continue;
    if (item.definition === null) found.push(`W7 the definition of ${item.id} vanished`);
    else if (was === null || !around.some((part) => was.includes(part))) found.push(`W7 the definition of ${item.id} changed, and the text around the change (line ${line}) is not part of it`);
  }
  if (line >= base.tablesStart) {
    const [was, now] = [base.dataset.releases[0], mutated.releases[0]];
    for (const field of ["id", "date", "company", "title", "usdRate"] as const) {
      if (was?.[field] !== now?.[field]) found.push(`W8 release ${field} ${String(was?.[field])} → ${String(now?.[field])} from a table line`);
    }
  }
  return found;
}

export interface Mutation {
  kind: string;
  description: string;
  /** 1-based line of the change (0 for a whole-file change). */
  line: number;
  text: string;
  /** The original text just before and just after the change, within its line (for W7). */
  context?: [string, string];
}

/** Up to 12 characters of `text` on each side of offset `at` (and `end`), not crossing a line break. */
function contextAt(text: string, at: number, end = at + 1): [string, string] {
  const before = text.slice(Math.max(0, at - 12), at);
  const after = text.slice(end, end + 12);
  return [before.slice(before.lastIndexOf("\n") + 1), after.split("\n")[0] ?? ""];
}

/** Every digit of the text, changed twice: to the next digit, and by a seeded shift of 2–9. */
export function digitMutations(text: string, seed: number): Mutation[] {
  const shifts = fc.sample(fc.integer({ min: 2, max: 9 }), { seed, numRuns: text.length });
  const mutations: Mutation[] = [];
  let line = 1;
  for (let at = 0; at < text.length; at++) {
    const char = text[at] as string;
    if (char === "\n") line++;
    if (char < "0" || char > "9") continue;
    for (const [kind, shift] of [["digit +1", 1], ["digit +k", shifts[at] ?? 5]] as const) {
      const digit = String((Number(char) + shift) % 10);
      mutations.push({ kind, description: `line ${line}, column ${at - text.lastIndexOf("\n", at - 1)}: ${char} → ${digit}`, line, text: `${text.slice(0, at)}${digit}${text.slice(at + 1)}`, context: contextAt(text, at) });
    }
  }
  return mutations;
}

/** Characters a damaged copy could hold instead of the right one. */
const PALETTE = ["0", "1", "7", "9", "O", "l", "I", "a", "x", ",", ".", "(", ")", "%", "-", "$", " ", "\t", "\n", "\r", "\u0000", "\u0007", "\u00a0", "\ufffd", "\ud800", "\u200b", "\ufeff", "\u2212", "'", '"', ">", "|"];

/** `count` single-character changes at seeded positions: replaced, deleted, inserted, doubled, or swapped with the next. */
export function characterMutations(text: string, count: number, seed: number): Mutation[] {
  const arbitrary = fc.tuple(fc.nat({ max: text.length - 2 }), fc.constantFrom("replaced", "deleted", "inserted", "doubled", "swapped"), fc.constantFrom(...PALETTE));
  const lineAt = (at: number): number => text.slice(0, at).split("\n").length;
  return fc.sample(arbitrary, { seed, numRuns: count }).map(([at, how, char]) => {
    const old = text[at] as string;
    const shown = JSON.stringify(old);
    const made =
      how === "replaced"
        ? { text: `${text.slice(0, at)}${char === old ? "#" : char}${text.slice(at + 1)}`, what: `${shown} → ${JSON.stringify(char === old ? "#" : char)}` }
        : how === "deleted"
          ? { text: `${text.slice(0, at)}${text.slice(at + 1)}`, what: `${shown} deleted` }
          : how === "inserted"
            ? { text: `${text.slice(0, at)}${char}${text.slice(at)}`, what: `${JSON.stringify(char)} inserted before ${shown}` }
            : how === "doubled"
              ? { text: `${text.slice(0, at)}${old}${text.slice(at)}`, what: `${shown} doubled` }
              : { text: `${text.slice(0, at)}${text[at + 1] ?? ""}${old}${text.slice(at + 2)}`, what: `${shown} swapped with ${JSON.stringify(text[at + 1])}` };
    return { kind: `character ${how}`, description: `line ${lineAt(at)}, offset ${at}: ${made.what}`, line: lineAt(at), text: made.text, context: contextAt(text, at, how === "swapped" ? at + 2 : at + 1) };
  });
}

/** Whole-file variants: each is the release as another tool might have saved it, or a piece of it. */
export function fileVariants(text: string): Mutation[] {
  const lines = text.split("\n");
  const whole = (kind: string, variant: string): Mutation => ({ kind: "whole file", description: kind, line: 0, text: variant });
  const cut = (fraction: number): Mutation => whole(`cut at ${Math.round(fraction * 100)}% of its lines`, lines.slice(0, Math.floor(lines.length * fraction)).join("\n"));
  return [
    whole("CRLF line endings", text.replace(/\n/g, "\r\n")),
    whole("a UTF-8 byte-order mark", `\ufeff${text}`),
    whole("trailing spaces on every line", lines.map((line) => `${line}  `).join("\n")),
    whole("no final newline", text.replace(/\n+$/, "")),
    whole("every tab a space", text.replace(/\t/g, " ")),
    whole("every tab two tabs", text.replace(/\t/g, "\t\t")),
    whole("the text twice", `${text}\n${text}`),
    whole("an empty file", ""),
    whole("a line of 1,000,000 spaces", `${text}\n${" ".repeat(1_000_000)}`),
    whole("the text as UTF-16 code units read as UTF-8", Buffer.from(text, "utf16le").toString("latin1")),
    whole("every non-breaking space a space", text.replace(/\u00a0/g, " ")),
    whole("every minus sign U+2212", text.replace(/\(([\d,]+)\)/g, "\u2212$1")),
    whole("lines reversed", [...lines].reverse().join("\n")),
    whole("the tables only", lines.slice(firstTableLineIndex(lines)).join("\n")),
    whole("the prose only", lines.slice(0, firstTableLineIndex(lines)).join("\n")),
    ...[0.1, 0.25, 0.5, 0.75, 0.9, 0.99].map(cut),
  ];
}

export interface ReleaseProbeOptions {
  text: string;
  /** The original release's own ingest. */
  dataset: Dataset;
  mutations: readonly Mutation[];
  seed: number;
  budgetMs?: number;
}

export async function probeRelease({ text, dataset, mutations, seed, budgetMs = INGEST_BUDGET_MS }: ReleaseProbeOptions): Promise<ClassResult> {
  const tally = new Tally("release", "single-digit and single-character mutations of the shipped release, and whole-file variants, through ingestRelease", budgetMs, seed);
  const base = original(text, dataset);
  const pause = yielder();
  let accepted = 0;
  let changedUnseeable = 0;
  for (const mutation of mutations) {
    const started = performance.now();
    let mutated: Dataset;
    try {
      mutated = ingestRelease(mutation.text, { file: "probe/mutated-release.txt" });
    } catch (error) {
      tally.record(mutation.kind, mutation.description, "refused", performance.now() - started);
      if (!(error instanceof IngestError)) tally.fail("other", `${mutation.description}: ingest threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      await pause();
      continue;
    }
    tally.record(mutation.kind, mutation.description, "answered", performance.now() - started);
    accepted++;
    const wrong = wrongData(base, mutated, mutation.line, mutation.context);
    if (wrong.length > 0) tally.fail("wrongDataAccepted", `${mutation.kind}, ${mutation.description}: ${wrong.slice(0, 3).join("; ")}`);
    else if (mutated.facts.some((fact) => base.values.get(identity(fact)) !== fact.value)) changedUnseeable++;
    await pause();
  }
  tally.note(`accepted ${accepted}; of these, ${changedUnseeable} changed a figure no check can see (a known table gap or a prose-only figure, on the mutated line), the rest changed no figure.`);
  tally.note("wrong data accepted = W1–W8 in test/hardening/probe/class-release.ts (a seeable figure changed, a figure changed off the mutated line or missing, a check lost, the loader refusing, items, periods, definitions or release facts changed where they must not).");
  return tally.finish();
}
