"""`kilocloud bootstrap`: create what is missing of the admin identity and the catalog."""

from __future__ import annotations

import argparse
import asyncio

from kilocloud.cli import main, serving


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `bootstrap`: where the catalog should point, if it should move."""
    parser.description = (
        "Create whatever is missing of the default domain, the roles, the admin user and "
        "project, the Fernet keys and the service catalog (safe to repeat). Existing catalog "
        "endpoints, openrc and clouds.yaml change only when --host, --port or --tls-cert is "
        "given or [DEFAULT] public_endpoint is set."
    )
    serving.listen_args(parser, "default: where the catalog points now, 8770 at first")


def run(args: argparse.Namespace) -> int:
    """Bootstrap and print how to reach the cloud."""
    from kilocloud.identity import bootstrap

    conf = main.conf_from_args(args, **serving.listen_overrides(args))
    asked = any((args.host, args.port, args.tls_cert, conf.public_endpoint))
    print(asyncio.run(bootstrap.prepare(conf, move_endpoints=asked)).describe())
    return 0
