"""The VAPID key pair that signs Web Push requests: configured, or made once and kept."""

from __future__ import annotations

import base64
import contextlib
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid

from diary.config import ConfigError

KEY_FILE = "vapid_private_key.pem"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def public_key_of(vapid: Vapid) -> str:
    """The applicationServerKey a browser subscribes with (base64url, uncompressed point)."""
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(raw)


def _create_key_file(path: Path) -> None:
    """Write a new key unless one exists; two processes starting together keep one key."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, pem)
        os.close(fd)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # atomic: fails when another process got there first
    finally:
        os.unlink(tmp)


def load_vapid(private_key: str, public_key: str, instance_path: Path) -> Vapid:
    """The configured key (base64url raw or DER), else the instance folder's, made if absent."""
    if private_key:
        try:
            vapid = Vapid.from_string(private_key)
        except Exception as error:
            raise ConfigError("VAPID_PRIVATE_KEY is not a base64url P-256 private key") from error
    else:
        path = instance_path / KEY_FILE
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            _create_key_file(path)
        vapid = Vapid.from_file(str(path))
    if public_key and public_key.rstrip("=") != public_key_of(vapid):
        raise ConfigError("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY")
    return vapid
