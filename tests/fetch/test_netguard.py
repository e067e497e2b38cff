"""SSRF guard: which addresses a feed URL may reach, and the fetcher obeying it.

Refusals are checked against real loopback servers that must NOT receive the
request; redirects are followed from a server the test policy allows (on ::1)
to targets the production policy refuses.
"""

from __future__ import annotations

import asyncio
import ipaddress

import hypothesis
import pytest
from conftest import rss
from faultserver import FaultServer, feed, redirect
from hypothesis import strategies as st
from pelican.plugins.blogroll.core.errors import BlockedAddress
from pelican.plugins.blogroll.core.model import Outcome
from pelican.plugins.blogroll.core.settings import Settings
from pelican.plugins.blogroll.fetch.client import fetch_url, resolve_checked
from pelican.plugins.blogroll.fetch.netguard import is_public_address, parse_address

REFUSED = [
    # IPv4 special ranges
    "127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1",
    "169.254.169.254", "0.0.0.0", "255.255.255.255", "224.0.0.1", "233.252.0.1", "240.0.0.1",
    "192.0.0.9", "192.0.2.1", "198.18.0.1", "198.51.100.1", "203.0.113.5", "192.88.99.1",
    # IPv6 special ranges
    "::", "::1", "fe80::1", "fe80::1%eth0", "fc00::1", "fd00::1", "fec0::1", "ff02::1", "ff0e::1",
    "2001:db8::1", "3fff::1", "100::1", "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001:10::1", "2001:20::1", "2001:30::1", "2001:3::1", "2001:4:112::1", "2001:1::1", "5f00::1",
    "64:ff9b:1::a00:1",
    # IPv4 hidden in IPv6: mapped, compatible, translated, NAT64, 6to4
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::8.8.8.8",
    "::ffff:0:127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "2002:7f00:1::", "2002:a9fe:a9fe::1",
    "2002:c0a8:101::1",
]

ALLOWED = ["8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700:4700::1111", "2a00:1450:4007:80f::200e",
           "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address):
    assert is_public_address(parse_address(address)) is False


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address):
    assert is_public_address(parse_address(address)) is True


def test_plain_is_global_would_let_these_through():
    """Why netguard exists: the standard library calls these global."""
    for text in ("::127.0.0.1", "64:ff9b::a9fe:a9fe"):
        assert ipaddress.ip_address(text).is_global
        assert not is_public_address(ipaddress.ip_address(text))


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "0x7f.1", "127.1", "0177.0.0.1", "localhost",
                                  "::ffff:127.0.0.1", "::1", "169.254.169.254", "0x7f000001"])
def test_resolver_refuses_numeric_and_local_forms(host):
    with pytest.raises(BlockedAddress):
        asyncio.run(resolve_checked(host, 80))


def _strict(**kw) -> Settings:
    return Settings(allow_private=False, connect_timeout=2, total_timeout=5, **kw)


@pytest.fixture
def target():
    """A loopback server holding a valid feed: the guard must keep every request away from it."""
    with FaultServer("127.0.0.1") as s:
        s.route("/feed.xml", feed(rss([{"title": "Secret interne", "guid": "x"}])))
        yield s


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "0x7f.1", "127.1", "localhost",
                                  "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"])
def test_fetch_refuses_loopback_forms_without_sending_anything(target, host):
    result = fetch_url(f"http://{host}:{target.port}/feed.xml", _strict())
    assert result.outcome is Outcome.ERROR
    assert result.error.startswith("adresse refusée"), result.error
    assert result.body is None
    assert target.hits() == 0


def test_fetch_refuses_ipv6_loopback(target):
    with FaultServer("::1") as v6:
        v6.route("/feed.xml", feed(rss([{"title": "x", "guid": "x"}])))
        result = fetch_url(f"{v6.url}/feed.xml", _strict())
        assert result.error.startswith("adresse refusée")
        assert v6.hits() == 0


