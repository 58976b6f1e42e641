"""Options of image tasks and import, under Glance's group and option names."""

from __future__ import annotations

from oslo_config import cfg

from kilocloud.core import outbound

IMPORT_OPTS = [
    cfg.ListOpt(
        "enabled_import_methods",
        default=["glance-direct", "web-download", "copy-image"],
        help="Interoperable import methods this cloud offers.",
    ),
    cfg.StrOpt(
        "node_staging_uri",
        help="file:// URI of the directory staged image data is kept in before import "
        "(default: STATE_DIR/staging).",
    ),
]

TASK_OPTS = [
    cfg.IntOpt("task_time_to_live", default=48, min=1, help="Hours a finished task is kept."),
    cfg.StrOpt("work_dir", help="Scratch directory for conversion (default: the staging area)."),
    cfg.IntOpt(
        "lease_seconds",
        default=30,
        min=3,
        help="A processing task whose runner has not reported for this long is handed to "
        "another worker (or ended in failure after max_attempts).",
    ),
    cfg.IntOpt(
        "max_attempts",
        default=3,
        min=1,
        help="Runs a task gets when the processes running it stop or die; after the last, it "
        "ends in failure.",
    ),
    cfg.IntOpt(
        "pending_timeout",
        default=3600,
        min=10,
        help="A task no worker has picked up for this long since it was queued (or handed "
        "back) is ended in failure.",
    ),
    cfg.IntOpt(
        "redispatch_seconds",
        default=60,
        min=1,
        help="A task still pending this long after it was queued is sent to the workers again "
        "(a message lost before any worker listened); only one run ever claims it.",
    ),
    cfg.StrOpt("topic", default="kilocloud-worker", help="RPC topic workers consume tasks from."),
]

EXECUTOR_OPTS = [
    cfg.IntOpt("max_workers", default=10, min=1, help="Tasks one process runs at a time."),
    cfg.StrOpt(
        "conversion_format",
        choices=["qcow2", "raw", "vmdk"],
        help="Disk format the tasks API's import converts to; unset: no conversion.",
    ),
]

PLUGIN_OPTS = [
    cfg.ListOpt(
        "image_import_plugins",
        default=["no_op"],
        help="Import plugins run in order: image_conversion, inject_image_metadata, no_op.",
    ),
]

CONVERSION_OPTS = [
    cfg.StrOpt(
        "output_format",
        default="raw",
        choices=["qcow2", "raw", "vmdk"],
        help="Disk format the image_conversion plugin converts imported images to.",
    ),
    cfg.IntOpt("cpu_time", default=600, min=1, help="CPU seconds one qemu-img convert may use."),
    cfg.IntOpt(
        "address_space", default=2048, min=256, help="MiB of address space qemu-img may map."
    ),
]

INJECT_OPTS = [
    cfg.ListOpt(
        "ignore_user_roles",
        default=["admin"],
        help="Imports by users with any of these roles get no injected properties.",
    ),
    cfg.DictOpt("inject", default={}, help="Properties added to every imported image."),
]

FILTER_OPTS = outbound.options("web-download", schemes=True, redirects=True)

OPTION_GROUPS: dict[str, str] = {
    "DEFAULT": "IMPORT_OPTS",
    "task": "TASK_OPTS",
    "taskflow_executor": "EXECUTOR_OPTS",
    "image_import_opts": "PLUGIN_OPTS",
    "image_conversion": "CONVERSION_OPTS",
    "inject_metadata_properties": "INJECT_OPTS",
    "import_filtering_opts": "FILTER_OPTS",
}


def filter_rules(conf: cfg.ConfigOpts) -> outbound.Rules:
    """What web-download may reach: the operator's [import_filtering_opts]."""
    return outbound.Rules.from_options(conf.import_filtering_opts, "web-download")
