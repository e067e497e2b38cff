"""Scrub identifying text: e-mail addresses, bare URLs and domains, profile paths, hex hashes,
phone numbers, RPPS/ADELI numbers, postal addresses of a practice."""

from __future__ import annotations

import re

import phonenumbers

from ..core import emails
from ..core.domains import tld_pattern
from ..core.text import squash

_BARE_URL = re.compile(r"(?<![\w/])(?:(?:https?:)?//|www\.)\S+", re.I)
# What is left of a profile link once the scheme is gone: « blog.example/author/nom ».
_IDENTITY_PATH = re.compile(r"(?<!\S)\S*/(?:author|profile)/\S*", re.I)
# 32+ hex digits: an MD5/SHA-256 Gravatar hash is an e-mail address one guess away.
_HEX_HASH = re.compile(r"(?<![0-9a-f])[0-9a-f]{32,}(?![0-9a-f])", re.I)
# A domain written without http or www: a practice's site (« cabinet-testard.fr »), a booking
# page (« doctolib.fr/medecin/paris/nom »). State sites (*.gouv.fr) are kept.
_TLDS = (r"fr|com|org|net|eu|be|ch|ca|lu|re|mc|info|pro|sante|care|clinic|doctor|dentist|health|io|me|name|"
         r"bzh|paris|corsica|alsace|online|xyz|co|uk|de|es|it|example|test|invalid")
# Every other top-level domain of the Public Suffix List (core/domains.py: « .clinic »,
# « .care », « .paris », « .bzh »...), written in lower case as a domain is.
_ALL_TLDS = rf"{_TLDS}|(?-i:{tld_pattern(_TLDS)})"
_BARE_DOMAIN = re.compile(
    rf"(?<![\w@.\-/])(?:[a-z0-9\u00c0-\u024f](?:[a-z0-9\u00c0-\u024f\-]*[a-z0-9\u00c0-\u024f])?\.)+"
    rf"(?:{_ALL_TLDS})(?![\w\-]|\.\w)(?:/[^\s<>\"']*)?", re.I)
_STATE_DOMAIN = re.compile(r"\.gouv\.fr\b|^(?:ameli|has-sante|sante\.fr|service-public)", re.I)
# RPPS (11 digits) and ADELI (9 digits) numbers of a health professional, spaced or not.
# FINESS numbers of a practice have the ADELI shape (9 digits).
_RPPS_ADELI = re.compile(r"(?<![\d,.])(?:\d[ \u00a0.]?){10}\d(?!\d|[,.]\d)|(?<![\d,.])\d{9}(?!\d|[,.]\d)"
                         r"|\b(?:rpps|adeli|finess)\s*(?:n°|no|num(?:éro)?)?\s*:?\s*[\d \u00a0.]{6,14}\d", re.I)
# What follows an amount, not a register number: « 10 000 000 000 € », « 123 456 789 habitants ».
_AMOUNT_AFTER = re.compile(r"[\s\u00a0\u202f]*(?:[€$£%‰]|(?:d'|de\s+)?(?:euros?|eur|dollars?|usd|francs?|habitants|"
                           r"personnes|patients|cas|morts|décès|deces|doses|km|kg|mg|g|l|ml|m|tonnes|ans|jours|"
                           r"heures|minutes|fois|unités|unites|octets|ko|mo|go)\b)", re.I)
# A street address (« 3 bis avenue des Acacias, 69003 Lyon »), a postal box, a postcode and town after a comma.
# Street types that are only that (« 3 rue … ») and those that are ordinary words too (« 4 cours
# de biologie », « 2 places », « 3 voies »): these make an address only before a street's name, a
# capitalised word after « de », « du », « des », « de la », « d' » (« 4 cours Lafayette »).
_STREET_ONLY = (r"rue|avenue|av\.?|boulevard|bd|bld|allée|allee|impasse|rond-point|faubourg|fbg|lotissement|"
                r"lieu-dit|zac")
_STREET_WORD = (r"place|pl\.|chemin|route|rte|quai|cours|square|passage|villa|cité|cite|résidence|residence|"
                r"esplanade|parvis|promenade|sentier|voie|hameau|za|zi")
_STREET_NAME = r"(?:\s+(?:de\s+la|de\s+l['’]|des|du|de|d['’]|la|le|les))?\s*(?-i:[A-ZÀ-Ý0-9])"
_STREET = rf"(?:{_STREET_ONLY})\b|(?:{_STREET_WORD})\b(?={_STREET_NAME})"
_ADDRESS = re.compile(
    rf"\b\d{{1,4}}(?:\s?(?:bis|ter|quater|[a-d]))?,?\s+(?:{_STREET})[^,.;:!?\n()]{{0,60}}"
    r"(?:,?\s*\d{5}\s+(?-i:[A-ZÀ-Ý])[\w\u00c0-\u024f'\-]*(?:[ \-](?-i:[A-ZÀ-Ý])[\w\u00c0-\u024f'\-]*){0,3}(?:\s+cedex(?:\s+\d+)?)?)?"
    r"|\b(?:BP|CS|TSA)\s?\d{2,6}\b|(?<=,)\s*\d{5}\s+(?-i:[A-ZÀ-Ý])[A-Za-zÀ-ÿ'\-]+(?:\s+cedex)?", re.I)

