"""Clients of the messaging API for the functional tests: zaqarclient over HTTP and websocket."""

from __future__ import annotations

import json
import uuid
from typing import Any

from keystoneauth1 import session
from keystoneauth1.identity import v3
from zaqarclient.queues.v2 import client
from zaqarclient.transport import request
from zaqarclient.transport.ws import WebsocketTransport


def keystone_session(auth_url: str, user: str, password: str, project: str) -> session.Session:
    """A keystoneauth1 session with password auth, scoped to `project`."""
    auth = v3.Password(
        auth_url=auth_url,
        username=user,
        password=password,
        project_name=project,
        user_domain_id="default",
        project_domain_id="default",
    )
    return session.Session(auth=auth)


def http_client(url: str, sess: session.Session) -> client.Client:
    """A python-zaqarclient v2 client over HTTP."""
    return client.Client(url=url, version=2, session=sess)


class WS:
    """python-zaqarclient's websocket transport, used as its docstring shows."""

    def __init__(self, url: str, token: str, project_id: str) -> None:
        self.url = url
        options = {"auth_opts": {"options": {"os_auth_token": token, "os_project_id": project_id}}}
        self.transport = WebsocketTransport(options)

    def send(self, action: str, **body: Any) -> Any:
        """Send one action; the response (zaqarclient raises on error statuses)."""
        req = request.Request(self.url, action, content=json.dumps(body) if body else None)
        return self.transport.send(req)

    def close(self) -> None:
        """Close the socket."""
        self.transport.cleanup()


def new_client_id() -> str:
    """A fresh Client-ID."""
    return str(uuid.uuid4())
