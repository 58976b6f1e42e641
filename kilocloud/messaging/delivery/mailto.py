"""Mail sink: send each message to a mailto: subscriber through the configured SMTP server."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import orjson


def compose(
    uri: str, message: dict[str, Any], options: dict[str, Any], sender: str
) -> EmailMessage:
    """The mail for `message`; `subject` and `from` come from the options or the URI."""
    parts = urlsplit(uri)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    mail = EmailMessage()
    mail["To"] = unquote(parts.path)
    mail["From"] = options.get("from") or sender
    mail["Subject"] = options.get("subject") or query.get("subject") or "Message notification"
    mail.set_content(orjson.dumps(message.get("body"), option=orjson.OPT_INDENT_2).decode())
    return mail


class MailtoSink:
    """Delivers by SMTP to the server at `smtp_url` (smtp://[user:password@]host[:port])."""

    def __init__(self, smtp_url: str, sender: str) -> None:
        url = urlsplit(smtp_url)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 25
        self.user, self.password = url.username, url.password
        self.tls = url.scheme == "smtps"
        self.sender = sender

    def _send(self, mail: EmailMessage) -> None:
        cls = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        with cls(self.host, self.port, timeout=10) as smtp:
            if self.user:
                smtp.login(unquote(self.user), unquote(self.password or ""))
            smtp.send_message(mail)

    async def send(self, uri: str, message: dict[str, Any], options: dict[str, Any]) -> bool:
        """Mail the message; whether the server accepted it."""
        try:
            await asyncio.to_thread(self._send, compose(uri, message, options, self.sender))
        except (OSError, smtplib.SMTPException):
            return False
        return True
