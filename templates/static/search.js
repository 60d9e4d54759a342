// The search page: Pagefind's JS API behind our own accessible form.
// The query and filters live in the URL (/sok/?q=yrkesvux&kommun=Skövde), so a search can be
// shared and the back button works. Nothing is fetched from anywhere but this site.

const form = document.getElementById("search-form");
const input = document.getElementById("q");
const sort = document.getElementById("sort");
const statusBox = document.getElementById("search-status");
const list = document.getElementById("search-results");
const text = list.dataset;
const params = JSON.parse(text.params); // URL parameter -> Pagefind filter key
const metaLabels = JSON.parse(text.metaLabels); // metadata field searched -> its label ("Deltagare")
const more = document.getElementById("search-more");
const browse = document.getElementById("search-empty"); // no results: ways to browse instead
// Each shown result fetches its page's fragment, so results come ten at a time: a first query
// on a large archive then costs a few hundred KiB, not a fragment for every hit.
const PAGE_SIZE = 10;
const dateFormat = new Intl.DateTimeFormat(text.language, {
  day: "numeric",
  month: "long",
  year: "numeric",
});

const panel = form.querySelector(".search-filters");

let pagefind = null;
// The filter index gives each filter value its count of hits. It is large on a big archive (the
// municipality filter lists every meeting a municipality attended), so it is fetched only once the
// visitor opens the filters, or arrives with one set: a plain first query costs far less.
let filterIndex = null;
let latest = 0;
let shown = { ticket: 0, state: null, results: [], count: 0, message: "", decisionsOnly: false };

async function engine(withCounts) {
  if (!pagefind) {
    pagefind = await import("/pagefind/pagefind.js");
    // No web worker: it is one more script to fetch (40 KiB) and, when its load fails, Pagefind
    // logs errors while it falls back to this thread anyway; ten results at a time keep a search
    // here short.
    await pagefind.options({ excerptLength: 24, noWorker: true });
  }
  if (withCounts) {
    filterIndex ??= pagefind.filters();
    await filterIndex;
  }
  return pagefind;
}

function searchOptions(state) {
  const filters = {};
  for (const [param, key] of Object.entries(params)) {
    if (state.filters[param].length) filters[key] = { any: state.filters[param] };
  }
  const options = { filters };
  if (state.sort === "datum") options.sort = { datum: "desc" };
  return options;
}

function stateFromUrl() {
  const query = new URLSearchParams(window.location.search);
  const filters = {};
  for (const param of Object.keys(params)) filters[param] = query.getAll(param);
  return { q: (query.get("q") || "").trim(), filters, sort: query.get("sort") || "" };
}

function stateFromForm() {
  const filters = {};
  for (const param of Object.keys(params)) {
    filters[param] = Array.from(form.querySelectorAll(`input[name="${param}"]:checked`), (box) => box.value);
  }
  return { q: input.value.trim(), filters, sort: sort.value };
}

function hasFilters(state) {
  return Object.values(state.filters).some((values) => values.length > 0);
}

function showState(state) {
  if (hasFilters(state)) panel.open = true;
  input.value = state.q;
  sort.value = state.sort;
  for (const param of Object.keys(params)) {
    for (const box of form.querySelectorAll(`input[name="${param}"]`)) {
      box.checked = state.filters[param].includes(box.value);
    }
  }
}

function urlFor(state) {
  const query = new URLSearchParams();
  if (state.q) query.set("q", state.q);
  for (const [param, values] of Object.entries(state.filters)) {
    for (const value of values) query.append(param, value);
  }
  if (state.sort) query.set("sort", state.sort);
  const search = query.toString();
  return window.location.pathname + (search ? `?${search}` : "");
}

function isEmpty(state) {
  return !state.q && !hasFilters(state);
}

// Pagefind excerpts are HTML with <mark> around hits; keep only text and <mark>.
function excerptNode(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const out = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.append(content);
  return node;
}

function link(href, label) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = label;
  return a;
}