# Speed only (scrub_text ran ~0.5 ms per KB of text, half of the cold build's clean stage):
# each hint is a part that every match of its pattern must contain (see core/emails.py).
# A hint that starts with a fixed character lets re skip to the places where that character
# is: « www. » and the dot of a domain are found from their dot, the part before it checked
# by a lookbehind (the same characters under the same flags).
_BARE_URL_HINT = re.compile(r"/(?<=//)|\.(?<=www\.)", re.I)
_IDENTITY_PATH_HINT = re.compile(r"/(?:author|profile)/", re.I)
_DOMAIN_HINT = re.compile(rf"\.(?<=[a-z0-9\u00c0-\u024f]\.)(?:{_ALL_TLDS})(?![\w\-]|\.\w)", re.I)
_DIGIT_RUN_HINT = re.compile(r"\d(?:[\s\u00a0.\-/()]*\d){5,}")
_REGISTER_HINT = re.compile(r"rpps|adeli|finess", re.I)
_ADDRESS_HINT = re.compile(r"\d")  # every form of _ADDRESS holds a digit


def _may_hold_number(text: str) -> bool:
    """A run of six digits or more (a phone, an RPPS or ADELI number), or a register's name."""
    return _DIGIT_RUN_HINT.search(text) is not None or _may_name_a_register(text)


def _may_name_a_register(text: str) -> bool:
    # _REGISTER_HINT under IGNORECASE, without re's slow case-insensitive scan: re folds only
    # ASCII case onto these letters, and also ſ onto s, İ and ı onto i; a text holding one of
    # those three goes to the pattern itself.
    low = text.lower()
    if "rpps" in low or "adeli" in low or "finess" in low:
        return True
    return ("\u017f" in text or "\u0130" in text or "\u0131" in text) and _REGISTER_HINT.search(text) is not None


def _may_hold_hex_hash(text: str) -> bool:
    # 32 hex digits in a row sit inside one whitespace-free token of 32+ characters.
    return len(text) >= 32 and max(map(len, text.split()), default=0) >= 32


# Towns whose name is also a plural French word: after a postcode they are still a town.
_PLURAL_TOWNS = frozenset({"paris", "tours", "rennes", "vannes", "sens", "angers", "nevers", "thiers", "tarbes",
                           "cahors", "millau", "saintes", "nantes", "troyes", "reims", "meaux", "dreux", "evreux"})


def _address(m: re.Match) -> str:
    """« , 40000 Français » is a count, not a postcode and a town: a plural French word."""
    text = m.group(0)
    town = re.match(r"\s*\d{5}\s+([\w'\-]+)", text)
    if town and text.lstrip()[:1].isdigit():
        word = town.group(1)
        from ..core.names import common_word, fold_name

        folded = fold_name(word)
        if folded.endswith(("s", "x")) and common_word(word) and folded not in _PLURAL_TOWNS:
            return text
    return " "


def _register_number(m: re.Match) -> str:
    """A spaced run of digits followed by a currency or a unit is an amount, not an RPPS."""
    return m.group(0) if _AMOUNT_AFTER.match(m.string, m.end()) else " "


def _drop_domains(text: str) -> str:
    return _BARE_DOMAIN.sub(lambda m: m.group(0) if _STATE_DOMAIN.search(m.group(0)) else " ", text)


def drop_phones(text: str) -> str:
    """French (and other) phone numbers in any spacing: « 06 12 34 56 78 », « 06.12.34.56.78 »,
    « +33 (0)6 12 34 56 78 », « 0612345678 », via Google's libphonenumber rules."""
    spans = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(
        text, "FR", leniency=phonenumbers.Leniency.POSSIBLE, max_tries=200)
        if not _AMOUNT_AFTER.match(text, m.end)]  # « 123 456 789 habitants » is a count
    for start, end in reversed(spans):
        text = text[:start] + " " + text[end:]
    return text


def scrub_text(text: str) -> str:
    """Drop e-mail addresses (also obfuscated: « nom [at] domaine [dot] fr »), bare URLs and
    domains, profile paths, hex hashes, phone numbers, RPPS/ADELI numbers and street addresses."""
    if emails.EMAIL_HINT.search(text):
        text = emails.EMAIL.sub(" ", text)
    if emails.EMAIL_WORDS_HINT.search(text):
        text = emails.EMAIL_WORDS.sub(" ", text)
    if _BARE_URL_HINT.search(text):
        text = _BARE_URL.sub(" ", text)
    if _IDENTITY_PATH_HINT.search(text):
        text = _IDENTITY_PATH.sub(" ", text)
    if _may_hold_hex_hash(text):
        text = _HEX_HASH.sub(" ", text)
    if _DOMAIN_HINT.search(text):
        text = _drop_domains(text)
    if _may_hold_number(text):
        text = drop_phones(text)
        text = _RPPS_ADELI.sub(_register_number, text)
    if _ADDRESS_HINT.search(text):
        text = _ADDRESS.sub(_address, text)
    return squash(text)
