"""core/linkkeys.py: one page, one key, whatever the spelling of its address; nothing in clear."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.core.linkkeys import link_keys


def page_key(url):
    keys = link_keys(url)
    return keys[0] if keys else None


def site_key(url):
    """The key of a blog's registered address: the longest of its site addresses."""
    keys = link_keys(url)
    return keys[1] if keys else None


def host_key(url):
    keys = link_keys(url)
    return keys[-1] if keys else None

label = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
segment = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True)
hosts = st.builds(lambda a, b: f"{a}.{b}", label, st.sampled_from(["example", "test", "example.org"]))


@settings(deadline=None)  # a timing limit is no behaviour (a loaded machine)
@given(hosts, st.lists(segment, min_size=1, max_size=5))
def test_spellings_of_one_page_share_its_key(host, segments):
    path = "/".join(segments)
    base = page_key(f"https://{host}/{path}/")
    for spelling in (f"http://{host}/{path}", f"https://www.{host}/{path}/#commentaires",
                     f"https://{host.upper()}/{path}/index.html", f"https://{host}/{path}/?utm_source=x"):
        assert page_key(spelling) == base, spelling


@settings(deadline=None)  # a timing limit is no behaviour (a loaded machine)
@given(hosts, st.lists(segment, min_size=1, max_size=4), st.lists(segment, min_size=1, max_size=4))
def test_different_pages_have_different_keys(host, a, b):
    if list(a) != list(b):
        assert page_key(f"https://{host}/{'/'.join(a)}/") != page_key(f"https://{host}/{'/'.join(b)}/")


@settings(deadline=None)  # a timing limit is no behaviour (a loaded machine)
@given(hosts, st.lists(segment, max_size=2), st.lists(segment, max_size=3))
def test_a_post_under_a_blog_address_carries_that_address_key(host, site_path, post_path):
    site = f"https://{host}/" + "".join(s + "/" for s in site_path)
    post = site + "/".join(post_path)
    keys = link_keys(post)
    assert keys is not None and site_key(site) in keys[1:] and host_key(post) == keys[-1]
    assert keys[1] == site_key(post)  # the longest address first


def test_keys_are_hashes_and_hold_no_part_of_the_address():
    keys = link_keys("https://prenom-nom.example/billets/un-titre/")
    assert keys is not None
    assert all(re.fullmatch(r"[0-9a-f]{20}", k) for k in keys)
    assert not any("prenom" in k or "nom" in k for k in keys)


def test_what_is_no_web_address_has_no_key():
    for bad in ("mailto:a@example.org", "javascript:alert(1)", "/relative/path", "", None, "ftp://x.example/"):
        assert link_keys(bad) is None and page_key(bad) is None and host_key(bad) is None
