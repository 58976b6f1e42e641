"""Options of the identity service, under Keystone's group and option names."""

from __future__ import annotations

from oslo_config import cfg

TOKEN_OPTS = [
    cfg.IntOpt("expiration", default=3600, min=1, help="Token lifetime in seconds."),
    cfg.IntOpt(
        "allow_expired_window",
        default=172800,
        help="Seconds after expiry a token may still be validated with allow_expired=1.",
    ),
    cfg.IntOpt(
        "revocation_cache_time",
        default=1,
        help="Seconds another process's revocation may take to be seen by this one.",
    ),
]

FERNET_OPTS = [
    cfg.StrOpt("key_repository", help="Directory of Fernet keys (default: STATE_DIR/fernet-keys)."),
    cfg.IntOpt("max_active_keys", default=3, min=1, help="Keys kept after a rotation."),
]

IDENTITY_OPTS = [
    cfg.IntOpt("password_hash_rounds", default=12, min=4, max=31, help="bcrypt cost factor."),
    cfg.IntOpt("max_password_length", default=4096, help="Longest password accepted."),
    cfg.StrOpt("default_domain_id", default="default", help="Domain of users named without one."),
    cfg.IntOpt("list_limit", default=0, help="Most entities a list returns; 0 = no limit."),
]
