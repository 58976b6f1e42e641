"""`kilocloud fernet setup|rotate`."""

from __future__ import annotations

from pathlib import Path

from kilocloud.identity import fernet


def key_files(repo: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in repo.iterdir() if p.name.isdigit()}


def test_setup_creates_a_staged_and_a_primary_key(kilocloud, tmp_path: Path) -> None:
    status, out = kilocloud("fernet", "setup")
    assert status == 0
    assert "created" in out
    assert sorted(key_files(tmp_path / "fernet-keys")) == ["0", "1"]


def test_setup_keeps_existing_keys(kilocloud, tmp_path: Path) -> None:
    kilocloud("fernet", "setup")
    before = key_files(tmp_path / "fernet-keys")
    status, out = kilocloud("fernet", "setup")
    assert status == 0
    assert "already present" in out
    assert key_files(tmp_path / "fernet-keys") == before


def test_rotate_promotes_the_staged_key_to_primary(kilocloud, tmp_path: Path) -> None:
    kilocloud("fernet", "setup")
    staged = key_files(tmp_path / "fernet-keys")["0"]
    status, out = kilocloud("fernet", "rotate")
    assert status == 0
    keys = key_files(tmp_path / "fernet-keys")
    assert keys["2"] == staged
    assert keys["0"] != staged
    assert "primary key is now 2" in out


def test_rotate_keeps_at_most_max_active_keys(kilocloud, tmp_path: Path) -> None:
    kilocloud("fernet", "setup")
    for _ in range(4):
        kilocloud("fernet", "rotate")
    assert sorted(key_files(tmp_path / "fernet-keys"), key=int) == ["0", "4", "5"]


def test_rotate_on_an_empty_repository_sets_it_up(kilocloud, tmp_path: Path) -> None:
    status, out = kilocloud("fernet", "rotate")
    assert status == 0
    assert "created" in out
    assert sorted(key_files(tmp_path / "fernet-keys")) == ["0", "1"]


def test_token_issued_before_rotation_stays_valid(kilocloud, tmp_path: Path) -> None:
    kilocloud("fernet", "setup")
    repo = fernet.KeyRepository(str(tmp_path / "fernet-keys"))
    payload = fernet.TokenPayload("u" * 32, ["password"], 2**31, [fernet.new_audit_id()])
    token = fernet.encode(repo, payload)
    kilocloud("fernet", "rotate")
    assert fernet.decode(fernet.KeyRepository(repo.path), token).user_id == "u" * 32


def test_key_repository_option_moves_the_keys(kilocloud, tmp_path: Path) -> None:
    conf = tmp_path / "kilocloud.conf"
    conf.write_text(f"[fernet_tokens]\nkey_repository = {tmp_path / 'elsewhere'}\n")
    status, _ = kilocloud("fernet", "setup", "--config-file", str(conf))
    assert status == 0
    assert sorted(key_files(tmp_path / "elsewhere")) == ["0", "1"]
    assert not (tmp_path / "fernet-keys").exists()
