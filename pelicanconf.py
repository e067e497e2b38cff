"""Pelican settings for Docs du Net (development build).

Blogroll settings and their defaults live in plugins/pelican/plugins/blogroll/core/settings.py;
set BLOGROLL_<NAME> here or in the environment to override one.
"""

import os

AUTHOR = "Docs du Net"
SITENAME = "Docs du Net"
SITEURL = ""
SITESUBTITLE = "Les blogs des soignants qui écrivent sous pseudonyme"

PATH = "content"
THEME = "theme"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
DEFAULT_DATE = "fs"

# The installed plugin (pip install -e . or the wheel): the pelican.plugins namespace finds it.
PLUGINS = ["blogroll"]
# The registry of blogs: the plugin does nothing without it (the Makefile's FEEDS=… overrides it
# through the environment's BLOGROLL_FEEDS).
BLOGROLL_FEEDS = "feeds.yaml"
# The blogroll is this site: its pages at the root (Pelican's own index and feeds are off below).
BLOGROLL_URL_PREFIX = ""
# This site's identity, set once: the Atom ids' tag authority (ids never change) and the
# contact URL in the User-Agent of every fetch and in the OPML.
BLOGROLL_TAG_AUTHORITY = "docsdu.net,2026"
BLOGROLL_CONTACT_URL = "https://docsdu.net/charte/"


def repository_url(environ) -> str:
    """The project's public repository, for the « Proposer un blog » page (its issue form, its
    CONTRIBUTING.md) and the footer: BLOGROLL_REPOSITORY_URL when set, else the repository a
    GitHub Actions run is for (the hourly deploy, pull requests), else « » (no link)."""
    given = environ.get("BLOGROLL_REPOSITORY_URL", "")
    if given:
        return given
    server, repo = environ.get("GITHUB_SERVER_URL", ""), environ.get("GITHUB_REPOSITORY", "")
    if server.startswith("https://") and repo.count("/") == 1 and "@" not in server:
        return f"{server.rstrip('/')}/{repo}"
    return ""


# Joining (issue 21): the repository (no address is written here: this checkout does not know
# it, see pyproject.toml) and the mailbox for proposals by e-mail (tools/privacy_check.py lists
# the site's own addresses).
BLOGROLL_REPOSITORY_URL = repository_url(os.environ)
BLOGROLL_JOIN_EMAIL = "proposer@docsdu.net"
# The plugin also writes Pelican's pages and the theme's static files, leaving unchanged
# ones untouched: the hourly deploy uploads nothing when nothing changed.
BLOGROLL_KEEP_UNCHANGED_FILES = True

# French spacing on every page (theme/templates/base.html): a narrow no-break space before
# « ; : ! ? » and inside guillemets. The plugin's pages get it whatever the theme.
from pelican.plugins.blogroll.site.builder.templates import french_spacing  # noqa: E402

JINJA_FILTERS = {"french_spacing": french_spacing}

# This site's own pages autoescape too (the plugin autoescapes its pages whatever this says).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# Pelican's own article machinery is unused: the plugin writes the blogroll
# pages itself. Disable everything that could collide with our URL map.
DIRECT_TEMPLATES = []
ARTICLE_PATHS = []
ARTICLE_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None

PAGE_PATHS = ["pages"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# robots.txt and sitemap.xml are written by the plugin (they need SITEURL and the page list).
# /favicon.ico (browsers and feed readers ask for it at the root); tools/icons.py draws it.
STATIC_PATHS = ["extra/favicon.ico"]
EXTRA_PATH_METADATA = {"extra/favicon.ico": {"path": "favicon.ico"}}
# Copied only when changed: the hourly deploy uploads nothing when nothing changed.
STATIC_CHECK_IF_MODIFIED = True
# The feeds' <icon> (square) and <logo> (2:1), paths under SITEURL.
BLOGROLL_FEED_ICON = "theme/icons/icon-192.png"
BLOGROLL_FEED_LOGO = "theme/icons/logo.png"

RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
