/**
 * The details panel: an item's short name with the release's label beside it, a chart, its figures by period in RMB
 * and US$ (how each was obtained marked) in a grid that runs in order and marks the periods the data lacks, growth
 * and margin (stated ones marked, n.m. where not meaningful), its definition, and the source of the selected period's
 * figures, once. Text nodes only.
 */
import { MARKERS } from "../core/figures";
import { el } from "./dom";
import { chartSeries, type FigureOrigin, type FigureView, type GridLine, type ItemDetails, type PeriodRow, type RatioView } from "./item-details";
import { renderChart } from "./chart";
import type { Provenance } from "../core/model";

const ORIGIN_MARKS: Record<Exclude<FigureOrigin, "reported">, { mark: string; words: string }> = {
  derived: { mark: "D", words: "derived from reported figures" },
  narrative: { mark: "N", words: "from the release's narrative (rounded)" },
  converted: { mark: "C", words: "converted to US$ at the release's rate" },
};

const CURRENCY_HEADINGS = { RMB: "RMB", USD: "US$" } as const;

function mark(letter: string, words: string): HTMLElement {
  return el("abbr", { className: "origin-mark", attrs: { title: words } }, letter);
}

function figureCell(figure: FigureView | null): HTMLElement {
  if (figure === null) return el("td", { className: "num empty" }, "–");
  const cell = el("td", { className: `num origin-${figure.origin}` }, figure.text);
  if (figure.origin !== "reported") cell.append(" ", mark(ORIGIN_MARKS[figure.origin].mark, ORIGIN_MARKS[figure.origin].words));
  return cell;
}

function ratioCell(ratio: RatioView | null): HTMLElement {
  if (ratio === null) return el("td", { className: "num empty" }, "–");
  if (ratio.text === MARKERS.notMeaningful) return el("td", { className: "num nm" }, el("abbr", { attrs: { title: ratio.how } }, MARKERS.notMeaningful));
  const cell = el("td", { className: "num", attrs: { title: ratio.how } }, ratio.text);
  if (ratio.stated) cell.append(" ", mark("S", "stated in the release, returned as printed"));
  return cell;
}

/** Where a figure comes from, as one list: the table, row and line once, then what each currency's column printed. */
function sourceList(row: PeriodRow, details: ItemDetails): HTMLElement {
  const list = el("dl", { className: "source-list" });
  const add = (term: string, value: string | undefined): void => {
    if (value) list.append(el("dt", {}, term), el("dd", {}, value));
  };
  const figures = details.currencies.length === 0 ? [row.rmb] : details.currencies.map((currency) => (currency === "RMB" ? row.rmb : row.usd));
  const [first] = figures.filter((figure): figure is FigureView => figure !== null);
  if (first === undefined) return list;
  const source: Provenance = first.provenance;
  add("Basis", first.origin);
  add("Table", source.table);
  add("Row", source.row);
  add("Release line", `${source.line} (release ${source.release})`);
  add("Sentence", source.sentence);
  add("Formula", source.formula);
  details.currencies.forEach((currency, position) => {
    const figure = figures[position];
    if (!figure) return;
    const heading = CURRENCY_HEADINGS[currency];
    if (figure.conversion !== null) add(heading, figure.conversion);
    else add(heading, [figure.provenance.column, figure.provenance.printed ? `printed ${figure.provenance.printed}` : undefined].filter(Boolean).join(" · "));
  });
  if (details.currencies.length === 0) add("Printed", source.printed);
  return list;
}

export interface DetailsHandlers {
  onSelectPeriod(row: PeriodRow): void;
}

/** The period grid: one body per group (quarters, half years, …), a gap line where the data lacks a period. */
function grid(
  details: ItemDetails,
  caption: string,
  headings: string[],
  cells: (row: PeriodRow) => HTMLElement[],
  firstCell: (row: PeriodRow) => HTMLElement,
  /** Whether a group is shown: when one of its lines passes. */
  include: (line: GridLine) => boolean,
): HTMLTableElement {
  const table = el(
    "table",
    { className: "figures", attrs: { "aria-label": caption } },
    el("thead", {}, el("tr", {}, el("th", { attrs: { scope: "col" } }, "Period"), ...headings.map((heading) => el("th", { className: "num", attrs: { scope: "col" } }, heading)))),
  );
  for (const group of details.groups) {
    const lines = group.lines;
    if (!lines.some(include)) continue;
    const body = el("tbody", {}, el("tr", { className: "group" }, el("th", { attrs: { scope: "rowgroup", colspan: String(headings.length + 1) } }, group.title)));
    for (const line of lines) {
      if (line.kind === "gap") {
        body.append(el("tr", { className: "gap", attrs: { "data-period": line.id } }, el("th", { attrs: { scope: "row" } }, line.label), el("td", { attrs: { colspan: String(headings.length) } }, "not in the data")));
        continue;
      }
      body.append(el("tr", { attrs: { "data-period": line.row.period.id } }, firstCell(line.row), ...cells(line.row)));
    }
    table.append(body);
  }
  return table;
}

