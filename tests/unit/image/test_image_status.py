"""The image status table, as Glance's v2 has it."""

from __future__ import annotations

from kilocloud.image import status


def test_upload_path_is_queued_saving_active():
    assert status.can_transition(status.QUEUED, status.SAVING)
    assert status.can_transition(status.SAVING, status.ACTIVE)


def test_failed_upload_goes_back_to_queued_killed_is_legacy():
    assert status.can_transition(status.SAVING, status.QUEUED)
    assert status.can_transition(status.SAVING, status.KILLED)
    assert [s for s in status.ALL if status.can_transition(s, status.KILLED)] == [status.SAVING]


def test_failed_import_goes_back_to_queued_not_killed():
    assert status.can_transition(status.IMPORTING, status.QUEUED)
    assert status.can_transition(status.UPLOADING, status.QUEUED)
    assert not status.can_transition(status.IMPORTING, status.KILLED)


def test_killed_image_can_only_be_deleted():
    assert [s for s in status.ALL if status.can_transition(status.KILLED, s)] == [status.DELETED]


def test_only_a_queued_image_takes_data():
    takes = [s for s in status.ALL if status.can_transition(s, status.SAVING)]
    assert takes == [status.QUEUED]


def test_deactivation_only_from_active_and_back():
    assert status.can_transition(status.ACTIVE, status.DEACTIVATED)
    assert status.can_transition(status.DEACTIVATED, status.ACTIVE)
    assert not status.can_transition(status.QUEUED, status.DEACTIVATED)
    assert not status.can_transition(status.DEACTIVATED, status.PENDING_DELETE)


def test_deleted_is_final():
    assert all(not status.can_transition(status.DELETED, s) for s in status.ALL)


def test_every_status_has_a_row():
    assert set(status.TRANSITIONS) == set(status.ALL)
