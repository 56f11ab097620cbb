// Search in Material's header, on Pagefind's JavaScript API (site/pagefind/*/pagefind.js).
// - "/" or "s" opens it (Material's keys); arrows choose a result, Enter opens it, Esc closes;
// - only the results on screen are fetched (ten at a time): at 10,000 briefings a query can
//   match thousands, and each result's data is a request of its own;
// - the filter lists are filled after the first answer (or when a list is chosen, or two
//   seconds after opening), so they never delay it;
// - a briefing opened from a result highlights the searched words (?h=...), also after
//   Material's instant navigation, which swaps the page without reloading scripts.
// Everything is fetched relative to this file, so the site works under any sub-path.
const root = new URL("..", import.meta.url);
const PAGE_SIZE = 10;
const FILTERS_AFTER_MS = 2000;

const box = document.querySelector(".briefing-search");
const opener = box.querySelector(".briefing-search__open");
const dialog = box.querySelector("dialog");
const input = dialog.querySelector(".briefing-search__input");
const selects = [...dialog.querySelectorAll(".briefing-search__filters select")];
const summary = dialog.querySelector(".briefing-search__summary");
const list = dialog.querySelector(".briefing-search__results");
const more = dialog.querySelector(".briefing-search__more");

let searchIndex;  // the promise of { module, bundles }, or of null when there is nothing to search
let query = 0;
let results = [];
let active = -1;
let filtersFilled = false;

// The index is a few Pagefind bundles (site/pagefind/bundles.json, newest briefings first),
// merged into one search. Each carries a filter naming it: a listing by date asks the bundles
// one by one and puts their answers one after another, as Pagefind's merge would interleave them.
async function openIndex() {
  const listed = await fetch(new URL("pagefind/bundles.json", root));
  const { bundles } = await listed.json();
  if (!bundles.length) return null;
  const [first, ...rest] = bundles.map((bundle) => new URL(`pagefind/${bundle}`, root).href);
  const module = await import(`${first}pagefind.js`);
  const options = { highlightParam: "h", excerptLength: 24 };
  await module.options(options);
  module.init();
  await Promise.all([
    module.options({ mergeFilter: { bundle: bundles[0] } }),
    ...rest.map((url, i) => module.mergeIndex(url, { ...options, mergeFilter: { bundle: bundles[i + 1] } })),
  ]);
  return { module, bundles };
}

function loadIndex() {
  searchIndex ??= openIndex();
  return searchIndex;
}

async function listByDate({ module, bundles }, filters) {
  const answers = await Promise.all(bundles.map((bundle) =>
    module.search(null, { filters: { ...filters, bundle }, sort: { date: "desc" } })));
  return { results: answers.flatMap((answer) => answer.results) };
}

function placeOpener() {
  const header = document.querySelector(".md-header__inner");
  if (!header || header.contains(opener)) return;
  header.insertBefore(opener, header.querySelector(".md-header__source"));
}

function open() {
  if (dialog.open) return;
  dialog.showModal();
  input.focus();
  input.select();
  // The filter lists, for a reader who narrows by them without typing; late, so that a query
  // typed at once is answered first.
  loadIndex().then((index) => setTimeout(() => fillFilters(index), FILTERS_AFTER_MS)).catch(() => {});
}

function chosenFilters() {
  return Object.fromEntries(selects.filter((s) => s.value).map((s) => [s.name, s.value]));
}

// Pagefind's excerpt is HTML; only its text and its <mark>s are kept.
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
  return [...parsed.childNodes].map((node) => {
    if (node.nodeName !== "MARK") return document.createTextNode(node.textContent);
    const mark = document.createElement("mark");
    mark.textContent = node.textContent;
    return mark;
  });
}

function resultItem(data, index) {
  const item = document.createElement("li");
  item.className = "briefing-search__result";
  item.id = `briefing-search-result-${index}`;
  item.setAttribute("role", "option");
  const link = document.createElement("a");
  link.href = data.url;
  link.tabIndex = -1;
  const title = document.createElement("span");
  title.className = "briefing-search__title";
  title.textContent = data.meta.title ?? data.url;
  link.append(title);
  if (data.meta.date) {
    const date = document.createElement("span");
    date.className = "briefing-search__date";
    date.textContent = data.meta.date;
    link.append(date);
  }
  const excerpt = document.createElement("span");
  excerpt.className = "briefing-search__excerpt";
  excerpt.append(...excerptNodes(data.excerpt));
  link.append(excerpt);
  link.addEventListener("click", () => dialog.close());
  item.append(link);
  return item;
}

