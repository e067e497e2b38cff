"""SSRF guard: which addresses a feed URL may reach, and the fetcher obeying it.

Refusals are checked against real loopback servers that must NOT receive the
request; redirects are followed from a server the test policy allows (on ::1)
to targets the production policy refuses.
"""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from conftest import rss
from faultserver import FaultServer, feed, redirect
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
