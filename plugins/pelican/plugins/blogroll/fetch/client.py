"""Fetch stage: concurrent, bounded, conditional HTTP with an SSRF guard.

Each feed is fetched by `_fetch_one`, which never raises: every failure
becomes a FetchResult with a French reason for /etat/. Redirects are followed
by hand so that every hop's address is checked, and the connection goes to
the very address that was checked (DNS is not asked twice: each host name is
resolved and checked once per run, `Pools.resolve`).
"""

from __future__ import annotations

import asyncio
import functools
import socket
import ssl
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, cast
from urllib.parse import urljoin, urlsplit, urlunsplit

import certifi
import httpx
import idna

from ..core.errors import BlockedAddress, FetchError
from ..core.model import FetchResult, Outcome, Validators
from ..core.settings import Settings
from .connections import OriginConnections
from .netguard import IPAddress, is_public_address, parse_address

REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
ACCEPT = "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
MAX_RETRY_AFTER = timedelta(days=7)

# Which resolved addresses a fetch may connect to: `is_public_address`, or every address
# under `settings.allow_private` (feeds served on this machine, as `make demo` does). A
# caller may pass its own policy (the guard's tests do, to play a public blog on loopback).
AddressPolicy = Callable[[IPAddress], bool]


def _allow_all(ip: IPAddress) -> bool:
    return True


def default_policy(settings: Settings) -> AddressPolicy:
    return _allow_all if settings.allow_private else is_public_address


@dataclass(frozen=True)
class FetchRequest:
    feed_id: str
    url: str
    validators: Validators | None = None


def fetch_all(requests: list[FetchRequest], settings: Settings,
              now: datetime | None = None, *, policy: AddressPolicy | None = None,
              ssl_context: ssl.SSLContext | None = None) -> list[FetchResult]:
    """Fetch every request concurrently (bounded); results in request order. `ssl_context`
    replaces the trust store (certifi's CA bundle), e.g. with a private CA."""
    if not requests:
        return []
    policy = policy or default_policy(settings)
    return asyncio.run(_fetch_all(requests, settings, now or datetime.now(UTC), policy, ssl_context))


def fetch_url(url: str, settings: Settings, feed_id: str = "-", *,
              policy: AddressPolicy | None = None) -> FetchResult:
    return fetch_all([FetchRequest(feed_id, url)], settings, policy=policy)[0]


@functools.cache
def _trust_store() -> ssl.SSLContext:
    """One TLS context (certifi's CA bundle) for every pool of every run in this process:
    loading the bundle costs ~40 ms of CPU, once per fetch_all before."""
    return ssl.create_default_context(cafile=certifi.where())


Origin = tuple[str, str, int]  # scheme, host name (A-label, lowercase), port: one pool each


def _origin_of(scheme: str, host: str, port: int) -> Origin:
    return scheme, _idna(host).lower(), port


