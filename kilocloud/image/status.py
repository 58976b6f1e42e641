"""Image statuses and the transitions between them, as Glance defines them."""

from __future__ import annotations

QUEUED = "queued"
SAVING = "saving"
UPLOADING = "uploading"
IMPORTING = "importing"
ACTIVE = "active"
DEACTIVATED = "deactivated"
KILLED = "killed"
DELETED = "deleted"
PENDING_DELETE = "pending_delete"

ALL = (
    QUEUED,
    SAVING,
    UPLOADING,
    IMPORTING,
    ACTIVE,
    DEACTIVATED,
    KILLED,
    DELETED,
    PENDING_DELETE,
)

# Glance's v2 table: a failed upload or import goes back to queued so that it can be retried;
# `killed` is only reachable from saving and is kept for images that older releases left so
TRANSITIONS: dict[str, frozenset[str]] = {
    QUEUED: frozenset({SAVING, UPLOADING, IMPORTING, ACTIVE, DELETED}),
    SAVING: frozenset({ACTIVE, KILLED, QUEUED, DELETED}),
    UPLOADING: frozenset({IMPORTING, QUEUED, DELETED}),
    IMPORTING: frozenset({ACTIVE, QUEUED, DELETED}),
    ACTIVE: frozenset({DEACTIVATED, PENDING_DELETE, DELETED}),
    DEACTIVATED: frozenset({ACTIVE, DELETED}),
    KILLED: frozenset({DELETED}),
    PENDING_DELETE: frozenset({ACTIVE, DELETED}),
    DELETED: frozenset(),
}


def can_transition(current: str, new: str) -> bool:
    """Whether an image in `current` may move to `new`."""
    return new in TRANSITIONS.get(current, frozenset())
