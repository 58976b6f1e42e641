"""`kilocloud deps`: the table of what each service needs, and probes of configured backends."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from kilocloud.cli import deps

KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def config_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "kilocloud.conf"
    path.write_text(text)
    return str(path)


def row(out: str, component: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(component))


def test_lists_every_package_and_system_component(kilocloud) -> None:
    status, out = kilocloud("deps")
    assert status == 0
    for dist, _ in deps.PACKAGES:
        assert row(out, dist + " ")
    for component in ("database (SQLite)", "memcached", "RabbitMQ", "Redis", "S3", "qemu-img"):
        assert row(out, component)


def test_default_sqlite_database_answers(kilocloud) -> None:
    _, out = kilocloud("deps")
    assert row(out, "database (SQLite)").endswith("answers")


def test_unconfigured_backends_are_not_probed(kilocloud) -> None:
    _, out = kilocloud("deps")
    for component in ("memcached", "RabbitMQ", "Redis", "S3"):
        assert row(out, component).endswith("not configured")


def test_configured_memcached_answers(kilocloud, tmp_path: Path) -> None:
    conf = config_file(tmp_path, "[cache]\nmemcache_servers = 127.0.0.1:11211\n")
    status, out = kilocloud("deps", "--config-file", conf)
    assert row(out, "memcached").endswith("answers")
    assert status == 0


def test_configured_redis_message_store_answers(kilocloud, tmp_path: Path) -> None:
    text = "[drivers]\nmessage_store = redis\n[drivers:message_store:redis]\nuri = redis://127.0.0.1:6379/0\n"
    status, out = kilocloud("deps", "--config-file", config_file(tmp_path, text))
    assert row(out, "Redis").endswith("answers")
    assert status == 0


def test_unreachable_memcached_fails_the_command(kilocloud, tmp_path: Path) -> None:
    conf = config_file(tmp_path, "[cache]\nmemcache_servers = 127.0.0.1:1\n")
    status, out = kilocloud("deps", "--config-file", conf)
    assert status == 1
    assert "no answer" in row(out, "memcached")


def test_unreachable_database_fails_the_command(kilocloud, tmp_path: Path) -> None:
    conf = config_file(tmp_path, "[database]\nconnection = postgresql://nobody@127.0.0.1:1/x\n")
    status, out = kilocloud("deps", "--config-file", conf)
    assert status == 1
    assert "no answer" in row(out, "database (PostgreSQL)")


def test_configured_rabbitmq_answers_with_its_version(kilocloud, tmp_path: Path) -> None:
    conf = config_file(
        tmp_path, "[DEFAULT]\ntransport_url = rabbit://guest:guest@127.0.0.1:5672/\n"
    )
    status, out = kilocloud("deps", "--config-file", conf)
    assert row(out, "RabbitMQ").endswith("answers")
    assert status == 0


def test_missing_package_is_reported(monkeypatch) -> None:
    monkeypatch.setattr(deps, "PACKAGES", [("no-such-distribution", "test")])
    [missing] = deps.package_rows()
    assert (missing.status, missing.ok) == ("missing", False)


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server on a free local port, with a bucket named `present`."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    url = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=url, region_name="us-east-1", **KEYS).create_bucket(
        Bucket="present"
    )
    yield url
    server.stop()


def s3_config(tmp_path: Path, endpoint: str, bucket: str) -> str:
    keys = f"s3_store_access_key = {KEYS['aws_access_key_id']}\n"
    keys += f"s3_store_secret_key = {KEYS['aws_secret_access_key']}\n"
    text = f"[glance_store]\ndefault_store = s3\ns3_store_host = {endpoint}\n"
    return config_file(tmp_path, text + keys + f"s3_store_bucket = {bucket}\n")


def test_configured_s3_store_answers_for_its_bucket(kilocloud, tmp_path, s3_endpoint) -> None:
    status, out = kilocloud("deps", "--config-file", s3_config(tmp_path, s3_endpoint, "present"))
    assert row(out, "S3 (glance_store)").endswith("answers: bucket present")
    assert status == 0


def test_s3_store_without_its_bucket_fails_the_command(kilocloud, tmp_path, s3_endpoint) -> None:
    status, out = kilocloud("deps", "--config-file", s3_config(tmp_path, s3_endpoint, "absent"))
    assert "no answer" in row(out, "S3 (glance_store)")
    assert status == 1


def test_package_older_than_required_is_reported(monkeypatch) -> None:
    from packaging.specifiers import SpecifierSet

    monkeypatch.setattr(deps, "PACKAGES", [("bcrypt", "test")])
    monkeypatch.setattr(deps, "_specifiers", lambda: {"bcrypt": SpecifierSet(">=999")})
    [old] = deps.package_rows()
    assert (old.requires, old.status, old.ok) == (">=999", "too old", False)
