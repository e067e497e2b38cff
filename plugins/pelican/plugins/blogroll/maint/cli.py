"""Command line for maintainers: `python -m pelican.plugins.blogroll <command>` (messages in French).

Each command parses its arguments, calls the modules that do the work
(registry, discover, trial, opmlimport, append, publish) and prints; `add` and
`import-opml` also hold the dialogue with the maintainer (pseudonym,
specialties). Every command exits non-zero on failure.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import registry
from ..core.errors import RegistryError
from ..core.model import Registry
from ..core.settings import Settings
from .append import NewEntry, append_entries, render, unique_id

if TYPE_CHECKING:  # imported where they are used: `check` and `build` start without them
    from ..clean.redact import Redactor
    from .discover import Discovery

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.I)


def _err(*parts: str) -> None:
    print(*parts, file=sys.stderr)


def _problems(exc: RegistryError) -> None:
    for file, line, reason in exc.problems:
        _err(f"{file}:{line}: {reason}")


def _registry(settings: Settings, warnings: list | None = None) -> Registry:
    extra = {"takedowns_path": settings.takedowns} if hasattr(settings, "takedowns") else {}
    return registry.load(settings.feeds, settings.specialties, allow_private=settings.allow_private,
                         warnings=warnings, cache_dir=settings.state_dir, **extra)


def _load(settings: Settings, warnings: list | None = None) -> Registry | None:
    try:
        return _registry(settings, warnings)
    except RegistryError as exc:
        _problems(exc)
        _err(f"{len(exc.problems)} erreur(s) : corrigez {settings.feeds.name} d'abord.")
        return None


def _ask(prompt: str) -> str | None:
    """One line from standard input (a terminal or a pipe); None when there is none."""
    print(prompt, end="", file=sys.stderr, flush=True)
    try:
        answer = input().strip()
    except EOFError:
        answer = ""
    if not sys.stdin.isatty():
        _err(answer)  # keep the transcript readable when answers are piped
    return answer or None


def _slugs(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or ():
        out += [s for s in re.split(r"[\s,;]+", v.strip()) if s and s not in out]
    return out


def _taken_ids(reg: Registry) -> set[str]:
    """Ids in use, including those of feeds taken down at their authors' request."""
    takedowns = getattr(reg, "takedowns", None)
    return {f.id for f in reg.feeds} | set(getattr(takedowns, "feeds", ()) or ())


# --- check ------------------------------------------------------------------

def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    warnings: list = []
    try:
        reg = _registry(settings, warnings)
    except RegistryError as exc:
        _problems(exc)
        _err(f"{len(exc.problems)} erreur(s) : corrigez {settings.feeds.name} avant de construire.")
        return 1
    from ..registry import evidence

    proof = evidence.own_registry(settings.feeds, Path.cwd())
    if proof is not None:  # the repository's own registry: every blog with its evidence row
        warnings += evidence.problems(reg, proof)
    for file, line, reason in warnings:
        _err(f"{file}:{line}: avertissement : {reason}")
    print(f"{settings.feeds.name} : {len(reg.feeds)} blogs ({len(reg.active)} actifs), "
          f"{len(reg.vocabulary.specialties)} spécialités : OK")
    return 0


# --- build ------------------------------------------------------------------

def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    """`check`, then Pelican with the given arguments, in this one interpreter (`make html`,
    `make publish`): one start-up and one set of imports instead of two, and the registry the
    check loaded is the one the build uses (same bytes, registry.load keeps it)."""
    code = cmd_check(args, settings)
    if code != 0:
        return code
    from pelican import main as pelican_main  # type: ignore[attr-defined]  # mypy reads our pelican shim

    argv = list(args.pelican)
    if argv[:1] == ["--"]:
        argv = argv[1:]
    try:
        pelican_main(argv)
    except SystemExit as exc:  # Pelican exits non-zero on a failed build
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


# --- add --------------------------------------------------------------------