class Pools:
    """One connection pool per origin as the feed's URL names it (scheme, host name, port).

    Requests go to the checked IP address (the URL holds the address, the Host header and
    TLS SNI the name), so a single httpx pool, keyed by the address, would send a request for
    one host over a connection opened, and its certificate checked, for another host of the
    same address: shared hosting answers that with 421 or 400 (SNI and Host differ), or with
    the other site. Each pool keeps its connections alive between requests (HTTP/1.1) and
    speaks HTTP/2 when the server offers it in the TLS handshake (ALPN).

    Requests go straight to the pool (an httpx transport), without an httpx client: the client
    adds nothing this stage uses (it follows no redirect, reads no proxy setting, sends no
    credentials) and cost a quarter of the hourly run's CPU building and merging each request
    and offering each response to a cookie jar. Without one there is no jar at all: no cookie
    is ever kept or sent, so one feed cannot tag the requests for another.
    """

    def __init__(self, settings: Settings, ssl_context: ssl.SSLContext | None = None):
        self._settings = settings
        self._ssl = ssl_context or _trust_store()
        # Connect, read, write timeouts of each request (httpcore's); the total is _fetch_one's.
        self.timeout = httpx.Timeout(settings.total_timeout, connect=settings.connect_timeout).as_dict()
        self._pools: dict[tuple[str, str, int], OriginConnections] = {}
        self._resolved: dict[tuple[str, int, AddressPolicy], asyncio.Future[str]] = {}

    async def resolve(self, host: str, port: int, policy: AddressPolicy) -> str:
        """`resolve_checked` once per (host, port) and policy in this run: every later request
        for the host goes to the address checked then (a name that resolves elsewhere later in
        the run is not asked again, so it cannot move the run to an unchecked address). A
        refusal or a DNS failure is remembered too and raised again, as a new exception."""
        key = (host, port, policy)
        future = self._resolved.get(key)
        if future is None:
            future = self._resolved[key] = asyncio.ensure_future(resolve_checked(host, port, policy))
            # Its outcome is read here even when every feed waiting for it has timed out.
            future.add_done_callback(lambda done: done.cancelled() or done.exception())
        try:
            # shield: one feed's timeout must not cancel the lookup other feeds wait for.
            return await asyncio.shield(future)
        except FetchError as exc:
            raise type(exc)(exc.reason, status=exc.status) from None

    def pool(self, origin: Origin) -> OriginConnections:
        if origin not in self._pools:
            self._pools[origin] = OriginConnections(self._ssl, self._settings.concurrency)
        return self._pools[origin]

    async def done_with(self, origin: Origin) -> None:
        """No request of the run is left for `origin`: its idle connections are closed (a
        registry of a thousand hosts would otherwise hold a thousand sockets to the end)."""
        pool = self._pools.get(origin)
        if pool is not None:
            await pool.close_idle()

    async def aclose(self) -> None:
        for pool in self._pools.values():
            await pool.aclose()


