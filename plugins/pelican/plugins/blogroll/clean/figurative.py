"""Whether a disease word is used as a figure of speech, read from the words around it. Pure.

French writers borrow the clinic's words for everything else: « une dépression s'installe sur
la Bretagne », « la bureaucratie, ce cancer », « le blog est en arrêt cardiaque », « la fracture
sociale », « un débat stérile », « l'économie sous perfusion ». Word matching alone files such a
sentence under psychiatry, oncology or cardiology. The rule here does not list sentences; it
reads the *frame* a word stands in:

- only words that are commonly borrowed (`PRONE`: diseases, states and procedures used as
  images) are ever questioned; « FIV », « péridurale » or « dialyse » never are;
- such a word is figurative when a word of a non-clinical frame stands within `WINDOW` words
  of it in its sentence, or in the sentence just before or after (`FRAMES`: weather and
  places, the economy, institutions and politics, the blog and the internet, sport, things),
- and nothing in its own sentence anchors it to a person or to care (`ANCHORS`: « patient »,
  « malade », « traitement », « symptôme », a relative, « mon »/« sa » right before
  it…): « sa dépression l'empêche de voter la réforme » stays a psychiatric sentence.

A figurative use does not count for filing; the same word elsewhere in the post still does.
Words are compared by their folded form (case and accents do not count). Tags are labels,
never read as figures. See docs/classification.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

# The lists below: a word ending in « * » is a prefix of the folded word (« bureaucrati* »
# covers « bureaucratie », « bureaucratique »); other words match whole, plural and feminine
# endings allowed (« sterile » covers « stériles »). Multi-word entries match in sequence.

# A term is questioned when one of its words is one of these.
PRONE: tuple[str, ...] = (
    "depression", "depressif", "deprime*", "cancer*", "metastas*", "tumeur*", "gangren*", "infarctus",
    "cardiaque", "avc", "paralys*", "coma", "comateu*", "schizophren*", "paranoi*", "bipolaire",
    "hysteri*", "autisme", "autiste", "anorexie", "boulimie", "overdose", "hemorragi*", "anemi*",
    "amputation", "chirurgical", "operation", "perfusion", "epidemi*", "pandemi*", "virus",
    "contagion", "fievre*", "allergi*", "urticaire", "migraine", "sterilite", "sterile", "infertil*",
    "embryon", "accouchement", "avortement", "cesarienne", "autopsi*", "electrocardiogramme",
    "scanner", "radiographie", "diagnostic", "therapie", "chimio*", "crabe", "greffe", "convulsion",
    "vertige", "alzheimer", "amnesi*", "demence", "delire", "psychose", "nevrose",
    "fracture", "suicide", "saignee", "asphyxi*", "thrombose", "transfusion", "convalescen*",
    "rechute", "agonie", "moribond", "ecg", "reanimation", "anesthesi*", "memoire",
    "samu", "couche",
)

# Words of a frame that is not the clinic, by kind (the kind is for docs and tests): the weather
# and the places it falls on, the economy, institutions and politics, the blog and the internet,
# sport, and things (a garden, a car, a machine).
FRAMES: dict[str, tuple[str, ...]] = {
    "weather": (
        "meteo*", "anticyclon*", "depressionnaire", "perturbation", "pluie", "pluvieu*", "averse",
        "orage*", "rafale", "tempete", "nuage*", "brouillard", "neige*", "barometr*", "isobare",
        "front froid", "bourrasque", "grele", "canicul*", "bretagne", "normandie", "alsace",
        "provence", "aquitaine", "occitanie", "picardie", "vendee", "littoral", "manche",
        "atlantique", "mediterrane*", "pyrenees", "alpes", "nord-ouest", "sud-ouest", "nord-est",
        "sud-est",
    ),
    "economy": (
        "econom*", "bourse", "boursier", "pib", "inflation", "recession", "chomage", "dette",
        "budget*", "financ*", "euro", "dollar", "cac", "industri*", "commerce", "commercial",
        "investiss*", "banque", "bancaire", "fiscal", "impot", "taxe", "immobilier", "actionnaire",
        "capitalism*", "monnaie", "monetaire", "exportation", "marches financiers",
    ),
    "institution": (
        "bureaucrati*", "administrati*", "paperass*", "ministere", "ministre",
        "gouvernement*", "reforme", "decret", "parlement*", "assemblee", "senat", "depute",
        "election*", "electoral", "democrati*", "republique", "syndicat*", "mairie", "prefecture",
        "tutelle", "reunionite", "procedure", "formulaire", "institution*", "politique",
        "politicien", "parti", "reglementation", "normes", "technocrat*", "convention", "negociation",
        "nomenclature", "social", "sociale", "sociaux", "numerique",
    ),
    "blog": (
        "blog*", "site", "internet", "web", "serveur", "ordinateur", "informatique", "logiciel",
        "bug", "wifi", "hebergeur", "plateforme", "connexion",
    ),
    "sport": ("match", "club", "championnat", "supporter", "supporteur", "entraineur"),
    "things": (
        "potager", "jardin", "jardinage", "tomate", "plante", "fleur", "geranium", "voiture",
        "moteur", "batterie", "velo", "frigo", "machine a laver", "chaudiere", "imprimante",
    ),
}

# Words that tie a disease word to a person or to care: with one of them in the sentence, the
# word is read literally whatever frame stands around it.
ANCHORS: tuple[str, ...] = (
    "patient*", "malade*", "souffr*", "atteint", "symptom*", "traitement*", "diagnostique",
    "hospitalis*", "ordonnance", "prescri*", "consultation", "consulte", "soign*",
    "antidepresseur", "medicament*", "dose", "mg", "examen", "biopsi*", "opere", "chimiotherapie",
    "mere", "pere", "frere", "soeur", "fils", "fille", "mari", "epouse", "femme",
    "enfant*", "bebe", "ami", "voisin", "collegue", "famille", "grand-mere", "grand-pere", "parent*",
    "depistage", "guerir", "guerison", "therapeut*", "psychiatr*", "oncolog*", "cardiolog*",
    "neurolog*", "urgentiste", "infirmi*", "sage-femme", "pediatr*", "gynecolog*", "pronostic", "deces", "mourir", "prevention", "prevenir",
)

# A possessive right before the word makes it someone's illness: « sa dépression », « mon AVC ».
POSSESSIVES = frozenset({"mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos",
                         "votre", "vos", "leur", "leurs"})

WINDOW = 10
_ENDINGS = ("", "s", "x", "e", "es")


class WordList:
    """One of the lists above, compiled: whole words, prefixes and phrases."""

    def __init__(self, entries: tuple[str, ...]):
        entries = tuple(e.replace("-", " ") for e in entries)  # a text's hyphens split words
        self.prefixes = tuple(e[:-1] for e in entries if e.endswith("*"))
        self.words = frozenset(e + end for e in entries if not e.endswith("*") and " " not in e for end in _ENDINGS)
        self.phrases = tuple(tuple(e.split()) for e in entries if " " in e)

    def has(self, word: str) -> bool:
        return word in self.words or word.startswith(self.prefixes) if self.prefixes else word in self.words

    def found(self, words: list[str]) -> bool:
        return any(self.has(w) for w in words) or self.phrase_in(words)

    def phrase_in(self, words: list[str]) -> bool:
        return any(tuple(words[i:i + len(p)]) == p for p in self.phrases for i in range(len(words)))


_PRONE = WordList(PRONE)
_FRAME = WordList(tuple(w for words in FRAMES.values() for w in words))
_ANCHOR = WordList(ANCHORS)


def prone(folded_words: tuple[str, ...]) -> bool:
    """Whether a term (its words, folded) is one that writers borrow as an image."""
    return any(_PRONE.has(w) for w in folded_words)


def _nearest(words: Sequence[str], start: int, length: int, has: Callable[[str], bool]) -> int | None:
    """How many words from the term the nearest word of a list stands, in its sentence."""
    out = [start - k for k in range(start) if has(words[k])]
    out += [k - (start + length - 1) for k in range(start + length, len(words)) if has(words[k])]
    return min(out, default=None)


def figurative(sentence: list[str], start: int, length: int, around: Sequence[str] = ()) -> bool:
    """Whether the words `sentence[start:start+length]` (the folded words of one sentence) are
    used as an image: a word of a non-clinical frame stands nearer them than any anchor of
    their sentence, within WINDOW words, or in the sentences `around` them when the sentence
    has no anchor (« L'économie du générique vit sous perfusion. Finira-t-elle en
    réanimation ? »; a title and the post's first sentence)."""
    if start > 0 and sentence[start - 1] in POSSESSIVES:
        return False
    anchor = _nearest(sentence, start, length, _ANCHOR.has)
    frame = _nearest(sentence, start, length, lambda w: _FRAME.has(w) and not _PRONE.has(w))
    if frame is not None and frame <= WINDOW:
        return anchor is None or frame < anchor
    near = [*sentence[max(0, start - WINDOW):start], "", *sentence[start + length:start + length + WINDOW]]
    if _FRAME.phrase_in(near):  # a frame of several words (« front froid »)
        return anchor is None or anchor > WINDOW
    return anchor is None and _FRAME.found([w for w in around if not _PRONE.has(w)])
