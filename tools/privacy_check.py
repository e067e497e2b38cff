"""`make privacy-check`: scan a built site for anything that could unmask an author.

    python tools/privacy_check.py [DIR ...]        (default: output)
    python tools/privacy_check.py --hash < names    print keyed hashes for the hashed deny-list

Every file under DIR (gzip files such as the search index are decompressed
first; images and fonts are skipped) and every file path is checked for:
e-mail addresses (also « %40 », « [at] » and mailto: forms), Gravatar and
other avatar hosts, tracking pixels and parameters, Blogger/Google profile
URLs, /author/ paths, long hex strings (a Gravatar hash is an e-mail one
guess away), and the private deny-list of real names and e-mails.

The deny-list is never stored in clear in the repository. It comes from
  PRIVACY_DENYLIST_FILE  files outside the repository (separated by « : »), one name
                         or e-mail a line, « # » starts a comment;
  PRIVACY_DENYLIST       the same, inline (newline-separated), e.g. a CI secret;
  PRIVACY_DENYLIST_HASHES a file of keyed hashes (HMAC-SHA256, one hex digest a
                          line, `--hash` makes them) that may live in the repo: it is
                          useless without PRIVACY_DENYLIST_KEY, kept as a CI secret.
The site's own removal contact (OWN_ADDRESSES, PRIVACY_ALLOW) is not a leak.
A plain salted hash would not do: names are few enough to guess, and anyone
could test « is X's real name Y? » against a public list.

Entries are compared after folding (case, accents) and with any punctuation
as a separator, so « Jean-Pierre Dupont » also catches « jean.pierre.dupont »
and « JEAN PIERRE DUPONT »; a name of several words also catches
« jeanpierredupont ». Hits are printed as file:line: rule: excerpt, with the
excerpt masked (public CI logs must not repeat what they caught; --show
prints it in full locally) and a deny-list hit never names its entry.
Exit status: 0 clean, 1 hits, 2 usage error.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import hmac
import html
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))  # a checkout without `make venv`

from pelican.plugins.blogroll.core.emails import EMAIL as PLUGIN_EMAIL  # noqa: E402 - the redactor's e-mail forms
from pelican.plugins.blogroll.core.emails import EMAIL_WORDS as PLUGIN_EMAIL_WORDS  # noqa: E402
from pelican.plugins.blogroll.core.identity import fold as fold_name  # noqa: E402 - THE one folding
from pelican.plugins.blogroll.core.names import strip_format  # noqa: E402

SKIP_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".woff", ".woff2", ".ttf", ".otf",
                 ".eot", ".wasm", ".pdf", ".mp3", ".mp4", ".webm"}
MAX_BYTES = 64 * 1024 * 1024
HASH_MAX_WORDS = 6
# Digests our own build published until the state folder kept them (site/formats/search.py: the
# digest of the search records a bundle was built from, pagefind/<YYYY-MM>/records.sha256; a
# site built before may still hold some), allowed only when the file holds that one digest.
OWN_DIGEST_FILES = re.compile(r"\Apagefind/(?:\d{4}-\d{2}/)?records\.sha256\Z")
_DIGEST_ONLY = re.compile(r"\A[0-9a-f]{64}\s*\Z")
# The site's own public addresses (the charter's removal contact, the join page's) are not leaks;
# PRIVACY_ALLOW adds others, one a line, for a site deployed under another name.
OWN_ADDRESSES = frozenset({"retrait@docsdu.net", "proposer@docsdu.net"})
DENYLIST_RULE = "liste privée"

RULES: list[tuple[str, re.Pattern]] = [
    ("e-mail", re.compile(r"[a-z0-9][a-z0-9._%+\-]*\s?[@\uff20]\s?[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,24}", re.I)),
    ("e-mail", re.compile(r"[a-z0-9][a-z0-9._%+\-]*%40[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,24}", re.I)),
    ("e-mail", re.compile(r"[a-z0-9][a-z0-9._%+\-]*\s*[\[({<]\s*(?:at|arobase|@)\s*[\])}>]\s*[a-z0-9\-]+", re.I)),
    ("e-mail", re.compile(r"\bmailto:", re.I)),
    # Every obfuscated form the scrubber knows (« x (a) example.org », « x [chez] … », IDN, fullwidth dots).
    ("e-mail", PLUGIN_EMAIL),
    # « x @ example dot org », « x -at- example -dot- org », « x arobase example point org ».
    ("e-mail", PLUGIN_EMAIL_WORDS),
    ("RPPS/ADELI", re.compile(r"\b(?:rpps|adeli|finess)\b\s*(?:n°|no|num(?:éro)?)?\s*:?\s*\d", re.I)),
    ("téléphone", re.compile(r"(?<![\w/.,:=#-])(?:\+33\s?(?:\(0\)\s?)?|0033\s?|0)[1-9](?:[\s.\-\u00a0\u202f]?\d{2}){4}"
                             r"(?![\w/.,-])")),
    ("avatar", re.compile(r"gravatar\.com|[\w.-]*\bwp\.com/[^\s\"'<>]*avatar|/avatar/|blavatar", re.I)),
    ("pixel", re.compile(r"pixel\.wp\.com|stats\.wordpress\.com|feedburner\.com/~[rf]f?/|feedproxy\.google\.com/", re.I)),
    ("profil", re.compile(r"blogger\.com/profile/|/profile/\d{6,}|profiles\.google\.com|plus\.google\.com", re.I)),
    ("auteur", re.compile(r"/authors?/", re.I)),
    ("suivi", re.compile(r"[?&;](?:utm_[a-z]+|fbclid|gclid|mc_eid)=", re.I)),
    ("hash", re.compile(r"(?<![0-9a-f])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{32,}(?![0-9a-f])", re.I)),
]


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    rule: str
    match: str

    def render(self, show: bool) -> str:
        # A deny-list hit is described by its entry's number, never by its text.
        shown = self.match if show or self.rule == DENYLIST_RULE else mask(self.match)
        return f"{self.path}:{self.line}: {self.rule}: {shown}"


def mask(text: str) -> str:
    text = text.strip()
    if len(text) <= 6:
        return "*" * len(text)
    return f"{text[:3]}…{text[-2:]} ({len(text)} car.)"


# --- normalization --------------------------------------------------------------

def fold(text: str) -> str:
    """The redactor's own folding (plugins/pelican/plugins/blogroll/core/identity.py): NFKC,
    casefold, every default-ignorable code point dropped (a right-to-left override run read in
    the order a reader sees it), marks stripped, non-decomposing letters spelt out (æ -> ae,
    ø -> o), UTS #39 look-alikes, other scripts transliterated."""
    return fold_name(strip_format(text))


