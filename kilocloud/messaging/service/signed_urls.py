"""Pre-signed URLs: a signature that stands in for a token on one queue's resources."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import os
import secrets
from typing import Any

from oslo_config import cfg

from kilocloud.core import config
from kilocloud.core.errors import NotFound
from kilocloud.core.policy import Policy
from kilocloud.messaging.errors import InvalidRequest
from kilocloud.messaging.service import limits
from kilocloud.messaging.service.caller import Caller, enforce, now

PATHS = ("messages", "subscriptions", "claims")
METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
DEFAULT_LIFETIME = 86400

# the roles a valid signature acts with: only a member may sign (queues:share), and the
# signature itself bounds the methods and paths
GRANTED_ROLES = ("reader", "member")


def secret_key(conf: cfg.ConfigOpts) -> bytes:
    """The configured signing key, or one kept in the state directory."""
    if conf.signed_url.secret_key:
        return conf.signed_url.secret_key.encode()
    path = os.path.join(config.state_dir(conf), "signed-url.key")
    if not os.path.exists(path):
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secrets.token_hex(32))
    with open(path) as f:
        return f.read().strip().encode()


def _sign(key: bytes, project: str, expires: str, methods: list[str], paths: list[str]) -> str:
    text = "\n".join([project, expires, ",".join(sorted(methods)), ",".join(sorted(paths))])
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _expiry(value: Any) -> str:
    if value is None:
        at = datetime.datetime.fromtimestamp(now() + DEFAULT_LIFETIME, datetime.UTC)
        return at.replace(tzinfo=None).isoformat(timespec="seconds")
    try:
        at = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequest("expires must be an ISO 8601 date and time.") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=datetime.UTC)
    if at.timestamp() <= now():
        raise InvalidRequest("expires must be in the future.")
    return at.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(timespec="seconds")


class SignedURLs:
    """Issue and check pre-signed URL signatures."""

    def __init__(self, key: bytes, policy: Policy) -> None:
        self.key, self.policy = key, policy

    def create(self, caller: Caller, queue: str, doc: Any) -> dict[str, Any]:
        """Sign access to `queue`'s resources for the caller's project."""
        enforce(self.policy, caller, "queues:share")
        doc = doc if isinstance(doc, dict) else {}
        kinds = doc.get("paths") or list(PATHS)
        methods = doc.get("methods") or ["GET", "HEAD", "OPTIONS"]
        if not isinstance(kinds, list) or not set(kinds) <= set(PATHS):
            raise InvalidRequest(f"paths must be a list of {', '.join(PATHS)}.")
        if not isinstance(methods, list) or not set(methods) <= set(METHODS):
            raise InvalidRequest(f"methods must be a list of {', '.join(METHODS)}.")
        name = limits.queue_name(queue)
        paths = [f"/v2/queues/{name}/{kind}" for kind in kinds]
        return self.grant(caller.project, paths, methods, doc.get("expires"))

    def grant(
        self, project: str, paths: list[str], methods: list[str], expires: Any = None
    ) -> dict[str, Any]:
        """A signature granting `methods` on `paths` (and below) in `project`."""
        expires = _expiry(expires)
        return {
            "project": project,
            "paths": paths,
            "methods": methods,
            "expires": expires,
            "signature": _sign(self.key, project, expires, methods, paths),
        }

    def verify(self, headers: dict[str, str], method: str, path: str) -> str:
        """The project a valid signature grants `method` on `path`; 404 otherwise."""
        try:
            project = headers["x-project-id"]
            expires = headers["url-expires"]
            methods = headers["url-methods"].split(",")
            paths = headers["url-paths"].split(",")
            signature = headers["url-signature"]
        except KeyError:
            raise NotFound("Missing pre-signed URL headers.") from None
        good = _sign(self.key, project, expires, methods, paths)
        if not hmac.compare_digest(good, signature):
            raise NotFound("The pre-signed URL signature is not valid.")
        try:
            until = datetime.datetime.fromisoformat(expires).replace(tzinfo=datetime.UTC)
        except ValueError:
            raise NotFound("The pre-signed URL expiry is not valid.") from None
        if until.timestamp() < now():
            raise NotFound("The pre-signed URL has expired.")
        covered = any(path == p or path.startswith(p + "/") for p in paths)
        if method not in methods or not covered:
            raise NotFound("The pre-signed URL does not grant this request.")
        return project
