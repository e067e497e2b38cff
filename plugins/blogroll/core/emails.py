"""E-mail addresses in text, also obfuscated: the patterns every stage that scrubs shares
(clean/scrub.py, and the leak guard tools/privacy_check.py)."""

from __future__ import annotations

import re

# Letters of local parts and domains: ASCII and accented Latin (IDN domains, « élodie@… »).
_L = "a-z0-9\u00c0-\u024f"
_LOCAL = rf"(?<![{_L}._%+\-])[{_L}][{_L}._%+\-]*"
_LABEL = rf"[{_L}](?:[{_L}\-]*[{_L}])?"
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
# « nom@domaine.fr », « nom @ domaine.fr », « nom＠domaine.fr », « nom [at] domaine [dot] fr »,
# « nom (arobase) domaine (point) fr », « nom (a) domaine.fr », « nom{at}domaine{dot}fr »,
# « nom arobase domaine.fr », « nom at domaine.fr », « nom chez domaine.fr »...
_AT = (rf"(?:\s?[@\uff20\ufe6b]\s?|\s*{_OPEN}\s*(?:at|arobase|@|a|chez)\s*{_CLOSE}\s*|\s+(?:arobase|at|chez)\s+|"
       r"_at_)")
# « . », « . » spaced, fullwidth and ideographic dots, « [dot] », « (point) », « _dot_ ».
_DOT = rf"(?:[.\uff0e\u3002\uff61]|\s[.\uff0e\u3002\uff61]\s|\s*{_OPEN}\s*(?:dot|point|\.)\s*{_CLOSE}\s*|_dot_)"
EMAIL = re.compile(rf"(?:mailto:)?{_LOCAL}{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[a-z]{{2,24}}(?![{_L}])", re.I)
# « nom at domaine dot fr », « NOM AT DOMAINE POINT FR »: only with a plausible top-level domain.
EMAIL_WORDS = re.compile(
    rf"{_LOCAL}\s+(?:at|arobase|chez)\s+{_LABEL}(?:\s+(?:dot|point)\s+{_LABEL})*\s+(?:dot|point)\s+"
    r"(?:fr|com|org|net|eu|be|ch|ca|lu|re|info|pro|name|io|me)(?![a-z0-9])", re.I)


# Speed only: each hint is a part that every match of its pattern must contain, under the
# same flags, so a text the hint does not find cannot match the pattern and skipping it
# changes nothing. Keep them in step (tests/clean/test_scrub_hints.py checks both agree).
EMAIL_HINT = re.compile(rf"[@\uff20\ufe6b]|arobase|_at_|{_OPEN}\s*(?:at|@|a|chez)\s*{_CLOSE}|\s(?:at|chez)\s",
                        re.I)  # _AT
EMAIL_WORDS_HINT = re.compile(r"\s(?:at|arobase|chez)\s", re.I)
# The cheap hints fire on every French « chez » (a fifth of the bench's texts), and the full
# patterns are slow to fail (every word is tried as a local part). The tight hints are the
# patterns without their local part: the at-sign form from the character where the cheap hint
# fires (a trailing part of each _AT form), then the domain exactly as the pattern has it. They
# start at a fixed character, so they fail fast on « chez le docteur ».
_DOMAIN = rf"{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[a-z]{{2,24}}(?![{_L}])"
EMAIL_TIGHT_HINT = re.compile(
    rf"(?:[@\uff20\ufe6b]\s?|{_OPEN}\s*(?:at|arobase|@|a|chez)\s*{_CLOSE}\s*|\s(?:arobase|at|chez)\s+|_at_)"
    rf"{_DOMAIN}", re.I)
EMAIL_WORDS_TIGHT_HINT = re.compile(
    rf"\s(?:at|arobase|chez)\s+{_LABEL}(?:\s+(?:dot|point)\s+{_LABEL})*\s+(?:dot|point)\s+"
    r"(?:fr|com|org|net|eu|be|ch|ca|lu|re|info|pro|name|io|me)(?![a-z0-9])", re.I)
