"""The request context: who is calling, in what scope, with which roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RequestContext:
    """Identity and scope of one API call, as the auth middleware established them."""

    request_id: str
    token: str | None = None
    user_id: str | None = None
    user_name: str | None = None
    user_domain_id: str | None = None
    project_id: str | None = None
    project_name: str | None = None
    project_domain_id: str | None = None
    domain_id: str | None = None
    domain_name: str | None = None
    system_scope: str | None = None
    roles: list[str] = field(default_factory=list)
    role_ids: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    audit_ids: list[str] = field(default_factory=list)
    trust_id: str | None = None
    trustor_id: str | None = None
    app_cred_id: str | None = None
    expires_at: float | None = None
    catalog: list[dict[str, Any]] | None = None
    remote_addr: str | None = None
    auth_error: str | None = None

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def policy_credentials(self) -> dict[str, Any]:
        """The credentials dict oslo.policy checks rules against."""
        return {
            "user_id": self.user_id,
            "user_domain_id": self.user_domain_id,
            "project_id": self.project_id,
            "project_domain_id": self.project_domain_id,
            "domain_id": self.domain_id,
            "system_scope": self.system_scope,
            "roles": self.roles,
            "is_admin_project": True,
            "token": {
                "user": {"id": self.user_id, "domain": {"id": self.user_domain_id}},
                "project": {"id": self.project_id, "domain": {"id": self.project_domain_id}},
                "domain": {"id": self.domain_id},
                "trust": {"id": self.trust_id} if self.trust_id else None,
            },
        }
