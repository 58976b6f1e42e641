"""The in-process job runner: bounded, failures contained, periodic chores, clean stop."""

from __future__ import annotations

import asyncio

from kilocloud.core.tasks import LocalQueue, Runner


def test_runner_runs_at_most_size_jobs_at_once() -> None:
    async def scenario() -> int:
        running, peak = 0, 0

        async def job(payload: dict) -> None:
            nonlocal running, peak
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.02)
            running -= 1

        runner = Runner({"k": job}, size=2)
        jobs = [runner.submit("k", {}) for _ in range(7)]
        await asyncio.gather(*jobs)
        return peak

    assert asyncio.run(scenario()) == 2


def test_a_failing_or_unknown_job_does_not_stop_the_others() -> None:
    async def scenario() -> list[str]:
        done: list[str] = []

        async def bad(payload: dict) -> None:
            raise RuntimeError("boom")

        async def good(payload: dict) -> None:
            done.append(payload["n"])

        runner = Runner({"bad": bad, "good": good}, size=1)
        queue = LocalQueue(runner)
        await queue.enqueue("bad", {})
        await queue.enqueue("nobody", {})
        await queue.enqueue("good", {"n": "1"})
        await asyncio.sleep(0.05)
        return done

    assert asyncio.run(scenario()) == ["1"]


def test_periodic_survives_failures_and_stop_cancels_everything() -> None:
    async def scenario() -> tuple[int, bool]:
        calls = 0
        started = asyncio.Event()

        async def chore() -> None:
            nonlocal calls
            calls += 1
            raise RuntimeError("database hiccup")

        async def forever(payload: dict) -> None:
            started.set()
            await asyncio.sleep(3600)

        runner = Runner({"forever": forever}, size=1)
        runner.periodic(0.01, chore)
        job = runner.submit("forever", {})
        await started.wait()
        await asyncio.sleep(0.1)
        await runner.stop()
        return calls, job.cancelled() or job.done()

    calls, ended = asyncio.run(scenario())
    assert calls >= 3 and ended
