"""`kilocloud deps`: the table of what each service needs, and probes of configured backends."""

from __future__ import annotations

from pathlib import Path

from kilocloud.cli import deps


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
    for component in ("database (SQLite)", "memcached", "RabbitMQ", "qemu-img"):
        assert row(out, component)


def test_default_sqlite_database_answers(kilocloud) -> None:
    _, out = kilocloud("deps")
    assert row(out, "database (SQLite)").endswith("answers")


def test_unconfigured_backends_are_not_probed(kilocloud) -> None:
    _, out = kilocloud("deps")
    assert row(out, "memcached").endswith("not configured")
    assert row(out, "RabbitMQ").endswith("not configured")


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
