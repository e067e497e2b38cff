"""Registry stage: read feeds.yaml and specialties.yaml, refuse anything unsafe.

Every problem is reported at once as (file, line, reason). Nothing here
touches the network: a hostile pull request is refused before any fetch.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import idna

from ..core.entrykeys import takedown_key
from ..core.errors import RegistryError
from ..core.files import source_digest, write_atomic
from ..core.model import FeedConfig, Registry, Specialty, Takedowns, Term, Vocabulary
from ..core.text import fold
from ..core.weburl import comment_feed_url
from . import codec
from .source import Located, follow, line_of, plain, read_yaml

# Keys that would put a real identity next to a pseudonym. Refused with an
# explanation rather than the schema's generic "additional property" message.
IDENTITY_KEYS = frozenset({
    "name", "real_name", "realname", "full_name", "fullname", "first_name", "firstname",
    "last_name", "lastname", "surname", "nom", "prenom", "prénom", "email", "e-mail", "mail",
    "courriel", "phone", "telephone", "téléphone", "tel", "city", "ville", "address", "adresse",
    "birthdate", "birthday", "rpps", "adeli", "finess", "employer", "hospital", "hopital",
    "twitter", "linkedin", "photo", "avatar", "gravatar",
})

Problem = tuple[str, int, str]


@cache
def _schema(name: str) -> dict:
    return json.loads(resources.files(__package__).joinpath("schema", name).read_text("utf-8"))


def _schema_problems(file: str, loc: Located, schema_name: str) -> list[Problem]:
    import jsonschema  # here: a build whose registry is cached (`load`) never needs it

    validator = jsonschema.Draft202012Validator(_schema(schema_name))
    problems = []
    for err in validator.iter_errors(plain(loc)):
        path = list(err.absolute_path)
        if "propertyNames" in err.schema_path:
            # A bad key (a specialty slug): point at the key, not at the mapping.
            target = follow(loc, path)
            line = target.lines.get(err.instance, target.line) if target else loc.line
            problems.append((file, line, f"« {err.instance} » n'est pas un identifiant valide "
                                         "(minuscules, chiffres et tirets)"))
            continue
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            # Point at the offending key itself, and explain identity keys.
            target = follow(loc, path)
            allowed = set(err.schema.get("properties", {}))
            for key in err.instance:
                if key in allowed:
                    continue
                line = target.lines.get(key, target.line) if target else line_of(loc, path)
                if str(key).lower() in IDENTITY_KEYS:
                    continue  # reported by _identity_problems with a better reason
                problems.append((file, line, f"champ inconnu « {key} » (champs permis : {', '.join(sorted(allowed))})"))
            continue
        problems.append((file, line_of(loc, path), _describe(err)))
    return problems


def _describe(err: Any) -> str:  # a jsonschema.ValidationError
    field = ".".join(str(p) for p in err.absolute_path) or "document"
    if err.validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        hint = " (le pseudonyme public)" if missing == "author" else ""
        return f"champ obligatoire manquant : {missing}{hint}"
    if err.validator == "pattern" and (field.endswith("id") or "specialties" in field):
        return f"{field} : « {err.instance} » n'est pas un identifiant valide (minuscules, chiffres et tirets)"
    if err.validator == "type":
        return f"{field} : type attendu {err.validator_value}, reçu {type(err.instance).__name__}"
    if err.validator in ("minLength", "minItems") and not err.instance:
        return f"{field} : valeur vide"
    if err.validator == "maxLength":
        return f"{field} : trop long (au plus {err.validator_value} caractères)"
    if err.validator == "minLength":
        return f"{field} : trop court (au moins {err.validator_value} caractères)"
    if err.validator == "uniqueItems":
        return f"{field} : valeurs en double"
    if err.validator == "oneOf" and (".strong." in f".{field}." or ".weak." in f".{field}."):
        return (f"{field} : un terme est un texte (« insémination ») ou "
                "{term: …, unless: [mots qui l'annulent]}")
    if err.validator == "pattern" and field.endswith("lang"):
        return f"{field} : « {err.instance} » n'est pas un code de langue (ex. : fr, en, fr-CA)"
    return f"{field} : {err.message}"


def _identity_problems(file: str, feeds: Located) -> list[Problem]:
    problems = []
    for item in feeds.value if isinstance(feeds.value, list) else []:
        if not isinstance(item.value, dict):
            continue
        for key in item.value:
            if str(key).lower() in IDENTITY_KEYS:
                problems.append((file, item.lines[key],
                                 f"champ « {key} » refusé : le registre ne contient que le pseudonyme public "
                                 "(author), jamais d'identité réelle ni de coordonnées"))
    return problems


# An author page, a profile or an avatar: what site/feed must never point at (the slug
# of a WordPress /author/ page is the login, often the real name).
_PERSON_URL = re.compile(r"/authors?/|blogger\.com/profile/|gravatar\.com|[?&]author=", re.I)

_IPV4_ISH = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.I)


def url_problems(url: str, *, allow_private: bool = False, what: str = "feed") -> tuple[list[str], list[str]]:
    """Static URL rules. Returns (errors, warnings), in French."""
    errors: list[str] = []
    warnings: list[str] = []
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        return [f"{what} : URL invalide ({exc})"], []
    if url != url.strip() or any(c in " \\\"<>`" or ord(c) < 33 or ord(c) == 127 for c in url):
        errors.append(f"{what} : l'URL contient des espaces ou des caractères interdits")
    if parts.scheme not in ("http", "https"):
        errors.append(f"{what} : schéma « {parts.scheme or '?'}: » refusé (seuls http et https sont permis)")
        return errors, warnings
    if not host:
        errors.append(f"{what} : l'URL n'a pas de nom d'hôte")
        return errors, warnings
    if parts.username or parts.password:
        errors.append(f"{what} : identifiants dans l'URL refusés (user:motdepasse@)")
    host = resolver_host(host)  # what the fetch stage will ask for: « localhost. », « １２７.０.０.１ »
    is_ip = _is_ip_literal(host)
    if is_ip and not allow_private:
        errors.append(f"{what} : adresse IP « {host} » refusée (un nom de domaine est exigé)")
    elif not is_ip and "." not in host and not allow_private:
        errors.append(f"{what} : nom d'hôte « {host} » sans domaine refusé")
    elif (not is_ip and fold(host).endswith((".local", ".localhost", ".internal", ".lan")) or host == "localhost") \
            and not allow_private:
        errors.append(f"{what} : nom d'hôte local « {host} » refusé")
    if parts.scheme == "http" and not errors and not (is_ip and allow_private):
        warnings.append(f"{what} : URL en http:// ; préférez https:// si le blog le permet")
    return errors, warnings


def resolver_host(host: str) -> str:
    """The host name as the fetch stage resolves it: UTS 46 mapping (fullwidth digits and
    letters to ASCII, case folded), without the root's trailing dot."""
    try:
        mapped = idna.uts46_remap(host, std3_rules=False, transitional=False)
    except (idna.IDNAError, UnicodeError, ValueError):
        mapped = unicodedata.normalize("NFKC", host).casefold()
    return mapped.rstrip(".") or mapped


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        # Forms the C resolver accepts as IPv4: 2130706433, 0x7f.1, 127.1
        return bool(_IPV4_ISH.match(host))


