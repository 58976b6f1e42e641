"""The `openstack messaging ...` commands against the cloud."""

from __future__ import annotations

import json
import os
import uuid


def test_queue_commands(cloud, queue_name: str) -> None:  # noqa: ANN001
    created = cloud.cli_json("messaging", "queue", "create", queue_name)
    assert created["Name"] == queue_name
    cloud.cli("messaging", "queue", "set", "metadata", queue_name, '{"color": "green"}')
    meta = cloud.cli_json("messaging", "queue", "get", "metadata", queue_name)
    assert meta["Metadata"]["color"] == "green"
    assert meta["Metadata"]["_default_message_ttl"] == 3600
    names = [q["Name"] for q in cloud.cli_json("messaging", "queue", "list", "--limit", "1000")]
    assert queue_name in names
    cloud.cli("messaging", "queue", "delete", queue_name)
    names = [q["Name"] for q in cloud.cli_json("messaging", "queue", "list", "--limit", "1000")]
    assert queue_name not in names


def test_message_and_claim_commands(cloud, queue_name: str) -> None:  # noqa: ANN001
    messages = json.dumps([{"body": {"k": i}, "ttl": 300} for i in range(3)])
    client = ["--client-id", str(uuid.uuid4())]
    cloud.cli("messaging", "message", "post", queue_name, messages, *client)
    listed = cloud.cli_json("messaging", "message", "list", queue_name, "--echo", *client)
    assert [m["Body"] for m in listed] == [{"k": 0}, {"k": 1}, {"k": 2}]
    stats = cloud.cli_json("messaging", "queue", "stats", queue_name)
    assert stats["Stats"]["messages"]["free"] == 3
    claimed = cloud.cli_json(
        "messaging", "claim", "create", queue_name, "--ttl", "120", "--grace", "60", "--limit", "2"
    )
    assert [m["Messages"] for m in claimed] == [{"k": 0}, {"k": 1}]
    assert len({m["Claim_ID"] for m in claimed}) == 1
    stats = cloud.cli_json("messaging", "queue", "stats", queue_name)
    assert (stats["Stats"]["messages"]["claimed"], stats["Stats"]["messages"]["free"]) == (2, 1)
    cloud.cli("messaging", "queue", "purge", queue_name)
    assert (
        cloud.cli_json("messaging", "queue", "stats", queue_name)["Stats"]["messages"]["total"] == 0
    )


def test_subscription_commands(cloud, queue_name: str) -> None:  # noqa: ANN001
    cloud.cli("messaging", "queue", "create", queue_name)
    sub = cloud.cli_json(
        "messaging", "subscription", "create", queue_name, "http://127.0.0.1:9/hook", "3600"
    )
    listed = cloud.cli_json("messaging", "subscription", "list", queue_name)
    assert [s["ID"] for s in listed] == [sub["ID"]]
    shown = cloud.cli_json("messaging", "subscription", "show", queue_name, sub["ID"])
    assert shown["Subscriber"] == "http://127.0.0.1:9/hook"
    cloud.cli("messaging", "subscription", "delete", queue_name, sub["ID"])
    assert cloud.cli_json("messaging", "subscription", "list", queue_name) == []


def test_ping_and_signed_url_commands(cloud, queue_name: str) -> None:  # noqa: ANN001
    assert cloud.cli_json("messaging", "ping")["Pingable"] is True
    cloud.cli("messaging", "queue", "create", queue_name)
    signed = cloud.cli_json("messaging", "queue", "signed", "url", queue_name)
    assert signed["Signature"] and signed["Project ID"]


def test_subscription_update_of_the_ttl_alone(cloud, queue_name: str) -> None:  # noqa: ANN001
    cloud.cli("messaging", "queue", "create", queue_name)
    sub = cloud.cli_json(
        "messaging", "subscription", "create", queue_name, "http://127.0.0.1:9/hook", "3600"
    )
    cloud.cli("messaging", "subscription", "update", queue_name, sub["ID"], "--ttl", "900")
    shown = cloud.cli_json("messaging", "subscription", "show", queue_name, sub["ID"])
    assert (shown["Subscriber"], shown["TTL"]) == ("http://127.0.0.1:9/hook", 900)


def test_messages_through_os_cloud_with_a_client_id_as_the_readme_says(cloud, queue_name: str):  # noqa: ANN001
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env["OS_CLIENT_CONFIG_FILE"] = str(cloud.clouds_yaml)
    env["OS_CLOUD"] = "kilocloud"
    env["OS_MESSAGE_CLIENT_ID"] = str(uuid.uuid4())
    cloud.cli("messaging", "message", "post", queue_name, '[{"body": "hi", "ttl": 300}]', env=env)
    # a client does not see its own messages unless it asks with --echo
    assert cloud.cli_json("messaging", "message", "list", queue_name, env=env) == []
    listed = cloud.cli_json("messaging", "message", "list", queue_name, "--echo", env=env)
    assert [m["Body"] for m in listed] == ["hi"]
