"""The HMAC secret that keys every stored value (DESIGN.md "keyed subject index").

The inventory never holds a personal value in plaintext: it holds
HMAC-SHA256(secret, normalised form). The secret is created on first use with
mode 0600 and refused if others can read it. Hosts that share one secret can
query their inventories together.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat

from .errors import KeyFileError

KEY_BYTES = 32
KEY_HEX_CHARS = 32  # 128 bits of the HMAC: collision-free at any realistic scale, half the size


def load_or_create_secret(path: str, create: bool = True) -> bytes:
    if not os.path.exists(path):
        if not create:
            raise KeyFileError(f"key file not found: {path}")
        _create(path)
    st = os.stat(path)
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"key file {path} is readable by others (mode {stat.S_IMODE(st.st_mode):o}); "
            f"run: chmod 600 {path}")
    with open(path, "rb") as f:
        raw = f.read().strip()
    try:
        secret = bytes.fromhex(raw.decode("ascii"))
    except ValueError:
        raise KeyFileError(f"key file {path} is not a hex secret") from None
    if len(secret) < 16:
        raise KeyFileError(f"key file {path} holds a secret shorter than 128 bits")
    return secret


def _create(path: str) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(KEY_BYTES) + "\n")
        f.flush()
        os.fsync(f.fileno())


class Keyer:
    """Turns a normalised form (`email:jane@x.co.uk`) into its stored key.

    A scan keys the same few forms over and over (a signature's name and phone in every message of a
    thread: 28,600 keys of 1,460 forms on the mail benchmark), so each form's key is kept, in memory
    only, for the life of this object; the store is emptied when full.
    """

    MAX_KEPT = 50_000

    def __init__(self, secret: bytes):
        self._secret = secret
        self._keys: dict[str, str] = {}

    def key(self, form: str) -> str:
        key = self._keys.get(form)
        if key is None:
            digest = hmac.new(self._secret, form.encode("utf-8", "surrogatepass"), hashlib.sha256)
            key = digest.hexdigest()[:KEY_HEX_CHARS]
            if len(self._keys) >= self.MAX_KEPT:
                self._keys.clear()
            self._keys[form] = key
        return key

    def file_name_key(self, name: str) -> str:
        """Key for a file name: its findings are stored under this instead of a content hash."""
        return "name-" + self.key("filename:" + name)
