"""« De lien en lien »: which listed blog cites which, and the posts several listed blogs cite.

Built from what the store keeps of each post's links and of its own link (keys only,
clean/cites.py, core/linkkeys.py): a link's keys are matched against the listed blogs' own
addresses and the archive's own post links, hashed the same way, so a build hashes only the
listed blogs' addresses. Only listed blogs and stored posts are ever shown, under their
pseudonyms and with the title and link the clean stage already judged publishable: a link
that leads anywhere else is never known in clear, let alone shown. Pure.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ...core.linkkeys import link_keys
from ...core.model import FeedConfig, StoredEntry

# The « Conversations » page: posts cited by at least this many other listed blogs, newest first.
CONVERSATION_MIN = 2
CONVERSATION_SIZE = 30


@dataclass(frozen=True)
class Link:
    """A listed blog another one cites, or is cited by: `posts` of the citing blog do."""
    feed_id: str
    posts: int


@dataclass(frozen=True)
class Conversation:
    """A stored post (its archive number) and the listed blogs whose posts cite it."""
    entry_id: int
    citers: tuple[str, ...]


@dataclass(frozen=True)
class Web:
    cites: dict[str, tuple[Link, ...]]  # feed id -> the listed blogs its posts cite
    cited_by: dict[str, tuple[Link, ...]]  # feed id -> the listed blogs whose posts cite it
    conversations: tuple[Conversation, ...]


def _addresses(feeds: Iterable[FeedConfig]) -> dict[str, tuple[str, ...]]:
    """Feed id -> the keys of its registered address (its page, then its site addresses)."""
    return {f.id: keys for f in feeds if (keys := link_keys(f.site))}


def _sites(entries: list[StoredEntry], feeds: Iterable[FeedConfig], addresses: dict[str, tuple[str, ...]]) \
        -> dict[str, str]:
    """Site key -> feed id: each listed blog's registered address, and the host most of its
    stored posts live on (a blog registered under a proxy or an old address is still known by
    its posts). A key two blogs claim counts for neither: their links cannot be told apart."""
    owners: dict[str, set[str]] = defaultdict(set)
    hosts: dict[str, Counter[str]] = defaultdict(Counter)
    for e in entries:
        if e.link_keys:
            hosts[e.feed_id][e.link_keys[-1]] += 1  # the host alone
    for f in feeds:
        if f.id in addresses:
            owners[addresses[f.id][1]].add(f.id)  # its address: host and first path segments
        common = hosts[f.id].most_common(1)
        if common and common[0][1] * 2 >= sum(hosts[f.id].values()):  # its posts' own host
            owners[common[0][0]].add(f.id)
    return {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1}


def _posts(entries: Iterable[StoredEntry], addresses: dict[str, tuple[str, ...]]) -> dict[str, StoredEntry]:
    """Page key -> the oldest stored post with that link (a blog's home page is no post)."""
    homes = {keys[0] for keys in addresses.values()}
    out: dict[str, StoredEntry] = {}
    for e in entries:
        key = e.link_keys[0] if e.link_keys else None
        if key and key not in homes and (key not in out or e.id < out[key].id):
            out[key] = e
    return out


def _target(keys: tuple[str, ...], sites: dict[str, str]) -> str | None:
    """The listed blog a link's keys lead to: the longest site address that matches."""
    return next((sites[k] for k in keys[1:] if k in sites), None)


def _ranked(counts: Counter[str]) -> tuple[Link, ...]:
    return tuple(Link(fid, n) for fid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def build(entries: list[StoredEntry], feeds: tuple[FeedConfig, ...]) -> Web:
    """The web of citations among `feeds`, from the stored `entries` (newest first)."""
    addresses = _addresses(feeds)
    sites, posts = _sites(entries, feeds, addresses), _posts(entries, addresses)
    cites: dict[str, Counter[str]] = defaultdict(Counter)
    cited_by: dict[str, Counter[str]] = defaultdict(Counter)
    citers: dict[int, set[str]] = defaultdict(set)
    listed = {f.id for f in feeds}
    for e in entries:
        if e.feed_id not in listed:
            continue
        targets: set[str] = set()
        for keys in e.cites:
            target = _target(keys, sites)
            if target is None or target == e.feed_id:
                continue
            targets.add(target)
            post = posts.get(keys[0])
            if post is not None and post.feed_id == target:
                citers[post.id].add(e.feed_id)
        for target in targets:  # a post counts once per blog it cites
            cites[e.feed_id][target] += 1
            cited_by[target][e.feed_id] += 1
    by_id = {e.id: e for e in entries}
    talked = sorted((i for i, who in citers.items() if len(who) >= CONVERSATION_MIN),
                    key=lambda i: (by_id[i].sort_date, i), reverse=True)[:CONVERSATION_SIZE]
    return Web(
        cites={fid: _ranked(c) for fid, c in cites.items()},
        cited_by={fid: _ranked(c) for fid, c in cited_by.items()},
        conversations=tuple(Conversation(i, tuple(sorted(citers[i]))) for i in talked),
    )
