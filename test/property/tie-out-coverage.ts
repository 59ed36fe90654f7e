/**
 * Tie-out coverage of the shipped release: for every numeric cell of its tables (and every figure of its prose), change
 * the figure by one unit in its last printed digit, up and down, ingest, and record what was not refused. Renders
 * the result as docs/tie-out-coverage.md. Deterministic: the same release and ingest give the same report.
 */
import type { Dataset } from "../../src/core/model";
import {
  bumpLastDigit,
  checksThatSawTheChange,
  judgeIngest,
  narrativeFigures,
  replaceField,
  replaceNarrative,
  tableFigures,
  type IngestOutcome,
  type WrongFigure,
  type NarrativeFigure,
  type TableFigure,
} from "./release-mutations";

type Delta = 1 | -1;

export interface AcceptedChange {
  delta: Delta;
  mutated: string;
  outcome: "faithful" | "wrong";
  /** Checks whose message quoted the changed figure and still passed. */
  sawIt: string[];
}

export interface TableFigureCoverage {
  figure: TableFigure;
  /** The ±1 changes that ingest accepted. */
  accepted: AcceptedChange[];
  /** For figures with an accepted change: how far the figure can move (in units of the last digit) and still pass. */
  slack: { down: number; up: number } | null;
}

export interface NarrativeFigureCoverage {
  figure: NarrativeFigure;
  accepted: (AcceptedChange & { wrong: WrongFigure[] })[];
}

export interface TieOutCoverage {
  tables: TableFigureCoverage[];
  narrative: NarrativeFigureCoverage[];
  /** Ingests that threw something other than an IngestError. */
  crashes: string[];
  ingests: number;
}

/** How many units a figure can move in one direction and still be accepted: gallop, then bisect. */
function slackOf(original: Dataset, text: string, figure: TableFigure, direction: Delta, count: { ingests: number }): number {
  const acceptedAt = (units: number): boolean => {
    const printed = bumpLastDigit(figure.printed, direction * units);
    if (printed === null) return false;
    count.ingests++;
    return judgeIngest(original, replaceField(text, figure, printed)).kind !== "refused";
  };
  let low = 0;
  let high = 1;
  while (high <= 1 << 26 && acceptedAt(high)) [low, high] = [high, high * 2];
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (acceptedAt(middle)) low = middle;
    else high = middle;
  }
  return low;
}

function accepted(original: Dataset, outcome: IngestOutcome, delta: Delta, mutated: string): (AcceptedChange & { wrong: WrongFigure[] }) | null {
  if (outcome.kind === "refused" || outcome.kind === "crashed") return null;
  return {
    delta,
    mutated,
    outcome: outcome.kind,
    sawIt: checksThatSawTheChange(original, outcome.dataset),
    wrong: outcome.kind === "wrong" ? outcome.wrong : [],
  };
}

/** Runs every ±1 mutation of every table and narrative figure of `text` against `original` (its own ingest). */
export function measureTieOutCoverage(text: string, original: Dataset): TieOutCoverage {
  const count = { ingests: 0 };
  const crashes: string[] = [];
  const run = (mutatedText: string, what: string): IngestOutcome => {
    count.ingests++;
    const outcome = judgeIngest(original, mutatedText);
    if (outcome.kind === "crashed") crashes.push(`${what}: ${String(outcome.error)}`);
    return outcome;
  };

  const tables = tableFigures(text, original).map((figure): TableFigureCoverage => {
    const changes: AcceptedChange[] = [];
    for (const delta of [1, -1] as const) {
      const mutated = bumpLastDigit(figure.printed, delta);
      if (mutated === null) continue;
      const change = accepted(original, run(replaceField(text, figure, mutated), `line ${figure.line} ${figure.printed} → ${mutated}`), delta, mutated);
      if (change) changes.push({ delta: change.delta, mutated: change.mutated, outcome: change.outcome, sawIt: change.sawIt });
    }
    const slack = changes.length === 0 ? null : { down: slackOf(original, text, figure, -1, count), up: slackOf(original, text, figure, 1, count) };
    return { figure, accepted: changes, slack };
  });

  const narrative = narrativeFigures(text).map((figure): NarrativeFigureCoverage => {
    const changes: (AcceptedChange & { wrong: WrongFigure[] })[] = [];
    for (const delta of [1, -1] as const) {
      const mutated = bumpLastDigit(figure.printed, delta);
      if (mutated === null) continue;
      const change = accepted(original, run(replaceNarrative(text, figure, mutated), `line ${figure.line} ${figure.printed} → ${mutated}`), delta, mutated);
      if (change) changes.push(change);
    }
    return { figure, accepted: changes };
  });

  return { tables, narrative, crashes, ingests: count.ingests };
}

