// Home GPU Leaderboard: sortable headers, leaderboard filters kept in the URL, and the search box.
// Progressive enhancement only: without this script every table is complete and readable.
(function () {
  "use strict";

  // --- Sorting: a button in each column header; aria-sort says how the table is sorted. ---

  function sortKey(cell) {
    if (!cell) return { missing: true };
    if (cell.hasAttribute("data-sort")) {
      const text = cell.getAttribute("data-sort");
      return text === "" ? { missing: true } : { number: parseFloat(text) };
    }
    return { text: cell.textContent.trim() };
  }

  function compare(a, b) {
    if (a.missing || b.missing) return a.missing === b.missing ? 0 : a.missing ? 1 : -1;
    if (a.number !== undefined && b.number !== undefined) return a.number - b.number;
    // Numbers inside text ("Week 10" after "Week 9") compare as numbers.
    return String(a.text ?? a.number).localeCompare(String(b.text ?? b.number), undefined, { numeric: true });
  }

  function sortTable(table, header, column) {
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    for (const other of table.querySelectorAll("thead th")) other.removeAttribute("aria-sort");
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const body = table.tBodies[0];
    const rows = Array.from(body.rows).map((row, index) => ({ row, index, key: sortKey(row.cells[column]) }));
    rows.sort((x, y) => {
      // Rows without the figure stay last whichever way the column is sorted.
      if (x.key.missing || y.key.missing) return compare(x.key, y.key) || x.index - y.index;
      return (ascending ? 1 : -1) * compare(x.key, y.key) || x.index - y.index;
    });
    for (const { row } of rows) body.appendChild(row);
  }

  function makeSortable(table) {
    const headers = table.querySelectorAll("thead th");
    headers.forEach((header, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", () => sortTable(table, header, column));
    });
  }

  // --- Filters: the form's fields mirror the URL query, so a reload or a shared link keeps them. ---

  const FIELDS = ["licence", "arch", "tier", "min_speed", "fits"];

  function number(text) {
    return text === "" || text === null ? null : parseFloat(text);
  }

  function keeps(row, query) {
    const licence = query.get("licence");
    const arch = query.get("arch");
    const tier = query.get("tier");
    const minSpeed = number(query.get("min_speed") || "");
    const fits = number(query.get("fits") || "");
    if (licence && row.dataset.licence !== licence) return false;
    if (arch && row.dataset.arch !== arch) return false;
    if (tier && row.dataset.tier !== tier) return false;
    const speed = number(row.dataset.speed);
    if (minSpeed !== null && (speed === null || speed < minSpeed)) return false;
    const vram = number(row.dataset.vram);
    if (fits !== null && (vram === null || vram > fits)) return false;
    return true;
  }

  function applyFilters(form, query) {
    const rows = document.querySelectorAll("tr[data-tier]");
    let shown = 0;
    for (const row of rows) {
      row.hidden = !keeps(row, query);
      if (!row.hidden) shown += 1;
    }
    const tier = query.get("tier");
    for (const option of form.querySelectorAll("select[name=tier] option[value]")) {
      if (!option.value) continue;
      const section = document.querySelector(`section[aria-labelledby="tier-${CSS.escape(option.value)}"]`);
      if (section) section.hidden = Boolean(tier) && tier !== option.value;
    }
    const status = form.querySelector(".filter-status");
    const active = FIELDS.some((name) => query.get(name));
    status.textContent = active ? `Showing ${shown} of ${rows.length} picks.` : "";
    if (active && shown === 0) status.textContent += " No pick matches these filters.";
  }

  function queryFromForm(form) {
    const query = new URLSearchParams(location.search);
    for (const name of FIELDS) {
      const field = form.elements.namedItem(name);
      if (field && field.value) query.set(name, field.value);
      else query.delete(name);
    }
    return query;
  }

  function setUpFilters(form) {
    const query = new URLSearchParams(location.search);
    for (const name of FIELDS) {
      const field = form.elements.namedItem(name);
      if (field && query.get(name)) field.value = query.get(name);
    }
    const update = () => {
      const next = queryFromForm(form);
      const search = next.toString();
      history.replaceState(null, "", search ? `?${search}` : location.pathname + location.hash);
      applyFilters(form, next);
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("reset", () => setTimeout(update, 0));
    form.addEventListener("submit", (event) => event.preventDefault());
    form.hidden = false;
    applyFilters(form, queryFromForm(form));
  }

  // --- Search: Pagefind's own interface, loaded from this site only. ---

  // The index comes in chunks, so that an edited page is indexed again alone: chunks.json lists
  // the bundles to merge into the first one (here). Without the list, search the first alone.
  async function mergedBundles(bundle) {
    try {
      // A deploy may change the chunks: never take the list from the browser cache unchecked.
      const response = await fetch(`${bundle}chunks.json`, { cache: "no-cache" });
      const list = await response.json();
      return list.merge.map((path) => ({ bundlePath: `${bundle}${path}` }));
    } catch {
      return [];
    }
  }

  function setUpSearch(box) {
    const bundle = box.dataset.pagefindBundle;
    const merged = mergedBundles(bundle);
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = `${bundle}pagefind-ui.css`;
    document.head.appendChild(style);
    const script = document.createElement("script");
    script.src = `${bundle}pagefind-ui.js`;
    script.onload = async () => {
      const mergeIndex = await merged;
      // eslint-disable-next-line no-undef
      new PagefindUI({ element: box, bundlePath: bundle, mergeIndex, showImages: false, resetStyles: false });
      // Pagefind's box has only a placeholder; give it a name that screen readers announce.
      const input = box.querySelector("input");
      if (input) input.setAttribute("aria-label", "Search models, posts and hardware");
    };
    document.head.appendChild(script);
  }

  function start() {
    for (const table of document.querySelectorAll("table.leaderboard, table.sortable")) makeSortable(table);
    const form = document.getElementById("table-filters");
    if (form) setUpFilters(form);
    const search = document.querySelector(".site-search[data-pagefind-bundle]");
    if (search) setUpSearch(search);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
