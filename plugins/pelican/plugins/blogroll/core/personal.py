"""How a declared identity token expands into its spelling families (core/identity.py's
`variants`), and whether a string found outside person fields looks like a person.

A token is one of:
- a name (« Dr Jean Le Trévennec », « Nom, Prénom », « Camille Vallade-Cormier »),
  parsed into title, first names and surname by `nameparser` (with French titles added);
- an e-mail address: its local part split on . _ - + and digits, and its domain's first label
  when it is a personal one; a service mailbox (« consultation.douleur@ ») is no person;
- a login, handle or host label (« @DrQuistrebert », « portevin75 », « jquenzac »,
  « prenom-nom »): title and digits stripped, never the title's last letter kept
  (« drpouliquen » -> « pouliquen », never « rpouliquen »).

Rules (docs/anonymity.md):
- a surname is cut even when it is an ordinary word (« Camille Boulanger », « Dr Sage »);
- a SINGLE ordinary word declared alone, without a person's title (« Garde », « Interne »,
  « Rose », « Équipe de garde »), is a role or a pen name, not a surname: it gives nothing;
- titles, roles, particles and the head of an institution's name are not names.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from nameparser import HumanName
from nameparser.config import Constants

from .identity import GLUED_MIN, fold, squeeze, words

# Titles a person's name carries (folded): not a name, but they mark the next word as a surname.
TITLES = frozenset({
    "dr", "dre", "docteur", "docteure", "doctoresse", "doc", "pr", "prof", "professeur", "professeure", "mme",
    "madame", "m", "mr", "mrs", "ms", "monsieur", "mlle", "mademoiselle", "me", "maitre", "sr", "soeur", "pere",
    "frere", "abbe", "mgr",
})
# Roles written before a name (« Sage-femme Camille X », « IDE Camille X »): not names either.
ROLES = frozenset({"ifd", "ide", "inf", "sf", "infirmier", "infirmiere", "kine", "psy", "sage", "femme",
                   "interne", "externe", "pharmacien", "pharmacienne", "medecin"})
# Roles and mailboxes: never a person's name on their own.
GENERIC = frozenset({
    "admin", "administrateur", "administratrice", "administrator", "webmaster", "webmestre", "editor",
    "editeur", "redaction", "redac", "contact", "info", "infos", "noreply", "reply", "unknown", "anonymous",
    "anonyme", "blogger", "wordpress", "auteur", "author", "guest", "invite", "team", "equipe", "root",
    "user", "mail", "email", "courriel", "bonjour", "hello", "postmaster", "help", "support", "aide", "blog",
    "blogueur", "blogueuse", "presse", "press", "moi", "www", "http", "https", "com", "org", "net", "example",
    "members", "member", "users", "profil", "profile", "profiles", "authors", "auteurs", "secretariat",
    "accueil", "rdv", "consultation", "consultations", "service", "office", "news", "newsletter",
})
PARTICLES = frozenset({"de", "du", "des", "la", "le", "les", "d", "l", "van", "von", "der", "den", "di", "da",
                       "del", "della", "dos", "das", "y", "el", "al", "ben", "bin", "mac", "mc", "st", "ste",
                       "saint", "sainte", "ter", "ten", "op", "zu", "af", "o"})
_JOIN = frozenset({"et", "and", "ou"})
# The head of an institution's or a practice's name, and its ordinary companions.
INSTITUTION = frozenset({
    "cabinet", "medical", "medicale", "medicaux", "centre", "center", "maison", "sante", "clinique",
    "pharmacie", "hopital", "chu", "chr", "association", "service", "groupe", "pole", "sos", "urgences",
    "laboratoire", "labo", "officine", "cabinets", "paramedical", "dentaire", "infirmiers", "kinesitherapie",
    "podologie", "orthophonie", "psychologie", "psychiatrie", "medecine", "generale", "generaliste",
    "pediatrie", "sages", "femmes", "blog", "carnet", "journal", "notes", "equipe", "collectif", "reseau",
    "ehpad", "smur", "samu", "liberal", "wikimedia", "commons", "wikipedia", "flickr", "unsplash", "pixabay",
    "pexels", "freepik", "shutterstock", "istock", "istockphoto", "getty", "images", "adobe", "stock", "afp",
    "reuters", "inserm", "creative", "photo", "photos", "image", "illustration", "dessin", "schema", "source",
    "credit", "credits", "droits", "portrait", "profil", "podcast", "episode", "audio", "video", "texte",
    "licence", "license", "cc", "by", "sa", "nc", "nd",
})
# Words of a web address's machinery (a redirect to /index.php/feed/): never a name.
MACHINERY = frozenset({"index", "feed", "feeds", "rss", "atom", "xml", "php", "html", "htm", "asp", "aspx",
                       "wp", "content", "uploads", "page", "pages", "category", "categorie", "tag", "tags",
                       "posts", "post", "billets", "flux", "api", "json", "default", "public", "static"})
_LONG_ID = re.compile(r"\d{6,}")
_HARD_C = re.compile(r"c(?![hei])")
_PEOPLE_SPLIT = re.compile(r"\s+(?:et|and|&)\s+|\s*[/;|&]\s*", re.I)
_UNITS = re.compile(r"[\s,]+")
_EMAIL = re.compile(r"^([^@\s]+)@([^@\s]+\.[^@\s]+)$")


# A medical specialty, its practitioner or a procedure (« pneumologue », « néonatologie »,
# « addictologie »): an ordinary word of this trade, even where the dictionary lacks it.
_TRADE = re.compile(r"[a-z]{3,}(?:logue|logie|logiste|iatre|iatrie|therapeute|therapie|pathie|scopie|graphie|"
                    r"ectomie|tomie|plastie)s?")


def common_word(word: str) -> bool:
    from .names import common_word as common

    return common(word) or bool(_TRADE.fullmatch(word))


def ordinary_run(word: str) -> bool:
    """`word` is ordinary words run together, one of them long or a service's (« soinspalliatifs »,
    « medecineinterne »): a service's mailbox or handle, no person. Surnames made of two short
    words (« Boisvert », « Maisonneuve ») and a first name with a surname stay names."""
    n = len(word)
    split: list[list[str] | None] = [[]] + [None] * n  # split[i]: word[:i] as ordinary words of 4+ letters
    for i in range(4, n + 1):
        for j in range(i - 3):
            part, before = word[j:i], split[j]
            if before is not None and common_word(part) and not is_first_name(part):
                split[i] = [*before, part]
                break
    parts = split[n] or []
    return len(parts) >= 2 and any(
        len(p) >= 7 or p in GENERIC or p in ROLES or _TRADE.fullmatch(p) for p in parts)


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Folded first names given in France, Belgium, Switzerland or Luxembourg: the name list of
    the `gender-guesser` package (its columns of countries; the file is read as data only)."""
    text = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text("utf-8")
    out = set()
    for line in text.splitlines():
        if not line or line[0] in "#=" or len(line) < 40:
            continue
        countries = line[30:]
        if any(countries[i:i + 1].strip() for i in (7, 8, 9, 18)):
            name = line.split()[1].replace("+", "-")
            out.add(fold(name))
    return frozenset(out)


