"""The store's secrets and what it keeps sealed with them (store/schema.py creates them once).

- `identity_key`: the key of the identity memory's hashes (store/identities.py,
  clean/detect.py `hashed_form`).
- `seal_key`: the AES-256-GCM key that seals a history walk's next page address
  (`seal`/`unseal`): a `rel="next"` URL is a server's value, which may hold a name; the store
  keeps it only sealed, bound to its feed's id, and never in clear.

Both keys are random (`secrets.token_bytes`), made once per store and kept in its `meta`
table. The limit (docs/anonymity.md): whoever holds the whole store file holds the keys too.
They keep names out of the file's clear bytes (a backup read by a tool, a grep, the guard),
not away from someone who has the file and means to test guesses; the store is never
published and its backup is encrypted with a key kept elsewhere.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import sqlite3

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEYS = ("identity_key", "seal_key")
_PREFIX = "sealed1:"


def ensure_keys(db: sqlite3.Connection) -> None:
    """Create the store's keys once (a store of any version may lack them)."""
    for name in KEYS:
        db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (name, secrets.token_bytes(32).hex()))


def key(db: sqlite3.Connection, name: str) -> bytes:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (name,)).fetchone()
    if row is None:
        ensure_keys(db)
        return key(db, name)
    return bytes.fromhex(row[0])


def seal(db: sqlite3.Connection, value: str | None, bound_to: str) -> str | None:
    """`value` encrypted and authenticated (AES-GCM, random nonce), bound to `bound_to`."""
    if value is None:
        return None
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(key(db, "seal_key")).encrypt(nonce, value.encode("utf-8", "surrogatepass"), bound_to.encode())
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(db: sqlite3.Connection, value: str | None, bound_to: str) -> str | None:
    """What `seal` sealed; None for anything else (a clear value, another row's, a broken one)."""
    if not value or not value.startswith(_PREFIX):
        return None
    try:
        raw = base64.urlsafe_b64decode(value[len(_PREFIX):])
        plain = AESGCM(key(db, "seal_key")).decrypt(raw[:12], raw[12:], bound_to.encode())
    except (InvalidTag, ValueError, binascii.Error):
        return None
    return plain.decode("utf-8", "surrogatepass")
