// Pagefind search placed where Material readers expect it, with Material's keys.
// - the trigger sits in the header, beside the colour-scheme toggle;
// - "/" or "s" opens the search (Material's keys), Ctrl/Cmd+K too (Pagefind's own);
// - a briefing opened from a result highlights the searched words (?h=...), also after
//   Material's instant navigation, which swaps the page without reloading scripts.
const root = new URL("..", import.meta.url);

function placeTrigger() {
  const header = document.querySelector(".md-header__inner");
  const trigger = document.querySelector(".briefing-search pagefind-modal-trigger");
  if (!header || !trigger || header.contains(trigger)) return;
  const source = header.querySelector(".md-header__source");
  header.insertBefore(trigger, source);
}

function editing(target) {
  return target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || editing(event.target)) return;
  if (event.key !== "/" && event.key !== "s") return;
  const modal = document.querySelector("pagefind-modal");
  if (!modal || typeof modal.open !== "function") return;
  event.preventDefault();
  event.stopImmediatePropagation();
  modal.open();
}, true);

let highlighter;
async function highlightSearchedWords() {
  if (!new URLSearchParams(location.search).has("h")) return;
  const body = document.querySelector(".md-content article");
  if (!body || body.querySelector("mark.search-highlight")) return;
  highlighter ??= (await import(new URL("pagefind/pagefind-highlight.js", root))).default;
  new highlighter({
    highlightParam: "h",
    markContext: body,
    markOptions: { className: "search-highlight", exclude: [".search-record", ".search-record *"] },
    addStyles: false,
  });
  body.querySelector("mark.search-highlight")?.scrollIntoView({ block: "center" });
}

placeTrigger();
highlightSearchedWords();
if (window.document$) {
  window.document$.subscribe(() => { placeTrigger(); highlightSearchedWords(); });
}
