"""Encrypt and decrypt the daily backup of the store (.state/), with authenticated encryption.

    STATE_BACKUP_KEY=… python tools/state_backup.py encrypt state.tar.gz state.tar.gz.enc
    STATE_BACKUP_KEY=… python tools/state_backup.py decrypt state.tar.gz.enc state.tar.gz

The hourly workflow uploads the backup as an artifact, which anyone signed in can download from
a public repository: only the key (a secret) opens it, and a file altered by a single bit, cut
short or opened with another key is refused, with nothing written.

Format, version 1 (docs/operations.md):

    header  "DDNSTATE" | version (1) | kdf (1 = scrypt) | log2 N | r | p | log2 chunk | salt (16)
    check   the AES-GCM tag of nothing, nonce FF×12, the header as associated data (16)
    chunks  AES-256-GCM of each 64 KiB of the input (the last one shorter, possibly empty),
            nonce = chunk number (11 bytes, big-endian) | 1 for the last chunk, else 0,
            header and check as associated data

The key is derived from STATE_BACKUP_KEY by scrypt with the file's random salt, so each file
has its own key and the chunk numbers never repeat a nonce under one key. The chunk numbering
and the last-chunk flag refuse reordered, dropped or appended chunks and a truncated file (the
STREAM construction, as in age). The check tag tells a wrong key from an altered file.

Backups made before this tool (`openssl enc -aes-256-cbc -pbkdf2 -iter 600000`, unauthenticated)
are read with --allow-legacy-openssl only, for as long as such a backup may still be restored
(artifacts are kept 30 days).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"DDNSTATE"
VERSION = 1
KDF_SCRYPT = 1
HEADER = struct.Struct(">8sBBBBBB16s")  # magic, version, kdf, log2 N, r, p, log2 chunk, salt
TAG = 16
CHECK_NONCE = b"\xff" * 12  # never a chunk's nonce: their last byte is 0 or 1
# scrypt: 2**17 × 8 × 128 bytes = 128 MiB of memory, about half a second; the bounds refuse a
# crafted header asking for more.
LOG2_N, R, P = 17, 8, 1
MAX_LOG2_N, MAX_R, MAX_P = 20, 16, 4
LOG2_CHUNK = 16
LEGACY_MAGIC = b"Salted__"
LEGACY_ITERATIONS = 600_000


class BackupError(Exception):
    """A backup that cannot be made or opened: the message says why."""


def _key(passphrase: bytes, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p).derive(passphrase)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _chunks(stream: BinaryIO, size: int) -> Iterator[tuple[bytes, bool]]:
    """(chunk, is_last) for every `size` bytes of the stream; an empty stream is one empty chunk."""
    current = stream.read(size)
    while True:
        following = stream.read(size)
        yield current, not following
        if not following:
            return
        current = following


def encrypt(source: BinaryIO, target: BinaryIO, passphrase: bytes, *, log2_n: int = LOG2_N) -> None:
    if not passphrase:
        raise BackupError("empty key: set STATE_BACKUP_KEY")
    header = HEADER.pack(MAGIC, VERSION, KDF_SCRYPT, log2_n, R, P, LOG2_CHUNK, os.urandom(16))
    aead = AESGCM(_key(passphrase, HEADER.unpack(header)[7], log2_n, R, P))
    check = aead.encrypt(CHECK_NONCE, b"", header)
    target.write(header + check)
    for counter, (chunk, last) in enumerate(_chunks(source, 1 << LOG2_CHUNK)):
        target.write(aead.encrypt(_nonce(counter, last), chunk, header + check))


def decrypt(source: BinaryIO, target: BinaryIO, passphrase: bytes, *, allow_legacy: bool = False) -> None:
    if not passphrase:
        raise BackupError("empty key: set STATE_BACKUP_KEY")
    start = source.read(HEADER.size)
    if start.startswith(LEGACY_MAGIC):
        if not allow_legacy:
            raise BackupError("this is an old backup made by openssl enc (AES-CBC, unauthenticated): "
                              "open it with --allow-legacy-openssl")
        _decrypt_legacy(start, source, target, passphrase)
        return
    if len(start) < HEADER.size or not start.startswith(MAGIC):
        raise BackupError("not a state backup of Docs du Net (unknown header)")
    _magic, version, kdf, log2_n, r, p, log2_chunk, salt = HEADER.unpack(start)
    if version != VERSION or kdf != KDF_SCRYPT:
        raise BackupError(f"format version {version} (kdf {kdf}) is not one this tool reads (version {VERSION})")
    if not (10 <= log2_n <= MAX_LOG2_N and 1 <= r <= MAX_R and 1 <= p <= MAX_P and 10 <= log2_chunk <= 24):
        raise BackupError("the header asks for parameters out of bounds: altered file")
    aead = AESGCM(_key(passphrase, salt, log2_n, r, p))
    check = source.read(TAG)
    try:
        aead.decrypt(CHECK_NONCE, check, start)
    except InvalidTag:
        raise BackupError("wrong key: STATE_BACKUP_KEY does not open this backup (or its header was altered)")
    aad = start + check
    for counter, (chunk, last) in enumerate(_chunks(source, (1 << log2_chunk) + TAG)):
        try:
            target.write(aead.decrypt(_nonce(counter, last), chunk, aad))
        except InvalidTag:
            raise BackupError(f"altered or truncated backup: chunk {counter} fails authentication")


def _decrypt_legacy(start: bytes, source: BinaryIO, target: BinaryIO, passphrase: bytes) -> None:
    """openssl enc -d -aes-256-cbc -pbkdf2 -iter 600000 (SHA-256): key and IV from PBKDF2."""
    data = start + source.read()
    salt, body = data[8:16], data[16:]
    derived = hashlib.pbkdf2_hmac("sha256", passphrase, salt, LEGACY_ITERATIONS, 48)
    decryptor = Cipher(algorithms.AES(derived[:32]), modes.CBC(derived[32:])).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        if len(salt) != 8 or not body or len(body) % 16:
            raise ValueError
        plain = unpadder.update(decryptor.update(body) + decryptor.finalize()) + unpadder.finalize()
    except ValueError:
        raise BackupError("wrong key or altered file (old openssl backup: bad padding)")
    target.write(plain)


@contextlib.contextmanager
def _atomic_output(path: Path) -> Iterator[BinaryIO]:
    """Write beside `path`, then rename: on any failure nothing is left at `path`."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["encrypt", "decrypt"])
    parser.add_argument("input", help="file to read; '-' reads standard input")
    parser.add_argument("output", type=Path, help="file to write (only once the whole input is done)")
    parser.add_argument("--key-env", default="STATE_BACKUP_KEY", help="environment variable holding the key")
    parser.add_argument("--allow-legacy-openssl", action="store_true",
                        help="also open a backup made by `openssl enc -aes-256-cbc -pbkdf2 -iter 600000`")
    args = parser.parse_args(argv)
    passphrase = os.environ.get(args.key_env, "").encode("utf-8")
    try:
        with contextlib.ExitStack() as stack:
            source = sys.stdin.buffer if args.input == "-" else stack.enter_context(open(args.input, "rb"))
            target = stack.enter_context(_atomic_output(args.output))
            if args.command == "encrypt":
                encrypt(source, target, passphrase)
            else:
                decrypt(source, target, passphrase, allow_legacy=args.allow_legacy_openssl)
    except (BackupError, OSError) as exc:
        print(f"state_backup: {args.command} refused: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
