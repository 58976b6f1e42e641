"""Where image jobs run: this process's pool, or `kilocloud worker`s when a broker is set."""

from __future__ import annotations

from kilocloud.core import tasks as queueing
from kilocloud.deps import Hook, Services
from kilocloud.image.service.images import Images
from kilocloud.image.service.tasks import Tasks
from kilocloud.image.service.uploads import Uploads
from kilocloud.image.tasks.runtime import TaskRuntime


def tasks(services: Services, images: Images, uploads: Uploads) -> Tasks:
    """The tasks of one image service, their queue and runner started and stopped with it;
    the uploads this process carries keep their heartbeat on the same runner."""
    conf = services.conf
    runtime = TaskRuntime(services)
    if queueing.broker_configured(conf):
        runner = queueing.Runner({}, 1)  # only the lease chores: workers run the jobs
        rpc = queueing.RpcQueue(conf, conf.task.topic)
        found = Tasks(services, images, rpc, None)
        services.on_shutdown.append(_closer(rpc))
    else:
        runner = queueing.Runner(runtime.handlers(), conf.taskflow_executor.max_workers)
        found = Tasks(services, images, queueing.LocalQueue(runner), runtime)

    async def start() -> None:
        runtime.start(runner)
        await uploads.reclaim()  # what a killed predecessor left half-uploaded
        lease = conf.task.lease_seconds
        runner.periodic(lease / 3, uploads.beat)
        runner.periodic(lease / 2, uploads.reclaim)
        runner.periodic(conf.task.redispatch_seconds / 2, found.redispatch)

    services.on_startup.append(start)
    services.on_shutdown.append(runner.stop)
    return found


def _closer(rpc: queueing.RpcQueue) -> Hook:
    async def close() -> None:
        rpc.close()

    return close
