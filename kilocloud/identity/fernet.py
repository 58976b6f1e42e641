"""Fernet tokens: the key repository (staged/primary/secondary keys) and the payload format."""

from __future__ import annotations

import base64
import os
import uuid
from dataclasses import dataclass

import msgpack
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from kilocloud.core.errors import Unauthorized

METHODS = ("password", "token", "application_credential", "totp", "mapped")
SCOPES = ("unscoped", "project", "domain", "system", "trust")


class KeyRepository:
    """Keys named 0 (staged), 1..N; the highest number is the primary, the rest secondary."""

    def __init__(self, path: str, max_active_keys: int = 3) -> None:
        self.path = path
        self.max_active_keys = max_active_keys
        self._mtime: float | None = None
        self._fernet: MultiFernet | None = None

    def _indexes(self) -> list[int]:
        return sorted(int(n) for n in os.listdir(self.path) if n.isdigit())

    def _write(self, index: int, key: bytes) -> None:
        tmp = os.path.join(self.path, f".{index}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        os.replace(tmp, os.path.join(self.path, str(index)))

    def present(self) -> bool:
        """Whether the repository holds any key."""
        return os.path.isdir(self.path) and bool(self._indexes())

    def setup(self) -> bool:
        """Create a staged and a primary key if the repository is empty; True if it did."""
        os.makedirs(self.path, mode=0o700, exist_ok=True)
        if self._indexes():
            return False
        self._write(0, Fernet.generate_key())
        self.rotate()
        return True

    def rotate(self) -> int:
        """Promote the staged key to primary, stage a new key, drop the oldest; new primary."""
        indexes = self._indexes()
        primary = max(indexes) + 1
        os.replace(os.path.join(self.path, "0"), os.path.join(self.path, str(primary)))
        self._write(0, Fernet.generate_key())
        secondaries = [i for i in self._indexes() if i not in (0, primary)]
        excess = len(secondaries) + 2 - self.max_active_keys
        for index in secondaries[: max(excess, 0)]:
            os.remove(os.path.join(self.path, str(index)))
        self._fernet = None
        return primary

    def fernet(self) -> MultiFernet:
        """Primary first, then secondaries, then staged; reloaded when the directory changes."""
        mtime = os.stat(self.path).st_mtime
        if self._fernet is None or mtime != self._mtime:
            indexes = sorted(self._indexes(), reverse=True)
            if not indexes:
                raise RuntimeError(f"no Fernet keys in {self.path}; run `kilocloud fernet rotate`")
            keys = []
            for i in [*[i for i in indexes if i != 0], 0]:
                if i in indexes:
                    with open(os.path.join(self.path, str(i)), "rb") as f:
                        keys.append(Fernet(f.read().strip()))
            self._fernet, self._mtime = MultiFernet(keys), mtime
        return self._fernet


@dataclass
class TokenPayload:
    """What a token carries: everything else is looked up when it is validated."""

    user_id: str
    methods: list[str]
    expires_at: int
    audit_ids: list[str]
    scope: str = "unscoped"
    scope_id: str | None = None
    trust_id: str | None = None
    app_cred_id: str | None = None
    issued_at: float = 0.0


def _pack_id(value: str | None) -> bytes | str | None:
    """A UUID hex id packs into 16 bytes; anything else is kept as a string."""
    if value is None:
        return None
    try:
        parsed = uuid.UUID(hex=value)
    except ValueError:
        return value
    return parsed.bytes if parsed.hex == value else value


def _unpack_id(value: bytes | str | None) -> str | None:
    return uuid.UUID(bytes=value).hex if isinstance(value, bytes) else value


def _audit_bytes(audit_id: str) -> bytes:
    return base64.urlsafe_b64decode(audit_id + "==")


def new_audit_id() -> str:
    """A random audit id: 16 bytes, url-safe base64 without padding, like Keystone's."""
    return base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")


def encode(keys: KeyRepository, payload: TokenPayload) -> str:
    """The token string: a Fernet message of the msgpack-packed payload, padding stripped."""
    methods = sum(1 << METHODS.index(m) for m in payload.methods)
    packed = msgpack.packb(
        [
            _pack_id(payload.user_id),
            methods,
            payload.expires_at,
            [_audit_bytes(a) for a in payload.audit_ids],
            SCOPES.index(payload.scope),
            _pack_id(payload.scope_id),
            _pack_id(payload.trust_id),
            _pack_id(payload.app_cred_id),
            payload.issued_at,
        ]
    )
    return keys.fernet().encrypt(packed).decode().rstrip("=")


def decode(keys: KeyRepository, token: str) -> TokenPayload:
    """The payload of `token`; 401 when it is not one of ours."""
    padded = token + "=" * (-len(token) % 4)
    try:
        fernet = keys.fernet()
        raw = fernet.decrypt(padded.encode())
        fields = msgpack.unpackb(raw)
        user, methods, expires, audits, scope, scope_id, trust, app_cred, issued_at = fields
    except (InvalidToken, ValueError, TypeError, msgpack.UnpackException):
        raise Unauthorized("The request you have made requires authentication.") from None
    return TokenPayload(
        user_id=_unpack_id(user),
        methods=[m for i, m in enumerate(METHODS) if methods & (1 << i)],
        expires_at=expires,
        audit_ids=[base64.urlsafe_b64encode(a).decode().rstrip("=") for a in audits],
        scope=SCOPES[scope],
        scope_id=_unpack_id(scope_id),
        trust_id=_unpack_id(trust),
        app_cred_id=_unpack_id(app_cred),
        issued_at=issued_at,
    )