def is_first_name(word: str) -> bool:
    folded = fold(word)
    return folded in first_names() or all(p in first_names() for p in folded.split("-") if p)


def token_variants(token: str) -> tuple[set[str], set[str]]:
    """(whole words, glued forms) of one identity token."""
    token = " ".join(token.split())
    if not token or len(token) > 300:
        return set(), set()
    if token.startswith(("@", "~")) and " " not in token:
        login = token.lstrip("@~")
        return _compound(login) if re.search(r"[-'’._]", login.strip("._-")) else _login(login)
    m = _EMAIL.match(token)
    if m:
        return _email(m.group(1), m.group(2))
    if " " in token or "," in token:
        out_w: set[str] = set()
        out_g: set[str] = set()
        for person in _PEOPLE_SPLIT.split(token):
            w, g = _name(person)
            out_w |= w
            out_g |= g
        return out_w, out_g
    if re.search(r"[-'’._]", token.strip(".")):
        return _compound(token)
    # One word: a login when it carries digits, a capital inside or none at all (« portevin75 »,
    # « DrQuistrebert », « drpouliquen »), else a name (« Martin »: no initial to strip from it).
    return _login(token) if re.search(r"\d|.[A-Z]", token) or token == token.lower() else _name(token)


def _units(name: str) -> tuple[list[list[str]], bool]:
    """The name's units (a unit = the folded words of one space-separated part, « Vallade-Cormier »
    -> [vallade, cormier]) without leading titles, roles, articles or an institution's head, and
    whether a person's title stood in front. « Nom, Prénom » is read « Prénom Nom »."""
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if first and last and " " not in last.strip():
            name = f"{first} {last}"
    units = [words(u) for u in _UNITS.split(name)]
    units = [[w for w in u if w] for u in units if any(u)]
    titled = False
    institution = False
    while units:
        head = units[0]
        if all(w in TITLES for w in head):
            titled = True
        elif titled:
            break  # « Mme Maison »: after a person's title comes the name
        elif all(w in ROLES or w in PARTICLES for w in head) and len(units) > 1:
            pass
        elif all(w in INSTITUTION or w in PARTICLES or w in GENERIC for w in head) and (institution or len(units) > 1
                                                                                    or head[0] in INSTITUTION):
            institution = institution or any(w in INSTITUTION for w in head)
        elif institution and all(w in INSTITUTION or w in PARTICLES for w in head):
            pass
        else:
            break
        units.pop(0)
    while units and all(w in INSTITUTION or w in PARTICLES for w in units[0]) and institution:
        units.pop(0)
    return units, titled