def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    from ..clean.redact import Redactor
    from .discover import propose_specialties

    reg = _load(settings)
    if reg is None:
        return 1
    form = _read_issue_form(args)
    if not args.url:
        _err("échec : précisez l'adresse du blog ou de son flux.")
        return 2
    found = _discover_feed(args.url, settings)
    if found is None or _already_listed(found, reg, settings):
        return 1
    specialties = _slugs(args.specialties) or propose_specialties(found.parsed, reg.vocabulary)
    from .personlike import person_identities

    declared = Redactor(found.parsed.identities)
    persons = person_identities(found.parsed.identities)
    if _address_named(found, persons):
        return 1
    _drop_declared_names(args, persons)
    found = _title_without_declared_names(found, declared, args.title)
    entry = _proposed_entry(args, form, found, specialties, reg)
    _show_discovery(found, entry, reg, specialties if not args.specialties else [])
    author = _pseudonym(args.author, declared, persons)
    if author is None:
        return 1
    specialties = specialties or _asked_specialties()
    if not specialties:
        return 1
    entry = dataclasses.replace(entry, author=author, specialties=specialties)
    return _write_entry(entry, settings, dry_run=args.dry_run)


def _read_issue_form(args: argparse.Namespace) -> dict[str, Any]:
    """The fields of a « Proposer un blog » issue (--from-issue), {} without one; the options
    the maintainer left out are taken from it (the command line wins)."""
    if not args.from_issue:
        return {}
    from .issueform import parse_issue

    form = parse_issue(args.from_issue.read_text("utf-8", errors="replace"))
    print("Formulaire lu : " + ", ".join(sorted(form)), file=sys.stderr)
    for key in ("author", "id", "title", "lang"):
        if getattr(args, key) is None and form.get(key):
            # (an e-mail as pseudonym goes on: _pseudonym refuses it and says why)
            if key in _PERSON_CHECKED and "@" not in str(form[key]) and _person_like(key, str(form[key])):
                _err(_FORM_PERSON[key])  # never echoed: it may be a real name
                continue
            setattr(args, key, form[key])
    if not args.specialties and form.get("specialties"):
        args.specialties = form["specialties"]
    args.url = args.url or form.get("feed") or form.get("site")
    return form


_PERSON_CHECKED = ("author", "id", "title")
_FORM_PERSON = {
    "author": "attention : le pseudonyme du formulaire ressemble à un nom de personne ; il n'est pas repris. "
              "Demandez un pseudonyme public à l'auteur·e et précisez-le (--author PSEUDO).",
    "id": "attention : l'id du formulaire ressemble à un nom de personne ; il n'est pas repris (--id pour en choisir un).",
    "title": "attention : le titre du formulaire ressemble à un nom de personne ; il n'est pas repris "
             "(--title pour en choisir un).",
}


def _person_like(key: str, value: str) -> bool:
    from .personlike import host_words_look_like_person, looks_like_person

    return host_words_look_like_person(value) if key == "id" else looks_like_person(value)


def _discover_feed(url: str, settings: Settings) -> Discovery | None:
    """The feed of a blog or feed address, None (every candidate tried, told) when none is found."""
    from .discover import DiscoveryError, discover

    print(f"Recherche du flux de {url} …", file=sys.stderr)
    try:
        return discover(url, settings)
    except DiscoveryError as exc:
        _err(f"échec : {exc.reason}")
        for tried, why in exc.tried:
            _err(f"  essayé {tried} : {why}")
        return None


def _already_listed(found: Discovery, reg: Registry, settings: Settings) -> bool:
    """Whether the feed is in the registry already (told), taken-down entries included: a blog
    removed at its author's request must not come back under a new id."""
    from ..registry import normalize_url

    everything = registry.load(settings.feeds, settings.specialties, allow_private=settings.allow_private)
    gone = set(getattr(getattr(reg, "takedowns", None), "feeds", ()) or ())
    for f in everything.feeds:
        if normalize_url(f.feed) == normalize_url(found.feed_url):
            if f.id in gone:
                _err(f"ce blog a été retiré à la demande de son auteur·e (id « {f.id} » dans takedowns.yaml) : "
                     "il ne peut pas être ajouté de nouveau.")
            else:
                _err(f"ce flux est déjà dans {settings.feeds.name} (id « {f.id} », ligne {f.line}).")
            return True
    return False


