"""Metadef policy defaults, named as Glance names them: anyone with a role reads public
namespaces and their project's private ones; only admins change the catalog."""

from __future__ import annotations

from oslo_policy import policy

ADMIN = "rule:context_is_admin"
PROJECT_READER = f"{ADMIN} or (role:reader and project_id:%(project_id)s)"
READ_NAMESPACE = (
    f"{ADMIN} or (role:reader and (project_id:%(project_id)s or 'public':%(visibility)s))"
)
METADEF_ADMIN = "rule:metadef_admin"

_READ = [
    "get_metadef_namespace",
    "get_metadef_object",
    "get_metadef_objects",
    "list_metadef_resource_types",
    "get_metadef_resource_type",
    "get_metadef_property",
    "get_metadef_properties",
    "get_metadef_tag",
    "get_metadef_tags",
]
_CHANGE = [
    "modify_metadef_namespace",
    "add_metadef_namespace",
    "delete_metadef_namespace",
    "modify_metadef_object",
    "add_metadef_object",
    "delete_metadef_object",
    "add_metadef_resource_type_association",
    "remove_metadef_resource_type_association",
    "modify_metadef_property",
    "add_metadef_property",
    "remove_metadef_property",
    "modify_metadef_tag",
    "add_metadef_tag",
    "add_metadef_tags",
    "delete_metadef_tag",
    "delete_metadef_tags",
]

RULES: list[policy.RuleDefault] = [
    policy.RuleDefault("metadef_default", ""),
    policy.RuleDefault("metadef_admin", ADMIN),
    policy.RuleDefault("get_metadef_namespaces", PROJECT_READER),
    *(policy.RuleDefault(name, READ_NAMESPACE) for name in _READ),
    *(policy.RuleDefault(name, METADEF_ADMIN) for name in _CHANGE),
]
