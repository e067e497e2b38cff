"""What the XML-safety tests look for, written from the specifications and nothing else: the
oracle every layer's own rule is checked against (clean/xmlchars.py, site/formats/xmltext.py,
site/model/quarantine.py), and the character classes the generated inputs are made of.

XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF];
the same section discourages [#x7F-#x84], [#x86-#x9F], [#xFDD0-#xFDEF] and the last two code
points of every plane. HTML calls all of them, and U+0085, parse errors.

The fuzzers' sizes are hypothesis profiles: « fuzz-quick » in `make test`, « fuzz » (thousands
of feeds per test) when HYPOTHESIS_PROFILE=fuzz, which `make fuzz` sets.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import Phase, settings
from hypothesis import strategies as st

# No « explain » phase: on a failure it runs the pipeline hundreds of times more for a hint.
_PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink)
settings.register_profile("fuzz-quick", max_examples=60, deadline=None, phases=_PHASES)
settings.register_profile("fuzz", max_examples=2500, deadline=None, phases=_PHASES)


def fuzz_settings(**overrides: Any) -> settings:
    """The fuzzers' settings: the « fuzz » profile when HYPOTHESIS_PROFILE=fuzz, else « fuzz-quick »."""
    name = "fuzz" if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else "fuzz-quick"
    return settings(settings.get_profile(name), **overrides)


def forbidden(char: str) -> bool:
    """Outside XML 1.0's Char production."""
    code = ord(char)
    return not (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
                or 0x10000 <= code <= 0x10FFFF)


def unfit(char: str) -> bool:
    """Forbidden, or discouraged (DEL, C1 controls, noncharacters): never in a published file."""
    code = ord(char)
    return forbidden(char) or 0x7F <= code <= 0x9F or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def unfit_in(text: str) -> list[str]:
    """The unfit characters of `text`, as code points (« U+0001 »), for assertion messages."""
    return [f"U+{ord(c):04X}" for c in text if unfit(c)]


NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + [chr(p << 16 | low) for p in range(17)
                                                          for low in (0xFFFE, 0xFFFF)]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
        "\u200f", "\u061c"]
# Every class, by name: what a generated title, text, tag or link is made of.
CLASSES = {
    "nul": st.just("\x00"),
    "c0": st.sampled_from([chr(c) for c in range(0x01, 0x20) if c not in (0x9, 0xA, 0xD)]),
    "whitespace": st.sampled_from(["\t", "\n", "\r", " ", "\xa0", "\u202f"]),
    "del-c1": st.sampled_from([chr(c) for c in range(0x7F, 0xA0)]),
    "surrogate": st.integers(0xD800, 0xDFFF).map(chr),
    "nonchar": st.sampled_from(NONCHARACTERS),
    "bidi": st.sampled_from(BIDI),
    "format": st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]),
    "private": st.sampled_from(["\ue000", "\uf8ff", "\U000f0000", "\U0010fffd"]),
    "astral": st.sampled_from(["\U0001f489", "\U0001d49c", "\U00020000", "\U0001f3fd"]),
    "french": st.text(st.sampled_from("abcdeéèêàçôœ ÉÀ’«»—…-'"), min_size=1, max_size=12),
    "any": st.characters(codec=None),
}
# The same classes as a feed carries them in its markup: numeric references, once and twice
# escaped (« &amp;#1; » is what issue 23 saw), and the entity forms HTML reads its own way.
REFERENCES = st.one_of(
    st.sampled_from(["&#1;", "&#0;", "&#x0;", "&#8;", "&#x1F;", "&#127;", "&#x85;", "&#x92;", "&#x81;",
                     "&#xD800;", "&#xDFFF;", "&#xFFFE;", "&#xFFFF;", "&#xFDD0;", "&#x1FFFF;", "&#x10FFFF;",
                     "&#x110000;", "&#x202E;", "&#65279;", "&#9;", "&#x0C;"]),
    st.integers(0, 0x10FFFF).map(lambda c: f"&#x{c:X};"),
)


@st.composite
def hostile_text(draw: st.DrawFn, max_pieces: int = 6) -> str:
    """Plain text with pieces of every class, raw characters and references mixed."""
    pieces = draw(st.lists(st.one_of(*CLASSES.values(), REFERENCES, REFERENCES.map(lambda r: r.replace("&", "&amp;"))),
                           max_size=max_pieces))
    return "".join(pieces)