def _address_named(found: Discovery, persons: tuple[str, ...]) -> bool:
    """Whether the blog's or its feed's address holds a person's name the feed declares (told,
    without echoing it): such a blog cannot be listed under a pseudonym."""
    from urllib.parse import urlsplit

    from .personlike import holds_declared

    words = " ".join(re.sub(r"[./_~@%-]+", " ", (urlsplit(u).hostname or "") + " " + urlsplit(u).path)
                     for u in (found.site_url, found.feed_url))
    if holds_declared(words, persons):
        _err("échec : l'adresse du blog ou de son flux contient le nom que le flux déclare comme auteur ; un blog à "
             "cette adresse ne peut pas être listé sous un pseudonyme (docs/anonymity.md). Voyez-le avec l'auteur·e.")
        return True
    return False


def _drop_declared_names(args: argparse.Namespace, identities: tuple[str, ...]) -> None:
    """A title or id given (by the form or the command line) that holds a name the feed
    declares is not taken; told without echoing it."""
    from .personlike import holds_declared

    for key, what in (("title", "le titre"), ("id", "l'id")):
        if getattr(args, key) and holds_declared(getattr(args, key), identities):
            _err(f"attention : {what} donné contient un nom que le flux déclare comme auteur ; il n'est pas repris "
                 f"(--{key} pour en choisir un autre).")
            setattr(args, key, None)


def _title_without_declared_names(found: Discovery, declared: Redactor, title: str | None) -> Discovery:
    """The feed's <title> often holds the blogger's name (« Le blog de Prénom Nom »): the title
    proposed is cut of every identity the feed declares, and the maintainer is told; a title
    that still looks like a person (« Prénom Nom » undeclared) gives way to the site's host."""
    from urllib.parse import urlsplit

    from .personlike import holds_declared, host_words_look_like_person, looks_like_person, person_identities

    ids = person_identities(found.parsed.identities)
    host = urlsplit(found.site_url).hostname or ""
    named_host = host_words_look_like_person(host) or holds_declared(host.replace(".", " "), ids)
    fallback = "Blog à nommer" if named_host else host or "Blog à nommer"
    proposed_title = declared(found.title) or fallback
    if title:
        return found
    if looks_like_person(proposed_title) or holds_declared(proposed_title, ids):
        print("  attention : le titre du flux ressemble à un nom de personne ; il n'est pas repris. Titre proposé : "
              f"« {fallback} » (--title pour le changer)", file=sys.stderr)
        return dataclasses.replace(found, title=fallback)
    if proposed_title != found.title:
        print("  attention : le titre du flux contient un nom que le flux déclare ; titre proposé sans lui : "
              f"« {proposed_title} » (vérifiez-le, --title pour le changer)", file=sys.stderr)
        return dataclasses.replace(found, title=proposed_title)
    return found


def _proposed_entry(args: argparse.Namespace, form: dict[str, Any], found: Discovery, specialties: list[str],
                    reg: Registry) -> NewEntry:
    """The entry as discovered, before the pseudonym is known."""
    entry = NewEntry(
        id=args.id or unique_id(args.title or found.title, _taken_ids(reg)),
        title=args.title or found.title, author="", site=found.site_url, feed=found.feed_url,
        specialties=specialties, lang=args.lang,
        only_tags=form.get("only_tags", []), noindex=form.get("noindex", False),
    )
    if form.get("site") and form.get("feed"):
        entry = dataclasses.replace(entry, site=form["site"])  # the proposer named the home page
    return entry


def _show_discovery(found: Discovery, entry: NewEntry, reg: Registry, proposed: list[str]) -> None:
    """What was found, for the maintainer; `proposed`: the specialties guessed from the feed's
    categories (none when the maintainer gave them)."""
    print(f"Flux trouvé ({found.how}) : {found.feed_url}", file=sys.stderr)
    print(f"  {len(found.parsed.entries)} billet(s) ; titre « {entry.title} » ; site {entry.site}", file=sys.stderr)
    for note in found.notes + list(found.parsed.warnings):
        print(f"  note : {note}", file=sys.stderr)
    if proposed:
        labels = ", ".join(reg.vocabulary.label(s) for s in proposed)
        print(f"  spécialités proposées d'après les catégories du flux : {labels}", file=sys.stderr)