/** Share of table figures whose every ±1 change is refused. */
export function tableCoverageShare(coverage: TieOutCoverage): { covered: number; total: number } {
  return { covered: coverage.tables.filter((entry) => entry.accepted.length === 0).length, total: coverage.tables.length };
}

// ---- The report -----------------------------------------------------------------------------------------------

/** What each check compares, for explaining why a change it saw still passed. */
const CHECK_TOLERANCE: Record<string, string> = {
  per_share:
    "per share = net income attributable ÷ weighted shares, compared after rounding to the cent, so every share count in the accepted range gives the printed EPS",
  ads_count:
    "diluted ADS = diluted shares ÷ 2 rounded half up, so two adjacent share counts (2k − 1 and 2k) give the same ADS count",
  stated_ratio:
    "a growth rate or share the prose states is compared with the figures it relates at the precision both are printed to, which leaves room for a change of one unit",
  narrative: "the prose restates the figure at a coarser precision",
};

const percent = (covered: number, total: number): string => `${((covered / total) * 100).toFixed(2)}%`;
const escapeCell = (text: string): string => text.replace(/\|/g, "\\|");
const signed = (delta: number): string => (delta > 0 ? `+${delta}` : `${delta}`);

function whyTable(entry: TableFigureCoverage, original: Dataset): string {
  const facts = original.facts.filter((fact) => fact.item === entry.figure.item && fact.basis === "reported" && fact.source.line === entry.figure.line && fact.source.column === entry.figure.column);
  const printedOnce = facts.every((fact) => (fact.copies ?? []).length === 0);
  const saw = [...new Set(entry.accepted.flatMap((change) => change.sawIt))];
  const parts: string[] = [];
  parts.push(printedOnce ? "Printed once (no other column or table repeats it, so no copy can disagree)." : "Printed more than once, yet the copies were not compared.");
  if (saw.length === 0) parts.push("No check involves it: no total sums it, no conversion or ratio uses it.");
  else parts.push(`Only ${saw.map((name) => `\`${name}\``).join(" and ")} see${saw.length === 1 ? "s" : ""} it: ${saw.map((name) => CHECK_TOLERANCE[name] ?? "compared at a rounded precision").join("; ")}.`);
  return parts.join(" ");
}

/** docs/tie-out-coverage.md, from a measurement. */
export function renderCoverageReport(coverage: TieOutCoverage, original: Dataset, releaseFile: string): string {
  const { covered, total } = tableCoverageShare(coverage);
  const gaps = coverage.tables.filter((entry) => entry.accepted.length > 0);
  const tableMutations = coverage.tables.reduce((sum, entry) => sum + (bumpLastDigit(entry.figure.printed, -1) === null ? 1 : 2), 0);
  const acceptedTable = gaps.reduce((sum, entry) => sum + entry.accepted.length, 0);

  const narrativeMutations = coverage.narrative.reduce((sum, entry) => sum + (bumpLastDigit(entry.figure.printed, -1) === null ? 1 : 2), 0);
  const narrativeWrong = coverage.narrative.filter((entry) => entry.accepted.some((change) => change.outcome === "wrong"));
  const narrativeHarmless = coverage.narrative.filter((entry) => entry.accepted.length > 0 && entry.accepted.every((change) => change.outcome === "faithful"));
  const narrativeCovered = coverage.narrative.filter((entry) => entry.accepted.length === 0).length;
  const release = original.releases[0];

  const lines: string[] = [
    "# Tie-out coverage of the shipped release",
    "",
    "<!-- Generated by test/property/tie-out-coverage.test.ts; do not edit by hand. Regenerate with",
    "     QFIN_WRITE_TIE_OUT_COVERAGE=1 npx jest test/property/tie-out-coverage.test.ts -->",
    "",
    `Release: \`${releaseFile}\` (${release?.id ?? "?"}, sha256 \`${release?.sha256.slice(0, 12) ?? "?"}…\`).`,
    "",
    "**Method.** Every numeric cell of the release's tables (each tab-separated field after the row label, on every",
    "line after the first table caption, header years excepted) is changed by one unit in its last printed digit,",
    "once up and once down (`7,165,584` → `7,165,585` and `7,165,583`; `3.40` → `3.41` and `3.39`; `23.3%` →",
    "`23.4%` and `23.2%`), and the release is ingested again. A change is *seen* when ingest refuses it. A figure is",
    "*covered* when both of its changes are refused, i.e. at least one tie-out check depends on it exactly.",
    "",
    "## Table figures",
    "",
    `- Table figures: **${total}**; single-digit mutations ingested: **${tableMutations}**; refused: **${tableMutations - acceptedTable}**.`,
    `- Figures whose every ±1 change is refused: **${covered} of ${total} (${percent(covered, total)})**.`,
    `- Figures with a change that ingest accepts (a silently wrong figure): **${gaps.length}**.`,
    "",
  ];
  if (gaps.length > 0) {
    lines.push(
      "| table | row | column | line | item | printed | accepted change | accepted range (units) | why no check sees it |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const entry of gaps) {
      const { figure } = entry;
      const changes = entry.accepted.map((change) => `${signed(change.delta)} → \`${change.mutated}\``).join(", ");
      const range = entry.slack ? `${signed(-entry.slack.down)} … ${signed(entry.slack.up)}` : "";
      lines.push(
        `| ${escapeCell(figure.table ?? "(not parsed)")} | ${escapeCell(figure.row ?? "")} | ${escapeCell(figure.column ?? "")} | ${figure.line} | \`${figure.item ?? ""}\` | \`${figure.printed}\` | ${changes} | ${range} | ${escapeCell(whyTable(entry, original))} |`,
      );
    }
    lines.push(
      "",
      "The accepted range is how far the figure can move (in units of its last digit) with every check still passing:",
      "the size of the wrong figure ingest would store without complaint. A figure printed once and used only through",
      "rounded ratios cannot be pinned down exactly by any check of this release: closing such a gap takes a second",
      "statement of the figure (another column, table or release that repeats it) or recording it as bounded by the",
      "checks rather than tied out.",
      "",
    );
  }

  lines.push(
    "## Narrative figures",
    "",
    "The same mutation applied to every figure of the prose before the tables (numbers with a decimal point or",
    "grouping, or followed by %, million or billion).",
    "",
    `- Narrative figures: **${coverage.narrative.length}**; mutations ingested: **${narrativeMutations}**.`,
    `- Every change refused: **${narrativeCovered}** (the prose restates a table or derived figure, or a checked total).`,
    `- A change accepted but no stored figure changed: **${narrativeHarmless.length}** (stated growth rates and shares, which are checked against the figures they relate within rounding and are not stored as figures).`,
    `- A change accepted and stored as a wrong figure: **${narrativeWrong.length}**. These are figures the prose is the only source of (KPIs, capital return, outlook): the release states them once, so no check can compare them with anything; where the prose also states a growth rate from them, the rate's rounding leaves room for a one-unit change.`,
    "",
  );
  if (narrativeWrong.length > 0) {
    lines.push("| line | printed | accepted change | stored as | checks that saw it |", "| --- | --- | --- | --- | --- |");
    for (const entry of narrativeWrong) {
      const wrong = entry.accepted.filter((change) => change.outcome === "wrong");
      const items = [...new Set(wrong.flatMap((change) => change.wrong.map(({ fact }) => [fact.item, fact.period, fact.currency, fact.basis].filter(Boolean).join(" "))))];
      const saw = [...new Set(wrong.flatMap((change) => change.sawIt))];
      lines.push(
        `| ${entry.figure.line} | \`${entry.figure.printed}\` | ${wrong.map((change) => `${signed(change.delta)} → \`${change.mutated}\``).join(", ")} | ${escapeCell(items.map((item) => `\`${item}\``).join(", "))} | ${saw.length > 0 ? saw.map((name) => `\`${name}\``).join(", ") : "none"} |`,
      );
    }
    lines.push("");
  }
  if (coverage.crashes.length > 0) {
    lines.push("## Crashes", "", "Mutations on which ingest threw something other than an `IngestError`:", "", ...coverage.crashes.map((crash) => `- ${escapeCell(crash)}`), "");
  }
  return lines.join("\n");
}
