// Search page: Pagefind's JS API over the index written at build time.
// Everything it loads comes from this site (the bundles under /pagefind/).
// Results are built with DOM methods: index text is never parsed as HTML
// except the excerpt, from which only <mark> elements are kept.
const form = document.getElementById("recherche");
const input = document.getElementById("q");
const select = document.getElementById("specialite");
const statusLine = document.getElementById("etat-recherche");
const list = document.getElementById("resultats");
const PAGE = 10; // results shown at once (each one is a request for its record)
let pagefind = null;
let generation = 0;
let pending = []; // the current query's results not shown yet
let moreButton = null;

// The index is two Pagefind bundles, whatever the archive's age: the recent one is the primary
// (its script, worker and WebAssembly search both), the base (older posts) is merged into it.
async function engine() {
  if (!pagefind) {
    const [primary, ...others] = form.dataset.bundles.split(" ").filter(Boolean);
    const pf = await import(primary + "pagefind.js");
    await pf.options({ excerptLength: 30 });
    await Promise.all(others.map((bundle) => pf.mergeIndex(bundle)));
    pagefind = pf;
  }
  return pagefind;
}

function plural(n, word) {
  return n + " " + word + (n > 1 ? "s" : "");
}

function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const out = [];
  for (const node of doc.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.push(mark);
    } else {
      out.push(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function safeLink(raw) {
  try {
    const url = new URL(raw, location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function resultItem(data) {
  const href = safeLink((data.meta && data.meta.url) || data.url);
  if (!href) return null;
  const li = document.createElement("li");
  li.className = "entry";
  const h2 = document.createElement("h2");
  h2.className = "entry-title";
  const a = document.createElement("a");
  a.href = href;
  a.rel = "noopener external";
  a.textContent = data.meta.title || a.href;
  h2.append(a);
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = [data.meta.date, data.meta.author, data.meta.blog].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "excerpt";
  excerpt.append(...excerptNodes(data.excerpt || ""));
  li.append(h2, meta);
  const specialties = (data.filters && data.filters.specialite) || [];
  if (specialties.length) {
    const chips = document.createElement("p");
    chips.className = "small";
    chips.textContent = "Spécialités\u202F: " + specialties.join(", ");
    li.append(chips);
  }
  li.append(excerpt);
  return li;
}

// Pagefind ignores, in each bundle, a word that bundle lacks: « Docteure Pipette » would list,
// from a bundle without « pipette », every post saying « docteur ». A result must hold every
// word of the query: the posts each word finds (same bundles, same requests) are intersected.
// Words as Pagefind cuts them: letters and digits (« l'IVG » is « l » and « IVG »; « : » none).
async function everyWord(pf, query, results) {
  const words = query.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.length < 2) return results;
  const found = await Promise.all(words.map((w) => pf.search(w)));
  const sets = found.map((s) => new Set(s.results.map((r) => r.id)));
  return results.filter((r) => sets.every((set) => set.has(r.id)));
}

function statusText(total, query, where) {
  if (!total) return "Aucun billet pour «\u202F" + query + "\u202F»" + where + ".";
  return plural(total, "billet") + " pour «\u202F" + query + "\u202F»" + where + ".";
}

async function showMore(mine) {
  const batch = pending.splice(0, PAGE);
  const data = await Promise.all(batch.map((r) => r.data()));
  if (mine !== generation) return;
  list.append(...data.map(resultItem).filter(Boolean));
  updateMore(mine);
}

function updateMore(mine) {
  if (moreButton) moreButton.remove();
  moreButton = null;
  if (!pending.length) return;
  moreButton = document.createElement("button");
  moreButton.type = "button";
  moreButton.className = "search-more";
  moreButton.textContent = "Afficher " + plural(Math.min(PAGE, pending.length), "billet") + " de plus (" +
    pending.length + " restant" + (pending.length > 1 ? "s" : "") + ")";
  moreButton.addEventListener("click", () => showMore(mine));
  list.after(moreButton);
}

async function run() {
  const mine = ++generation;
  const query = input.value.trim();
  const specialty = select.value;
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  if (specialty) params.set("specialite", specialty);
  const qs = params.toString();
  history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  pending = [];
  if (!query) {
    list.replaceChildren();
    updateMore(mine);
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = "Recherche en cours…";
  try {
    const pf = await engine();
    const search = await pf.search(query, specialty ? { filters: { specialite: specialty } } : {});
    const results = await everyWord(pf, query, search.results);
    if (mine !== generation) return; // a newer search has started
    pending = results.slice();
    list.replaceChildren();
    await showMore(mine);
    if (mine !== generation) return;
    statusLine.textContent = statusText(results.length, query, specialty ? " en " + specialty : "");
  } catch (err) {
    if (mine !== generation) return;
    list.replaceChildren();
    statusLine.textContent = "La recherche n'a pas pu se charger. Rechargez la page pour réessayer.";
    throw err;
  }
}

let timer = 0;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run();
});
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(run, 250);
});
select.addEventListener("change", run);

const initial = new URLSearchParams(location.search);
input.value = initial.get("q") || "";
const wanted = initial.get("specialite") || "";
if ([...select.options].some((o) => o.value === wanted)) select.value = wanted;
if (input.value) run();
