"""Mail sink: messages, and requests to confirm, mailed to mailto: subscribers by SMTP."""

from __future__ import annotations

import asyncio
import logging
import smtplib
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import orjson
from oslo_config import cfg

LOG = logging.getLogger(__name__)
TEMPLATES = {
    "SubscriptionConfirmation": "subscription_confirmation_email_template",
    "UnsubscribeConfirmation": "unsubscribe_confirmation_email_template",
}
# the signed grant a confirmation carries, under the query names a confirmation page reads
LINK_FIELDS = {
    "Signature": "URL-Signature",
    "Methods": "URL-Methods",
    "Paths": "URL-Paths",
    "Project": "X-Project-ID",
    "Expires": "URL-Expires",
    "Url": "WSGISubscribeURL",
}


def confirm_link(page: str | None, doc: dict[str, Any]) -> str:
    """The link a subscriber follows to confirm: `page` (or the API URL) with the grant."""
    query = {name: str(doc.get(key, "")) for name, key in LINK_FIELDS.items()}
    query["Queue"] = str(doc.get("queue_name", ""))
    return f"{page or doc.get('WSGISubscribeURL', '')}?{urlencode(query)}"


def _notification(uri: str, doc: dict[str, Any], options: dict[str, Any]) -> EmailMessage:
    query = {k.lower(): v[0] for k, v in parse_qs(urlsplit(uri).query).items()}
    mail = EmailMessage()
    mail["Subject"] = query.get("subject") or options.get("subject") or "Message notification"
    if options.get("from"):
        mail["From"] = options["from"]
    mail.set_content(orjson.dumps(doc).decode())
    return mail


def _confirmation(doc: dict[str, Any], notification: Any) -> EmailMessage:
    template = notification[TEMPLATES[doc["Message_Type"]]]
    link = confirm_link(notification.external_confirmation_url, doc)
    try:
        text = template.get("body", "").format(doc.get("queue_name"), doc.get("X-Project-ID"), link)
    except (IndexError, KeyError, ValueError):  # an operator's template with a bad placeholder
        LOG.error("the %s template cannot be filled in", TEMPLATES[doc["Message_Type"]])
        text = link
    mail = EmailMessage()
    mail["Subject"] = template.get("topic", "")
    if template.get("sender"):
        mail["From"] = template["sender"]
    mail.set_content(text)
    return mail


def compose(
    uri: str, doc: dict[str, Any], options: dict[str, Any], notification: Any
) -> EmailMessage:
    """The mail for `doc`: a confirmation request from a template, or the message as JSON."""
    if doc.get("Message_Type") in TEMPLATES:
        mail = _confirmation(doc, notification)
    else:
        mail = _notification(uri, doc, options)
    mail["To"] = unquote(urlsplit(uri).path)
    if "From" not in mail:
        mail["From"] = notification.mail_from
    return mail


class MailtoSink:
    """Delivers by SMTP to the server at `smtp_url` (smtp[s]://[user:password@]host[:port])."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.notification = conf.notification
        url = urlsplit(self.notification.smtp_url)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 25
        self.user, self.password = url.username, url.password
        self.tls = url.scheme == "smtps"

    def _send(self, mail: EmailMessage) -> None:
        cls = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        with cls(self.host, self.port, timeout=10) as smtp:
            if self.user:
                smtp.login(unquote(self.user), unquote(self.password or ""))
            smtp.send_message(mail)

    async def send(self, uri: str, message: dict[str, Any], options: dict[str, Any]) -> bool:
        """Mail the message; whether the server accepted it."""
        try:
            mail = compose(uri, message, options, self.notification)
        except ValueError:  # no retry makes an unmailable address mailable
            LOG.warning("cannot mail %s: dropped", uri)
            return True
        try:
            await asyncio.to_thread(self._send, mail)
        except (OSError, smtplib.SMTPException):
            return False
        return True
