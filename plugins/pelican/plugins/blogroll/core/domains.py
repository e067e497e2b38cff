"""Domain names: public suffixes and top-level domains from the Public Suffix List that the
`publicsuffixlist` package ships (read from the package; nothing is fetched over the network).

The scrubber (clean/scrub.py) and the leak guard (tools/privacy_check.py) know every
top-level domain the list holds, newer ones too (« .sante », « .clinic », « .paris »,
« .bzh »...), not a list of ours; the link rules read a host's registrable part with it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _psl():  # type: ignore[no-untyped-def]
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def public_suffix(host: str) -> str:
    """« prenom.nom.free.fr » -> « fr »; « x.blogspot.com » -> « blogspot.com »; "" if none."""
    try:
        return _psl().publicsuffix(host.lower().strip(".")) or ""
    except (ValueError, UnicodeError):
        return ""


@lru_cache(maxsize=1)
def top_level_domains() -> frozenset[str]:
    """Every ASCII top-level domain of the list's ICANN section (« fr », « com », « sante »...)."""
    text = resources.files("publicsuffixlist").joinpath("public_suffix_list.dat").read_text("utf-8")
    icann = text.split("===BEGIN ICANN DOMAINS===", 1)[-1].split("===END ICANN DOMAINS===", 1)[0]
    out = set()
    for line in icann.splitlines():
        line = line.strip().lstrip("!*.")
        if line and not line.startswith("//") and "." not in line and line.isascii() and line.isalpha():
            out.add(line.lower())
    return frozenset(out)


# Two-letter country domains that are also French words or units of measure (« fin.la »,
# « 5 mg.kg »): read as a domain only in the scrubber's own short list (clean/scrub.py).
_AMBIGUOUS = frozenset({"la", "et", "se", "si", "ne", "mg", "ml", "km", "cm", "mm", "kg", "md", "to", "no", "ma",
                        "sa", "tu", "nu", "va", "vu", "il", "je", "au", "ai", "as", "es", "on", "pa", "pe", "ps",
                        "st", "sv", "na", "mu", "gy", "hu", "ou", "an", "am", "pm", "tv", "cd", "dj", "ci", "ni"})


def tld_pattern(known: str = "") -> str:
    """A regex alternation of the list's top-level domains, longest first, but those of
    `known` (another alternation, which the caller matches otherwise) and the ambiguous
    two-letter ones."""
    skip = set(known.split("|")) | _AMBIGUOUS
    return "|".join(sorted(top_level_domains() - skip, key=lambda t: (-len(t), t)))
