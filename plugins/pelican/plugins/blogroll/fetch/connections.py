"""The connections of one origin, behind httpx (an httpx transport over httpcore connections).

httpx's own transport is httpcore's connection pool, which re-examines every connection it
holds at each request and at each response closed (a poll of each idle socket, through
anyio's attribute lookups): with the up to 16 connections an hourly build keeps open to one
host, that scan was most of the fetch's CPU. And with a keep-alive limit under the connection
limit (the 4 against 16 this stage had), httpcore 1.0's pool closes an idle connection as soon
as it holds more connections than that limit, counting them all as idle: almost a new
connection per request.
Here a request takes the first connection that can serve it, and only that one is checked
for expiry (`OriginConnections`): at most `limit` requests at once, idle connections kept
alive for the next request, HTTP/2 streams sharing a connection as in httpcore's pool.

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
    """At most `limit` requests at once to one origin, on connections kept alive between them.

    An HTTP/1.1 connection serves one request at a time: a request pops an idle one (checking
    that one alone for expiry) or opens a new one, and gives it back when its response is
    closed. An HTTP/2 connection, and an HTTPS one still connecting (it may turn out HTTP/2),
    is shared: requests open streams on it while it has room, as in httpcore's pool.
    """

    def __init__(self, ssl_context: ssl.SSLContext, limit: int, *, http2: bool = True):
        self._ssl = ssl_context
        self._http2 = http2
        self._limit = max(1, limit)
        self._slots = asyncio.Semaphore(self._limit)
        self._idle: list[httpcore.AsyncHTTPConnection] = []    # HTTP/1.1, no request on them
        self._shared: list[httpcore.AsyncHTTPConnection] = []  # HTTP/2, or HTTPS connecting
        # Every open connection, with the number of requests on it.
        self._open: dict[httpcore.AsyncHTTPConnection, int] = {}

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
        if response.extensions.get("http_version") != b"HTTP/2" and connection in self._shared:
            self._shared.remove(connection)  # HTTPS without HTTP/2: one request at a time
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_Body(self, connection, response), extensions=response.extensions)

    async def _send(self, core: httpcore.Request) -> tuple[httpcore.AsyncHTTPConnection, httpcore.Response]:
        # A shared connection that turned out HTTP/1.1 and busy answers ConnectionNotAvailable,
        # as may an idle one the server has just closed: take another (bounded).
        for _ in range(2 * self._limit + 1):
            connection = await self._take(core.url.origin)
            try:
                with _as_httpx():
                    return connection, await connection.handle_async_request(core)
            except httpcore.ConnectionNotAvailable:
                await self._leave(connection, failed=False)
            except BaseException:
                await self._leave(connection, failed=True)
                raise
        raise httpx.ConnectError("aucune connexion disponible")

    async def _take(self, origin: httpcore.Origin) -> httpcore.AsyncHTTPConnection:
        for connection in list(self._shared):
            if not (connection.can_handle_request(origin) and connection.is_available()):
                continue
            if not connection.has_expired():
                self._open[connection] += 1
                return connection
            if self._open[connection] == 0:
                await self._discard(connection)
        while self._idle:
            connection = self._idle.pop()
            if connection.can_handle_request(origin) and connection.is_idle() and not connection.has_expired():
                self._open[connection] += 1
                return connection
            await self._discard(connection)  # expired, closed, or for another address of the name
        connection = httpcore.AsyncHTTPConnection(origin, ssl_context=self._ssl, http2=self._http2,
                                                  keepalive_expiry=KEEPALIVE_EXPIRY)
        self._open[connection] = 1
        if self._http2 and origin.scheme == b"https":
            self._shared.append(connection)
        return connection

    async def _leave(self, connection: httpcore.AsyncHTTPConnection, *, failed: bool) -> None:
        """A request is off `connection`. Closed, it is dropped; with no request left on it, an
        HTTP/1.1 connection goes back idle, or is closed after a failure (its state unknown);
        an HTTP/2 one stays shared."""
        if connection not in self._open:
            return  # already closed and dropped (another request on it saw it fail)
        self._open[connection] -= 1
        if connection.is_closed():
            await self._discard(connection)
        elif self._open[connection] == 0 and connection not in self._shared:
            if failed or not connection.is_idle():
                await self._discard(connection)
            else:
                self._idle.append(connection)

    async def _discard(self, connection: httpcore.AsyncHTTPConnection) -> None:
        self._open.pop(connection, None)
        if connection in self._shared:
            self._shared.remove(connection)
        await connection.aclose()

    async def release(self, connection: httpcore.AsyncHTTPConnection) -> None:
        """A response was closed: its connection serves again if it can, its slot is free."""
        try:
            await self._leave(connection, failed=False)
        finally:
            self._slots.release()

    async def close_idle(self) -> None:
        """Close the connections no request is on (the others are left to finish)."""
        idle, self._idle = self._idle, []
        for connection in idle:
            await self._discard(connection)
        for connection in [c for c in self._shared if self._open.get(c) == 0]:
            await self._discard(connection)

    async def aclose(self) -> None:
        self._idle.clear()
        self._shared.clear()
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
