"""URL normalization shared by the stages: absolute http(s), no credentials, no tracking."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
import re

from .emails import EMAIL

TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]*|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|twclid|ttclid|li_fat_id|mc_cid|mc_eid|igshid|"
    r"yclid|_hs(enc|mi)|mkt_tok|_ga|_gl|xtor|at_[a-z]+|oly_(anon|enc)_id|vero_(id|conv)|wickedid|"
    r"ck_subscriber_id|s_cid|ncid|sr_share|srsltid|spm|__s)$", re.I)


def clean_url(url: str | None) -> str | None:
    """An absolute http(s) URL without credentials, tracking parameters or e-mails in its query."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if any(c in url for c in "\"'<> \t\r\n\\"):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not TRACKING_PARAMS.match(k) and "@" not in v and not EMAIL.search(v)]
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = host + (f":{port}" if port else "")
    fragment = "" if parts.fragment.lower().startswith(("utm", "xtor")) else parts.fragment
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, urlencode(query), fragment))
