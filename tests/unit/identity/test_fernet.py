"""Fernet key repository rotation and the compact token payload."""

from __future__ import annotations

import os

import pytest

from kilocloud.core.errors import Unauthorized
from kilocloud.identity import fernet


def _payload(**overrides):
    values = dict(
        user_id="4b7a9c2e5d1f4e3a8b6c0d9e8f7a6b5c",
        methods=["password", "token"],
        expires_at=2_000_000_000,
        audit_ids=[fernet.new_audit_id(), fernet.new_audit_id()],
        scope="project",
        scope_id="0123456789abcdef0123456789abcdef",
        issued_at=1_999_996_400.123456,
    )
    return fernet.TokenPayload(**(values | overrides))


def test_setup_makes_a_staged_and_a_primary_key_once(tmp_path):
    repo = fernet.KeyRepository(str(tmp_path / "keys"))
    assert repo.setup() is True
    assert sorted(os.listdir(tmp_path / "keys")) == ["0", "1"]
    assert repo.setup() is False


def test_rotation_keeps_max_active_keys_and_old_tokens_valid_until_dropped(tmp_path):
    repo = fernet.KeyRepository(str(tmp_path / "keys"), max_active_keys=3)
    repo.setup()
    token = fernet.encode(repo, _payload())
    assert repo.rotate() == 2
    assert fernet.decode(repo, token).user_id == _payload().user_id
    repo.rotate()
    assert sorted(os.listdir(tmp_path / "keys")) == ["0", "2", "3"]
    with pytest.raises(Unauthorized):
        fernet.decode(repo, token)


def test_payload_round_trips_and_is_compact(tmp_path):
    repo = fernet.KeyRepository(str(tmp_path / "keys"))
    repo.setup()
    payload = _payload(trust_id=None, app_cred_id="name-not-a-uuid")
    token = fernet.encode(repo, payload)
    assert fernet.decode(repo, token) == payload
    assert len(token) < 260 and "=" not in token


def test_tampered_or_foreign_tokens_are_refused(tmp_path):
    repo = fernet.KeyRepository(str(tmp_path / "keys"))
    repo.setup()
    token = fernet.encode(repo, _payload())
    other = fernet.KeyRepository(str(tmp_path / "other"))
    other.setup()
    for bad in (token[:-4] + "AAAA", "garbage", fernet.encode(other, _payload())):
        with pytest.raises(Unauthorized):
            fernet.decode(repo, bad)
