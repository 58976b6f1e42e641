"""Image policy defaults, named as Glance names them, with Glance's current default roles."""

from __future__ import annotations

from oslo_policy import policy

from kilocloud.image.metadefs import policies as metadefs
from kilocloud.image.tasks import policies as tasks

ADMIN = "rule:context_is_admin"
MEMBER = f"{ADMIN} or (role:member and project_id:%(project_id)s)"
READER = f"{ADMIN} or (role:reader and project_id:%(project_id)s)"
VISIBLE = (
    "(project_id:%(project_id)s or project_id:%(member_id)s or 'community':%(visibility)s"
    " or 'public':%(visibility)s or 'shared':%(visibility)s)"
)
GET_IMAGE = f"{ADMIN} or (role:reader and {VISIBLE})"
DOWNLOAD = f"{ADMIN} or (role:member and {VISIBLE})"
CREATE = f"{ADMIN} or (role:member and project_id:%(owner)s)"
SHARED_MEMBER = f"{ADMIN} or (role:member and project_id:%(member_id)s)"
# Glance 2025.1 opened store details to the service role (nova, cinder ask which stores exist)
ADMIN_OR_SERVICE = f"{ADMIN} or role:service"
READER_OR_SHARED_MEMBER = (
    f"{ADMIN} or (role:reader and (project_id:%(project_id)s or project_id:%(member_id)s))"
)


def _rules(names: list[str], check: str) -> list[policy.RuleDefault]:
    return [policy.RuleDefault(n, check) for n in names]


RULES: list[policy.RuleDefault] = [
    policy.RuleDefault("context_is_admin", "role:admin"),
    *_rules(["add_image"], CREATE),
    *_rules(["get_image"], GET_IMAGE),
    *_rules(["get_images"], READER),
    *_rules(["modify_image", "delete_image", "upload_image", "deactivate", "reactivate"], MEMBER),
    *_rules(["publicize_image", "copy_image"], ADMIN),
    *_rules(["stores_info_detail"], ADMIN_OR_SERVICE),
    *_rules(["communitize_image"], MEMBER),
    *_rules(["download_image"], DOWNLOAD),
    *_rules(["add_member", "delete_member"], MEMBER),
    *_rules(["get_member", "get_members"], READER_OR_SHARED_MEMBER),
    *_rules(["modify_member"], SHARED_MEMBER),
    *_rules(["get_image_location"], READER),
    *_rules(["set_image_location"], MEMBER),
    *_rules(["delete_image_location"], ADMIN),
]
RULES += tasks.RULES + metadefs.RULES