def _origin(url: str) -> Origin | None:
    """The key of `url`'s pool in Pools (None when it names none)."""
    try:
        parts = urlsplit(url)
        return _origin_of(parts.scheme, parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
    except (ValueError, FetchError):
        return None


async def _fetch_all(requests: list[FetchRequest], settings: Settings, now: datetime, policy: AddressPolicy,
                     ssl_context: ssl.SSLContext | None = None) -> list[FetchResult]:
    pools = Pools(settings, ssl_context)
    results: list[FetchResult | None] = [None] * len(requests)
    queue = iter(enumerate(requests))

    origins = [_origin(r.url) for r in requests]
    left = Counter(origins)  # requests not done, by origin

    async def worker() -> None:
        # `concurrency` workers take the requests in turn: as many fetches at once as a task
        # per request behind a semaphore, without a thousand tasks waiting on it.
        for index, req in queue:
            results[index] = await _fetch_one(pools, req, settings, now, policy)
            origin = origins[index]
            left[origin] -= 1
            if origin is not None and not left[origin]:
                await pools.done_with(origin)

    try:
        await asyncio.gather(*(worker() for _ in range(min(max(1, settings.concurrency), len(requests)))))
        return cast(list[FetchResult], results)  # every worker ran to the end: no slot is None
    finally:
        await pools.aclose()


async def _fetch_one(pools: Pools, req: FetchRequest, settings: Settings,
                     now: datetime, policy: AddressPolicy) -> FetchResult:
    def failed(reason: str, status: int | None = None) -> FetchResult:
        return FetchResult(req.feed_id, req.url, Outcome.ERROR, now, status=status, error=reason)

    try:
        async with asyncio.timeout(settings.total_timeout):
            return await _fetch_chain(pools, req, settings, now, policy)
    except TimeoutError:
        return failed(f"délai total dépassé ({settings.total_timeout:g} s)")
    except FetchError as exc:
        return failed(exc.reason, exc.status)
    except httpx.ConnectTimeout:
        return failed(f"délai de connexion dépassé ({settings.connect_timeout:g} s)")
    except httpx.ReadTimeout:
        return failed("le serveur a cessé de répondre (délai de lecture dépassé)")
    except httpx.ConnectError as exc:
        if isinstance(exc.__cause__, ssl.SSLError) or "SSL" in str(exc) or "certificate" in str(exc):
            return failed("erreur TLS : certificat invalide ou connexion sécurisée impossible")
        return failed("connexion refusée ou impossible")
    except httpx.RemoteProtocolError:
        return failed("réponse HTTP invalide (connexion interrompue ou mal formée)")
    except httpx.HTTPError as exc:
        return failed(f"erreur réseau ({type(exc).__name__})")
    except Exception as exc:  # isolation: one feed never stops the others
        return failed(f"erreur inattendue ({type(exc).__name__})")


async def _fetch_chain(pools: Pools, req: FetchRequest, settings: Settings, now: datetime,
                       policy: AddressPolicy) -> FetchResult:
    url = req.url
    permanent: str | None = None
    chain_permanent = True
    validators = req.validators if req.validators and req.validators.url == req.url else None
    for hop in range(settings.max_redirects + 1):
        resp = await _send(pools, url, settings, validators, policy)
        try:
            status = resp.status_code
            if status in REDIRECTS:
                location = resp.headers.get("location")
                if not location:
                    raise FetchError(f"redirection HTTP {status} sans adresse de destination", status=status)
                if hop == settings.max_redirects:
                    raise FetchError(f"trop de redirections (plus de {settings.max_redirects})", status=status)
                target = urljoin(url, location.strip())
                chain_permanent = chain_permanent and status in PERMANENT
                permanent = target if chain_permanent else None
                url = target
                continue
            base: dict[str, Any] = {"status": status, "final_url": url, "permanent_url": permanent,
                                        "cache_control": resp.headers.get("cache-control"),
                                        "expires": resp.headers.get("expires")}
            if status == 304:
                await _drain(resp)
                return FetchResult(req.feed_id, req.url, Outcome.NOT_MODIFIED, now,
                                   etag=validators.etag if validators else None,
                                   last_modified=validators.last_modified if validators else None, **base)
            if status == 410:
                return FetchResult(req.feed_id, req.url, Outcome.GONE, now,
                                   error="le flux a été supprimé (HTTP 410)", **base)
            if status in (429, 503):
                return FetchResult(req.feed_id, req.url, Outcome.ERROR, now,
                                   error=_status_reason(status),
                                   retry_after=_retry_after(resp.headers.get("retry-after"), now), **base)
            if not 200 <= status < 300:
                raise FetchError(_status_reason(status), status=status)
            body = await _read_capped(resp, settings.max_bytes)
            return FetchResult(req.feed_id, req.url, Outcome.OK, now, body=body,
                               etag=resp.headers.get("etag"),
                               last_modified=resp.headers.get("last-modified"),
                               content_type=resp.headers.get("content-type"), **base)
        finally:
            await resp.aclose()
    raise FetchError("trop de redirections")  # pragma: no cover - loop always returns


async def _send(pools: Pools, url: str, settings: Settings,
                validators: Validators | None, policy: AddressPolicy) -> httpx.Response:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"schéma « {parts.scheme}: » refusé (http et https seulement)")
    if parts.username or parts.password:
        raise FetchError("identifiants dans l'URL refusés")
    host = parts.hostname
    if not host:
        raise FetchError("URL sans nom d'hôte")
    default_port = 443 if parts.scheme == "https" else 80
    port = parts.port or default_port
    address = await pools.resolve(_idna(host), port, policy)
    ip_host = f"[{address}]" if ":" in address else address
    netloc = ip_host if port == default_port else f"{ip_host}:{port}"
    host_header = _idna(host) if parts.port in (None, default_port) else f"{_idna(host)}:{port}"
    if ":" in host:
        host_header = f"[{host}]" + ("" if parts.port in (None, default_port) else f":{port}")
    headers = {
        "Host": host_header,
        "User-Agent": settings.user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": "gzip, deflate",
        "Connection": "keep-alive",
    }
    if validators:
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
    target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    extensions: dict[str, Any] = {"timeout": pools.timeout}
    if parts.scheme == "https":
        extensions["sni_hostname"] = _idna(host)
    request = httpx.Request("GET", target, headers=headers, extensions=extensions)
    return await pools.pool(_origin_of(parts.scheme, host, port)).handle_async_request(request)


def _idna(host: str) -> str:
    """The ASCII (A-label) form of a host name by UTS 46 / IDNA 2008, as browsers do:
    'straße.example' -> 'xn--strae-oqa.example' (Python's IDNA 2003 codec maps it to
    'strasse.example', another host)."""
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return host


