"""French-looking filler text, generated here from a seed (no third-party text).

Words are either common French function words or pseudo-words assembled from
French-looking syllables, so the text has the accents, word lengths and
punctuation of a French blog without quoting anyone.
"""

from __future__ import annotations

import random

FUNCTION_WORDS = (
    "le", "la", "les", "un", "une", "des", "de", "du", "et", "ou", "mais", "donc", "car", "que", "qui",
    "dans", "sur", "sous", "avec", "pour", "par", "sans", "chez", "vers", "en", "au", "aux", "ce", "cette",
    "il", "elle", "on", "nous", "vous", "ils", "elles", "je", "tu", "ne", "pas", "plus", "très", "bien",
    "aussi", "encore", "toujours", "jamais", "puis", "alors", "comme", "quand", "si", "son", "sa", "ses",
    "leur", "notre", "votre", "est", "sont", "était", "fait", "peut", "doit", "a", "ont", "avait",
)
# A few domain words so tags and titles look like a health blog.
DOMAIN_WORDS = (
    "patient", "patiente", "consultation", "garde", "ordonnance", "cabinet", "service", "urgence",
    "infirmière", "médecin", "interne", "soignant", "diagnostic", "traitement", "examen", "douleur",
    "fièvre", "nuit", "famille", "enfant", "hôpital", "visite", "dossier", "bilan", "suivi", "repos",
)
ONSETS = ("b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "pr", "tr", "gr",
          "bl", "fl", "qu", "")
NUCLEI = ("a", "e", "i", "o", "u", "é", "è", "ou", "ai", "au", "eu", "on", "an", "in", "oi", "ê", "â")
CODAS = ("", "", "", "s", "r", "l", "n", "t", "x", "nt", "re", "que", "ment", "tion", "age", "eur")


class Lorem:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        rng = self.rng
        pseudo = set()
        while len(pseudo) < 1500:
            word = "".join(rng.choice(ONSETS) + rng.choice(NUCLEI) for _ in range(rng.choice((1, 2, 2, 3))))
            word += rng.choice(CODAS)
            if len(word) > 2:
                pseudo.add(word)
        self.pseudo = sorted(pseudo)
        self.vocab = list(FUNCTION_WORDS) * 6 + list(DOMAIN_WORDS) * 2 + self.pseudo

    def words(self, n: int) -> list[str]:
        return self.rng.choices(self.vocab, k=n)

    def sentence(self, lo: int = 6, hi: int = 22) -> str:
        w = self.words(self.rng.randint(lo, hi))
        if len(w) > 8 and self.rng.random() < 0.4:
            w[self.rng.randint(3, len(w) - 3)] += ","
        return w[0].capitalize() + " " + " ".join(w[1:]) + self.rng.choice(".....?!")

    def title(self) -> str:
        w = self.words(self.rng.randint(3, 8))
        return (w[0].capitalize() + " " + " ".join(w[1:])).rstrip(",")

    def paragraph_html(self) -> str:
        """One block of HTML markup, of the kinds blog engines emit."""
        rng = self.rng
        kind = rng.random()
        if kind < 0.08:
            items = "".join(f"<li>{self.sentence(3, 10)}</li>" for _ in range(rng.randint(2, 6)))
            return f"<ul>{items}</ul>"
        if kind < 0.13:
            return f"<blockquote><p>{self.sentence()} {self.sentence()}</p></blockquote>"
        if kind < 0.18:
            return f"<h3>{self.title()}</h3>"
        if kind < 0.22:
            n = rng.randint(1, 9999)
            return (f'<figure><img src="https://img.example/photo-{n}.jpg" alt="{self.title()}" '
                    f'width="640" height="480" loading="lazy"><figcaption>{self.sentence(3, 8)}</figcaption></figure>')
        sentences = [self.sentence() for _ in range(rng.randint(2, 7))]
        if rng.random() < 0.5:
            i = rng.randrange(len(sentences))
            sentences[i] = f"<em>{sentences[i]}</em>"
        if rng.random() < 0.4:
            i = rng.randrange(len(sentences))
            sentences[i] = f'<a href="https://ressource.example/{rng.randint(1, 99999)}">{sentences[i]}</a>'
        if rng.random() < 0.3:
            i = rng.randrange(len(sentences))
            sentences[i] = f"<strong>{sentences[i]}</strong>"
        return "<p>" + " ".join(sentences) + "</p>"
