/**
 * The details panel: an item's figures for every period in RMB and US$ (how each was obtained marked), growth
 * and margin, a chart, its definition and the source of the selected period's figures. Text nodes only.
 */
import { el } from "./dom";
import { chartPoints, type FigureOrigin, type FigureView, type ItemDetails, type PeriodRow } from "./item-details";
import { renderChart } from "./chart";

const ORIGIN_MARKS: Record<Exclude<FigureOrigin, "reported">, { mark: string; words: string }> = {
  derived: { mark: "D", words: "derived from reported figures" },
  narrative: { mark: "N", words: "from the release's narrative (rounded)" },
  converted: { mark: "C", words: "converted to US$ at the release's rate" },
};

function figureCell(figure: FigureView | null): HTMLElement {
  if (figure === null) return el("td", { className: "num empty" }, "–");
  const cell = el("td", { className: `num origin-${figure.origin}` }, figure.text);
  if (figure.origin !== "reported") {
    const { mark, words } = ORIGIN_MARKS[figure.origin];
    cell.append(" ", el("abbr", { className: "origin-mark", attrs: { title: words, "aria-label": words } }, mark));
  }
  return cell;
}

function sourceList(title: string, figure: FigureView): HTMLElement {
  const source = figure.provenance;
  const entries: [string, string | undefined][] = [
    ["Basis", figure.origin],
    ["Table", source.table],
    ["Row", source.row],
    ["Column", source.column],
    ["Release line", `${source.line} (release ${source.release})`],
    ["Printed", source.printed],
    ["Sentence", source.sentence],
    ["Formula", source.formula],
  ];
  const list = el("dl", { className: "source-list" });
  for (const [term, value] of entries) if (value) list.append(el("dt", {}, term), el("dd", {}, value));
  return el("div", { className: "source-block" }, el("h4", {}, title), list, el("p", { className: "source-line" }, figure.source));
}

export interface DetailsHandlers {
  onSelectPeriod(row: PeriodRow): void;
}

/** Draws the details of an item with `selectedPeriod` highlighted and its sources shown. */
export function renderDetails(container: HTMLElement, details: ItemDetails, selectedPeriod: string | null, handlers: DetailsHandlers): void {
  const { item } = details;
  const heading = el("h2", { attrs: { id: "details-title", tabindex: "-1" } }, item.label);
  const context = el("p", { className: "context" }, details.context);
  const meta = el(
    "p",
    { className: "meta" },
    el("fluent-badge", { attrs: { appearance: "tint", size: "small" } }, details.unitNote),
    " ",
    el("code", { className: "typeable", attrs: { title: "The name formulas use" } }, details.name),
  );

  const figures = el(
    "table",
    { className: "figures", attrs: { "aria-label": `${item.label}: figures by period` } },
    el("thead", {}, el("tr", {}, el("th", { attrs: { scope: "col" } }, "Period"), el("th", { className: "num", attrs: { scope: "col" } }, details.monetary ? "RMB" : "Value"), details.monetary && el("th", { className: "num", attrs: { scope: "col" } }, "US$"))),
  );
  const body = el("tbody");
  for (const row of details.rows) {
    const selected = row.period.id === selectedPeriod;
    const button = el("button", { className: "period", attrs: { type: "button", "aria-pressed": selected ? "true" : "false", "data-period": row.period.id } }, row.period.label);
    button.addEventListener("click", () => handlers.onSelectPeriod(row));
    body.append(el("tr", { className: selected ? "selected" : undefined }, el("th", { attrs: { scope: "row" } }, button), figureCell(row.rmb), details.monetary && figureCell(row.usd)));
  }
  figures.append(body);

  const withRatios = details.rows.filter((row) => row.yoy !== null || row.qoq !== null || row.margin !== null);
  const hasMargin = withRatios.some((row) => row.margin !== null);
  const ratios =
    withRatios.length === 0
      ? null
      : el(
          "table",
          { className: "figures ratios", attrs: { "aria-label": `${item.label}: growth${hasMargin ? " and margin" : ""}` } },
          el("thead", {}, el("tr", {}, el("th", { attrs: { scope: "col" } }, "Period"), el("th", { className: "num", attrs: { scope: "col" } }, "YoY"), el("th", { className: "num", attrs: { scope: "col" } }, "QoQ"), hasMargin && el("th", { className: "num", attrs: { scope: "col" } }, "Margin"))),
          el(
            "tbody",
            {},
            ...withRatios.map((row) =>
              el("tr", {}, el("th", { attrs: { scope: "row" } }, row.period.label), el("td", { className: "num" }, row.yoy ?? "–"), el("td", { className: "num" }, row.qoq ?? "–"), hasMargin && el("td", { className: "num" }, row.margin ?? "–")),
            ),
          ),
        );

  const points = chartPoints(details);
  const chart =
    points.length >= 2
      ? el(
          "figure",
          { className: "chart-figure" },
          renderChart(points, `${item.label} (${details.unitNote}), ${points[0].label} to ${points[points.length - 1].label}`, (value) => value.toLocaleString("en-US", { maximumFractionDigits: 3 })),
        )
      : null;

  const legend = el("p", { className: "legend" }, "D derived · N narrative (rounded) · C converted at the release's US$ rate · unmarked: printed in a table");
  const definition = el("section", { className: "definition", attrs: { "aria-label": "Definition" } }, el("h3", {}, "Definition"), el("p", {}, details.definition));

  const selectedRow = details.rows.find((row) => row.period.id === selectedPeriod) ?? null;
  const sources = el("section", { className: "sources", attrs: { "aria-label": "Source" } }, el("h3", {}, selectedRow ? `Source · ${selectedRow.period.label}` : "Source"));
  if (selectedRow?.rmb) sources.append(sourceList(details.monetary ? "RMB" : "Figure", selectedRow.rmb));
  if (selectedRow?.usd) sources.append(sourceList("US$", selectedRow.usd));

  container.replaceChildren(heading, context, meta, chart ?? "", figures, legend, ...(ratios ? [el("h3", {}, "Growth and margin"), ratios] : []), definition, sources);
}
