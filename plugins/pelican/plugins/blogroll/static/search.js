// Search page: Pagefind's JS API over the index written at build time.
// Everything it loads comes from this site (the bundles under /pagefind/).
// Results are built with DOM methods: index text is never parsed as HTML
// except the excerpt, from which only <mark> elements are kept.
const form = document.getElementById("recherche");
const input = document.getElementById("q");
const select = document.getElementById("specialite");
const statusLine = document.getElementById("etat-recherche");
const list = document.getElementById("resultats");
const MAX_RESULTS = 30;
let pagefind = null;
let generation = 0;

// The index is one Pagefind bundle per month, newest first: the newest is the primary one
// (its script, worker and WebAssembly search all of them), the others are merged into it.
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
    chips.textContent = "Spécialités : " + specialties.join(", ");
    li.append(chips);
  }
  li.append(excerpt);
  return li;
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
  if (!query) {
    list.replaceChildren();
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = "Recherche en cours…";
  try {
    const pf = await engine();
    const search = await pf.search(query, specialty ? { filters: { specialite: specialty } } : {});
    const results = await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data()));
    if (mine !== generation) return; // a newer search has started
    list.replaceChildren(...results.map(resultItem).filter(Boolean));
    const where = specialty ? " en " + specialty : "";
    const total = search.results.length;
    statusLine.textContent = total
      ? plural(total, "billet") + " pour « " + query + " »" + where +
        (total > MAX_RESULTS ? " (les " + MAX_RESULTS + " plus pertinents sont affichés)" : "") + "."
      : "Aucun billet pour « " + query + " »" + where + ".";
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