def _pseudonym(given: str | None, declared: Redactor, identities: tuple[str, ...] = ()) -> str | None:
    """The author's public pseudonym (asked when not given), None (told why) when it is
    missing, looks like an e-mail address or holds a name the feed declares."""
    author = given or _ask("Pseudonyme public de l'auteur (jamais un nom réel) : ")
    if not author:
        _err("échec : le pseudonyme est obligatoire (--author PSEUDO).")
        return None
    if _EMAIL.search(author):
        _err("échec : le pseudonyme ressemble à une adresse e-mail ; seul un pseudonyme public est permis.")
        return None
    from .personlike import holds_declared

    if declared.found(author) or holds_declared(author, identities):
        _err("échec : ce pseudonyme contient un nom que le flux déclare comme auteur (dc:creator, <author>…) ; "
             "choisissez un pseudonyme public qui ne soit pas un nom réel.")
        return None
    if _person_like("author", author):
        _err("échec : ce pseudonyme ressemble à un nom de personne (« Prénom Nom ») ; choisissez un pseudonyme "
             "public qui ne soit pas un nom réel.")
        return None
    return author


def _asked_specialties() -> list[str]:
    """Specialties asked of the maintainer when the feed's categories suggested none; [] (told)
    when the answer names none."""
    answer = _ask("Spécialités (identifiants de specialties.yaml, séparés par des virgules) : ")
    specialties = _slugs([answer] if answer else [])
    if not specialties:
        _err("échec : aucune spécialité déduite des catégories du flux ; précisez --specialties SLUG,SLUG.")
    return specialties


def _write_entry(entry: NewEntry, settings: Settings, *, dry_run: bool) -> int:
    """Append the entry to feeds.yaml (or only show it, `dry_run`); the command's exit code."""
    if dry_run:
        print(render(entry), end="")
        return 0
    try:
        append_entries(settings.feeds, settings.specialties, [entry], allow_private=settings.allow_private)
    except RegistryError as exc:
        _problems(exc)
        _err(f"échec : l'entrée n'est pas valide ; {settings.feeds.name} n'a pas été modifié.")
        return 1
    print(render(entry), end="")
    print(f"Ajouté à {settings.feeds.name}. Vérifiez le rendu avec : python -m pelican.plugins.blogroll try {entry.id}",
          file=sys.stderr)
    return 0


# --- try --------------------------------------------------------------------

def cmd_try(args: argparse.Namespace, settings: Settings) -> int:
    from .trial import changed_ids, report, try_feed

    reg = _load(settings)
    if reg is None:
        return 1
    ids = list(args.ids)
    if args.changed_from is not None:
        try:
            base = args.changed_from.read_text("utf-8")
        except FileNotFoundError:
            base = ""
        ids += [i for i in changed_ids(base, reg) if i not in ids]
        if not ids:
            print("Aucun flux ajouté ou modifié : rien à essayer.")
            return 0
    if not ids:
        _err("précisez un ou plusieurs id de feeds.yaml, ou --changed-from FICHIER.")
        return 2
    feeds = reg.by_id()
    failed = 0
    for fid in ids:
        feed = feeds.get(fid)
        if feed is None:
            close = [i for i in feeds if fid in i or i in fid][:5]
            hint = f" (vouliez-vous dire : {', '.join(close)} ?)" if close else ""
            _err(f"{fid} : id inconnu dans {settings.feeds.name}{hint}")
            failed += 1
            continue
        t = try_feed(feed, reg, settings)
        print(report(t, reg))
        failed += not t.ok
    if len(ids) > 1:
        print(f"{len(ids) - failed} flux sur {len(ids)} OK.")
    return 1 if failed else 0


# --- backfill ---------------------------------------------------------------

