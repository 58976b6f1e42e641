"""Subscriptions: webhook and mail delivery to real servers on loopback, confirmation, topics."""

from __future__ import annotations

import json
import queue
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.conftest import LOOPBACK_WEBHOOKS
from tests.functional.messaging.sinks import Mailbox, Webhook
from tests.functional.messaging.zaqar import new_client_id


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()
    yield hook
    hook.close()


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    yield box
    box.close()


@pytest.fixture(scope="module")
def strict_cloud(cloud_factory, mailbox: Mailbox):  # noqa: ANN001, ANN201
    """A cloud requiring confirmation of webhooks and mailing through `mailbox`."""
    notification = {"require_confirmation": "true", "smtp_url": mailbox.url}
    return cloud_factory(config={"notification": notification, **LOOPBACK_WEBHOOKS})


def client_for(cloud) -> httpx.Client:  # noqa: ANN001
    headers = {"X-Auth-Token": cloud.admin_token(), "Client-ID": new_client_id()}
    return httpx.Client(base_url=cloud.url + "/messaging", headers=headers, timeout=30)


def test_webhook_receives_posted_messages(raw: httpx.Client, queue_name: str, webhook) -> None:  # noqa: ANN001
    sub = {"subscriber": webhook.url, "ttl": 600, "options": {"post_headers": {"X-Sign": "s1"}}}
    resp = raw.post(f"/v2/queues/{queue_name}/subscriptions", json=sub)
    assert resp.status_code == 201 and resp.json()["subscription_id"]
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": {"event": "up"}}]})
    headers, body, _ = webhook.next()
    assert headers["X-Sign"] == "s1"
    assert body["body"] == {"event": "up"}
    assert body["queue_name"] == queue_name and body["Message_Type"] == "Notification"


def test_post_data_template(raw: httpx.Client, queue_name: str, webhook) -> None:  # noqa: ANN001
    options = {"post_data": {"wrapped": "$zaqar_message$", "by": "kc"}}
    raw.post(
        f"/v2/queues/{queue_name}/subscriptions",
        json={"subscriber": webhook.url, "ttl": 600, "options": options},
    )
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": 42}]})
    _, body, _ = webhook.next()
    assert body["by"] == "kc" and body["wrapped"]["body"] == 42


def test_failed_delivery_is_retried(raw: httpx.Client, queue_name: str, webhook) -> None:  # noqa: ANN001
    webhook.replies = [503, 500]
    raw.post(f"/v2/queues/{queue_name}/subscriptions", json={"subscriber": webhook.url, "ttl": 600})
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "persist"}]})
    statuses = [webhook.next()[2] for _ in range(3)]
    assert statuses == [503, 500, 200]


def test_duplicate_of_an_unconfirmed_subscriber_is_the_same_subscription(
    raw: httpx.Client, queue_name: str
) -> None:
    url = f"/v2/queues/{queue_name}/subscriptions"
    sub = {"subscriber": "http://127.0.0.1:9/x", "ttl": 600}
    first = raw.post(url, json=sub)
    assert first.status_code == 201
    again = raw.post(url, json=sub)
    assert again.status_code == 201 and again.json() == first.json()
    sid = first.json()["subscription_id"]
    assert raw.put(f"{url}/{sid}/confirm", json={"confirmed": True}).status_code == 204
    assert raw.get(f"{url}/{sid}").json()["confirmed"] is True
    conflict = raw.post(url, json=sub)
    assert conflict.status_code == 409 and set(conflict.json()) == {"title", "description"}


@pytest.mark.parametrize(
    "doc",
    [
        {"subscriber": "ftp://x/y"},
        {"subscriber": "mailto:nobody"},
        {"ttl": 600},
        {"subscriber": 5},
    ],
)
def test_bad_subscriptions_are_400(raw: httpx.Client, queue_name: str, doc: dict) -> None:
    resp = raw.post(f"/v2/queues/{queue_name}/subscriptions", json=doc)
    assert resp.status_code == 400 and set(resp.json()) == {"title", "description"}


def test_subscription_update_and_delete(raw: httpx.Client, queue_name: str) -> None:
    url = f"/v2/queues/{queue_name}/subscriptions"
    sid = raw.post(url, json={"subscriber": "http://127.0.0.1:9/a", "ttl": 600}).json()[
        "subscription_id"
    ]
    assert raw.patch(f"{url}/{sid}", json={"options": {"k": "v"}}).status_code == 204
    shown = raw.get(f"{url}/{sid}").json()
    assert shown["options"] == {"k": "v"} and shown["source"] == queue_name
    assert raw.delete(f"{url}/{sid}").status_code == 204
    assert raw.get(f"{url}/{sid}").status_code == 404


def _signed(ask: dict) -> dict[str, str]:
    """The headers that present a confirmation request's signature."""
    signed = {k: ask[k] for k in ("URL-Signature", "URL-Methods", "URL-Paths", "URL-Expires")}
    return signed | {"X-Project-ID": ask["X-Project-ID"], "Client-ID": new_client_id()}


