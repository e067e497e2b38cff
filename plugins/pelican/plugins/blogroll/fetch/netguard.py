"""Which addresses a feed URL may reach (SSRF guard). Pure functions."""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # well-known prefix: the IPv4 address is the last 32 bits
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_V4_BLOCKED = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8",        # "this network"
    "100.64.0.0/10",    # CGNAT
    "192.0.0.0/24",     # IETF protocol assignments
    "192.88.99.0/24",   # deprecated 6to4 relay anycast (RFC 7526)
    "198.18.0.0/15",    # benchmarking
    "240.0.0.0/4",      # reserved
))
# Ranges Python 3.11's tables do not know (or call global), and the IETF protocol block, whose
# subranges Python's tables call global or not from one release to the next (3.13 counts
# ORCHIDv2, 2001:20::/28, as global): no blog is served from it, so it is refused on every Python.
_V6_BLOCKED = tuple(ipaddress.ip_network(n) for n in (
    "2001::/23",        # IETF protocol assignments (RFC 2928): Teredo, ORCHID, AMT, AS112…
    "64:ff9b:1::/48",   # local-use IPv4/IPv6 translation (RFC 8215)
    "fec0::/10",        # deprecated site-local
    "3fff::/20",        # documentation (RFC 9637)
    "5f00::/16",        # SRv6 SIDs (RFC 9602)
    "100::/64",         # discard-only (RFC 6666)
))


def is_public_address(ip: IPAddress) -> bool:
    """True only for globally routable unicast addresses.

    `ipaddress.is_global` alone is not enough: it says True for `::127.0.0.1`
    (IPv4-compatible) and `64:ff9b::a9fe:a9fe` (NAT64 of 169.254.169.254), and
    for IPv4 multicast. Embedded IPv4 addresses (mapped, 6to4, NAT64) are
    checked as IPv4; IPv4-compatible and Teredo addresses are refused outright.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id or any(ip in net for net in _V6_BLOCKED):
            return False
        if ip.ipv4_mapped is not None:
            return is_public_address(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            return is_public_address(ip.sixtofour)
        if ip.teredo is not None:
            return False
        if ip in _NAT64:
            return is_public_address(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip in _IPV4_COMPATIBLE:
            return False
    elif any(ip in net for net in _V4_BLOCKED):
        return False
    return bool(
        ip.is_global
        and not ip.is_multicast
        and not ip.is_loopback
        and not ip.is_link_local
        and not ip.is_private
        and not ip.is_reserved
        and not ip.is_unspecified
    )


def parse_address(text: str) -> IPAddress:
    return ipaddress.ip_address(text.split("%", 1)[0])