def cmd_backfill(args: argparse.Namespace, settings: Settings) -> int:
    from ..core.errors import StoreLocked
    from ..store import Store
    from ..update import walk as backfill

    reg = _load(settings)
    if reg is None:
        return 1
    unknown = [i for i in args.ids if i not in reg.by_id()]
    for fid in unknown:
        _err(f"{fid} : id inconnu dans {settings.feeds.name}")
    if unknown:
        return 1
    try:
        store = Store(settings.state_dir)
    except StoreLocked as exc:
        _err(f"échec : {exc}")
        return 1
    with store:
        walks = backfill.pending(reg, store, args.ids or None)
        if not walks:
            print("Rien à compléter : l'historique de ces blogs est déjà parcouru.")
            return 0
        _err(f"Parcours de l'historique de {len(walks)} blog(s), une requête à la fois par hôte, "
             f"{settings.backfill_delay:g} s d'intervalle…")
        report = backfill.run(reg, store, settings, settings.clock(), ids=args.ids or None,
                              max_pages=args.max_pages, progress=_err)
        states = store.backfill_states()
    print(f"{report.pages} page(s) lue(s), {report.new_entries} billet(s) ajouté(s) à l'archive"
          + (f", {report.undated} billet(s) sans date laissé(s) de côté" if report.undated else "") + ".")
    for fid in report.finished:
        st = states[fid]
        print(f"  {fid} : terminé, {st.pages} page(s), {st.entries} billet(s) — {st.reason}")
    for fid, why in sorted(report.errors.items()):
        print(f"  {fid} : {why}")
    if report.stopped:
        print(f"Arrêt : {report.stopped} ; relancez la commande pour reprendre où elle s'est arrêtée.")
    return 0


# --- suggest ----------------------------------------------------------------

def cmd_suggest(args: argparse.Namespace, settings: Settings) -> int:
    from .suggest import render_suggestions, suggest

    reg = _load(settings)
    if reg is None:
        return 1
    _err(f"Lecture des pages de {len(reg.active)} blog(s)…")
    found = suggest(reg, settings, limit=args.limit, min_links=args.min_links, progress=_err)
    print(render_suggestions(found), end="")
    return 0


# --- OPML -------------------------------------------------------------------

def cmd_import_opml(args: argparse.Namespace, settings: Settings) -> int:
    from .opmlimport import OpmlError, opml_owner_title, parse_opml, to_entries

    reg = _load(settings)
    if reg is None:
        return 1
    data = _read_opml_source(args.source, settings)
    if data is None:
        return 1
    try:
        outlines = parse_opml(data)
    except OpmlError as exc:
        _err(f"échec : {exc}")
        return 1
    entries, skipped = to_entries(
        outlines, reg, allow_private=settings.allow_private, author_from_title=args.author_from_title,
        default_specialties=_slugs(args.specialties) or None,
        ask_author=(lambda label, url: _ask(f"Pseudonyme public pour « {label} » ({url}) : "))
        if args.ask else None,
        ask_specialties=(lambda label, url: _ask(f"Spécialités de « {label} » : ")) if args.ask else None,
        trusted_pseudonyms=opml_owner_title(data).startswith(settings.site_name),
    )
    for label, why in skipped:
        _err(f"ignoré : {label} : {why}")
    if not entries:
        _err(f"aucune entrée à ajouter ({len(outlines)} flux dans l'OPML, {len(skipped)} ignoré(s)).")
        return 1 if skipped and not all("déjà présent" in w for _, w in skipped) else 0
    if args.dry_run:
        for e in entries:
            print(render(e), end="")
        return 0
    try:
        append_entries(settings.feeds, settings.specialties, entries, allow_private=settings.allow_private)
    except RegistryError as exc:
        _problems(exc)
        _err(f"échec : import refusé ; {settings.feeds.name} n'a pas été modifié.")
        return 1
    print(f"{len(entries)} blog(s) ajouté(s) à {settings.feeds.name}"
          + (f", {len(skipped)} ignoré(s)" if skipped else "") + ".")
    return 1 if any("déjà présent" not in w for _, w in skipped) else 0