def test_webhook_waits_for_confirmation(strict_cloud, queue_name: str, webhook) -> None:  # noqa: ANN001
    with client_for(strict_cloud) as c:
        url = f"/v2/queues/{queue_name}/subscriptions"
        c.post(url, json={"subscriber": webhook.url, "ttl": 600})
        _, ask, _ = webhook.next()
        assert ask["Message_Type"] == "SubscriptionConfirmation"
        assert ask["queue_name"] == queue_name and ask["URL-Methods"] == "PUT"
        c.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "early"}]})
        with pytest.raises(queue.Empty):
            webhook.next(timeout=3)
        put = httpx.put(ask["WSGISubscribeURL"], json=ask["SubscribeBody"], headers=_signed(ask))
        assert put.status_code == 204
        own = ask["WSGISubscribeURL"].removesuffix("/confirm")
        assert httpx.get(own, headers=_signed(ask)).status_code == 404, "it grants PUT there only"
        c.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "late"}]})
    assert webhook.next(timeout=10)[1]["body"] == "late"


def test_unconfirming_stops_deliveries_and_says_how_to_resubscribe(
    strict_cloud,  # noqa: ANN001
    queue_name: str,
    webhook,  # noqa: ANN001
) -> None:
    with client_for(strict_cloud) as c:
        c.post(f"/v2/queues/{queue_name}/subscriptions", json={"subscriber": webhook.url})
        ask = webhook.next()[1]
        httpx.put(ask["WSGISubscribeURL"], json={"confirmed": True}, headers=_signed(ask))
        off = httpx.put(ask["WSGISubscribeURL"], json={"confirmed": False}, headers=_signed(ask))
        assert off.status_code == 204
        told = webhook.next()[1]
        assert told["Message_Type"] == "UnsubscribeConfirmation"
        assert told["SubscribeBody"] == {"confirmed": True}
        c.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "gone"}]})
        with pytest.raises(queue.Empty):
            webhook.next(timeout=3)


def test_mail_subscriber_confirms_by_the_mailed_link(
    strict_cloud,  # noqa: ANN001
    mailbox: Mailbox,
    queue_name: str,
) -> None:
    with client_for(strict_cloud) as c:
        sub = {"subscriber": "mailto:ops@example.org?subject=Hi", "ttl": 600}
        assert c.post(f"/v2/queues/{queue_name}/subscriptions", json=sub).status_code == 201
        ask = mailbox.next()
        assert ask["To"] == "ops@example.org" and ask["Subject"] == "Confirm your subscription"
        text = ask.get_payload(decode=True).decode()
        link = re.search(r"https?://\S+", text).group(0)
        grant = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
        assert grant["Queue"] == queue_name and grant["Methods"] == "PUT"
        assert queue_name in text and grant["Project"] in text
        c.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "early"}]})
        with pytest.raises(queue.Empty):
            mailbox.next(timeout=3)
        headers = {
            "URL-Signature": grant["Signature"],
            "URL-Methods": grant["Methods"],
            "URL-Paths": grant["Paths"],
            "URL-Expires": grant["Expires"],
            "X-Project-ID": grant["Project"],
            "Client-ID": new_client_id(),
        }
        assert httpx.put(grant["Url"], json={"confirmed": True}, headers=headers).status_code == 204
        c.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": {"a": 1}}]})
    mail = mailbox.next()
    assert mail["To"] == "ops@example.org" and mail["Subject"] == "Hi"
    sent = json.loads(mail.get_payload(decode=True))
    assert sent["body"] == {"a": 1} and sent["queue_name"] == queue_name


def test_topic_fans_out_and_cannot_be_claimed(raw: httpx.Client, queue_name: str, webhook) -> None:  # noqa: ANN001
    topic = f"/v2/topics/{queue_name}"
    assert raw.put(topic).status_code == 201
    raw.post(f"{topic}/subscriptions", json={"subscriber": webhook.url, "ttl": 600})
    raw.post(f"{topic}/messages", json={"messages": [{"body": "broadcast"}]})
    _, body, _ = webhook.next()
    assert body["body"] == "broadcast" and body["queue_name"] == queue_name
    assert raw.post(f"{topic}/claims", json={}).status_code == 404  # topics have no claims
    assert raw.get(f"{topic}/stats").json()["messages"]["total"] == 1
    assert queue_name not in [q["name"] for q in raw.get("/v2/queues").json()["queues"]]


def test_deleted_subscription_gets_nothing_more(
    raw: httpx.Client, queue_name: str, webhook
) -> None:  # noqa: ANN001
    url = f"/v2/queues/{queue_name}/subscriptions"
    sid = raw.post(url, json={"subscriber": webhook.url, "ttl": 600}).json()["subscription_id"]
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "first"}]})
    assert webhook.next()[1]["body"] == "first"
    raw.delete(f"{url}/{sid}")
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "second"}]})
    with pytest.raises(queue.Empty):
        webhook.next(timeout=3)
