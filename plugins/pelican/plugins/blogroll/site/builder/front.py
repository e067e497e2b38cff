"""The front door's own pages and files (issue 21): subscribing and joining.

- `s-abonner/`: every way to subscribe, in French for a reader who has never used a feed:
  all entries, each specialty (its Atom feed, and its blogs' own feeds as one OPML file),
  each author, the whole blogroll (OPML);
- `feeds/specialites/<slug>.opml`: a specialty's active blogs, for a reader's one import;
- `feeds/flux.xsl` and `feeds/flux.css`: the stylesheets every Atom feed names
  (site/formats/feedstyle.py);
- `proposer-un-blog/`: who can be listed, what is asked, the repository's issue form and an
  e-mail address (settings `repository_url`, `join_email`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..formats.feedstyle import fill_xsl
from ..formats.opml import opml
from ..model.views import SiteModel, SpecialtyView
from .assets import STATIC_DIR

if TYPE_CHECKING:
    from .render import Renderer

# The issue form of .github/ISSUE_TEMPLATE/proposer-un-blog.yml, as its forge opens it.
ISSUE_FORM = "issues/new?template=proposer-un-blog.yml"
GUIDE = "blob/main/CONTRIBUTING.md"
MAIL_SUBJECT = "Proposer un blog"
MAIL_BODY = ("Adresse du blog :\nAdresse du flux (si vous la connaissez) :\nPseudonyme public de l’auteur·e :\n"
             "Spécialités :\nPreuve d’exercice (elle reste privée) :\n")


@dataclass(frozen=True)
class Join:
    """Where to propose a blog: each field empty when the site has not set it."""
    repository: str  # the project's public repository
    form: str  # its « Proposer un blog » issue form
    guide: str  # its contributors' guide
    email: str
    mailto: str  # `email` with the subject and the questions filled in


def join_links(repository_url: str, email: str) -> Join:
    repo = repository_url.rstrip("/") if repository_url.startswith("https://") else ""
    mailto = (f"mailto:{quote(email, safe='@')}?subject={quote(MAIL_SUBJECT)}&body={quote(MAIL_BODY)}"
              if "@" in email else "")
    return Join(repo, f"{repo}/{ISSUE_FORM}" if repo else "", f"{repo}/{GUIDE}" if repo else "",
                email if mailto else "", mailto)


def has_feeds(spec: SpecialtyView) -> bool:
    """The specialty has active blogs: its OPML is written and offered (an OPML body is never empty)."""
    return any(b.active for b in spec.blogs)


def write(r: Renderer, model: SiteModel) -> None:
    """The subscribe and join pages, the specialties' OPML files and the feeds' stylesheets."""
    where, st = r.urls, r.settings
    for s in model.specialties:
        if has_feeds(s):
            r.writer.write(where.specialty_opml(s.slug), opml(
                model, title=f"{r.site_name} — blogs en {s.label}", owner_url=st.contact_url,
                owner_name=r.site_name, specialty=s.slug))
    r.writer.write(where.feed_xsl, fill_xsl(
        (STATIC_DIR / "feed.xsl").read_text("utf-8"), site_name=r.site_name, home_url=r.abs(where.home),
        subscribe_url=r.abs(where.subscribe), join_url=r.abs(where.join)))
    r.writer.write(where.feed_css, (STATIC_DIR / "feed.css").read_bytes())
    opmls = {s.slug: where.specialty_opml(s.slug) for s in model.specialties if has_feeds(s)}
    r.page("blogroll/subscribe.html", where.subscribe, title="S'abonner", specialties=model.specialties,
           authors=model.authors, opmls=opmls)
    r.page("blogroll/join.html", where.join, title="Proposer un blog", join=join_links(st.repository_url,
                                                                                          st.join_email))