def _read_opml_source(source: str, settings: Settings) -> bytes | None:
    """The OPML's bytes from an http(s) address (through the fetch stage) or a file, at most
    max_bytes; None (told why) when it cannot be read."""
    if source.startswith(("http://", "https://")):
        from ..core.model import Outcome
        from ..fetch import fetch_url

        result = fetch_url(source, settings)
        if result.outcome is not Outcome.OK or result.body is None:
            _err(f"échec : {source} : {result.error or 'réponse inattendue'}")
            return None
        return result.body
    try:
        data = Path(source).read_bytes()[: settings.max_bytes + 1]
    except OSError as exc:
        _err(f"échec : lecture de {source} impossible ({exc.strerror})")
        return None
    if len(data) > settings.max_bytes:
        _err("échec : fichier OPML trop volumineux")
        return None
    return data


def cmd_export_opml(args: argparse.Namespace, settings: Settings) -> int:
    from ..site.formats.opml import opml
    from ..site.model import views

    reg = _load(settings)
    if reg is None:
        return 1
    # The day, as the site's build dates its pages: the same OPML as the site's /blogroll.opml.
    day = settings.clock().replace(hour=0, minute=0, second=0, microsecond=0)
    model = views.build(reg, [], day)
    data = opml(model, title=f"{settings.site_name} — blogroll", owner_url=settings.contact_url,
                owner_name=settings.site_name)
    if args.output and str(args.output) != "-":
        args.output.write_bytes(data)
        _err(f"{len(reg.active)} flux écrits dans {args.output}")
    else:
        sys.stdout.buffer.write(data)
    return 0


# --- deploy decision ----------------------------------------------------------

def cmd_changed(args: argparse.Namespace, settings: Settings) -> int:
    from .publish import mark_deployed, needs_deploy

    record = args.record or settings.state_dir / "deployed.json"
    if not args.output.is_dir():
        _err(f"échec : {args.output} n'existe pas (construisez le site d'abord)")
        return 1
    deploy, why, value = needs_deploy(args.output, record)
    deploy = deploy or args.force
    _err(why if not args.force else "déploiement demandé")
    if deploy and args.mark:
        mark_deployed(record, value)
    print(f"deploy={'true' if deploy else 'false'}")
    return 0


# --- parser -------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pelican.plugins.blogroll", add_help=False,
        description="Outils de maintenance de Docs du Net. Chaque commande sort avec un code non nul en cas "
                    "d'échec.")
    parser.add_argument("-h", "--help", action="help", help="afficher cette aide")
    parser.add_argument("--feeds", type=Path, help="registre (défaut : feeds.yaml ou BLOGROLL_FEEDS)")
    parser.add_argument("--vocabulary", "--specialties-file", dest="vocabulary", type=Path,
                        help="vocabulaire des spécialités (défaut : specialties.yaml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")
    _command(sub, "check", "valider feeds.yaml et specialties.yaml (toutes les erreurs, avec leur ligne)")
    _build_arguments(_command(sub, "build", "valider le registre puis construire le site (Pelican, dans le même "
                                            "processus)"))
    _add_arguments(_command(sub, "add", "ajouter un blog d'après l'adresse de sa page ou de son flux"))
    _try_arguments(_command(sub, "try", "récupérer un flux maintenant et montrer ce que le site en affichera"))
    _backfill_arguments(_command(sub, "backfill", "parcourir les pages anciennes des flux (une fois) et archiver "
                                                  "leurs billets"))
    _suggest_arguments(_command(sub, "suggest", "proposer des blogs que les blogs listés recommandent (liens, "
                                                "« blogs amis »)"))
    _import_opml_arguments(_command(sub, "import-opml", "ajouter les blogs d'un fichier OPML (ou de l'adresse "
                                                        "d'un /blogroll.opml)"))
    _export_opml_arguments(_command(sub, "export-opml", "écrire l'OPML des flux actifs (le même que "
                                                        "/blogroll.opml)"))
    _changed_arguments(_command(sub, "changed", "dire si le site construit diffère du dernier déploiement "
                                                "(deploy=true|false)"))
    return parser


