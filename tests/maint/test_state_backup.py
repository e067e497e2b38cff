"""tools/state_backup.py: the daily store backup, encrypted with AES-256-GCM (authenticated).

A round trip gives back the same bytes; a wrong key, a flipped bit anywhere, a truncated,
extended or reordered file are refused with a message saying which, and nothing is written.
Old backups made with `openssl enc` open only when asked for.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import state_backup  # noqa: E402
from state_backup import BackupError, decrypt, encrypt  # noqa: E402

KEY = b"correct horse battery staple"
FAST = 10  # log2 N of scrypt for the tests that do not measure the default (2**10: milliseconds)
CHUNK = 1 << state_backup.LOG2_CHUNK


def sealed(plain: bytes, key: bytes = KEY, log2_n: int = FAST) -> bytes:
    out = io.BytesIO()
    encrypt(io.BytesIO(plain), out, key, log2_n=log2_n)
    return out.getvalue()


def opened(blob: bytes, key: bytes = KEY, **kw) -> bytes:
    out = io.BytesIO()
    decrypt(io.BytesIO(blob), out, key, **kw)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK])
def test_round_trip(size):
    plain = os.urandom(size)
    blob = sealed(plain)
    assert opened(blob) == plain
    chunks = max(1, -(-size // CHUNK))
    assert len(blob) == state_backup.HEADER.size + 16 + size + 16 * chunks


def test_round_trip_with_the_default_cost():
    blob = sealed(b"store", log2_n=state_backup.LOG2_N)
    assert blob[8:13] == bytes([1, 1, 17, 8, 1])  # version, scrypt, log2 N, r, p
    assert opened(blob) == b"store"


def test_each_backup_has_its_own_salt_and_ciphertext():
    a, b = sealed(b"same"), sealed(b"same")
    assert a != b and a[:8] == b[:8] == b"DDNSTATE"
    assert b"same" not in a


def test_wrong_key_is_refused_as_such():
    with pytest.raises(BackupError, match="wrong key"):
        opened(sealed(b"store"), b"another key")


def test_empty_key_is_refused():
    with pytest.raises(BackupError, match="empty key"):
        sealed(b"store", key=b"")
    with pytest.raises(BackupError, match="empty key"):
        opened(sealed(b"store"), b"")


def test_every_flipped_byte_is_refused():
    """A flipped bit in the header, the check tag, a chunk or its tag: each is refused."""
    plain = os.urandom(CHUNK + 100)
    blob = sealed(plain)
    header = state_backup.HEADER.size
    positions = [0, 9, 12, 14, 20, header - 1, header, header + 15, header + 16, header + 16 + CHUNK // 2,
                 header + 16 + CHUNK + 15, len(blob) - 17, len(blob) - 1]
    for at in positions:
        bad = bytearray(blob)
        bad[at] ^= 0x01
        with pytest.raises(BackupError) as refused:
            opened(bytes(bad))
        assert any(word in str(refused.value) for word in ("altered", "wrong key", "not a state backup",
                                                            "not one this tool reads")), (at, refused.value)


def test_a_flipped_byte_in_the_data_is_named_an_alteration():
    blob = bytearray(sealed(b"x" * 1000))
    blob[-100] ^= 0x80
    with pytest.raises(BackupError, match="altered or truncated backup: chunk 0"):
        opened(bytes(blob))


@pytest.mark.parametrize("cut", ["last chunk", "whole last chunk", "tag", "all chunks"])
def test_truncated_backups_are_refused(cut):
    blob = sealed(os.urandom(2 * CHUNK + 10))
    header = state_backup.HEADER.size + 16
    ends = {"last chunk": len(blob) - 5, "whole last chunk": len(blob) - (10 + 16), "tag": len(blob) - 16,
            "all chunks": header}
    with pytest.raises(BackupError, match="altered or truncated"):
        opened(blob[:ends[cut]])


def test_a_backup_cut_at_a_chunk_boundary_is_refused():
    """Dropping the whole last chunk leaves a well-formed chunk that was not written as the last one."""
    blob = sealed(os.urandom(2 * CHUNK))
    with pytest.raises(BackupError, match="altered or truncated backup: chunk 0"):
        opened(blob[:-(CHUNK + 16)])


def test_appended_or_reordered_chunks_are_refused():
    blob = sealed(os.urandom(2 * CHUNK))
    with pytest.raises(BackupError, match="altered or truncated"):
        opened(blob + b"\x00" * 40)
    start = state_backup.HEADER.size + 16
    first, second = blob[start:start + CHUNK + 16], blob[start + CHUNK + 16:]
    with pytest.raises(BackupError, match="altered or truncated"):
        opened(blob[:start] + second + first)


def test_not_a_backup_and_unknown_versions_are_refused():
    with pytest.raises(BackupError, match="not a state backup"):
        opened(b"PK\x03\x04 a zip file, not a backup at all")
    with pytest.raises(BackupError, match="not a state backup"):
        opened(b"DDNS")
    blob = bytearray(sealed(b"store"))
    blob[8] = 2
    with pytest.raises(BackupError, match="format version 2"):
        opened(bytes(blob))


def test_a_header_asking_for_too_much_memory_is_refused_before_any_work():
    blob = bytearray(sealed(b"store"))
    blob[10] = 30  # 2**30 scrypt blocks: 1 TiB
    with pytest.raises(BackupError, match="out of bounds"):
        opened(bytes(blob))


# --- the command line, as hourly.yml runs it (a subprocess: the build lane) ----------------------

def run(*args, key: str | None = "k3y", stdin: bytes | None = None, cwd: Path | None = None):
    env = {k: v for k, v in os.environ.items() if k != "STATE_BACKUP_KEY"}
    if key is not None:
        env["STATE_BACKUP_KEY"] = key
    return subprocess.run([sys.executable, str(ROOT / "tools" / "state_backup.py"), *map(str, args)],
                          input=stdin, capture_output=True, env=env, cwd=cwd, timeout=60)


@pytest.mark.build
def test_command_line_round_trip_from_standard_input(tmp_path):
    plain = os.urandom(3000)
    enc, out = tmp_path / "state.tar.gz.enc", tmp_path / "state.tar.gz"
    assert run("encrypt", "-", enc, stdin=plain).returncode == 0
    done = run("decrypt", enc, out)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == plain


@pytest.mark.build
def test_command_line_refuses_a_tampered_file_and_writes_nothing(tmp_path):
    enc, out = tmp_path / "state.tar.gz.enc", tmp_path / "state.tar.gz"
    assert run("encrypt", "-", enc, stdin=os.urandom(CHUNK * 2)).returncode == 0
    bad = bytearray(enc.read_bytes())
    bad[-(CHUNK // 2)] ^= 0x04
    enc.write_bytes(bytes(bad))
    refused = run("decrypt", enc, out)
    assert refused.returncode == 1
    assert b"state_backup: decrypt refused: altered or truncated backup: chunk 1" in refused.stderr
    assert not out.exists() and not list(tmp_path.glob("*.partial"))


@pytest.mark.build
def test_command_line_refuses_a_wrong_or_missing_key(tmp_path):
    enc, out = tmp_path / "state.tar.gz.enc", tmp_path / "state.tar.gz"
    assert run("encrypt", "-", enc, stdin=b"store").returncode == 0
    wrong = run("decrypt", enc, out, key="not the key")
    assert wrong.returncode == 1 and b"wrong key" in wrong.stderr and not out.exists()
    missing = run("encrypt", "-", tmp_path / "other.enc", key=None, stdin=b"store")
    assert missing.returncode == 1 and b"empty key: set STATE_BACKUP_KEY" in missing.stderr
    assert not (tmp_path / "other.enc").exists()


# --- backups made before this tool (openssl enc, AES-256-CBC, PBKDF2) --------------------------

def legacy_blob(plain: bytes, key: bytes) -> bytes:
    """What `openssl enc -aes-256-cbc -pbkdf2 -iter 600000 -salt` writes, made in Python."""
    import hashlib

    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    salt = os.urandom(8)
    derived = hashlib.pbkdf2_hmac("sha256", key, salt, 600_000, 48)
    padder = padding.PKCS7(128).padder()
    enc = Cipher(algorithms.AES(derived[:32]), modes.CBC(derived[32:])).encryptor()
    return b"Salted__" + salt + enc.update(padder.update(plain) + padder.finalize()) + enc.finalize()


def test_an_old_openssl_backup_opens_only_when_asked():
    blob = legacy_blob(b"old store", KEY)
    with pytest.raises(BackupError, match="--allow-legacy-openssl"):
        opened(blob)
    assert opened(blob, allow_legacy=True) == b"old store"
    with pytest.raises(BackupError, match="wrong key or altered"):
        opened(blob, b"another key", allow_legacy=True)


@pytest.mark.build
@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl command on this machine")
def test_a_backup_made_by_the_old_workflow_step_is_restored(tmp_path):
    """The exact command the hourly workflow ran before this tool, then this tool's decrypt."""
    plain = os.urandom(70_000)
    (tmp_path / "state.tar.gz").write_bytes(plain)
    env = {**os.environ, "STATE_BACKUP_KEY": "k3y"}
    subprocess.run(["openssl", "enc", "-aes-256-cbc", "-pbkdf2", "-iter", "600000", "-salt",
                    "-pass", "env:STATE_BACKUP_KEY", "-in", "state.tar.gz", "-out", "state.tar.gz.enc"],
                   cwd=tmp_path, env=env, check=True, timeout=60)
    out = tmp_path / "restored.tar.gz"
    assert run("decrypt", "state.tar.gz.enc", out, cwd=tmp_path).returncode == 1
    done = run("decrypt", "--allow-legacy-openssl", "state.tar.gz.enc", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == plain
