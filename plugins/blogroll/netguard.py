"""Which addresses a feed URL may reach (SSRF guard). Pure functions."""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_V4_BLOCKED = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8",        # "this network"
    "100.64.0.0/10",    # CGNAT
    "192.0.0.0/24",     # IETF protocol assignments
    "198.18.0.0/15",    # benchmarking
    "240.0.0.0/4",      # reserved
))


def is_public_address(ip: IPAddress) -> bool:
    """True only for globally routable unicast addresses.

    `ipaddress.is_global` alone is not enough: it says True for `::127.0.0.1`
    (IPv4-compatible) and `64:ff9b::a9fe:a9fe` (NAT64 of 169.254.169.254), and
    for IPv4 multicast. Embedded IPv4 addresses are checked as IPv4.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return False
        if ip.ipv4_mapped is not None:
            return is_public_address(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            return is_public_address(ip.sixtofour)
        if ip.teredo is not None:
            return False
        if any(ip in net for net in _NAT64):
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
