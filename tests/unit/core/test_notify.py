"""disabled_notifications filters what goes to the broker, not what in-process consumers see."""

from __future__ import annotations

from kilocloud.core.notify import Notifier
from kilocloud.opts import load_conf


async def test_disabled_event_types_still_reach_in_process_listeners(tmp_path) -> None:
    conf = load_conf([], {"state_dir": str(tmp_path)})
    conf.set_override("disabled_notifications", ["image.*"])
    notifier = Notifier(conf)
    seen: list[str] = []

    async def listen(messages: list[dict]) -> None:
        seen.extend(m["event_type"] for m in messages)

    notifier.subscribe(listen)
    await notifier.notify(None, "image", "image.delete", {"id": "x"})
    await notifier.drain()
    assert seen == ["image.delete"]
    assert notifier._disabled("image.delete") and not notifier._disabled("identity.user.created")
