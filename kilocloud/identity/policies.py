"""Identity policy defaults, named as Keystone names them (identity:*)."""

from __future__ import annotations

from oslo_policy import policy

ADMIN = "rule:admin_required"
OWNER = "user_id:%(target.user.id)s"
DOMAIN_READER = "(role:reader and domain_id:%(target.domain_id)s)"


def _rules(names: list[str], check: str) -> list[policy.RuleDefault]:
    return [policy.RuleDefault(f"identity:{n}", check) for n in names]


RULES: list[policy.RuleDefault] = [
    policy.RuleDefault("admin_required", "role:admin"),
    policy.RuleDefault("service_role", "role:service"),
    policy.RuleDefault("service_or_admin", "rule:admin_required or rule:service_role"),
    policy.RuleDefault("token_subject", "user_id:%(target.token.user_id)s"),
    *_rules(["validate_token", "check_token"], "rule:service_or_admin or rule:token_subject"),
    *_rules(["revoke_token"], "rule:admin_required or rule:token_subject"),
    *_rules(["get_auth_catalog", "get_auth_projects", "get_auth_domains", "get_auth_system"], ""),
    *_rules(["list_domains", "create_domain", "update_domain", "delete_domain"], ADMIN),
    *_rules(
        ["get_domain"],
        f"{ADMIN} or token.domain.id:%(target.domain.id)s"
        " or token.project.domain.id:%(target.domain.id)s",
    ),
    *_rules(["get_project"], f"{ADMIN} or project_id:%(target.project.id)s or {DOMAIN_READER}"),
    *_rules(["list_projects"], f"{ADMIN} or {DOMAIN_READER}"),
    *_rules(["list_user_projects"], f"{ADMIN} or {OWNER}"),
    *_rules(["create_project", "update_project", "delete_project"], ADMIN),
    *_rules(
        ["list_project_tags", "get_project_tag"], f"{ADMIN} or project_id:%(target.project.id)s"
    ),
    *_rules(["update_project_tags", "create_project_tag", "delete_project_tag"], ADMIN),
    *_rules(["get_user"], f"{ADMIN} or {OWNER} or {DOMAIN_READER}"),
    *_rules(["list_users"], f"{ADMIN} or {DOMAIN_READER}"),
    *_rules(["create_user", "update_user", "delete_user"], ADMIN),
    *_rules(["change_password"], OWNER),
    *_rules(["get_group", "list_groups"], f"{ADMIN} or {DOMAIN_READER}"),
    *_rules(["list_groups_for_user"], f"{ADMIN} or {OWNER}"),
    *_rules(["create_group", "update_group", "delete_group"], ADMIN),
    *_rules(["list_users_in_group", "check_user_in_group"], f"{ADMIN} or {DOMAIN_READER}"),
    *_rules(["add_user_to_group", "remove_user_from_group"], ADMIN),
    *_rules(["get_role", "list_roles"], f"{ADMIN} or role:reader"),
    *_rules(["create_role", "update_role", "delete_role"], ADMIN),
    *_rules(
        ["get_implied_role", "list_implied_roles", "list_role_inference_rules"],
        f"{ADMIN} or role:reader",
    ),
    *_rules(["create_implied_role", "delete_implied_role"], ADMIN),
    *_rules(["check_grant", "list_grants"], f"{ADMIN} or {DOMAIN_READER}"),
    *_rules(["create_grant", "revoke_grant"], ADMIN),
    *_rules(
        [
            "check_system_grant_for_user",
            "list_system_grants_for_user",
            "create_system_grant_for_user",
            "revoke_system_grant_for_user",
            "check_system_grant_for_group",
            "list_system_grants_for_group",
            "create_system_grant_for_group",
            "revoke_system_grant_for_group",
        ],
        ADMIN,
    ),
    *_rules(["list_role_assignments"], f"{ADMIN} or {DOMAIN_READER}"),
    *_rules(["get_region", "list_regions"], ""),
    *_rules(["create_region", "update_region", "delete_region"], ADMIN),
    *_rules(["get_service", "list_services", "get_endpoint", "list_endpoints"], f"{ADMIN}"),
    *_rules(["create_service", "update_service", "delete_service"], ADMIN),
    *_rules(["create_endpoint", "update_endpoint", "delete_endpoint"], ADMIN),
    *_rules(
        [
            "get_application_credential",
            "list_application_credentials",
            "create_application_credential",
            "delete_application_credential",
        ],
        f"{ADMIN} or {OWNER}",
    ),
    *_rules(["create_trust"], "user_id:%(trust.trustor_user_id)s"),
    *_rules(["list_trusts"], ADMIN),
    *_rules(["list_trusts_for_trustor"], f"{ADMIN} or user_id:%(target.trust.trustor_user_id)s"),
    *_rules(["list_trusts_for_trustee"], f"{ADMIN} or user_id:%(target.trust.trustee_user_id)s"),
    *_rules(
        ["get_trust", "delete_trust", "list_roles_for_trust", "get_role_for_trust"],
        f"{ADMIN} or user_id:%(target.trust.trustor_user_id)s"
        " or user_id:%(target.trust.trustee_user_id)s",
    ),
]
