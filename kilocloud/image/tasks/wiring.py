"""Wire the image tasks into a cloud: the queue, this process's runtime, and their lifetimes."""

from __future__ import annotations

from dataclasses import dataclass

from oslo_config import cfg

from kilocloud.core import config
from kilocloud.core import tasks as queueing
from kilocloud.core.db import Database
from kilocloud.core.notify import Listener, Notifier
from kilocloud.core.policy import Policy
from kilocloud.deps import Hook, Services
from kilocloud.image.service import staging
from kilocloud.image.service.deps import ImageDeps
from kilocloud.image.service.images import Images
from kilocloud.image.service.imports import Imports
from kilocloud.image.service.tasks import Tasks
from kilocloud.image.stores import build_stores
from kilocloud.image.tasks import policies
from kilocloud.image.tasks.runtime import TaskRuntime


@dataclass
class TaskService:
    """The tasks API and interoperable import of one image service."""

    tasks: Tasks
    imports: Imports


def build(services: Services, deps: ImageDeps, images: Images) -> TaskService:
    """Jobs run in this process's pool, or go to `kilocloud worker`s when a broker is set."""
    services.policy.enforcer.register_defaults(policies.RULES)
    conf = deps.conf
    runtime = TaskRuntime(deps)
    if queueing.broker_configured(conf):
        runner = queueing.Runner({}, 1)  # only the lease chores: workers run the jobs
        rpc = queueing.RpcQueue(conf, conf.task.topic)
        queue: queueing.TaskQueue = rpc
        tasks = Tasks(deps, images, queue, None)
        services.on_shutdown.append(_closer(rpc))
    else:
        runner = queueing.Runner(runtime.handlers(), conf.taskflow_executor.max_workers)
        tasks = Tasks(deps, images, queueing.LocalQueue(runner), runtime)

    async def start() -> None:
        runtime.start(runner)
        runner.periodic(conf.task.redispatch_seconds / 2, tasks.redispatch)

    services.on_startup.append(start)
    services.on_shutdown.append(runner.stop)
    services.notifier.subscribe(_staging_cleaner(conf))
    return TaskService(tasks=tasks, imports=Imports(deps, tasks))


def _staging_cleaner(conf: cfg.ConfigOpts) -> Listener:
    async def forget_staged(messages: list[dict]) -> None:
        """A deleted image's staged data goes with it."""
        for message in messages:
            if message["event_type"] == "image.delete":
                staging.discard_all(conf, message["payload"]["id"])

    return forget_staged


def _closer(rpc: queueing.RpcQueue) -> Hook:
    async def close() -> None:
        rpc.close()

    return close


def worker_runtime(conf: cfg.ConfigOpts) -> TaskRuntime:
    """The image job runtime of a `kilocloud worker` process, with its own connections."""
    deps = ImageDeps(
        conf=conf,
        db=Database(config.database_url(conf), pool_size=conf.database.max_pool_size),
        policy=Policy(conf, []),
        notifier=Notifier(conf),
        stores=build_stores(conf),
    )
    return TaskRuntime(deps)


async def close_runtime(runtime: TaskRuntime) -> None:
    """Release a worker runtime's connections."""
    await runtime.deps.stores.close()
    await runtime.deps.notifier.drain()
    await runtime.deps.db.dispose()