def _name(name: str) -> tuple[set[str], set[str]]:
    """A person's name: every part a word, the glued spellings (see the module's docstring)."""
    units, titled = _units(name)
    units = [[w for w in u if not (w.isdigit() and not _LONG_ID.fullmatch(w))] for u in units]
    units = [u for u in units if u]
    # A title word after a lone first name is a surname (« Camille Me »): titles lead, _units took them.
    parts = [w for i, u in enumerate(units) for w in u
             if w not in PARTICLES and len(w) >= 2 and (w not in TITLES or i == 1 == len(units) - 1)]
    if not parts:
        return set(), set()
    if len(units) == 1 and len(parts) == 1 and not titled:
        (w,) = parts
        if w in GENERIC or w in INSTITUTION or len(w) < 3 or (common_word(w) and not _LONG_ID.fullmatch(w)):
            return set(), set()  # a single ordinary (or two-letter) word declared alone: a role, a pen name
    out_words = {w for w in parts if w not in GENERIC or len(units) > 1 or titled}
    # The spelling another script gives back: a hard « c » is « к », read « k » (« Marec » ->
    # « Марек » -> « marek »).
    out_words |= {_HARD_C.sub("k", w) for w in out_words if _HARD_C.search(w) and len(w) >= 4}
    glued = _glued(units, titled)
    # A surname that is no ordinary word is also a glued form: found inside a handle.
    glued |= {w for w in parts if len(w) >= GLUED_MIN and not common_word(w) and not w.isdigit()}
    return out_words, glued


def _glued(units: list[list[str]], titled: bool) -> set[str]:
    """Glued spellings: the whole name in either order, with and without particles, an initial
    with the surname, the surname with a title, each compound run together."""
    cut = _surname_start(units)
    first, surname = units[:cut], units[cut:]
    with_particles = "".join(w for u in surname for w in u)
    bare = "".join(w for u in surname for w in u if w not in PARTICLES)
    surnames = {with_particles, bare} - {""}
    out = set(surnames) if len(surname) > 1 or len(surname[0]) > 1 else set()
    given = "".join(w for u in first for w in u)
    initials = "".join(u[0][0] for u in first for _ in [0]) if first else ""
    initials_all = "".join(w[0] for u in first for w in u)
    for s in surnames:
        for f in {given, initials, initials_all} - {""}:
            out |= {f + s, s + f}
        out |= {t + s for t in ("dr", "pr", "docteur", "doc", "mme")} if titled or not first else set()
    if first:
        out.add(given + "".join(w for u in surname for w in u))
    # Two units in a row run together: a double surname declared with a space and written
    # with a hyphen (« Nom Nom » -> « Nom-Nom »), a middle name and the surname.
    out |= {"".join(units[i] + units[i + 1]) for i in range(len(units) - 1)}
    # Each compound unit run together, a first name's too (« Lise-Ombrane » declared with a
    # middle name the text leaves out).
    out |= {"".join(u) for u in units if len(u) > 1}
    return out


