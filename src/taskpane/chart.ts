/**
 * A small line chart of an item across periods, drawn as inline SVG (no chart library): the geometry is pure,
 * the drawing creates SVG elements with text nodes only.
 */
import type { ChartPoint } from "./item-details";

const SVG = "http://www.w3.org/2000/svg";

export interface ChartGeometry {
  width: number;
  height: number;
  /** Point positions, left to right in period order. */
  points: { x: number; y: number; label: string; value: number }[];
  /** y of the zero line when zero lies inside the range, else null. */
  zeroY: number | null;
}

/**
 * Scales points into a box with a margin; a flat series sits in the middle.
 *
 * @example
 * chartGeometry([{ label: "Q1", value: 1 }, { label: "Q2", value: 3 }], 100, 50).points.map((p) => p.y) // [42, 8]
 */
export function chartGeometry(points: readonly ChartPoint[], width: number, height: number, margin = 8): ChartGeometry {
  const values = points.map((point) => point.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min;
  const innerWidth = width - 2 * margin;
  const innerHeight = height - 2 * margin;
  const y = (value: number): number => (span === 0 ? height / 2 : margin + innerHeight * (1 - (value - min) / span));
  return {
    width,
    height,
    points: points.map((point, position) => ({
      x: points.length === 1 ? width / 2 : margin + (innerWidth * position) / (points.length - 1),
      y: y(point.value),
      label: point.label,
      value: point.value,
    })),
    zeroY: min < 0 && max > 0 ? y(0) : null,
  };
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  return element;
}

/** Draws the chart; `description` becomes its accessible name. Each point carries its label and value as a tooltip. */
export function renderChart(points: readonly ChartPoint[], description: string, format: (value: number) => string): SVGSVGElement {
  const geometry = chartGeometry(points, 300, 90);
  const root = svg("svg", { viewBox: `0 0 ${geometry.width} ${geometry.height + 16}`, role: "img", class: "chart", "aria-label": description });
  const title = svg("title", {});
  title.textContent = description;
  root.append(title);
  if (geometry.zeroY !== null) root.append(svg("line", { x1: 0, x2: geometry.width, y1: geometry.zeroY, y2: geometry.zeroY, class: "chart-zero" }));
  if (geometry.points.length > 1) {
    root.append(svg("polyline", { points: geometry.points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" "), class: "chart-line" }));
  }
  geometry.points.forEach((point, position) => {
    const dot = svg("circle", { cx: point.x.toFixed(1), cy: point.y.toFixed(1), r: 3, class: "chart-dot" });
    const tip = svg("title", {});
    tip.textContent = `${point.label}: ${format(point.value)}`;
    dot.append(tip);
    root.append(dot);
    const first = position === 0;
    const last = position === geometry.points.length - 1;
    if (first || last) {
      const label = svg("text", { x: point.x.toFixed(1), y: geometry.height + 12, class: "chart-label", "text-anchor": first && !last ? "start" : last && !first ? "end" : "middle" });
      label.textContent = point.label;
      root.append(label);
    }
  });
  return root;
}