_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DIGIT_GAP = re.compile(r"(?<=\d) (?=\d)")
# « CarnetDeAureliseQuenzac » (a FeedBurner feed name, a login) is read word by word.
_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")


def normalize(text: str) -> str:
    """« Jean-Pierre DUPONT » -> « jean pierre dupont »; « C\u200bælia » -> « caelia »."""
    return _NON_ALNUM.sub(" ", fold(_CAMEL.sub(" ", text))).strip()


# --- deny-list --------------------------------------------------------------------

class DenyList:
    def __init__(self, tokens: list[str], digests: set[str] | None = None, key: bytes | None = None):
        self.tokens = [t for t in dict.fromkeys(normalize(t) for t in tokens) if t]
        self.compact = [(i, t.replace(" ", "")) for i, t in enumerate(self.tokens)
                        if " " in t and len(t.replace(" ", "")) >= 8]
        self.digests = digests or set()
        self.key = key
        self._seen_lines: set[bytes] = set()

    def __bool__(self) -> bool:
        return bool(self.tokens or self.digests)

    def __len__(self) -> int:
        return len(self.tokens) + len(self.digests)

    def find(self, text: str) -> list[str]:
        """Descriptions (never the entry itself) of the deny-list entries found in `text`."""
        norm = normalize(text)
        if not norm:
            return []
        padded = f" {norm} "
        out = [f"entrée n°{i + 1} de la liste" for i, t in enumerate(self.tokens) if f" {t} " in padded]
        digits = _DIGIT_GAP.sub("", norm)
        if digits != norm:  # « 06 00 00 00 00 » also as « 0600000000 », and the other way round
            out += [f"entrée n°{i + 1} de la liste" for i, t in enumerate(self.tokens)
                    if f" {_DIGIT_GAP.sub('', t)} " in f" {digits} " and f"entrée n°{i + 1} de la liste" not in out]
        if self.compact:
            squeezed = norm.replace(" ", "")
            out += [f"entrée n°{i + 1} de la liste (sans séparateurs)" for i, t in self.compact
                    if t in squeezed and f"entrée n°{i + 1} de la liste" not in out]
        if self.digests and self.key:
            out += self._hashed(norm)
        return out

    def _hashed(self, norm: str) -> list[str]:
        fingerprint = hashlib.blake2b(norm.encode(), digest_size=16).digest()
        if fingerprint in self._seen_lines:  # the same excerpt appears on many pages
            return []
        words = norm.split()
        found = []
        for n in range(1, HASH_MAX_WORDS + 1):
            for i in range(len(words) - n + 1):
                if keyed_hash(self.key, " ".join(words[i:i + n])) in self.digests:
                    found.append("entrée de la liste chiffrée")
        if not found:
            self._seen_lines.add(fingerprint)
        return found[:1]


def keyed_hash(key: bytes, normalized: str) -> str:
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


