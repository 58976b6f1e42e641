"""Every option kilocloud reads, for registration and for oslo-config-generator."""

from __future__ import annotations

import importlib
import re
import warnings

from oslo_config import cfg

# module -> {group: OPTS attribute name}; each module declares its options beside the code.
_OPTION_MODULES: dict[str, dict[str, str]] = {
    "kilocloud.core.config": {"DEFAULT": "DEFAULT_OPTS", "database": "DATABASE_OPTS"},
    "kilocloud.core.auth": {"keystone_authtoken": "AUTHTOKEN_OPTS"},
    "kilocloud.core.notify": {"DEFAULT": "NOTIFY_OPTS"},
    "kilocloud.core.cache": {"cache": "CACHE_OPTS"},
    "kilocloud.cli.connections": {"DEFAULT": "CONNECTION_OPTS"},
    "kilocloud.identity.config": {
        "token": "TOKEN_OPTS",
        "fernet_tokens": "FERNET_OPTS",
        "identity": "IDENTITY_OPTS",
    },
}


def _optional_modules() -> dict[str, dict[str, str]]:
    """Option modules of services that may not be installed in this tree yet."""
    found = {}
    for module in (
        "kilocloud.compute.drivers.config",
        "kilocloud.image.config",
        "kilocloud.image.task_config",
        "kilocloud.messaging.config",
        "kilocloud.messaging.delivery.config",
        "kilocloud.network.agent.config",
        "kilocloud.network.config",
        "kilocloud.compute.config",
        "kilocloud.compute.drivers.fake",
    ):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError:
            continue
        found[module] = mod.OPTION_GROUPS
    return found


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """(group, options) pairs, the oslo-config-generator entry point."""
    grouped: dict[str, list[cfg.Opt]] = {}
    for module, groups in {**_OPTION_MODULES, **_optional_modules()}.items():
        mod = importlib.import_module(module)
        for group, attr in groups.items():
            grouped.setdefault(group, []).extend(getattr(mod, attr))
    return list(grouped.items())


def oslo_messaging_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """oslo.messaging's own options (importing it costs a third of a second: only on demand)."""
    with warnings.catch_warnings():
        # it imports eventlet helpers it never runs here; their deprecation is noise
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
        from oslo_messaging import opts

    return opts.list_opts()


def _broker_configured(config_files: list[str]) -> bool:
    """Whether the files or environment set a transport_url, read without oslo.messaging."""
    probe = cfg.ConfigOpts()
    probe.register_opt(cfg.StrOpt("transport_url"))
    probe.register_opt(cfg.StrOpt("transport_url"), group="oslo_messaging_notifications")
    probe([], project="kilocloud", default_config_files=config_files, use_env=True)
    return bool(probe.transport_url or probe.oslo_messaging_notifications.transport_url)


def load_conf(
    config_files: list[str] | None = None, overrides: dict[str, object] | None = None
) -> cfg.ConfigOpts:
    """A fresh ConfigOpts with every option registered, files parsed and overrides applied.

    Environment variables override files as oslo.config reads them: OS_<GROUP>__<OPTION>.
    oslo.messaging's options are registered only when a transport_url is configured.
    """
    config_files = config_files or []
    conf = cfg.ConfigOpts()
    groups = list_opts()
    if _broker_configured(config_files):
        groups += oslo_messaging_opts()
    for group, opts in groups:
        conf.register_opts(opts, group=None if group == "DEFAULT" else group)
    conf([], project="kilocloud", default_config_files=config_files, use_env=True)
    for key, value in (overrides or {}).items():
        group, _, name = key.rpartition(".")
        if value is not None:
            conf.set_override(name, value, group=group or None)
    _check_values(conf, groups)
    return conf


def _check_values(conf: cfg.ConfigOpts, groups: list[tuple[str, list[cfg.Opt]]]) -> None:
    """Read every option once: a bad value stops the start, not each request that reads it."""
    for group, opts in groups:
        section = conf if group in ("DEFAULT", None) else conf[group]  # oslo.messaging: None
        for opt in opts:
            try:
                section[opt.dest]
            except cfg.ConfigSourceValueError as exc:
                # oslo.config names the file or variable only inside its repr of a location
                source = re.search(r"detail='([^']*)'", str(exc))
                where = f" (from {source[1]})" if source else ""
                reason = str(exc).rpartition(" is not valid: ")[2]
                raise cfg.ConfigSourceValueError(
                    f"invalid value for [{group or 'DEFAULT'}] {opt.dest}{where}: {reason}"
                ) from None