_TERM_WORD = re.compile(r"[^\W_]+")


def _term(raw: Any) -> Term | None:
    if isinstance(raw, str):
        return Term(raw.strip())
    if isinstance(raw, dict) and isinstance(raw.get("term"), str) and isinstance(raw.get("unless"), list):
        return Term(raw["term"].strip(), tuple(u.strip() for u in raw["unless"] if isinstance(u, str)))
    return None  # reported by the schema


def _terms(name: str, slug: str, spec: Located, problems: list[Problem]) -> dict[str, tuple[Term, ...]]:
    """The specialty's `strong` and `weak` terms; a term with no word, a one-letter word
    or listed twice for the specialty is a problem at its own line."""
    out: dict[str, tuple[Term, ...]] = {}
    seen: dict[str, tuple[str, int]] = {}
    for kind in ("strong", "weak"):
        items = spec.value.get(kind)
        if items is None or not isinstance(items.value, list):
            out[kind] = ()
            continue
        terms = []
        for i, item in enumerate(items.value):
            term = _term(plain(item))
            if term is None:
                continue
            line = items.lines.get(i, items.line)
            words = _TERM_WORD.findall(term.text)
            if not words or any(not _TERM_WORD.search(u) for u in term.unless):
                problems.append((name, line, f"{slug}.{kind} : « {term.text} » ne contient aucun mot"))
                continue
            if len(words) == 1 and len(words[0]) < 2:
                problems.append((name, line, f"{slug}.{kind} : « {term.text} » est trop court pour classer un billet"))
                continue
            key = " ".join(fold(w) for w in words)
            if key in seen:
                problems.append((name, line, f"{slug}.{kind} : « {term.text} » en double "
                                             f"(déjà dans {slug}.{seen[key][0]}, ligne {seen[key][1]})"))
                continue
            seen[key] = (kind, line)
            terms.append(term)
        out[kind] = tuple(terms)
    return out


