"""The mails of mailto: subscribers: notifications as JSON, confirmations from templates."""

from __future__ import annotations

import json
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

from kilocloud.messaging.delivery import mailto

ASK = {
    "Message_Type": "SubscriptionConfirmation",
    "queue_name": "orders",
    "WSGISubscribeURL": "http://cloud/messaging/v2/queues/orders/subscriptions/s1/confirm",
    "URL-Signature": "abc",
    "URL-Methods": "PUT",
    "URL-Paths": "/v2/queues/orders/subscriptions/s1/confirm",
    "URL-Expires": "2030-01-01T00:00:00",
    "X-Project-ID": "p1",
}


class Notification(SimpleNamespace):
    """[notification] as the sink reads it: attributes, and items by option name."""

    def __getitem__(self, key: str) -> object:
        return getattr(self, key)


def _conf(page: str | None = None, body: str = "{0} {1} {2}") -> Notification:
    template = {"topic": "Please confirm", "body": body}
    return Notification(
        external_confirmation_url=page,
        mail_from="cloud@example.org",
        subscription_confirmation_email_template=template,
        unsubscribe_confirmation_email_template=template,
    )


def test_confirmation_link_carries_the_grant_to_the_page() -> None:
    link = mailto.confirm_link("https://portal/confirm", ASK)
    parts = urlsplit(link)
    grant = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://portal/confirm"
    assert grant["Url"] == ASK["WSGISubscribeURL"] and grant["Queue"] == "orders"
    assert (grant["Signature"], grant["Methods"], grant["Project"]) == ("abc", "PUT", "p1")


def test_confirmation_mail_fills_the_template() -> None:
    mail = mailto.compose("mailto:ops@example.org", ASK, {}, _conf())
    queue, project, link = mail.get_content().split()
    assert (queue, project, mail["Subject"], mail["To"]) == (
        "orders",
        "p1",
        "Please confirm",
        "ops@example.org",
    )
    assert link.startswith(ASK["WSGISubscribeURL"] + "?Signature=abc")


def test_a_template_with_a_bad_placeholder_still_mails_the_link() -> None:
    mail = mailto.compose("mailto:ops@example.org", ASK, {}, _conf(body="{7}"))
    assert mail.get_content().strip().startswith(ASK["WSGISubscribeURL"])


def test_notification_mail_is_the_message_as_json_with_the_uri_subject_first() -> None:
    doc = {"id": "m1", "body": {"a": 1}, "queue_name": "orders", "Message_Type": "Notification"}
    options = {"subject": "From options", "from": "alerts@example.org"}
    mail = mailto.compose("mailto:ops@example.org?subject=From%20URI", doc, options, _conf())
    assert json.loads(mail.get_content()) == doc
    assert (mail["Subject"], mail["From"]) == ("From URI", "alerts@example.org")
