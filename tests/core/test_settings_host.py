"""core/settings.py on another site: inert unless BLOGROLL_FEEDS is set, the identity taken from the
host (SITEURL, SITENAME), the default vocabulary shipped in the package."""

from __future__ import annotations

from pathlib import Path

from conftest import registry_yaml
from pelican.plugins.blogroll import registry
from pelican.plugins.blogroll.core.errors import RegistryError
from pelican.plugins.blogroll.core.settings import (
    DEFAULT_SPECIALTIES,
    Settings,
    configured,
    contact_url_for,
    given,
    tag_authority_for,
)
from pelican.plugins.blogroll.faults import explain


def test_the_plugin_is_configured_by_blogroll_feeds_only():
    assert not configured({}, {})
    assert not configured({"BLOGROLL_FEEDS": ""}, {}) and not configured({"BLOGROLL_FEEDS": None}, {})
    assert configured({"BLOGROLL_FEEDS": "feeds.yaml"}, {})
    assert configured({}, {"BLOGROLL_FEEDS": "feeds.yaml"})
    assert not configured({"BLOGROLL_STATE_DIR": "state", "SITENAME": "x"}, {"BLOGROLL_OFFLINE": "1"})
    assert given("tag_authority", {"BLOGROLL_TAG_AUTHORITY": "a.example,2020"}, {})


def test_identity_comes_from_the_hosts_siteurl():
    assert tag_authority_for("https://Ailleurs.Example:8443/blog/") == "ailleurs.example,2026"
    assert tag_authority_for("") == tag_authority_for("/relative") == "localhost,2026"
    assert contact_url_for("https://ailleurs.example/blog") == "https://ailleurs.example/blog/"
    assert contact_url_for("") == contact_url_for("/x") == ""

    s = Settings.load({"SITEURL": "https://ailleurs.example", "SITENAME": "Carnet"}, {})
    assert (s.tag_authority, s.contact_url, s.site_name) == ("ailleurs.example,2026", "https://ailleurs.example/",
                                                            "Carnet")
    assert s.user_agent == "DocsDuNet/0.1 (blogroll; +https://ailleurs.example/)"
    assert "docsdu.net" not in repr(s)
    # The same setting, another build: the same ids (no clock, no state in them).
    assert Settings.load({"SITEURL": "https://ailleurs.example/"}, {}, base=Path("/")).tag_authority == s.tag_authority


def test_a_site_without_siteurl_has_no_contact_and_local_ids():
    s = Settings.load({}, {})
    assert s.tag_authority == "localhost,2026" and s.contact_url == "" and s.user_agent == "DocsDuNet/0.1 (blogroll)"
    assert Settings().tag_authority == "localhost,2026"


def test_what_the_site_sets_wins_over_what_is_derived():
    s = Settings.load({"SITEURL": "https://preview.example", "BLOGROLL_TAG_AUTHORITY": "docsdu.net,2026",
                       "BLOGROLL_CONTACT_URL": "https://docsdu.net/charte/"}, {})
    assert s.tag_authority == "docsdu.net,2026"
    assert s.user_agent == "DocsDuNet/0.1 (blogroll; +https://docsdu.net/charte/)"
    env = Settings.load({"SITEURL": "https://a.example", "BLOGROLL_TAG_AUTHORITY": "a.example,2020"},
                        {"BLOGROLL_TAG_AUTHORITY": "b.example,2021"})
    assert env.tag_authority == "b.example,2021"


def test_url_prefix_unset_empty_or_a_folder():
    assert Settings.load({}, {}).url_prefix is None
    assert Settings.load({"BLOGROLL_URL_PREFIX": None}, {}).url_prefix is None
    assert Settings.load({"BLOGROLL_URL_PREFIX": ""}, {}).url_prefix == ""
    assert Settings.load({"BLOGROLL_URL_PREFIX": "blogroll/"}, {}).url_prefix == "blogroll/"
    assert Settings.load({"BLOGROLL_URL_PREFIX": ""}, {"BLOGROLL_URL_PREFIX": "liens"}).url_prefix == "liens"


def test_the_default_vocabulary_is_used_when_the_project_has_none(tmp_path):
    assert DEFAULT_SPECIALTIES.is_file()
    assert Settings.load({}, {}, base=tmp_path).specialties == DEFAULT_SPECIALTIES
    (tmp_path / "specialties.yaml").write_text("x: {label: X}\n", "utf-8")
    assert Settings.load({}, {}, base=tmp_path).specialties == tmp_path / "specialties.yaml"
    named = Settings.load({"BLOGROLL_SPECIALTIES": "vocab/mine.yaml"}, {}, base=tmp_path / "elsewhere")
    assert named.specialties == tmp_path / "elsewhere" / "vocab" / "mine.yaml"  # asked for: never replaced


def test_the_default_vocabulary_loads(tmp_path):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(registry_yaml([{"id": "alpha", "feed": "https://alpha.example/feed"}]), "utf-8")
    reg = registry.load(feeds, DEFAULT_SPECIALTIES)
    assert "medecine-generale" in reg.vocabulary.specialties and len(reg.vocabulary.specialties) > 10


def test_a_missing_vocabulary_names_its_own_setting(tmp_path):
    s = Settings.load({"BLOGROLL_SPECIALTIES": "absent.yaml"}, {}, base=tmp_path)
    fault = explain(RegistryError([("absent.yaml", 0, "fichier introuvable")]), tmp_path, tmp_path, s)
    assert fault is not None and "registre absent.yaml introuvable" in str(fault)
    assert "BLOGROLL_SPECIALTIES" in str(fault) and "BLOGROLL_FEEDS" not in str(fault)
    feeds = explain(RegistryError([("feeds.yaml", 0, "fichier introuvable")]), tmp_path, tmp_path, s)
    assert feeds is not None and "BLOGROLL_FEEDS" in str(feeds)