function choose(index) {
  const items = list.children;
  if (!items.length) return;
  active = Math.max(0, Math.min(index, items.length - 1));
  [...items].forEach((item, i) => item.setAttribute("aria-selected", String(i === active)));
  input.setAttribute("aria-activedescendant", items[active].id);
  items[active].scrollIntoView({ block: "nearest" });
}

async function showMore(current) {
  const shown = list.children.length;
  const batch = await Promise.all(results.slice(shown, shown + PAGE_SIZE).map((r) => r.data()));
  if (current !== query) return;
  list.append(...batch.map((data, i) => resultItem(data, shown + i)));
  more.hidden = list.children.length >= results.length;
  input.setAttribute("aria-expanded", String(list.children.length > 0));
}

function clear(message) {
  results = [];
  active = -1;
  list.replaceChildren();
  more.hidden = true;
  summary.textContent = message;
  input.removeAttribute("aria-activedescendant");
  input.setAttribute("aria-expanded", "false");
}

async function fillFilters(index) {
  if (filtersFilled || !index) return;
  filtersFilled = true;
  const counts = await index.module.filters();
  for (const select of selects) {
    const values = Object.entries(counts[select.name] ?? {});
    values.sort(([a], [b]) => (select.name === "month" ? b.localeCompare(a) : a.localeCompare(b)));
    select.append(...values.map(([value, count]) => new Option(`${value} (${count})`, value)));
  }
}

async function search() {
  const current = ++query;
  const term = input.value.trim();
  const filters = chosenFilters();
  if (!term && !Object.keys(filters).length) {
    clear("");
    return;
  }
  let index;
  try {
    index = await loadIndex();
  } catch {
    clear("Search needs the site served over HTTP: run `make serve`, or publish site/.");
    return;
  }
  if (!index) {
    clear("There are no briefings to search yet.");
    return;
  }
  const found = term ? await index.module.debouncedSearch(term, { filters }, 100) : await listByDate(index, filters);
  if (found === null || current !== query) return;
  clear(found.results.length === 1 ? "1 briefing" : `${found.results.length.toLocaleString()} briefings`);
  results = found.results;
  if (!results.length) summary.textContent = "No briefing matches";
  await showMore(current);
  fillFilters(index);
}

function editing(target) {
  return target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || editing(event.target)) return;
  if (event.key !== "/" && event.key !== "s") return;
  event.preventDefault();
  event.stopImmediatePropagation();
  open();
}, true);

input.addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    choose(active + (event.key === "ArrowDown" ? 1 : -1));
  } else if (event.key === "Escape") {
    event.preventDefault();  // a search field would only clear itself
    dialog.close();
  } else if (event.key === "Enter") {
    event.preventDefault();
    list.children[Math.max(active, 0)]?.querySelector("a").click();
  }
});
input.addEventListener("input", search);
selects.forEach((select) => {
  select.addEventListener("change", search);
  select.addEventListener("focus", () => loadIndex().then(fillFilters).catch(() => {}));
});
opener.addEventListener("click", open);
opener.addEventListener("pointerenter", () => loadIndex().catch(() => {}), { once: true });
more.addEventListener("click", () => { input.focus(); showMore(query); });
dialog.querySelector(".briefing-search__close").addEventListener("click", () => dialog.close());
dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });

let highlighter;
async function highlightSearchedWords() {
  if (!new URLSearchParams(location.search).has("h")) return;
  const body = document.querySelector(".md-content article");
  if (!body || body.querySelector("mark.search-highlight")) return;
  highlighter ??= (await import(new URL("pagefind/0/pagefind-highlight.js", root).href)).default;
  new highlighter({
    highlightParam: "h",
    markContext: body,
    markOptions: { className: "search-highlight", exclude: [".search-record", ".search-record *"] },
    addStyles: false,
  });
  body.querySelector("mark.search-highlight")?.scrollIntoView({ block: "center" });
}

placeOpener();
highlightSearchedWords();
if (window.document$) {
  window.document$.subscribe(() => { placeOpener(); highlightSearchedWords(); });
}
