"""The image status table."""

from __future__ import annotations

from kilocloud.image import status


def test_upload_path_is_queued_saving_active():
    assert status.can_transition(status.QUEUED, status.SAVING)
    assert status.can_transition(status.SAVING, status.ACTIVE)


def test_failed_upload_may_go_back_to_queued_or_be_killed():
    assert status.can_transition(status.SAVING, status.QUEUED)
    assert status.can_transition(status.SAVING, status.KILLED)


def test_deactivation_only_from_active_and_back():
    assert status.can_transition(status.ACTIVE, status.DEACTIVATED)
    assert status.can_transition(status.DEACTIVATED, status.ACTIVE)
    assert not status.can_transition(status.QUEUED, status.DEACTIVATED)


def test_deleted_is_final():
    assert all(not status.can_transition(status.DELETED, s) for s in status.ALL)


def test_every_status_has_a_row():
    assert set(status.TRANSITIONS) == set(status.ALL)
