"""The generated adversary (issue #20): a declared identity, in any spelling family, reappearing
anywhere a feed can carry it, reaches no output file, output path, store byte or log line.

One test per family of the issue (adversary.GROUPS): everyday spellings in an entry, link
hosts, channel fields, history (another feed, a backfilled page, the archive), server values,
scrubber gaps. Each hypothesis example is one batch of generated cases of that family
(adversary.batches: every spelling, declaring field and place of the group at least once, the
other axes drawn), each case a blog of its own (casefeeds.blogs_of), all served on loopback and
built by real Pelican with the plugin, twice with one state folder (the second build is where a
feed declares a name its archived entry already carried). A case leaks when one of its needles
(adversary.Case.needles), compared with the oracle's own folding, is found in the evidence
(harness.run_builds) and not in the same file of a build without any identity. Server values
too are judged on the build log: CI prints it publicly.

Sized by hypothesis profiles: « anonymity-quick » (derandomized, one batch per family) in
`make test`, « anonymity-fuzz » when HYPOTHESIS_PROFILE=anonymity-fuzz (`make fuzz-anonymity`).
ANONYMITY_ADVERSARY_REPORT=path appends one JSON line per case (group, family, field, place,
kind, leaked) for the table of docs/anonymity.md.
"""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from adversary import GROUPS, Case, batches, profile
from casefeeds import blogs_of, independent, neutral_blog
from harness import View, found, run_builds
from hypothesis import given
from hypothesis import strategies as st

pytestmark = [pytest.mark.build, pytest.mark.slow]

_CHROME: dict[str, View] = {}


def chrome(tmp_path_factory) -> dict[str, View]:
    """What a build of one neutral blog writes, file by file: a needle that file holds there
    too is the site's own word, not a leak. Built once per session."""
    if not _CHROME:
        ev = run_builds(tmp_path_factory.mktemp("chrome"), [neutral_blog()], builds=2)
        _CHROME.update({v.label: v for v in ev.views})
    return _CHROME


def report(group: str, case: Case, batch: str, leaked: bool) -> None:
    path = os.environ.get("ANONYMITY_ADVERSARY_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"test": "build", "group": group, "batch": batch, "text": case.text,
                                "family": case.family, "field": case.field, "place": case.place,
                                "kind": case.identity.kind, "leaked": leaked}) + "\n")


def leaks_of_batch(group: str, batch: list[Case], root, own: dict[str, View]) -> tuple[list[str], int]:
    """(one line per leaking case, cases judged) for one batch built for real."""
    kept = independent(batch)
    assert len(kept) >= len(batch) * 3 // 4, "the batch's identities collide too often"
    key = hashlib.blake2b(repr(batch).encode(), digest_size=6).hexdigest()
    blogs = [neutral_blog()] + [b for i, case in kept for b in blogs_of(case, f"g{i:02d}")]
    ev = run_builds(root, blogs, builds=2)
    views = ev.views
    failures = []
    for i, case in kept:
        sub, word = case.needles()
        hits = found(views, sub, word, own)
        report(group, case, key, bool(hits))
        if hits:
            needle, label, context = hits[0]
            failures.append(f"g{i:02d} {case.label}: {case.text!r} declared {case.declared!r} "
                            f"-> {needle!r} in {label}: …{context}…")
    return failures, len(kept)


# Families whose code is known to be missing, marked when the merged branch lacks it (see the
# report of issue #20): {group: reason}. Empty: every family is expected to hold.
KNOWN_GAPS: dict[str, str] = {}


def _param(group: str):
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[group])] if group in KNOWN_GAPS else []
    return pytest.param(group, marks=marks, id=group)


_RUN = [0]


@pytest.mark.parametrize("group", [_param(g) for g in GROUPS])
@given(data=st.data())
@profile()
def test_no_declared_identity_reaches_any_output_store_or_log(group, data, tmp_path_factory):
    own = chrome(tmp_path_factory)
    batch = data.draw(batches(group), label="batch")
    _RUN[0] += 1
    failures, judged = leaks_of_batch(group, batch, tmp_path_factory.mktemp(f"adversary{_RUN[0]}"), own)
    assert not failures, f"{group}: {len(failures)} of {judged} cases leak:\n" + "\n".join(failures)