def load_denylist(environ) -> DenyList:
    tokens: list[str] = []
    for path in filter(None, environ.get("PRIVACY_DENYLIST_FILE", "").split(os.pathsep)):
        p = Path(path)
        if not p.is_file():
            raise SystemExit(f"privacy-check : PRIVACY_DENYLIST_FILE introuvable ({p})")
        tokens += _lines(p.read_text("utf-8"))
    tokens += _lines(environ.get("PRIVACY_DENYLIST", ""))
    digests: set[str] = set()
    key = environ.get("PRIVACY_DENYLIST_KEY", "").encode() or None
    hashes = environ.get("PRIVACY_DENYLIST_HASHES")
    if hashes:
        p = Path(hashes)
        if not p.is_file():
            raise SystemExit(f"privacy-check : PRIVACY_DENYLIST_HASHES introuvable ({p})")
        digests = {line.lower() for line in _lines(p.read_text("utf-8"))}
        bad = [d for d in digests if not re.fullmatch(r"[0-9a-f]{64}", d)]
        if bad:
            raise SystemExit(f"privacy-check : {p} : {len(bad)} ligne(s) qui ne sont pas des empreintes SHA-256")
        if digests and not key:
            raise SystemExit("privacy-check : PRIVACY_DENYLIST_HASHES sans PRIVACY_DENYLIST_KEY")
    return DenyList(tokens, digests, key)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


# --- scanning ---------------------------------------------------------------------

def read_text(path: Path) -> str | None:
    """The file's text (gunzipped if need be), or None for binary files we do not read."""
    if path.suffix.lower() in SKIP_SUFFIXES:
        return None
    data = path.read_bytes()[:MAX_BYTES]
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)[:MAX_BYTES]
        except (OSError, EOFError):
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\0" in data[:4096]:
            return None
        return data.decode("latin-1")


_ADDRESS_GOES_ON = re.compile(r"[\w.%+@-]")


def own_address(found: str, after: str, allowed: frozenset[str]) -> bool:
    """`found` is one of the site's own addresses, bare or as a `mailto:` link (« contact us »
    links); for the lone « mailto: » rule, the address that `after` starts with."""
    address = found.strip().casefold().removeprefix("mailto:")
    if address:
        return address in allowed
    rest = after.casefold()
    return any(rest.startswith(a) and not _ADDRESS_GOES_ON.match(rest, len(a)) for a in allowed)


def scan_text(label: str, text: str, denylist: DenyList, allowed: frozenset[str] = OWN_ADDRESSES) -> list[Hit]:
    hits = []
    for number, raw in enumerate(text.splitlines(), 1):
        variants = {raw}
        unescaped = html.unescape(raw)
        variants.add(unescaped)
        if "%" in unescaped:
            variants.add(unquote(unescaped))
        seen = set()
        for line in variants:
            for rule, pattern in RULES:
                for m in pattern.finditer(line):
                    if own_address(m.group(0), line[m.end():], allowed):
                        continue
                    key = (rule, m.group(0))
                    if key not in seen:
                        seen.add(key)
                        hits.append(Hit(label, number, rule, m.group(0)))
            if denylist:
                for what in denylist.find(line):
                    if ("liste", what) not in seen:
                        seen.add(("liste", what))
                        hits.append(Hit(label, number, DENYLIST_RULE, what))
    return hits


def scan(roots: list[Path], denylist: DenyList,
         allowed: frozenset[str] = OWN_ADDRESSES) -> tuple[list[Hit], int, int]:
    hits: list[Hit] = []
    files = skipped = 0
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = str(path.relative_to(root))
            label = str(path)
            hits += [Hit(label, 0, h.rule, h.match) for h in scan_text(label, rel, denylist, allowed)]
            text = read_text(path)
            if text is None:
                skipped += 1
                continue
            files += 1
            if OWN_DIGEST_FILES.match(path.relative_to(root).as_posix()) and _DIGEST_ONLY.match(text):
                continue
            hits += scan_text(label, text, denylist, allowed)
    return hits, files, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cherche dans le site construit ce qui pourrait lever un pseudonyme.")
    parser.add_argument("dirs", nargs="*", type=Path, default=[Path("output")], help="dossiers à lire (défaut : output)")
    parser.add_argument("--show", action="store_true", help="afficher les correspondances en clair (usage local)")
    parser.add_argument("--hash", action="store_true",
                        help="lire des noms sur l'entrée standard et afficher leurs empreintes "
                             "(clé : PRIVACY_DENYLIST_KEY) pour PRIVACY_DENYLIST_HASHES")
    args = parser.parse_args(argv)
    if args.hash:
        key = os.environ.get("PRIVACY_DENYLIST_KEY", "").encode()
        if not key:
            print("privacy-check : PRIVACY_DENYLIST_KEY est requise pour --hash", file=sys.stderr)
            return 2
        for token in _lines(sys.stdin.read()):
            if normalize(token):
                print(keyed_hash(key, normalize(token)))
        return 0
    missing = [d for d in args.dirs if not d.is_dir()]
    if missing:
        print(f"privacy-check : dossier introuvable : {', '.join(map(str, missing))} (construisez le site d'abord)",
              file=sys.stderr)
        return 2
    denylist = load_denylist(os.environ)
    allowed = OWN_ADDRESSES | {line.casefold() for line in _lines(os.environ.get("PRIVACY_ALLOW", ""))}
    hits, files, skipped = scan(args.dirs, denylist, allowed)
    for hit in hits:
        print(hit.render(args.show))
    listed = f"liste privée : {len(denylist)} entrée(s)" if denylist else "pas de liste privée"
    print(f"privacy-check : {files} fichiers lus, {skipped} binaires ignorés, {listed} : "
          f"{len(hits)} alerte(s)", file=sys.stderr)
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