def load_vocabulary(path: Path) -> Vocabulary:
    loc = read_yaml(path)
    name = path.name
    problems = _schema_problems(name, loc, "specialties.schema.json")
    data = plain(loc)
    if not isinstance(data, dict):
        raise RegistryError(problems)
    seen: dict[str, str] = {}
    terms: dict[str, dict[str, tuple[Term, ...]]] = {}
    for slug, spec in data.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
            continue  # reported by the schema; keep checking the others
        synonyms = spec["synonyms"] if isinstance(spec.get("synonyms"), list) else []
        for syn in [spec["label"], *(s for s in synonyms if isinstance(s, str))]:
            key = fold(syn)
            if key in seen and seen[key] != slug:
                problems.append((name, loc.lines[slug], f"synonyme « {syn} » déjà utilisé par « {seen[key]} »"))
            seen[key] = slug
        terms[slug] = _terms(name, slug, loc.value[slug], problems)
    if problems:
        raise RegistryError(problems)
    return Vocabulary({
        slug: Specialty(slug, spec["label"], tuple(spec.get("synonyms", ())),
                        strong=terms[slug]["strong"], weak=terms[slug]["weak"])
        for slug, spec in data.items()
    })


def load_registry(feeds_path: Path, vocabulary: Vocabulary, *, allow_private: bool = False,
                  warnings: list[Problem] | None = None) -> Registry:
    """Parse and validate feeds.yaml; raise RegistryError listing every problem."""
    loc = read_yaml(feeds_path)
    name = feeds_path.name
    if not isinstance(loc.value, dict):
        raise RegistryError([(name, loc.line, "le fichier doit contenir une clé « feeds: » suivie d'une liste")])
    problems = _schema_problems(name, loc, "feeds.schema.json")
    feeds_loc = loc.value.get("feeds")
    if feeds_loc is None or not isinstance(feeds_loc.value, list):
        raise RegistryError(problems or [(name, loc.line, "« feeds » doit être une liste")])
    problems += _identity_problems(name, feeds_loc)

    seen = _Seen(ids={}, feeds={})
    feeds: list[FeedConfig] = []
    for item in feeds_loc.value:
        if not isinstance(item.value, dict):
            continue
        raw = plain(item)
        problems += _entry_problems(name, item, raw, vocabulary, seen, allow_private=allow_private,
                                    warnings=warnings)
        with contextlib.suppress(KeyError, AttributeError, TypeError):  # already reported by the schema
            feeds.append(_feed_config(raw, item.line))
    if problems:
        raise RegistryError(_dedup(problems))
    return Registry(tuple(feeds), vocabulary, str(feeds_path))


@dataclass(frozen=True)
class _Seen:
    """Lines where each id and each normalized feed URL were first seen in feeds.yaml."""

    ids: dict[str, int]
    feeds: dict[str, int]


def _entry_problems(name: str, item: Located, raw: dict[str, Any], vocabulary: Vocabulary, seen: _Seen, *,
                    allow_private: bool, warnings: list[Problem] | None) -> list[Problem]:
    """What is wrong with one entry beyond its schema: a repeated id, an empty pseudonym, its
    addresses, unknown specialties (in this order). Its URL warnings go to `warnings`."""
    def at(key: str) -> int:
        return item.lines.get(key, item.line)

    problems: list[Problem] = []
    fid = raw.get("id")
    if isinstance(fid, str):
        if fid in seen.ids:
            problems.append((name, at("id"), f"id « {fid} » en double (déjà ligne {seen.ids[fid]})"))
        seen.ids.setdefault(fid, at("id"))
    author = raw.get("author")
    if isinstance(author, str) and not author.strip():
        problems.append((name, at("author"), "author : le pseudonyme public est vide"))
    for key in ("feed", "site"):
        url = raw.get(key)
        if isinstance(url, str):
            problems += _address_problems(name, key, url, at(key), seen, allow_private=allow_private,
                                          warnings=warnings)
    for slug in raw.get("specialties") or []:
        if isinstance(slug, str) and slug not in vocabulary.specialties:
            problems.append((name, at("specialties"),
                             f"spécialité inconnue « {slug} » (voir specialties.yaml)"))
    return problems


