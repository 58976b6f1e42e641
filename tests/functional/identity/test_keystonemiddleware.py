"""keystonemiddleware's auth_token, as any OpenStack service runs it, accepts kilocloud tokens."""

from __future__ import annotations

import webob
from keystonemiddleware import auth_token


def _protected_app(cloud):
    seen = {}

    @webob.dec.wsgify
    def app(request):
        seen.update(request.headers)
        return webob.Response("ok")

    conf = {
        "www_authenticate_uri": cloud.auth_url,
        "auth_url": cloud.auth_url,
        "auth_type": "password",
        "username": "admin",
        "password": cloud.admin_password,
        "project_name": "admin",
        "user_domain_name": "Default",
        "project_domain_name": "Default",
        "delay_auth_decision": "true",
    }
    return auth_token.AuthProtocol(app, conf), seen


def test_auth_token_middleware_confirms_a_valid_token(cloud):
    user = cloud.new_project_user("member")
    middleware, seen = _protected_app(cloud)
    request = webob.Request.blank("/", headers={"X-Auth-Token": user.token()})
    response = request.get_response(middleware)
    assert response.status_int == 200
    assert seen["X-Identity-Status"] == "Confirmed"
    assert seen["X-Project-Id"] == user.project_id
    assert seen["X-User-Id"] == user.user_id
    assert "member" in seen["X-Roles"].split(",")


def test_auth_token_middleware_rejects_a_bad_token(cloud):
    middleware, seen = _protected_app(cloud)
    request = webob.Request.blank("/", headers={"X-Auth-Token": "gAAAAABnot-a-token"})
    request.get_response(middleware)
    assert seen["X-Identity-Status"] == "Invalid"
