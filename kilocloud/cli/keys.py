"""`kilocloud fernet setup|rotate`: the Fernet key repository of this cloud."""

from __future__ import annotations

import argparse
import os

from oslo_config import cfg

from kilocloud.cli import main
from kilocloud.core import config
from kilocloud.identity.fernet import KeyRepository


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `fernet`."""
    parser.add_argument(
        "action",
        choices=("rotate", "setup"),
        help="rotate: stage a new key and promote the staged one; setup: create keys if none",
    )


def key_repository(conf: cfg.ConfigOpts) -> KeyRepository:
    """The key repository `conf` names, by default STATE_DIR/fernet-keys."""
    opts = conf.fernet_tokens
    path = opts.key_repository or os.path.join(config.state_dir(conf), "fernet-keys")
    return KeyRepository(path, max_active_keys=opts.max_active_keys)


def run(args: argparse.Namespace) -> int:
    """Set up the repository, or rotate it (setting it up first if it is empty)."""
    keys = key_repository(main.conf_from_args(args))
    created = keys.setup()
    if args.action == "setup":
        state = "created" if created else "already present"
        print(f"Fernet keys {state} in {keys.path}")
    elif created:
        print(f"Fernet keys created in {keys.path} (nothing to rotate yet)")
    else:
        print(f"Fernet keys rotated in {keys.path}: primary key is now {keys.rotate()}")
    return 0