def _address_problems(name: str, key: str, url: str, line: int, seen: _Seen, *, allow_private: bool,
                      warnings: list[Problem] | None) -> list[Problem]:
    """The problems of an entry's `feed` or `site` address: the static URL rules, a person's page,
    a comment feed, a feed listed twice. Its warnings go to `warnings`."""
    errs, warns = url_problems(url, allow_private=allow_private, what=key)
    if _PERSON_URL.search(url):
        errs.append(f"{key} : cette adresse désigne une personne (page d'auteur, profil, avatar), "
                    "dont l'identifiant est souvent le vrai nom : donnez l'adresse du blog et de son flux")
    if key == "feed" and comment_feed_url(url):
        errs.append("feed : c'est un flux de commentaires (les lecteurs y nomment souvent l'auteur) : "
                    "donnez le flux des billets du blog")
    problems = [(name, line, e) for e in errs]
    if warnings is not None:
        warnings += [(name, line, w) for w in warns]
    if key == "feed":
        norm = normalize_url(url)
        if norm in seen.feeds:
            problems.append((name, line, f"URL de flux en double (déjà ligne {seen.feeds[norm]})"))
        seen.feeds.setdefault(norm, line)
    return problems


def _feed_config(raw: dict[str, Any], line: int) -> FeedConfig:
    """The entry as the pipeline reads it; raises KeyError, AttributeError or TypeError on
    an entry the schema refused."""
    return FeedConfig(
        id=raw["id"], title=raw["title"].strip(), author=raw["author"].strip(),
        site=raw["site"].strip(), feed=raw["feed"].strip(),
        specialties=tuple(raw["specialties"]), lang=raw.get("lang", "fr"),
        active=raw.get("active", True),
        only_tags=tuple(fold(t) for t in raw.get("only_tags", ())),
        noindex=raw.get("noindex", False), classify=raw.get("classify", True), line=line,
    )


def normalize_url(url: str) -> str:
    try:
        p = urlsplit(url.strip())
        return f"{(p.hostname or '').lower()}{p.port or ''}{p.path.rstrip('/')}?{p.query}"
    except ValueError:  # a bad port: reported by url_problems
        return url.strip()


def _dedup(problems: list[Problem]) -> list[Problem]:
    seen = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_HASHED_ENTRY = re.compile(r"^sha256:[0-9a-f]{64}$", re.I)


def load_takedowns(path: Path | None) -> Takedowns:
    """Read takedowns.yaml: `feeds` (ids) and `entries` (hashes of URLs or GUIDs, made by
    tools/takedown_key.py: the public file must not point at the posts it removes).
    A missing or empty file removes nothing; anything malformed stops the build, with its line."""
    if path is None or not Path(path).is_file():
        return Takedowns()
    name = Path(path).name
    try:
        loc = read_yaml(Path(path))
    except RegistryError as exc:
        if [p[2] for p in exc.problems] == ["fichier vide"]:
            return Takedowns()
        raise
    if not isinstance(loc.value, dict):
        raise RegistryError([(name, loc.line, "le fichier doit contenir les clés « feeds: » et/ou « entries: »")])
    problems = _schema_problems(name, loc, "takedowns.schema.json")
    for key in loc.value:
        if str(key).lower() in IDENTITY_KEYS:
            problems.append((name, loc.lines[key], f"champ « {key} » refusé : ce fichier est public, "
                                                   "n'y écrivez ni qui demande le retrait ni pourquoi"))
    feeds: set[str] = set()
    keys: set[str] = set()
    seen: dict[tuple[str, str], int] = {}
    for section in ("feeds", "entries"):
        items = loc.value.get(section)
        if items is None or not isinstance(items.value, list):
            continue
        for item in items.value:
            value = item.value
            if not isinstance(value, str) or not value.strip():
                continue  # the schema reported it
            if value != value.strip() or any(c in value for c in "\t\r\n"):
                problems.append((name, item.line, f"{section} : « {value.strip()} » contient des espaces en trop"))
                continue
            if section == "feeds" and not _SLUG.match(value):
                problems.append((name, item.line, f"feeds : « {value} » n'est pas un id de blog "
                                                  "(minuscules, chiffres et tirets, comme dans feeds.yaml)"))
                continue
            if section == "entries" and not _HASHED_ENTRY.match(value):
                problems.append((name, item.line, "entries : écrivez l'empreinte du billet, pas son adresse "
                                                  "(ce fichier est public) : python tools/takedown_key.py "
                                                  "<adresse ou GUID> donne la ligne « sha256:… » à mettre ici"))
                continue
            key = value if section == "feeds" else takedown_key(value)
            if (section, key) in seen:
                problems.append((name, item.line, f"{section} : « {value} » en double "
                                                  f"(déjà ligne {seen[(section, key)]})"))
                continue
            seen[(section, key)] = item.line
            (feeds if section == "feeds" else keys).add(key)
    if problems:
        raise RegistryError(_dedup(problems))
    return Takedowns(frozenset(feeds), frozenset(keys))