def _surname_start(units: list[list[str]]) -> int:
    """Where the surname starts among the units: `nameparser` reads the name (its particles
    « le », « de », « van »... join the surname: « Jean Le Trévennec »); one unit is a surname."""
    if len(units) == 1:
        return 0
    parsed = HumanName(" ".join("-".join(u) for u in units), constants=_NAMEPARSER)
    last = len(parsed.last.split()) if parsed.last else 1
    cut = max(1, len(units) - last)
    while cut > 1 and all(w in PARTICLES for w in units[cut - 1]):
        cut -= 1
    return cut


_NAMEPARSER = Constants()
_NAMEPARSER.titles.add(*TITLES)


def _compound(token: str) -> tuple[set[str], set[str]]:
    """« Vallade-Cormier », « prenom-nom » (a host label), « camille.testard » (a local part)."""
    parts = [w for w in (re.sub(r"\d+", "", w) for w in words(token)) if w]  # « jean.dupont75 »
    if not parts or any(w in MACHINERY for w in parts):
        return set(), set()
    if all(w in GENERIC or w in INSTITUTION or w in PARTICLES or (common_word(w) and not is_first_name(w))
           for w in parts):
        return set(), set()  # « consultation.douleur », « equipe-de-garde »: a service, no person
    w, g = _name(" ".join(p.capitalize() for p in parts))
    w |= {p for p in parts if len(p) >= 2 and p not in PARTICLES and p not in GENERIC}
    g.add(squeeze(re.sub(r"\d+", "", token)))
    return w, g


def _login(login: str) -> tuple[set[str], set[str]]:
    """« drquistrebert » -> quistrebert; « portevin75 » -> portevin; « jquenzac » -> quenzac."""
    folded = squeeze(login)
    core = re.sub(r"\d+", "", folded)
    if _LONG_ID.fullmatch(folded):
        return {folded}, set()
    if len(core) < 3 or core in MACHINERY or core in GENERIC or core in TITLES or ordinary_run(core):
        return set(), set()
    names = {core}
    title = re.match(r"(docteure|docteur|doctoresse|dre|dr|prof|pr|mme)(?=[a-z]{4,})", core)
    if title:
        names.add(core[title.end():])
    elif len(core) >= 6 and not common_word(core) and not common_word(core[1:]):
        names.add(core[1:])  # « jquenzac »: initial + surname (never after a title: « drpouliquen »)
    names = {n for n in names if len(n) >= 2 and not (common_word(n) and not title and n == core)}
    if not names:
        return set(), set()  # a login that is one ordinary word (« garde »): a role, no person
    glued = {n for n in names if not common_word(n)} | {folded, core}
    return names, glued


def _email(local: str, domain: str) -> tuple[set[str], set[str]]:
    local = local.split("+", 1)[0]
    out_w: set[str] = set()
    out_g: set[str] = set()
    w, g = _compound(local) if re.search(r"[-._]", local.strip("._-")) else _login(local)
    out_w |= w
    out_g |= g
    labels = [x for x in fold(domain).split(".") if x]
    if len(labels) >= 2 and "-" in labels[0]:
        w, g = _compound(labels[0])
        out_w |= w
        out_g |= g
    return out_w, out_g


# --- person-looking strings outside person fields --------------------------------------------

_CAPITALISED = re.compile(
    r"(?<![\w\u00c0-\u024f])([A-ZÀ-ÖØ-Þ][\w\u00c0-\u024f'’-]+)((?:\s+(?:(?:de|du|d'|d’|le|la|van|von|di|da)\s+)?"
    r"[A-ZÀ-ÖØ-Þ][\w\u00c0-\u024f'’-]+)+)")