const DECISION_ID = /-beslut(-\d+)?$/;
// Pagefind ends a block's text with a full stop when it ends in one of these (its SENTENCE_CHARS).
const SENTENCE_END = /[\p{L}\p{N}_'")$*]$/u;

function plainText(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content.textContent;
}

// A decision's heading says only "Beslut"; its sub-result is titled with its item, the last item
// heading before it: "§ 105 Statsbidrag regionalt yrkesvux 2025 – beslut". Pagefind lists every
// heading with an id in `anchors`, also those without hits.
function decisionTitle(data, decision) {
  let item = null;
  for (const anchor of data.anchors || []) {
    const before = anchor.location < decision.location;
    if (before && anchor.element === "h2" && anchor.text && !DECISION_ID.test(anchor.id)) {
      if (!item || anchor.location > item.location) item = anchor;
    }
  }
  return item ? text.decisionTitle.replace("{item}", item.text) : decision.text;
}

// A sub-result's excerpt may begin with (the end of) its heading, "Statsbidrag regionalt yrkesvux
// 2025. Ärendet är …", which its title already shows: the excerpt starts after it. Words are
// compared as Pagefind indexed them: split on spaces, the heading ended with a full stop.
function withoutHeading(excerpt, heading) {
  const shown = excerpt.split(" ");
  const plain = shown.map(plainText);
  const own = (SENTENCE_END.test(heading) ? `${heading}.` : heading).split(/\s+/);
  for (let k = Math.min(own.length, plain.length); k > 0; k--) {
    if (plain.slice(0, k).join(" ") === own.slice(-k).join(" ")) return shown.slice(k).join(" ");
  }
  return excerpt;
}

// An attachment's text is under a heading whose id is "bilaga-" and the file's URL relative to
// its meeting page (urls.attachment_anchor): a hit there links to the file itself.
const ATTACHMENT_ID = "bilaga-";

function attachmentUrl(data, id) {
  return new URL(id.slice(ATTACHMENT_ID.length), new URL(data.url, window.location.href)).pathname;
}

// Sub-results are the page's headings with ids: items (#p105), decisions (#p105-beslut) and the
// text of attachments ("Bilaga: Budget 2025", linking to the file).
function subResults(data, decisionsOnly) {
  const picked = [];
  for (const sub of data.sub_results || []) {
    if (!sub.anchor || !sub.anchor.id) continue;
    const isDecision = DECISION_ID.test(sub.anchor.id);
    const isAttachment = sub.anchor.id.startsWith(ATTACHMENT_ID);
    if (decisionsOnly && !isDecision) continue;
    let { url, title } = sub;
    if (isDecision) title = decisionTitle(data, sub.anchor);
    if (isAttachment) {
      url = attachmentUrl(data, sub.anchor.id);
      title = text.attachmentTitle.replace("{title}", sub.anchor.text);
    }
    picked.push({ url, title, excerpt: withoutHeading(sub.excerpt, sub.anchor.text), isDecision, isAttachment });
  }
  return picked.slice(0, decisionsOnly ? 10 : 3);
}

// Words as Pagefind compares them: case and accents aside.
function words(value) {
  return value
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

// The record of a meeting (its place, the people it names) is searched as metadata, never shown as
// an excerpt. Where the query matched there, say so: "Deltagare: Anneli Alm, Falköping", the
// entries holding most of the query's words.
function metaMatches(fields, meta, query) {
  const terms = words(query);
  const lines = [];
  for (const field of fields || []) {
    if (!metaLabels[field] || !meta[field]) continue;
    const scored = meta[field].split("; ").map((entry) => {
      const own = words(entry);
      return { entry, hits: terms.filter((term) => own.some((word) => word.startsWith(term))).length };
    });
    const best = Math.max(0, ...scored.map((s) => s.hits));
    if (best === 0) continue;
    const entries = scored.filter((s) => s.hits === best).map((s) => s.entry);
    lines.push(`${metaLabels[field]}: ${entries.slice(0, 3).join("; ")}`);
  }
  return lines;
}

function resultItem({ data, fields }, query, decisionsOnly) {
  const meta = data.meta || {};
  const item = element("li", "search-result");
  const article = element("article");
  article.append(element("h2", null, link(data.url, meta.title || data.url)));
  const details = [];
  if (meta.network) details.push(meta.network);
  if (meta.date) details.push(dateFormat.format(new Date(`${meta.date}T12:00:00`)));
  article.append(element("p", "meta-line", details.join(" · ")));
  const matches = metaMatches(fields, meta, query);
  for (const line of matches) article.append(element("p", "meta-match", line));
  const subs = subResults(data, decisionsOnly);
  if (subs.length) {
    const ul = element("ul", "sub-results");
    for (const sub of subs) {
      const kind = sub.isDecision ? " is-decision" : sub.isAttachment ? " is-attachment" : "";
      const li = element("li", `sub-result${kind}`);
      li.append(element("h3", null, link(sub.url, sub.title)));
      if (sub.excerpt) li.append(element("p", "excerpt", excerptNode(sub.excerpt)));
      ul.append(li);
    }
    article.append(ul);
  } else if (data.excerpt && (data.excerpt.includes("<mark>") || !matches.length)) {
    // (a match in the metadata alone has an excerpt without hits: the page's first words)
    article.append(element("p", "excerpt", excerptNode(data.excerpt)));
  }
  item.append(article);
  return item;
}

// A result's data (its fragment), with the metadata fields the query matched in.
async function loaded(result) {
  return { data: await result.data(), fields: result.matchedMetaFields };
}

function updateCounts(counts) {
  for (const [param, key] of Object.entries(params)) {
    for (const box of form.querySelectorAll(`input[name="${param}"]`)) {
      const count = (counts && counts[key] && counts[key][box.value]) || 0;
      const badge = box.parentElement.querySelector("[data-count]");
      if (badge) badge.textContent = counts ? `(${count})` : "";
    }
  }
}

async function run(state) {
  const ticket = ++latest;
  list.replaceChildren();
  more.hidden = true;
  browse.hidden = true;
  if (isEmpty(state)) {
    statusBox.textContent = "";
    updateCounts(null);
    return;
  }
  statusBox.textContent = text.loading;
  let search;
  let results;
  try {
    const pf = await engine(panel.open);
    search = await pf.search(state.q || null, searchOptions(state));
    results = await Promise.all(search.results.slice(0, PAGE_SIZE).map(loaded));
  } catch (error) {
    if (ticket === latest) statusBox.textContent = text.error;
    throw error;
  }
  if (ticket !== latest) return; // a newer search has started
  const total = search.results.length;
  let message = total === 1 ? text.hitsOne : text.hitsMany.replace("{n}", String(total));
  if (state.q) message += ` ${text.for.replace("{q}", state.q)}`;
  message += ".";
  if (total === 0) message = `${message} ${text.noHits}`;
  browse.hidden = total !== 0;
  const decisionsOnly = state.filters.typ.includes(text.decision);
  shown = { ticket, state, results: search.results, count: results.length, message, decisionsOnly };
  list.replaceChildren(...results.map((result) => resultItem(result, state.q, decisionsOnly)));
  showProgress();
  updateCounts(filterIndex ? search.filters : null);
}

// Opening the filters fetches their index and fills in the counts for the results on show,
// which stay as they are (with every batch already loaded).
async function showCounts() {
  const ticket = shown.ticket;
  if (!panel.open || ticket !== latest || !shown.state) return; // a search under way shows them
  const pf = await engine(true);
  const search = await pf.search(shown.state.q || null, searchOptions(shown.state));
  if (ticket === latest) updateCounts(search.filters);
}

function showProgress() {
  const total = shown.results.length;
  let message = shown.message;
  if (total > shown.count) message += ` ${text.showingFirst.replace("{n}", String(shown.count))}`;
  statusBox.textContent = message;
  more.hidden = total <= shown.count;
}

more.addEventListener("click", async () => {
  const ticket = shown.ticket;
  const next = shown.results.slice(shown.count, shown.count + PAGE_SIZE);
  more.disabled = true; // one batch at a time
  let results;
  try {
    results = await Promise.all(next.map(loaded));
  } finally {
    more.disabled = false;
  }
  if (ticket !== latest) return; // a newer search has started
  const items = results.map((result) => resultItem(result, shown.state.q, shown.decisionsOnly));
  list.append(...items);
  shown.count += results.length;
  showProgress();
  items[0]?.querySelector("a")?.focus(); // keyboard users continue at the first new result
});

function submit(push) {
  const state = stateFromForm();
  const target = urlFor(state);
  if (target !== window.location.pathname + window.location.search) {
    if (push) window.history.pushState(null, "", target);
    else window.history.replaceState(null, "", target);
  }
  run(state);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  submit(true);
});
form.addEventListener("change", (event) => {
  if (event.target !== input) submit(true);
});
let typing = 0;
input.addEventListener("input", () => {
  window.clearTimeout(typing);
  typing = window.setTimeout(() => submit(false), 300);
});
panel.addEventListener("toggle", () => {
  showCounts();
});
window.addEventListener("popstate", () => {
  const state = stateFromUrl();
  showState(state);
  run(state);
});

const initial = stateFromUrl();
showState(initial);
run(initial);