async def resolve_checked(host: str, port: int, policy: AddressPolicy = is_public_address) -> str:
    """Resolve `host` and return one address; refuse the host if `policy` refuses any of its addresses."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise FetchError("nom de domaine introuvable (DNS)")
    except UnicodeError:
        raise FetchError("nom de domaine invalide")
    addresses = [parse_address(str(info[4][0])) for info in infos]
    if not addresses:
        raise FetchError("nom de domaine introuvable (DNS)")
    for ip in addresses:
        if not policy(ip):
            mapped = getattr(ip, "ipv4_mapped", None)
            shown = f"::ffff:{mapped}" if mapped else str(ip)
            raise BlockedAddress(f"adresse refusée : {shown} n'est pas une adresse publique")
    return str(addresses[0])


async def _drain(resp: httpx.Response, limit: int = 64 * 1024) -> None:
    """Read the rest of a response we do not use (a 304 has no body) so that its connection
    goes back to the pool: unread, httpx closes it, and an hourly run of mostly 304s opened a
    new connection per feed. A server that sends more than `limit` gets its connection closed."""
    read = 0
    async for chunk in resp.aiter_raw():
        read += len(chunk)
        if read > limit:
            return


async def _read_capped(resp: httpx.Response, limit: int) -> bytes:
    """Read the body, decompressing ourselves so the cap applies after decompression."""
    declared = resp.headers.get("content-length")
    encoding = resp.headers.get("content-encoding", "identity").strip().lower()
    too_big = FetchError(f"réponse trop volumineuse (plus de {limit // (1024 * 1024) or limit} "
                         f"{'Mio' if limit >= 1024 * 1024 else 'octets'})")
    if encoding in ("", "identity") and declared and declared.isdigit() and int(declared) > limit:
        raise too_big
    if encoding in ("gzip", "x-gzip", "deflate"):
        decoder = _Inflater(encoding)
    elif encoding in ("", "identity"):
        decoder = None
    else:
        raise FetchError(f"encodage de contenu non pris en charge ({encoding})")
    out = bytearray()
    try:
        async for chunk in resp.aiter_raw():
            out += chunk if decoder is None else decoder.feed(chunk, limit + 1 - len(out))
            if len(out) > limit:
                raise too_big
        if decoder is not None:
            out += decoder.flush()
    except OverflowError:
        raise too_big
    if len(out) > limit:
        raise too_big
    return bytes(out)


class _Inflater:
    """zlib decompression whose output per call is bounded (gzip bombs)."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        self.obj = zlib.decompressobj(zlib.MAX_WBITS | 32 if encoding != "deflate" else zlib.MAX_WBITS)
        self.first = True

    def feed(self, chunk: bytes, room: int) -> bytes:
        try:
            if self.first and self.encoding == "deflate":
                self.first = False
                try:
                    return self._bounded(chunk, room)
                except zlib.error:  # "deflate" without zlib header, as some servers send
                    self.obj = zlib.decompressobj(-zlib.MAX_WBITS)
            return self._bounded(chunk, room)
        except zlib.error:
            raise FetchError("contenu compressé illisible")

    def _bounded(self, chunk: bytes, room: int) -> bytes:
        data = self.obj.decompress(chunk, max(1, room))
        if self.obj.unconsumed_tail:
            raise OverflowError  # output limit reached with input left: over the cap
        return data

    def flush(self) -> bytes:
        # Everything fed was consumed within the bound, so this is small.
        try:
            return self.obj.flush()
        except zlib.error:
            raise FetchError("contenu compressé illisible")


def _status_reason(status: int) -> str:
    reasons = {
        400: "requête refusée par le serveur (HTTP 400)",
        401: "accès protégé par mot de passe (HTTP 401)",
        403: "accès interdit par le serveur (HTTP 403)",
        404: "flux introuvable à cette adresse (HTTP 404)",
        429: "trop de requêtes : le serveur demande d'attendre (HTTP 429)",
        500: "erreur interne du serveur (HTTP 500)",
        502: "passerelle en erreur (HTTP 502)",
        503: "service indisponible (HTTP 503)",
        504: "passerelle hors délai (HTTP 504)",
    }
    return reasons.get(status, f"le serveur a répondu HTTP {status}")


def _retry_after(value: str | None, now: datetime) -> datetime | None:
    if not value:
        return None
    value = value.strip()
    when: datetime | None
    if value.isdigit():
        when = now + timedelta(seconds=int(value))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    return min(max(when, now), now + MAX_RETRY_AFTER)
