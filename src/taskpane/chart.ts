/**
 * A small chart of an item across periods, drawn as inline SVG (no chart library): bars for flows, a line for balances
 * and rates, each value written on it, a y axis with round ticks, one slot per period so a quarter the data lacks
 * stays a visible gap ("no data") instead of closing up. The geometry is pure; the drawing creates SVG elements with
 * text nodes only. Screen readers get the same figures as a table (the SVG itself is hidden from them).
 */
import { andList } from "../core/messages";
import { el } from "./dom";
import type { ChartSeries } from "./item-details";

const SVG = "http://www.w3.org/2000/svg";

export interface ChartBox {
  width: number;
  height: number;
  /** Room for the axis labels on the left, the values above and the period labels below. */
  left: number;
  top: number;
  bottom: number;
  right: number;
}

export const CHART_BOX: ChartBox = { width: 300, height: 132, left: 38, top: 14, bottom: 20, right: 4 };

export interface SlotGeometry {
  label: string;
  /** The short label under the axis ("Q1'22"), or "" where labels are thinned out. */
  axisLabel: string;
  /** Centre of the slot. */
  x: number;
  /** Where the value sits (bar top or point); null for a gap. */
  y: number | null;
  value: number | null;
  text: string | null;
}

export interface ChartGeometry {
  box: ChartBox;
  kind: ChartSeries["kind"];
  slotWidth: number;
  /** y of the bars' base (zero, or the bottom when every value is positive for a line). */
  baseY: number;
  ticks: { y: number; text: string }[];
  slots: SlotGeometry[];
}

/** Round tick values covering [min, max]: steps of 1, 2, 2.5 or 5 times a power of ten, about six ticks. */
export function niceTicks(min: number, max: number): number[] {
  if (min === max) return [min];
  const rough = (max - min) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power) as number;
  const ticks: number[] = [];
  for (let tick = Math.floor(min / step) * step; tick <= max + step * 1e-9; tick += step) ticks.push(Number(tick.toPrecision(12)));
  if ((ticks[ticks.length - 1] as number) < max) ticks.push(Number(((ticks[ticks.length - 1] as number) + step).toPrecision(12)));
  return ticks;
}

/** "Q1 2022" → "Q1'22", "H1 2023" → "H1'23", "Jun 30, 2023" → "Jun'23". */
export function shortPeriodLabel(label: string): string {
  const period = /^([QH][1-4]|9M|FY) (\d{2})(\d{2})$/.exec(label);
  if (period) return `${period[1]}'${period[3]}`;
  const date = /^([A-Z][a-z]{2}) \d{1,2}, \d{2}(\d{2})$/.exec(label);
  return date ? `${date[1]}'${date[2]}` : label;
}

const tickText = (value: number): string => {
  const size = Math.abs(value);
  if (size >= 10_000) return new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(value);
  return value.toLocaleString("en-US", { maximumFractionDigits: size >= 10 || value === 0 ? 0 : 2 });
};

/**
 * Lays the series out in the box: bars start at zero (so their heights compare), a line's axis spans its values.
 *
 * @example
 * chartGeometry({ kind: "bars", slots: [{ label: "Q1 2023", value: 1, text: "1" }, { label: "Q2 2023", value: null, text: null }] }).slots[1].y // null
 */
