"""Options of subscription delivery, under Zaqar's [notification] group and option names."""

from __future__ import annotations

from oslo_config import cfg

from kilocloud.core import outbound

PURPOSE = "webhook subscriptions"

DELIVERY_OPTS = [
    cfg.StrOpt(
        "delivery_topic",
        default="kilocloud-deliveries",
        help="Topic `kilocloud worker`s take subscription deliveries from, when a message "
        "broker is configured ([DEFAULT] transport_url); API processes then deliver nothing.",
    ),
    cfg.IntOpt(
        "delivery_jobs",
        default=100,
        min=1,
        help="Subscription deliveries one process carries at once, retries included (the "
        "sends in flight are bounded by max_notifier_workers).",
    ),
    cfg.StrOpt(
        "external_confirmation_url",
        help="Page a mailto: subscriber visits to confirm; the mail links it with the signed "
        "confirmation as query parameters. Unset: the link is the confirm API URL itself.",
    ),
    cfg.DictOpt(
        "subscription_confirmation_email_template",
        default={
            "topic": "Confirm your subscription",
            "body": "Confirm the subscription to queue {0} of project {1} at {2}",
        },
        help="topic, body and sender (default: mail_from) of the mail asking a mailto: "
        "subscriber to confirm; in body {0} is the queue, {1} the project, {2} the link.",
    ),
    cfg.DictOpt(
        "unsubscribe_confirmation_email_template",
        default={
            "topic": "Subscription cancelled",
            "body": "Your subscription to queue {0} of project {1} is off; confirm at {2} "
            "to take it up again",
        },
        help="topic, body and sender of the mail telling a mailto: subscriber its "
        "subscription was unconfirmed; placeholders as in the confirmation template.",
    ),
]

# what webhook deliveries may reach, as Glance's [import_filtering_opts] for web-download
FILTER_OPTS = outbound.options(PURPOSE)

OPTION_GROUPS: dict[str, str] = {
    "notification": "DELIVERY_OPTS",
    "subscription_filtering_opts": "FILTER_OPTS",
}


def filter_rules(conf: cfg.ConfigOpts) -> outbound.Rules:
    """What webhook deliveries may reach: the operator's [subscription_filtering_opts]."""
    return outbound.Rules.from_options(conf.subscription_filtering_opts, PURPOSE)
