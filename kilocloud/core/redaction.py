"""Secrets kept out of logs: the userinfo and query values of every URL a log line holds.

Subscribers put credentials in webhook URLs (`https://user:PASSWORD@host/hook?token=SECRET`),
and libraries log the URLs they request (httpx, at INFO, on every delivery).
"""

from __future__ import annotations

import logging
import re

URL = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/\s@?#]*@)?(?P<rest>[^\s\"'<>]*)"
)
MASK = "***"


def _item(item: str) -> str:
    key, eq, _ = item.partition("=")
    return f"{key}={MASK}" if eq else MASK if item else item


def _mask(match: re.Match[str]) -> str:
    userinfo = f"{MASK}@" if match["userinfo"] else ""
    rest, hash_, fragment = match["rest"].partition("#")
    path, question, query = rest.partition("?")
    query = "&".join(_item(item) for item in query.split("&"))
    return f"{match['scheme']}{userinfo}{path}{question}{query}{hash_}{fragment}"


def redact(text: str) -> str:
    """`text` with the userinfo and query values of the URLs in it masked."""
    return URL.sub(_mask, text) if "://" in text else text


class RedactURLs(logging.Filter):
    """Rewrites each record's message with its URLs redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record, its formatted message redacted."""
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install(logger: logging.Logger) -> None:
    """Redact what every handler of `logger` writes (records of child loggers included)."""
    for handler in logger.handlers:
        handler.addFilter(RedactURLs())