def test_allow_private_lifts_the_guard_and_keeps_the_host_header(target):
    result = fetch_url(f"http://localhost:{target.port}/feed.xml", Settings(allow_private=True))
    assert result.outcome is Outcome.OK and b"Secret interne" in result.body
    # The connection went to the checked address, the Host header still names the host.
    assert target.requests[0]["headers"]["Host"] == f"localhost:{target.port}"


@pytest.mark.parametrize("url,reason", [
    ("file:///etc/passwd", "schéma « file: » refusé"),
    ("ftp://ftp.example/feed.xml", "schéma « ftp: » refusé"),
    ("javascript:alert(1)", "schéma « javascript: » refusé"),
    ("gopher://127.0.0.1:70/_x", "schéma « gopher: » refusé"),
    ("http://user:secret@blog.example/feed.xml", "identifiants dans l'URL refusés"),
    ("http:///feed.xml", "URL sans nom d'hôte"),
])
def test_fetch_refuses_bad_urls_before_any_network(url, reason):
    result = fetch_url(url, _strict())
    assert result.outcome is Outcome.ERROR and result.error.startswith(reason), result.error


# --- redirects: every hop is checked again ------------------------------------

def only_ipv6_loopback(ip) -> bool:
    """Test policy: the ::1 server plays a public blog; everything else is production policy."""
    return ip == ipaddress.ip_address("::1") or is_public_address(ip)


@pytest.fixture
def public():
    with FaultServer("::1") as s:
        yield s


@pytest.mark.parametrize("location", [
    "http://127.0.0.1:{port}/feed.xml",
    "http://2130706433:{port}/feed.xml",
    "http://0x7f.1:{port}/feed.xml",
    "http://[::ffff:127.0.0.1]:{port}/feed.xml",
    "http://localhost:{port}/feed.xml",
    "http://169.254.169.254/latest/meta-data/",
    "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
    "http://10.0.0.1/admin",
])
@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_to_internal_address_is_refused(public, target, location, status):
    url = public.route("/feed.xml", redirect(status, location.format(port=target.port)))
    result = fetch_url(url, _strict(), policy=only_ipv6_loopback)
    assert result.outcome is Outcome.ERROR
    # Refused by the guard: pytest-socket would have raised something else had
    # 169.254.169.254 or 10.0.0.1 been contacted.
    assert result.error.startswith("adresse refusée"), result.error
    assert public.hits("/feed.xml") == 1
    assert target.hits() == 0
    assert result.permanent_url is None


@pytest.mark.parametrize("location,reason", [
    ("file:///etc/passwd", "schéma « file: » refusé"),
    ("ftp://ftp.example/", "schéma « ftp: » refusé"),
    ("http://u:p@[::1]:{port}/ok", "identifiants dans l'URL refusés"),
])
def test_redirect_to_other_schemes_or_credentials_is_refused(public, location, reason):
    public.route("/ok", feed(rss([{"title": "x", "guid": "x"}])))
    url = public.route("/feed.xml", redirect(302, location.format(port=public.port)))
    result = fetch_url(url, _strict(), policy=only_ipv6_loopback)
    assert result.error.startswith(reason), result.error
    assert public.hits("/ok") == 0


def test_policy_allowing_the_first_hop_still_follows_public_redirects(public):
    public.route("/new.xml", feed(rss([{"title": "Billet", "guid": "g"}])))
    url = public.route("/feed.xml", redirect(301, "/new.xml"))
    result = fetch_url(url, _strict(), policy=only_ipv6_loopback)
    assert result.outcome is Outcome.OK
    assert result.permanent_url == f"{public.url}/new.xml"


