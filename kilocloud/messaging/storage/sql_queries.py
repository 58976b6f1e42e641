"""Statements of the SQL message store's hot paths, built once and run with parameters.

Building a statement costs more than running it on SQLite; these are built at import and
their compiled forms come from SQLAlchemy's cache.
"""

from __future__ import annotations

import functools

from sqlalchemy import (
    DateTime,
    Delete,
    Integer,
    Select,
    Update,
    and_,
    bindparam,
    case,
    delete,
    insert,
    or_,
    select,
    update,
)

from kilocloud.messaging import models
from kilocloud.messaging.models import Message as M

T = M.__table__
CLAIMS = models.Claim.__table__
QUEUES = models.Queue.__table__
NOW = bindparam("now", type_=DateTime)
LIMIT = bindparam("limit", type_=Integer)
IN_QUEUE = and_(M.project == bindparam("b_project"), M.queue == bindparam("b_queue"))
LIVE = M.expires_at > NOW
FREE = or_(M.claim_expires.is_(None), M.claim_expires <= NOW)
READY = or_(M.delay_until.is_(None), M.delay_until <= NOW)
IDS = bindparam("ids", expanding=True)
ONE = and_(IN_QUEUE, M.id == bindparam("message_id"))
ONE_MESSAGE = select(T).where(ONE)
DELETE_FREE_ONE = delete(T).where(ONE, FREE)
DELETE_HELD_ONE = delete(T).where(ONE, M.claim_id == bindparam("claim"), M.claim_expires > NOW)


@functools.cache
def listing(include_claimed: bool, include_delayed: bool, echo: bool) -> Select:
    """Live messages of a queue after a marker; params b_project, b_queue, now, marker, limit."""
    stmt = select(T).where(IN_QUEUE, LIVE, M.marker > bindparam("marker"))
    if not include_claimed:
        stmt = stmt.where(FREE)
    if not include_delayed:
        stmt = stmt.where(READY)
    if not echo:
        stmt = stmt.where(M.client_id != bindparam("client"))
    return stmt.order_by(M.marker).limit(LIMIT)


# params: b_project, b_queue, now, limit.
CANDIDATES = (
    select(T)
    .where(IN_QUEUE, LIVE, FREE, READY)
    .order_by(M.marker)
    .limit(LIMIT)
    .with_for_update(skip_locked=True)
)


def _hold(where: object) -> Update:
    """Put the rows `where` selects under a claim; params claim, claim_expires, hold."""
    hold = bindparam("hold", type_=DateTime)
    return (
        update(T)
        .where(where)
        .values(
            claim_id=bindparam("claim"),
            claim_expires=bindparam("claim_until", type_=DateTime),
            claim_count=M.claim_count + 1,
            # a message outlives the claim holding it (by its grace)
            expires_at=case((M.expires_at < hold, hold), else_=M.expires_at),
        )
    )


# One UPDATE ... RETURNING takes and holds the messages (SQLite, PostgreSQL).
CLAIM_RETURNING = _hold(M.seq.in_(CANDIDATES.with_only_columns(M.seq).scalar_subquery()))
CLAIM_RETURNING = CLAIM_RETURNING.returning(T)
# params as _hold, plus seqs: the rows a locking SELECT took (MariaDB).
HOLD_SEQS = _hold(M.seq.in_(bindparam("seqs", expanding=True)))
INSERT_CLAIM = insert(CLAIMS)

# Ids alone select the rows: with the queue columns in the WHERE clause SQLite's planner walks
# the queue's whole marker index instead of the unique id index.
BY_IDS = select(T).where(M.id.in_(IDS), LIVE)  # params: ids, now
SEQS_BY_IDS = select(M.seq, M.project, M.queue).where(M.id.in_(IDS))  # params: ids
DELETE_SEQS: Delete = delete(T).where(M.seq.in_(bindparam("seqs", expanding=True)))
QUEUE_METADATA = select(QUEUES.c["metadata"]).where(
    QUEUES.c.project == bindparam("project"), QUEUES.c.name == bindparam("name")
)
