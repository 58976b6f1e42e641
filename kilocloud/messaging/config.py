"""Options of the messaging service, under Zaqar's group and option names."""

from __future__ import annotations

import types

from oslo_config import cfg

DRIVER_OPTS = [
    cfg.StrOpt(
        "message_store",
        default="sqlalchemy",
        choices=["sqlalchemy", "redis"],
        help="Storage of queues, messages, claims and subscriptions.",
    ),
]

REDIS_OPTS = [
    cfg.StrOpt("uri", default="redis://127.0.0.1:6379/0", help="Redis server URL."),
    cfg.StrOpt("key_prefix", default="kc", help="Prefix of every key this cloud writes."),
]

TRANSPORT_OPTS = [
    cfg.IntOpt("default_message_ttl", default=3600, help="TTL of messages posted without one."),
    cfg.IntOpt("default_message_delay", default=0, help="Delay of messages posted without one."),
    cfg.IntOpt("default_claim_ttl", default=300, help="TTL of claims made without one."),
    cfg.IntOpt("default_claim_grace", default=60, help="Grace of claims made without one."),
    cfg.IntOpt("default_subscription_ttl", default=3600, help="TTL of new subscriptions."),
    cfg.IntOpt("max_queues_per_page", default=20, help="Most queues one listing returns."),
    cfg.IntOpt("max_messages_per_page", default=20, help="Most messages a post or listing holds."),
    cfg.IntOpt("max_subscriptions_per_page", default=20, help="Most subscriptions per listing."),
    cfg.IntOpt("max_messages_per_claim_or_pop", default=20, help="Most messages per claim or pop."),
    cfg.IntOpt("max_queue_metadata", default=65536, help="Largest queue metadata, in bytes."),
    cfg.IntOpt("max_messages_post_size", default=262144, help="Largest post body, in bytes."),
    cfg.IntOpt("max_message_ttl", default=1209600, help="Longest message TTL, in seconds."),
    cfg.IntOpt("max_message_delay", default=900, help="Longest message delay, in seconds."),
    cfg.IntOpt("max_claim_ttl", default=43200, help="Longest claim TTL, in seconds."),
    cfg.IntOpt("max_claim_grace", default=43200, help="Longest claim grace, in seconds."),
    cfg.StrOpt(
        "client_id_uuid_safe",
        default="strict",
        choices=["strict", "off"],
        help="strict: Client-ID must be a UUID; off: any string of the allowed length.",
    ),
    cfg.IntOpt("min_length_client_id", default=20, help="Shortest non-UUID Client-ID."),
    cfg.IntOpt("max_length_client_id", default=300, help="Longest non-UUID Client-ID."),
]

SIGNED_URL_OPTS = [
    cfg.StrOpt("secret_key", secret=True, help="Key signing pre-signed URLs; unset = derived."),
]

NOTIFICATION_OPTS = [
    cfg.BoolOpt("require_confirmation", default=False, help="Deliver only to confirmed URLs."),
    cfg.StrOpt("smtp_url", default="smtp://127.0.0.1:25", help="SMTP server for mailto: sinks."),
    cfg.StrOpt("mail_from", default="kilocloud@localhost", help="Sender of notification mail."),
    cfg.IntOpt("max_notifier_workers", default=10, help="Concurrent subscription deliveries."),
    cfg.IntOpt("delivery_timeout", default=10, help="Seconds one webhook POST may take."),
]

PLATFORM_OPTS = [
    cfg.BoolOpt("enabled", default=True, help="Copy platform notifications into project queues."),
    cfg.StrOpt("queue_name", default="notifications", help="Queue receiving them."),
    cfg.ListOpt(
        "event_types",
        default=[],
        help="Event types copied (a trailing '*' matches a prefix); empty = all.",
    ),
    cfg.IntOpt("message_ttl", default=86400, help="TTL of the messages they become."),
]

TRUSTEE_OPTS = [
    cfg.StrOpt("username", help="User trust+ subscriptions delegate to; unset = refuse trust+."),
    cfg.StrOpt("password", secret=True, help="Password of the trustee user."),
    cfg.StrOpt("user_domain_name", default="Default", help="Domain of the trustee user."),
    cfg.URIOpt("auth_url", help="Identity v3 URL; default: this cloud's identity endpoint."),
]

OPTION_GROUPS: dict[str, str] = {
    "drivers": "DRIVER_OPTS",
    "drivers:message_store:redis": "REDIS_OPTS",
    "transport": "TRANSPORT_OPTS",
    "signed_url": "SIGNED_URL_OPTS",
    "notification": "NOTIFICATION_OPTS",
    "platform_notifications": "PLATFORM_OPTS",
    "trustee": "TRUSTEE_OPTS",
}


def transport_limits(conf: cfg.ConfigOpts) -> types.SimpleNamespace:
    """The [transport] options as plain attributes (oslo.config lookups are slow per message)."""
    return types.SimpleNamespace(**{o.dest: conf.transport[o.dest] for o in TRANSPORT_OPTS})
