"""The connections of one origin, behind httpx (an httpx transport over httpcore connections).

httpx's own transport is httpcore's connection pool, which re-examines every connection it
holds at each request and at each response closed (a poll of each idle socket, through
anyio's attribute lookups): with the 16 connections an hourly build keeps open to one host,
that scan was most of the fetch's CPU (and under 16 idle connections, httpcore 1.0's pool
closes idle ones early, counting all its connections as idle: a new connection per request).
Here taking a connection costs one look at one idle connection: at most `limit` requests at
once, each on a connection of its own, idle connections kept alive for the next request.

Everything else is httpcore's: TLS with the caller's context, ALPN and HTTP/2, the connect,
read and write timeouts of each request, keep-alive expiry, and the bytes on the wire.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Iterator

import httpcore
import httpx

KEEPALIVE_EXPIRY = 5.0  # seconds, httpx's default

# httpcore's errors under the httpx names the fetch stage classifies (the same mapping as httpx's
# own transport: every httpcore error has an httpx namesake).
_ERRORS = (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError,
           httpcore.UnsupportedProtocol, httpcore.ProxyError)


@contextlib.contextmanager
def _as_httpx() -> Iterator[None]:
    try:
        yield
    except _ERRORS as exc:
        raise getattr(httpx, type(exc).__name__, httpx.TransportError)(str(exc)) from exc


class OriginConnections(httpx.AsyncBaseTransport):
    """At most `limit` connections to one origin at once, kept alive between requests."""

    def __init__(self, ssl_context: ssl.SSLContext, limit: int, *, http2: bool = True):
        self._ssl = ssl_context
        self._http2 = http2
        self._slots = asyncio.Semaphore(max(1, limit))
        self._idle: list[httpcore.AsyncHTTPConnection] = []
        self._open: set[httpcore.AsyncHTTPConnection] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw, content=request.stream, extensions=request.extensions)
        await self._slots.acquire()
        try:
            connection, response = await self._send(core)
        except BaseException:
            self._slots.release()
            raise
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_Body(self, connection, response), extensions=response.extensions)

    async def _send(self, core: httpcore.Request) -> tuple[httpcore.AsyncHTTPConnection, httpcore.Response]:
        """Send on an idle connection (one that is no longer usable is closed and replaced)."""
        while True:
            connection = await self._take(core.url.origin)
            reused = connection.is_idle()
            try:
                with _as_httpx():
                    return connection, await connection.handle_async_request(core)
            except httpcore.ConnectionNotAvailable:
                await self._discard(connection)
                if not reused:
                    raise httpx.ConnectError("connexion indisponible") from None
            except BaseException:
                await self._discard(connection)
                raise

    async def _take(self, origin: httpcore.Origin) -> httpcore.AsyncHTTPConnection:
        while self._idle:
            connection = self._idle.pop()
            if connection.can_handle_request(origin) and connection.is_idle() and not connection.has_expired():
                return connection
            await self._discard(connection)
        connection = httpcore.AsyncHTTPConnection(origin, ssl_context=self._ssl, http2=self._http2,
                                                  keepalive_expiry=KEEPALIVE_EXPIRY)
        self._open.add(connection)
        return connection

    async def _discard(self, connection: httpcore.AsyncHTTPConnection) -> None:
        self._open.discard(connection)
        await connection.aclose()

    async def release(self, connection: httpcore.AsyncHTTPConnection) -> None:
        """A response was closed: its connection goes back idle when it can serve again."""
        try:
            if connection.is_idle() and not connection.is_closed():
                self._idle.append(connection)
            else:
                await self._discard(connection)
        finally:
            self._slots.release()

    async def aclose(self) -> None:
        self._idle.clear()
        for connection in list(self._open):
            await self._discard(connection)


class _Body(httpx.AsyncByteStream):
    def __init__(self, owner: OriginConnections, connection: httpcore.AsyncHTTPConnection,
                 response: httpcore.Response):
        self._owner = owner
        self._connection: httpcore.AsyncHTTPConnection | None = connection
        self._stream = response.stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _as_httpx():
            async for part in self._stream:  # type: ignore[union-attr]
                yield part

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            with _as_httpx():
                await self._stream.aclose()  # type: ignore[union-attr]
        finally:
            await self._owner.release(connection)
