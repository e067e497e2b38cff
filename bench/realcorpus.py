"""The real-feed corpus of the benchmark: the files of `../shared/corpus`, read in place.

Feeds nobody here wrote (the public test suites of feedparser, feed-rs and miniflux: real
blogs' and news sites' feeds, legacy encodings, large Atom/RSS, ill-formed XML), served on
loopback by tools/feedserver.py from their own folder (never copied into the repository),
with a generated registry: synthetic ids, titles and pseudonyms, the served URL of each file.
The folder is absent from a user's fresh clone: `find` then returns None and the bench says
it skipped this corpus.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
SYLLABLES = ("ba", "lo", "mi", "ra", "tu", "ve", "no", "si", "ka", "pe", "du", "fo", "ri", "za", "le", "mo")


@dataclass(frozen=True)
class RealFeed:
    id: str
    rel: str         # path inside the corpus folder, as served
    title: str
    author: str
    specialties: tuple[str, ...]


def find(root: Path | None) -> Path | None:
    """The corpus folder when it holds feed files, else None."""
    root = Path(root) if root is not None else DEFAULT
    return root if root.is_dir() and any(root.rglob("*.xml")) else None


class RealCorpus:
    def __init__(self, root: Path, *, limit: int | None = None, seed: int = 20260115,
                 specialties: list[str] | None = None):
        self.root = Path(root)
        files = sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.xml") if p.is_file())
        if limit is not None:  # a spread-out sample: every k-th file, so each source folder is represented
            step = max(1, len(files) // max(1, limit))
            files = files[::step][:limit]
        slugs = specialties or ["medecine-generale"]
        self.feeds = [self._feed(i, rel, seed, slugs) for i, rel in enumerate(files)]
        self.bytes = sum((self.root / f.rel).stat().st_size for f in self.feeds)

    @staticmethod
    def _feed(i: int, rel: str, seed: int, slugs: list[str]) -> RealFeed:
        rng = random.Random(int.from_bytes(hashlib.sha256(f"{seed}/real/{rel}".encode()).digest()[:8], "big"))
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        return RealFeed(id=f"reel-{i:04d}-{word}", rel=rel, title=f"Le carnet {word.capitalize()} {i}",
                        author=f"Soignant {word.capitalize()} {i}", specialties=(rng.choice(slugs),))

    def registry_yaml(self, base_url: str) -> str:
        feeds = [{"id": f.id, "title": f.title, "author": f.author, "site": f"https://{f.id}.example/",
                  "feed": f"{base_url}/{f.rel}", "specialties": list(f.specialties)} for f in self.feeds]
        return "# Registry of the real-feed corpus, written by bench/realcorpus.py (synthetic names)\n" + \
            yaml.safe_dump({"feeds": feeds}, allow_unicode=True, sort_keys=False, width=200)
