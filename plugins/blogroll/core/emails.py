"""E-mail addresses in text, also obfuscated: the patterns every stage that scrubs shares."""

from __future__ import annotations

import re

_LOCAL = r"(?<![a-z0-9._%+\-])[a-z0-9][a-z0-9._%+\-]*"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
# « nom@domaine.fr », « nom @ domaine.fr », « nom＠domaine.fr », « nom [at] domaine [dot] fr »,
# « nom (arobase) domaine (point) fr », « nom{at}domaine{dot}fr », « nom arobase domaine.fr »...
_AT = rf"(?:\s?[@\uff20\ufe6b]\s?|\s*{_OPEN}\s*(?:at|arobase|@)\s*{_CLOSE}\s*|\s+arobase\s+|_at_)"
_DOT = rf"(?:\.|\s*{_OPEN}\s*(?:dot|point|\.)\s*{_CLOSE}\s*|_dot_)"
EMAIL = re.compile(rf"(?:mailto:)?{_LOCAL}{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[a-z]{{2,24}}(?![a-z0-9])", re.I)
# « nom at domaine dot fr », « NOM AT DOMAINE POINT FR »: only with a plausible top-level domain.
EMAIL_WORDS = re.compile(
    rf"{_LOCAL}\s+(?:at|arobase)\s+{_LABEL}(?:\s+(?:dot|point)\s+{_LABEL})*\s+(?:dot|point)\s+"
    r"(?:fr|com|org|net|eu|be|ch|ca|lu|re|info|pro|name|io|me)(?![a-z0-9])", re.I)


# Speed only: each hint is a part that every match of its pattern must contain, under the
# same flags, so a text the hint does not find cannot match the pattern and skipping it
# changes nothing. Keep them in step (tests/clean/test_scrub_hints.py checks both agree).
EMAIL_HINT = re.compile(rf"[@\uff20\ufe6b]|arobase|_at_|{_OPEN}\s*(?:at|@)\s*{_CLOSE}", re.I)  # _AT
EMAIL_WORDS_HINT = re.compile(r"\s(?:at|arobase)\s", re.I)