def _command(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
             help: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help, description=help, add_help=False)
    p.add_argument("-h", "--help", action="help", help="afficher cette aide")
    return p


def _build_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("pelican", nargs=argparse.REMAINDER, metavar="-- ARGUMENTS",
                   help="arguments de Pelican (ex. : -- content -s pelicanconf.py -o output)")


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", nargs="?", help="adresse du blog ou de son flux RSS/Atom")
    p.add_argument("--from-issue", type=Path, metavar="FICHIER",
                   help="lire les champs d'un ticket « Proposer un blog » (corps Markdown du ticket)")
    p.add_argument("--author", help="pseudonyme public de l'auteur (demandé sinon)")
    p.add_argument("--id", help="identifiant (proposé d'après le titre sinon)")
    p.add_argument("--title", help="titre du blog (celui du flux sinon)")
    p.add_argument("--specialties", action="append", metavar="SLUG,SLUG",
                   help="spécialités (déduites des catégories du flux sinon)")
    p.add_argument("--lang", help="langue si ce n'est pas le français (ex. : en)")
    p.add_argument("--dry-run", action="store_true", help="afficher l'entrée sans modifier feeds.yaml")


def _try_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ids", nargs="*", metavar="ID", help="id de feeds.yaml")
    p.add_argument("--changed-from", type=Path, metavar="FICHIER",
                   help="essayer aussi les flux ajoutés ou modifiés par rapport à cette version de feeds.yaml")


def _backfill_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ids", nargs="*", metavar="ID", help="id de feeds.yaml (défaut : tous les flux actifs)")
    p.add_argument("--max-pages", type=int, help="au plus ce nombre de pages pour cette exécution")


def _suggest_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=20, help="nombre de propositions (défaut : 20)")
    p.add_argument("--min-links", type=int, default=1,
                   help="ne proposer que les blogs cités par au moins ce nombre de blogs listés (défaut : 1)")


def _import_opml_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", help="fichier OPML ou adresse http(s)")
    p.add_argument("--author-from-title", action="store_true",
                   help="quand l'OPML ne donne pas de pseudonyme, prendre le titre du blog")
    p.add_argument("--specialties", action="append", metavar="SLUG,SLUG",
                   help="spécialités des blogs dont les catégories ne disent rien")
    p.add_argument("--ask", action="store_true", help="demander ce qui manque (pseudonyme, spécialités)")
    p.add_argument("--dry-run", action="store_true", help="afficher les entrées sans modifier feeds.yaml")


def _export_opml_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", type=Path, help="fichier de sortie (défaut : sortie standard)")
    p.add_argument("--site-url", default="", help="adresse du site pour <ownerId>")


def _changed_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", type=Path, default=Path("output"), help="dossier construit (défaut : output)")
    p.add_argument("--record", type=Path, help="empreinte du dernier déploiement (défaut : .state/deployed.json)")
    p.add_argument("--mark", action="store_true", help="enregistrer l'empreinte quand deploy=true")
    p.add_argument("--force", action="store_true", help="toujours répondre deploy=true")


COMMANDS = {
    "check": cmd_check, "build": cmd_build, "add": cmd_add, "try": cmd_try, "import-opml": cmd_import_opml,
    "export-opml": cmd_export_opml, "changed": cmd_changed, "backfill": cmd_backfill, "suggest": cmd_suggest,
}


def _site_settings() -> dict[str, Any]:
    """The project's pelicanconf.py, when the command runs beside it: the commands then fetch
    and export as its build does (BLOGROLL_*, and the identity taken from SITEURL and SITENAME:
    the User-Agent's contact URL, the OPML's owner)."""
    conf = Path.cwd() / "pelicanconf.py"
    if not conf.is_file():
        return {}
    from pelican.settings import read_settings

    return dict(read_settings(str(conf)))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.load(_site_settings(), base=Path.cwd())
    if args.feeds:
        settings = dataclasses.replace(settings, feeds=args.feeds)
    if args.vocabulary:
        settings = dataclasses.replace(settings, specialties=args.vocabulary)
    return COMMANDS[args.command](args, settings)