export function chartGeometry(series: ChartSeries, box: ChartBox = CHART_BOX): ChartGeometry {
  const values = series.slots.flatMap((slot) => (slot.value === null ? [] : [slot.value]));
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (series.kind === "bars") {
    min = Math.min(0, min);
    max = Math.max(0, max);
  } else if (min === max) {
    min -= Math.abs(min) * 0.1 || 1;
    max += Math.abs(max) * 0.1 || 1;
  }
  const tickValues = niceTicks(min, max);
  const low = Math.min(min, tickValues[0] as number);
  const high = Math.max(max, tickValues[tickValues.length - 1] as number);
  const innerHeight = box.height - box.top - box.bottom;
  const y = (value: number): number => box.top + innerHeight * (high === low ? 0.5 : 1 - (value - low) / (high - low));
  const count = Math.max(1, series.slots.length);
  const slotWidth = (box.width - box.left - box.right) / count;
  // At most about eight labels fit under the axis; beyond that every other one (always the newest).
  const every = count > 8 ? Math.ceil(count / 8) : 1;
  return {
    box,
    kind: series.kind,
    slotWidth,
    baseY: series.kind === "bars" ? y(0) : box.height - box.bottom,
    ticks: tickValues.map((value) => ({ y: y(value), text: tickText(value) })),
    slots: series.slots.map((slot, position) => ({
      label: slot.label,
      axisLabel: (count - 1 - position) % every === 0 ? shortPeriodLabel(slot.label) : "",
      x: box.left + slotWidth * (position + 0.5),
      y: slot.value === null ? null : y(slot.value),
      value: slot.value,
      text: slot.text,
    })),
  };
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, typeof value === "number" ? value.toFixed(1) : value);
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The SVG of a chart (hidden from screen readers: `chartTable` carries the same figures). */
export function renderChartSvg(geometry: ChartGeometry): SVGSVGElement {
  const { box } = geometry;
  const root = svg("svg", { viewBox: `0 0 ${box.width} ${box.height}`, class: `chart chart-${geometry.kind}`, "aria-hidden": "true", focusable: "false" });
  for (const tick of geometry.ticks) {
    root.append(svg("line", { x1: box.left, x2: box.width - box.right, y1: tick.y, y2: tick.y, class: "chart-grid" }));
    root.append(svg("text", { x: box.left - 4, y: tick.y + 3, class: "chart-tick", "text-anchor": "end" }, tick.text));
  }
  root.append(svg("line", { x1: box.left, x2: box.width - box.right, y1: geometry.baseY, y2: geometry.baseY, class: "chart-base" }));
  const barWidth = Math.min(28, geometry.slotWidth * 0.62);
  const segments: string[][] = [[]];
  for (const slot of geometry.slots) {
    if (slot.y === null) {
      root.append(svg("rect", { x: slot.x - geometry.slotWidth / 2 + 1, y: box.top, width: geometry.slotWidth - 2, height: box.height - box.top - box.bottom, class: "chart-gap" }));
      root.append(svg("text", { x: slot.x, y: (box.top + box.height - box.bottom) / 2, class: "chart-gap-label", "text-anchor": "middle" }, "no data"));
      segments.push([]);
    } else if (geometry.kind === "bars") {
      const top = Math.min(slot.y, geometry.baseY);
      root.append(svg("rect", { x: slot.x - barWidth / 2, y: top, width: barWidth, height: Math.max(1, Math.abs(geometry.baseY - slot.y)), class: (slot.value ?? 0) < 0 ? "chart-bar negative" : "chart-bar" }));
    } else {
      segments[segments.length - 1]?.push(`${slot.x.toFixed(1)},${slot.y.toFixed(1)}`);
      root.append(svg("circle", { cx: slot.x, cy: slot.y, r: 2.5, class: "chart-dot" }));
    }
    if (slot.y !== null && slot.text !== null) {
      const below = geometry.kind === "bars" && (slot.value ?? 0) < 0;
      root.append(svg("text", { x: slot.x, y: below ? slot.y + 10 : slot.y - 4, class: "chart-value", "text-anchor": "middle" }, slot.text));
    }
    if (slot.axisLabel !== "") root.append(svg("text", { x: slot.x, y: box.height - 6, class: slot.y === null ? "chart-label missing" : "chart-label", "text-anchor": "middle" }, slot.axisLabel));
  }
  // A line breaks at a gap rather than bridging the quarters the data lacks.
  for (const points of segments) if (points.length > 1) root.insertBefore(svg("polyline", { points: points.join(" "), class: "chart-line" }), root.querySelector(".chart-dot"));
  return root;
}

/**
 * The chart's figures as a table for screen readers, gaps said in words; visually hidden by its wrapper (a table
 * ignores a 1 px width and would widen the page).
 */
export function chartTable(series: ChartSeries, caption: string): HTMLElement {
  const table = el(
    "table",
    { className: "chart-data" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, el("th", { attrs: { scope: "col" } }, "Period"), el("th", { attrs: { scope: "col" } }, "Value"))),
    el("tbody", {}, ...series.slots.map((slot) => el("tr", {}, el("th", { attrs: { scope: "row" } }, slot.label), el("td", {}, slot.text ?? "not in the data")))),
  );
  return el("div", { className: "visually-hidden" }, table);
}

/**
 * The chart as a figure: a visible caption (what, in which unit, and which periods are missing), the drawing and
 * its table alternative.
 */
export function renderChart(series: ChartSeries, caption: string): HTMLElement {
  const missing = series.slots.filter((slot) => slot.value === null).map((slot) => slot.label);
  const listed = missing.length <= 3 ? andList(missing) : `${missing.length} periods`;
  const note = missing.length === 0 ? "" : ` · no data for ${listed}`;
  return el("figure", { className: "chart-figure" }, el("figcaption", {}, `${caption}${note}`), renderChartSvg(chartGeometry(series)), chartTable(series, `${caption}, by period`));
}
