"""E-mail addresses in text, also obfuscated: the patterns every stage that scrubs shares
(clean/scrub.py, and the leak guard tools/privacy_check.py).

The patterns are compiled on first use (`emails.EMAIL`, PEP 562): compiling the four takes
~55 ms, which an hour where nothing changed (it imports this module through core/weburl.py)
would pay for nothing.
"""

from __future__ import annotations

import re

from .domains import tld_pattern

_SOURCES: dict[str, str] = {}  # name -> pattern, compiled with re.I by __getattr__

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
_SOURCES["EMAIL"] = rf"(?:mailto:)?{_LOCAL}{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[a-z]{{2,24}}(?![{_L}])"
# « nom at domaine dot fr », « NOM AT DOMAINE POINT FR », « nom @ domaine dot org »,
# « nom -at- domaine -dot- org », « nom arobase domaine point org »: only with a known top-level
# domain (our short list in any case, any other of the Public Suffix List in lower case).
_AT_WORDS = r"(?:\s+(?:at|arobase|chez)\s+|\s*[@\uff20\ufe6b]\s*|\s*-(?:at|arobase)-\s*|\s*_at_\s*)"
_DOT_WORDS = r"(?:\s+(?:dot|point)\s+|\s*-(?:dot|point)-\s*|\s*_dot_\s*)"
_WORD_TLDS = (r"(?:fr|com|org|net|eu|be|ch|ca|lu|re|info|pro|name|io|me|"
              rf"(?-i:{tld_pattern('fr|com|org|net|eu|be|ch|ca|lu|re|info|pro|name|io|me')}))(?![a-z0-9])")
_DOMAIN_WORDS = rf"{_LABEL}(?:{_DOT_WORDS}{_LABEL})*{_DOT_WORDS}{_WORD_TLDS}"
_SOURCES["EMAIL_WORDS"] = rf"{_LOCAL}{_AT_WORDS}{_DOMAIN_WORDS}"


# Speed only: each hint is a part that every match of its pattern must contain, under the
# same flags, so a text the hint does not find cannot match the pattern and skipping it
# changes nothing. Keep them in step (tests/clean/test_scrub_hints.py checks both agree).
# A hint is the pattern without its local part (the full patterns are slow to fail: every word
# is tried as one), so « chez le docteur » fails at « le ». EMAIL_HINT is each _AT form from its
# first character that is not optional whitespace, then the domain exactly as EMAIL has it; it
# opens with a class of those first characters (each form re-checks its own by lookbehind) so
# that re skips straight to them.
_DOMAIN = rf"{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[a-z]{{2,24}}(?![{_L}])"
_SOURCES["EMAIL_HINT"] = (
    rf"[@\uff20\ufe6b\[({{<\s_](?:(?<=[@\uff20\ufe6b])\s?|(?<={_OPEN})\s*(?:at|arobase|@|a|chez)\s*{_CLOSE}\s*"
    rf"|(?<=\s)(?:arobase|at|chez)\s+|(?<=_)at_){_DOMAIN}")
_SOURCES["EMAIL_WORDS_HINT"] = rf"{_AT_WORDS}{_DOMAIN_WORDS}"


def __getattr__(name: str) -> re.Pattern[str]:
    """EMAIL, EMAIL_WORDS, EMAIL_HINT, EMAIL_WORDS_HINT: compiled once, on first use."""
    if name not in _SOURCES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    pattern = globals()[name] = re.compile(_SOURCES[name], re.I)
    return pattern
