"""Namespace lists as Glance pages, sorts and filters them; a namespace's full document."""

from __future__ import annotations

import uuid

NS = "/v2/metadefs/namespaces"


def _names(body: dict) -> list[str]:
    return [n["namespace"] for n in body["namespaces"]]


def test_pages_follow_next_links_in_order(api):
    tag = uuid.uuid4().hex[:6]
    rtype = f"OS::Page::{tag}"
    made = [f"OS::Page::{tag}::{i}" for i in range(5)]
    for name in made:
        body = {"namespace": name, "resource_type_associations": [{"name": rtype}]}
        assert api.http.post(NS, json=body).status_code == 201
    params = {"resource_types": rtype, "limit": "2", "sort_key": "namespace", "sort_dir": "asc"}
    page = api.http.get(NS, params=params).json()
    assert page["schema"] == "/v2/schemas/metadefs/namespaces"
    assert page["first"].startswith(f"{NS}?") and "marker" not in page["first"]
    seen = _names(page)
    while "next" in page:
        page = api.http.get(page["next"]).json()
        seen += _names(page)
    assert seen == made
    newest_first = api.http.get(NS, params={"resource_types": rtype}).json()
    assert _names(newest_first) == made[::-1]
    assert "next" not in newest_first
    listed = newest_first["namespaces"][0]
    assert listed["self"] == f"{NS}/{made[-1]}"
    assert [a["name"] for a in listed["resource_type_associations"]] == [rtype]


def test_visibility_and_resource_type_filters(api):
    tag = uuid.uuid4().hex[:6]
    public, private = f"OS::Vis::{tag}::pub", f"OS::Vis::{tag}::priv"
    rtype = f"OS::Vis::{tag}"
    for name, visibility in ((public, "public"), (private, "private")):
        body = {"namespace": name, "visibility": visibility}
        body["resource_type_associations"] = [{"name": rtype}]
        assert api.http.post(NS, json=body).status_code == 201
    base = {"resource_types": f"OS::Other,{rtype}"}
    assert _names(api.http.get(NS, params={**base, "visibility": "public"}).json()) == [public]
    assert _names(api.http.get(NS, params={**base, "visibility": "private"}).json()) == [private]
    assert api.http.get(NS, params={"resource_types": "OS::Nobody"}).json()["namespaces"] == []


def test_show_holds_everything_and_prefixes_for_a_resource_type(api):
    name = f"OS::Full::{uuid.uuid4().hex[:6]}"
    body = {
        "namespace": name,
        "display_name": "Full",
        "resource_type_associations": [
            {"name": "OS::Nova::Flavor", "prefix": "hw:"},
            {"name": "OS::Glance::Image", "prefix": "hw_", "properties_target": "image"},
        ],
        "properties": {"cpu": {"title": "CPU", "type": "integer", "minimum": 1}},
        "objects": [
            {
                "name": "Mem",
                "required": ["size"],
                "properties": {"size": {"title": "S", "type": "integer"}},
            }
        ],
        "tags": [{"name": "b"}, {"name": "a"}],
    }
    made = api.http.post(NS, json=body)
    assert made.status_code == 201 and made.headers["location"].endswith(f"{NS}/{name}")
    shown = api.http.get(f"{NS}/{name}").json()
    assert shown["properties"] == {"cpu": {"title": "CPU", "type": "integer", "minimum": 1}}
    assert shown["objects"][0]["self"] == f"{NS}/{name}/objects/Mem"
    assert shown["objects"][0]["schema"] == "/v2/schemas/metadefs/object"
    assert {t["name"] for t in shown["tags"]} == {"a", "b"}
    image = [a for a in shown["resource_type_associations"] if a["name"] == "OS::Glance::Image"]
    assert image[0]["properties_target"] == "image" and image[0]["prefix"] == "hw_"
    flavor = api.http.get(f"{NS}/{name}", params={"resource_type": "OS::Nova::Flavor"}).json()
    assert list(flavor["properties"]) == ["hw:cpu"]
    assert flavor["objects"][0]["required"] == ["hw:size"]
    prop = api.http.get(
        f"{NS}/{name}/properties/hw:cpu", params={"resource_type": "OS::Nova::Flavor"}
    )
    assert prop.status_code == 200 and prop.json()["name"] == "cpu"
    assert api.http.get(f"{NS}/{name}/properties").json() == {"properties": shown["properties"]}


def test_tags_list_sorts_and_pages(api):
    name = f"OS::Tags::{uuid.uuid4().hex[:6]}"
    body = {"namespace": name, "tags": [{"name": n} for n in ("c", "a", "b")]}
    assert api.http.post(NS, json=body).status_code == 201
    url = f"{NS}/{name}/tags"
    asc = api.http.get(url, params={"sort_key": "name", "sort_dir": "asc"}).json()["tags"]
    assert [t["name"] for t in asc] == ["a", "b", "c"]
    page = api.http.get(
        url, params={"sort_key": "name", "sort_dir": "asc", "marker": "a", "limit": 1}
    )
    assert [t["name"] for t in page.json()["tags"]] == ["b"]
    replaced = api.http.post(url, json={"tags": [{"name": "z"}]})
    assert replaced.status_code == 201 and replaced.json() == {"tags": [{"name": "z"}]}
    assert [t["name"] for t in api.http.get(url).json()["tags"]] == ["z"]
    renamed = api.http.put(f"{url}/z", json={"name": "y"}).json()
    assert renamed["name"] == "y" and renamed["created_at"] and renamed["updated_at"]
    assert api.http.delete(url).status_code == 204
    assert api.http.get(url).json() == {"tags": []}