# The last registry loaded in this process, by the digest of its files' bytes: `python -m pelican.plugins.blogroll
# build` checks the registry and then builds in one interpreter, which loads it again.
_LAST: tuple[bytes, Registry, tuple[Problem, ...]] | None = None


def _files_digest(*paths: Path | None, allow_private: bool) -> bytes:
    h = hashlib.sha256(b"private" if allow_private else b"public")
    for path in paths:
        h.update(b"\0" + str(path).encode())
        try:
            h.update(b"\1" + Path(path).read_bytes() if path is not None else b"")
        except OSError:
            h.update(b"\2")
    return h.digest()


def load(feeds_path: Path, specialties_path: Path, *, allow_private: bool = False,
         warnings: list[Problem] | None = None, takedowns_path: Path | None = None,
         cache_dir: Path | None = None) -> Registry:
    """The registry, with the feeds taken down by `takedowns_path` left out of it. Loaded again
    from the same bytes in the same process, it is the same registry (and the same warnings).

    `cache_dir` (the state folder): the registry as the last build loaded it from the same bytes
    with the same code is read back from there (`REGISTRY_CACHE`, plain JSON data) instead of being
    checked again (at 1,000 feeds, a second or two of every hourly build); an invalid registry is
    never kept."""
    global _LAST
    key = _files_digest(feeds_path, specialties_path, takedowns_path, allow_private=allow_private)
    if _LAST is not None and _LAST[0] == key:
        if warnings is not None:
            warnings.extend(_LAST[2])
        return _LAST[1]
    cached = _read_cache(cache_dir, key)
    if cached is not None:
        reg, problems = cached
    else:
        mine: list[Problem] = []
        reg = load_registry(feeds_path, load_vocabulary(specialties_path), allow_private=allow_private,
                            warnings=mine)
        takedowns = load_takedowns(takedowns_path)
        if takedowns:
            reg = Registry(tuple(f for f in reg.feeds if f.id not in takedowns.feeds), reg.vocabulary, reg.path,
                           takedowns)
        problems = tuple(mine)
        _write_cache(cache_dir, key, (reg, problems))
    _LAST = (key, reg, problems)
    if warnings is not None:
        warnings.extend(problems)
    return reg


# The registry as JSON: plain data, read back through `codec` (a state folder restored from a
# cache is not code). `OLD_CACHE`, the pickle older releases kept, is deleted, never read.
REGISTRY_CACHE = "registry.json"
OLD_CACHE = "registry.pickle"
_FORMAT = "blogroll-registry/1"


def _cache_key(key: bytes) -> str:
    """The files' digest with the code's (the codec included): another release, another key."""
    return hashlib.sha256(key + source_digest("registry", "core")).hexdigest()


def _cache_head(cache_key: str) -> bytes:
    """How the cache file written under `cache_key` begins: another key is told without parsing."""
    return f'{{"format":"{_FORMAT}","key":"{cache_key}",'.encode()


def _read_cache(cache_dir: Path | None, key: bytes) -> tuple[Registry, tuple[Problem, ...]] | None:
    """The cached registry when it was loaded from the same bytes by the same code; else None,
    whatever the file holds (cut short, another key or format, JSON of another shape)."""
    if cache_dir is None:
        return None
    mine = _cache_key(key)
    try:
        data = (Path(cache_dir) / REGISTRY_CACHE).read_bytes()
        if not data.startswith(_cache_head(mine)):
            return None
        doc = json.loads(data)
        if type(doc) is not dict or doc.keys() != {"format", "key", "registry", "warnings"} \
                or doc["format"] != _FORMAT or doc["key"] != mine:
            return None
        reg = codec.from_json(Registry, doc["registry"])
        problems = codec.from_json(tuple[Problem, ...], doc["warnings"])
    except (OSError, ValueError, TypeError, RecursionError):  # codec.Malformed is a ValueError
        return None
    return reg, problems


def _write_cache(cache_dir: Path | None, key: bytes, value: tuple[Registry, tuple[Problem, ...]]) -> None:
    if cache_dir is None or not Path(cache_dir).is_dir():
        return
    with contextlib.suppress(OSError):
        (Path(cache_dir) / OLD_CACHE).unlink(missing_ok=True)
    reg, problems = value
    with contextlib.suppress(OSError, ValueError, TypeError):  # a value the codec cannot write: no cache
        doc = {"format": _FORMAT, "key": _cache_key(key), "registry": codec.to_json(Registry, reg),
               "warnings": codec.to_json(tuple[Problem, ...], problems)}
        write_atomic(Path(cache_dir) / REGISTRY_CACHE,
                     json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode())