# Words after which a first name and a surname name a disease, a sign, a place or a building,
# not a person of the blog (« Maladie de Charcot », « Hôpital Georges Pompidou »).
_EPONYM_HEADS = frozenset({
    "maladie", "syndrome", "signe", "test", "manoeuvre", "manoeuvres", "reflexe", "score", "classification",
    "echelle", "loi", "methode", "technique", "operation", "fracture", "hopital", "hopitaux", "institut",
    "centre", "clinique", "lycee", "college", "ecole", "universite", "fondation", "rue", "avenue", "boulevard",
    "place", "quai", "pont", "gare", "station", "stade", "parc", "square", "allee", "impasse", "prix",
})


def person_names(text: str) -> list[str]:
    """Capitalised runs that look like a person: « Portrait de Prénom Nom » -> [« Prénom Nom »]
    when « Prénom » is a first name. The run starts with a first name (gender-guesser's list) and goes
    on with words that are no ordinary French word; a first name that is also an ordinary word
    (« Signe », « Rose ») counts only without a particle after it; a run after the head of an
    eponym (« Maladie de Charcot », « Hôpital Georges Pompidou ») is no person."""
    out = []
    for m in _CAPITALISED.finditer(text):
        before = words(text[max(0, m.start() - 40):m.start()])
        run = [m.group(1), *m.group(2).split()]
        for i, word in enumerate(run[:-1]):
            head = words(" ".join(run[:i])) or before[-2:]
            if not is_first_name(word) or fold(word) in INSTITUTION or set(head[-2:]) & _EPONYM_HEADS:
                continue
            rest: list[str] = []
            for w in run[i + 1:]:
                if fold(w) in PARTICLES:
                    rest.append(w)
                    continue
                parts = words(w)
                if not parts or any(common_word(p) or p in INSTITUTION for p in parts):
                    break
                rest.append(w)
            while rest and fold(rest[-1]) in PARTICLES:
                rest.pop()
            if not rest or (common_word(word) and any(fold(w) in PARTICLES for w in rest)):
                continue
            out.append(" ".join([word, *rest]))
            break
    return out


def looks_like_person(text: str) -> bool:
    return bool(person_names(text))


# A doctor's title, then one or two words: « Le blog du Dr Quistrebard », « © Pr. Vallade-Cormier ».
_TITLED = re.compile(
    r"(?<![\w\u00c0-\u024f])(?:dr|dre|docteure?|doctoresse|pr|prof|professeure?)\.?\s+"
    r"((?:(?:de|du|d'|d’|le|la)\s*)?[\w\u00c0-\u024f'’-]{2,}(?:\s+[\w\u00c0-\u024f'’-]{2,})?)", re.I)
# A surname in capitals, then a first name: « QUISTREBARD Solène ».
_SURNAME_FIRST = re.compile(r"(?<![\w\u00c0-\u024f])([A-ZÀ-ÖØ-Þ]{2,}(?:[-' ][A-ZÀ-ÖØ-Þ]{2,})*)\s+"
                            r"([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ][\w\u00c0-\u024f'’-]*)")


def suspect_names(text: str) -> list[str]:
    """Person-looking names in a channel's own text (its title, description, rights…): those of
    `person_names`, also when the text is all in small letters; a doctor's title before words
    that are no ordinary French words (« le blog du Dr Quistrebard »: the surname alone is
    enough, since the title says it is one); a surname in capitals before a first name
    (« QUISTREBARD Solène »). Suspects feed the detector only (it withholds, it never cuts)."""
    found = person_names(text)
    if text == text.lower():  # a first name of three letters or more, then one or two words
        found += [n for n in person_names(" ".join(w[:1].upper() + w[1:] for w in text.split()))
                  if len(n.split()[0]) >= 3 and len(n.split()) <= 3]
    for m in _TITLED.finditer(text):
        kept: list[str] = []
        for w in m.group(1).split():
            parts = words(w)
            if not parts or any(common_word(p) and p not in PARTICLES or p in INSTITUTION for p in parts):
                break
            kept.append(w)
        if kept and any(fold(w) not in PARTICLES for w in kept):
            found.append("Dr " + " ".join(kept))
    for m in _SURNAME_FIRST.finditer(text):
        surname, first = m.group(1), m.group(2)
        if is_first_name(first) and not any(common_word(p) for p in words(surname)):
            found.append(f"{first} {surname}")
    return found