/** Draws the details of an item with `selectedPeriod` highlighted and its sources shown. */
export function renderDetails(container: HTMLElement, details: ItemDetails, selectedPeriod: string | null, handlers: DetailsHandlers): void {
  const { item } = details;
  const heading = el("h2", { attrs: { id: "details-title", tabindex: "-1" } }, details.title);
  const releaseLabel = details.title === item.label ? null : el("p", { className: "release-label" }, `In the release: “${item.label}”`);
  const context = el("p", { className: "context" }, details.context);
  const meta = el(
    "p",
    { className: "meta" },
    el("fluent-badge", { attrs: { appearance: "tint", size: "small" } }, details.unitNote),
    " ",
    el("code", { className: "typeable", attrs: { title: "The name formulas use" } }, details.name),
  );

  const series = chartSeries(details);
  const chart =
    series.slots.filter((slot) => slot.value !== null).length >= 2
      ? renderChart(series, `${details.title}, ${details.unit}`)
      : null;

  const periodButton = (row: PeriodRow): HTMLElement => {
    const selected = row.period.id === selectedPeriod;
    const button = el("button", { className: "period", attrs: { type: "button", "aria-pressed": selected ? "true" : "false", "data-period": row.period.id } }, row.period.label);
    button.addEventListener("click", () => handlers.onSelectPeriod(row));
    return el("th", { attrs: { scope: "row" } }, button);
  };
  const figureHeadings = details.currencies.length === 0 ? ["Value"] : details.currencies.map((currency) => CURRENCY_HEADINGS[currency]);
  const figures = grid(
    details,
    `${details.title}: figures by period`,
    figureHeadings,
    (row) => (details.currencies.length === 0 ? [figureCell(row.rmb)] : details.currencies.map((currency) => figureCell(currency === "RMB" ? row.rmb : row.usd))),
    periodButton,
    (line) => line.kind === "period",
  );
  figures.querySelector(`tr[data-period="${CSS.escape(selectedPeriod ?? "")}"]`)?.classList.add("selected");
  figures.classList.add("figures-main");

  const withRatios = details.rows.filter((row) => row.yoy !== null || row.qoq !== null || row.margin !== null);
  const hasMargin = withRatios.some((row) => row.margin !== null);
  const ratios =
    withRatios.length === 0
      ? null
      : grid(
          details,
          `${details.title}: growth${hasMargin ? " and margin" : ""}`,
          ["YoY", "QoQ", ...(hasMargin ? ["Margin"] : [])],
          (row) => [ratioCell(row.yoy), ratioCell(row.qoq), ...(hasMargin ? [ratioCell(row.margin)] : [])],
          (row) => el("th", { attrs: { scope: "row" } }, row.period.label),
          (line) => line.kind === "period" && (line.row.yoy !== null || line.row.qoq !== null || line.row.margin !== null),
        );
  ratios?.classList.add("ratios");

  const legend = el("p", { className: "legend" }, "D derived · N narrative (rounded) · C converted at the release's US$ rate · S stated in the release · n.m. not meaningful · unmarked: printed in a table");
  const definition = el("section", { className: "definition", attrs: { "aria-label": "Definition" } }, el("h3", {}, "Definition"), el("p", {}, details.definition));

  const selectedRow = details.rows.find((row) => row.period.id === selectedPeriod) ?? null;
  const sources = el("section", { className: "sources", attrs: { "aria-label": "Source" } }, el("h3", {}, selectedRow ? `Source · ${selectedRow.period.label}` : "Source"));
  if (selectedRow) sources.append(sourceList(selectedRow, details));

  container.replaceChildren(heading, ...(releaseLabel ? [releaseLabel] : []), context, meta, chart ?? "", figures, legend, ...(ratios ? [el("h3", {}, "Growth and margin"), ratios] : []), sources, definition);
}
