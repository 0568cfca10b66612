/** A tiny DOM builder: text always goes in as text nodes, never as HTML. */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null>;

/** `h("a", { href: "#/offers" }, "Offers")`. Boolean true sets an empty attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "object" ? child : String(child));
  }
  return el;
}

/**
 * A figure as shown, tagged with where it comes from in the report (`data-figure`, a JSON path)
 * and its raw value (`data-value`), so tests can check the page against the API.
 */
export function fig(path: string, value: unknown, text: string): HTMLSpanElement {
  return h("span", { "data-figure": path, "data-value": JSON.stringify(value ?? null) }, text);
}

/** A section titled by its `h2` heading (id `id`), which also labels it for assistive technology. */
export function section(id: string, heading: string, ...children: Child[]): HTMLElement {
  return h("section", { "aria-labelledby": id }, h("h2", { id }, heading), ...children);
}

/** A data table with a caption and column headers (scope=col), rows of cells. */
export function table(
  caption: string,
  headers: string[],
  rows: (Node | string)[][],
  options: { rowHeader?: boolean; numericFrom?: number } = {},
): HTMLElement {
  const numericFrom = options.numericFrom ?? 1;
  const head = h(
    "tr",
    {},
    ...headers.map((text, i) =>
      h("th", { scope: "col", class: i >= numericFrom ? "num" : "" }, text),
    ),
  );
  const body = rows.map((cells) =>
    h(
      "tr",
      {},
      ...cells.map((cell, i) =>
        i === 0 && options.rowHeader !== false
          ? h("th", { scope: "row" }, cell)
          : h("td", { class: i >= numericFrom ? "num" : "" }, cell),
      ),
    ),
  );
  // A scrollable region must be focusable to be scrolled with the keyboard.
  return h(
    "div",
    { class: "table-wrap", role: "region", "aria-label": caption, tabindex: 0 },
    h("table", {}, h("caption", {}, caption), h("thead", {}, head), h("tbody", {}, ...body)),
  );
}

/** Announces a message to screen readers (polite live region). */
export function announce(message: string): void {
  const status = document.getElementById("status");
  if (status) status.textContent = message;
}
