"""clean/cites.py: the links a post makes, as keys only, leaving its own blog aside."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.blogroll.clean.cites import MAX_CITES, cites
from pelican.plugins.blogroll.core.linkkeys import link_keys

OWN = "https://mon-blog.example/"


def test_links_to_other_sites_are_kept_as_keys_in_order_each_page_once():
    markup = ('<p>Voir <a href="https://autre.example/billet/">ce billet</a>, '
              "<a href='https://autre.example/billet'>encore</a>, "
              '<A HREF=https://troisieme.example/a/b>un autre</A> et '
              '<a href="https://mon-blog.example/ancien/">mon ancien billet</a>, '
              '<a href="mailto:x@example.org">écrire</a>, <a href="/relatif/">relatif</a>.</p>')
    assert cites(markup, OWN) == (link_keys("https://autre.example/billet/"),
                                  link_keys("https://troisieme.example/a/b"))


def test_entities_in_an_href_are_read_as_the_browser_reads_them():
    assert cites('<a href="https://autre.example/?p=1&amp;x=2">x</a>', OWN) == \
        (link_keys("https://autre.example/?p=1&x=2"),)


def test_no_address_is_kept_in_clear():
    out = cites('<a href="https://prenom-nom.example/profil/">x</a>', OWN)
    assert out and "prenom" not in repr(out)


@settings(deadline=None)  # a timing limit is no behaviour (a loaded machine)
@given(st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=0, max_size=80, unique=True))
def test_a_link_list_is_bounded(names):
    markup = "".join(f'<a href="https://{n}.example/">{n}</a>' for n in names)
    assert len(cites(markup, OWN)) == min(len(names), MAX_CITES)


@settings(deadline=None)  # a timing limit is no behaviour (a loaded machine)
@given(st.text(max_size=300))
def test_any_markup_is_read_without_error(markup):
    out = cites(markup, OWN)
    assert all(isinstance(k, str) for keys in out for k in keys)