def test_no_cookie_travels_from_one_feed_to_another(target):
    from faultserver import respond
    from pelican.plugins.blogroll.fetch import FetchRequest, fetch_all

    target.route("/a.xml", respond(200, rss([{"title": "a", "guid": "a"}]),
                                   headers={"Set-Cookie": "suivi=feed-a; Path=/"}))
    target.route("/b.xml", respond(200, rss([{"title": "b", "guid": "b"}])))
    results = fetch_all([FetchRequest("a", f"{target.url}/a.xml"), FetchRequest("b", f"{target.url}/b.xml")],
                        Settings(allow_private=True, concurrency=1))
    assert [r.outcome for r in results] == [Outcome.OK, Outcome.OK]
    assert [r["path"] for r in target.requests] == ["/a.xml", "/b.xml"]
    assert "Cookie" not in target.requests[1]["headers"]


# --- one resolution per host name and run ------------------------------------
# A run resolves and checks each host name once (fetch/client.py, Pools.resolve) and sends every
# later request for it to the address checked then. The memo must never let one host's verdict
# stand in for another's, nor outlive its run, nor turn a refusal into a pass.

# (host, which server's port, allowed by only_ipv6_loopback): the ::1 forms and « localhost »
# share one port, so a memo keyed by anything less than the host name would mix them up.
FORMS = [("[::1]", "public", True), ("[0:0::1]", "public", True), ("localhost", "public", False),
         *((host, "internal", False) for host in ("127.0.0.1", "127.1", "2130706433", "0x7f.1", "[::ffff:127.0.0.1]"))]


@hypothesis.settings(max_examples=20, deadline=None)  # a timing limit is no behaviour (a loaded machine)
@hypothesis.given(st.lists(st.sampled_from(FORMS), min_size=1, max_size=12))
def test_each_host_keeps_its_own_verdict_however_often_a_run_meets_it(forms):
    """Any sequence of host names in one run, repeated or interleaved: the names of ::1 (which
    the test policy lets play a public blog) are fetched every time, every loopback form with
    an IPv4 address is refused every time and no request reaches its server."""
    from pelican.plugins.blogroll.fetch import FetchRequest, fetch_all

    with FaultServer("::1") as public, FaultServer("127.0.0.1") as internal:
        public.route("/feed.xml", feed(rss([{"title": "Billet public", "guid": "p"}])))
        internal.route("/feed.xml", feed(rss([{"title": "Secret interne", "guid": "s"}])))
        port = {"public": public.port, "internal": internal.port}
        urls = [f"http://{host}:{port[server]}/feed.xml" for host, server, _ in forms]
        results = fetch_all([FetchRequest(f"f{i}", u) for i, u in enumerate(urls)], _strict(concurrency=3),
                            policy=only_ipv6_loopback)
        for (host, _, allowed), result in zip(forms, results, strict=True):
            if allowed:
                assert result.outcome is Outcome.OK, (host, result.error)
            else:
                assert result.outcome is Outcome.ERROR and result.error.startswith("adresse refusée"), result
        assert internal.hits() == 0
        assert public.hits() == sum(allowed for _, _, allowed in forms)


def test_a_run_that_allowed_a_host_leaves_no_pass_to_the_next_run(target):
    """The memo lives for one run: allowed under a lenient policy, the same host is checked
    afresh, and refused, by the next run under the production policy."""
    url = f"http://localhost:{target.port}/feed.xml"
    assert fetch_url(url, Settings(allow_private=True)).outcome is Outcome.OK
    refused = fetch_url(url, _strict())
    assert refused.error.startswith("adresse refusée"), refused.error
    assert target.hits() == 1


def test_the_memo_is_keyed_by_the_policy_too():
    """Within one set of pools, an address allowed under one policy is not handed to a caller
    asking under another."""
    from pelican.plugins.blogroll.fetch.client import Pools, default_policy

    async def both() -> tuple[str, BaseException | None]:
        pools = Pools(Settings(allow_private=True))
        try:
            allowed = await pools.resolve("localhost", 80, default_policy(Settings(allow_private=True)))
            try:
                await pools.resolve("localhost", 80, is_public_address)
            except BlockedAddress as exc:
                return allowed, exc
            return allowed, None
        finally:
            await pools.aclose()

    allowed, refusal = asyncio.run(both())
    assert parse_address(allowed).is_loopback
    assert isinstance(refusal, BlockedAddress)
