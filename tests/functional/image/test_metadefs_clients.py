"""The metadefs API through the real clients: the openstack CLI, openstacksdk, glanceclient."""

from __future__ import annotations

import json
import uuid

import pytest
from glanceclient import Client
from glanceclient import exc as glance_exc
from openstack import exceptions as sdk_exc


def _name(prefix: str = "OS::Test") -> str:
    return f"{prefix}::{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def glance(cloud):
    return Client("2", session=cloud.admin_session())


@pytest.fixture(scope="module")
def sdk(cloud):
    return cloud.connect()


def test_cli_namespace_create_list_show_set_delete(cloud):
    ns = _name()
    made = cloud.cli_json(
        "image", "metadef", "namespace", "create", ns, "--public", "--protected",
        "--display-name", "Shown", "--description", "made by the CLI",
    )  # fmt: skip
    assert (made["namespace"], made["visibility"], made["protected"]) == (ns, "public", True)
    listed = cloud.cli_json("image", "metadef", "namespace", "list")
    assert ns in [n["namespace"] for n in listed]
    shown = cloud.cli_json("image", "metadef", "namespace", "show", ns)
    assert shown["display_name"] == "Shown" and shown["description"] == "made by the CLI"
    refused = cloud.cli("image", "metadef", "namespace", "delete", ns, check=False)
    assert refused.returncode != 0  # protected
    # PUT replaces the namespace as in Glance: what `set` leaves out takes its default
    cloud.cli("image", "metadef", "namespace", "set", ns, "--unprotected", "--public",
              "--description", "changed")  # fmt: skip
    shown = cloud.cli_json("image", "metadef", "namespace", "show", ns)
    assert (shown["description"], shown["protected"], shown["visibility"]) == (
        "changed",
        False,
        "public",
    )
    assert "display_name" not in shown or shown["display_name"] is None
    cloud.cli("image", "metadef", "namespace", "delete", ns)
    gone = cloud.cli("image", "metadef", "namespace", "show", ns, check=False)
    assert gone.returncode != 0 and "404" in gone.stderr + gone.stdout


def test_cli_properties(cloud):
    ns = _name()
    cloud.cli("image", "metadef", "namespace", "create", ns)
    made = cloud.cli_json(
        "image", "metadef", "property", "create", ns, "--name", "hw_bus", "--title", "Bus",
        "--type", "string", "--schema", json.dumps({"enum": ["scsi", "virtio"]}),
    )  # fmt: skip
    assert made["name"] == "hw_bus" and made["enum"] == ["scsi", "virtio"]
    listed = cloud.cli_json("image", "metadef", "property", "list", ns)
    assert [p["name"] for p in listed] == ["hw_bus"]
    shown = cloud.cli_json("image", "metadef", "property", "show", ns, "hw_bus")
    assert (shown["title"], shown["type"]) == ("Bus", "string")
    cloud.cli("image", "metadef", "property", "set", ns, "hw_bus", "--title", "Disk bus")
    assert cloud.cli_json("image", "metadef", "property", "show", ns, "hw_bus")["title"] == (
        "Disk bus"
    )
    cloud.cli("image", "metadef", "property", "delete", ns, "hw_bus")
    assert cloud.cli_json("image", "metadef", "property", "list", ns) == []
    cloud.cli("image", "metadef", "namespace", "delete", ns)


def test_cli_objects(cloud):
    ns = _name()
    cloud.cli("image", "metadef", "namespace", "create", ns)
    made = cloud.cli_json("image", "metadef", "object", "create", "--namespace", ns, "cpu")
    assert made["name"] == "cpu" and made["properties"] == {}
    assert [o["name"] for o in cloud.cli_json("image", "metadef", "object", "list", ns)] == ["cpu"]
    assert cloud.cli_json("image", "metadef", "object", "show", ns, "cpu")["name"] == "cpu"
    cloud.cli("image", "metadef", "object", "delete", ns, "cpu")
    assert cloud.cli_json("image", "metadef", "object", "list", ns) == []
    cloud.cli("image", "metadef", "namespace", "delete", ns)


def test_cli_object_property_rename_and_namespace_tags(cloud, sdk):
    ns = _name()
    cloud.cli("image", "metadef", "namespace", "create", ns)
    cores = {"title": "Cores", "type": "integer"}
    sdk.image.create_metadef_object(namespace=ns, name="cpu", properties={"cores": cores})
    shown = cloud.cli_json("image", "metadef", "object", "property", "show", ns, "cpu", "cores")
    assert shown == {"name": "cores", **cores}
    cloud.cli("image", "metadef", "object", "update", ns, "cpu", "--name", "CPU")
    assert [o["name"] for o in cloud.cli_json("image", "metadef", "object", "list", ns)] == ["CPU"]
    cloud.cli("image", "metadef", "namespace", "set", ns, "--tag", "a", "--tag", "b")
    tags = cloud.cli_json("image", "metadef", "namespace", "show", ns)["tags"]
    assert [t["name"] for t in tags] == ["a", "b"]
    cloud.cli("image", "metadef", "namespace", "unset", ns, "--tag", "a")
    tags = cloud.cli_json("image", "metadef", "namespace", "show", ns)["tags"]
    assert [t["name"] for t in tags] == ["b"]
    cloud.cli("image", "metadef", "namespace", "delete", ns)


def test_cli_resource_types_and_associations(cloud):
    ns = _name()
    rtype = _name("OS::Kilo")
    cloud.cli("image", "metadef", "namespace", "create", ns)
    made = cloud.cli_json(
        "image", "metadef", "resource", "type", "association", "create", ns, rtype
    )
    assert made["name"] == rtype
    listed = cloud.cli_json("image", "metadef", "resource", "type", "association", "list", ns)
    assert [a["Name"] for a in listed] == [rtype]
    types = cloud.cli_json("image", "metadef", "resource", "type", "list")
    assert rtype in [t["Name"] for t in types]
    cloud.cli("image", "metadef", "resource", "type", "association", "delete", ns, rtype)
    assert cloud.cli_json("image", "metadef", "resource", "type", "association", "list", ns) == []
    cloud.cli("image", "metadef", "namespace", "delete", ns)


def test_sdk_namespace_property_object_round_trip(sdk):
    name = _name()
    ns = sdk.image.create_metadef_namespace(namespace=name, visibility="public")
    assert ns.namespace == name and ns.visibility == "public"
    assert name in [n.namespace for n in sdk.image.metadef_namespaces()]
    prop = sdk.image.create_metadef_property(
        name, name="hw_cpu_cores", title="Cores", type="integer", minimum=1
    )
    assert (prop.name, prop.minimum) == ("hw_cpu_cores", 1)
    assert [p.name for p in sdk.image.metadef_properties(name)] == ["hw_cpu_cores"]
    assert sdk.image.get_metadef_property("hw_cpu_cores", name).title == "Cores"
    obj = sdk.image.create_metadef_object(
        namespace=name,
        name="CPU",
        required=["cores"],
        properties={"cores": {"title": "Cores", "type": "integer"}},
    )
    assert obj.required == ["cores"]
    assert [o.name for o in sdk.image.metadef_objects(name)] == ["CPU"]
    fetched = sdk.image.get_metadef_namespace(name)
    assert fetched.visibility == "public"
    sdk.image.update_metadef_namespace(name, display_name="Shown", visibility="public")
    assert sdk.image.get_metadef_namespace(name).display_name == "Shown"
    assoc = sdk.image.create_metadef_resource_type_association(
        name, name="OS::Nova::Flavor", prefix="hw:"
    )
    assert assoc.prefix == "hw:"
    found = sdk.image.metadef_resource_type_associations(name)
    assert [a.name for a in found] == ["OS::Nova::Flavor"]
    assert "OS::Nova::Flavor" in [t.name for t in sdk.image.metadef_resource_types()]
    sdk.image.delete_all_metadef_properties(name)
    assert list(sdk.image.metadef_properties(name)) == []
    sdk.image.delete_metadef_namespace(name)
    with pytest.raises(sdk_exc.NotFoundException):
        sdk.image.get_metadef_namespace(name)


def test_sdk_tags_replace_and_append(sdk):
    name = _name()
    sdk.image.create_metadef_namespace(namespace=name)
    ns = sdk.image.get_metadef_namespace(name)
    ns.set_tags(sdk.image, ["a", "b"])
    ns.set_tags(sdk.image, ["c"], append=True)
    assert {t["name"] for t in sdk.image.get_metadef_namespace(name).tags} == {"a", "b", "c"}
    ns.set_tags(sdk.image, ["d"])
    assert [t["name"] for t in sdk.image.get_metadef_namespace(name).tags] == ["d"]
    sdk.image.delete_metadef_namespace(name)


def test_sdk_reads_every_metadef_schema(sdk):
    kinds = ["namespace", "namespaces", "object", "objects", "property", "properties"]
    kinds += ["tag", "tags", "resource_type", "resource_types"]
    for kind in kinds:
        schema = getattr(sdk.image, f"get_metadef_{kind}_schema")()
        assert schema.properties and schema.name == kind.replace(
            "resource_type", "resource_type_association"
        ), kind


def test_glanceclient_validates_against_served_schemas(glance):
    name = _name()
    made = glance.metadefs_namespace.create(
        namespace=name,
        visibility="public",
        resource_type_associations=[{"name": "OS::Glance::Image", "prefix": "hw_"}],
        properties={"bus": {"title": "Bus", "type": "string"}},
        objects=[{"name": "Disk", "properties": {"size": {"title": "Size", "type": "integer"}}}],
        tags=[{"name": "fast"}],
    )
    assert made.namespace == name
    shown = glance.metadefs_namespace.get(name)
    assert shown.properties == {"bus": {"title": "Bus", "type": "string"}}
    assert [o["name"] for o in shown.objects] == ["Disk"]
    assert [t["name"] for t in shown.tags] == ["fast"]
    prefixed = glance.metadefs_namespace.get(name, resource_type="OS::Glance::Image")
    assert list(prefixed.properties) == ["hw_bus"]
    assert name in [n.namespace for n in glance.metadefs_namespace.list()]
    glance.metadefs_namespace.update(name, display_name="Disks", visibility="public")
    assert glance.metadefs_namespace.get(name).display_name == "Disks"
    # glanceclient checks locally against the schema it fetched from us
    with pytest.raises(TypeError):
        glance.metadefs_namespace.create(namespace=name + "x", visibility="everyone")
    prop = glance.metadefs_property.create(name, name="speed", title="Speed", type="number")
    assert prop.name == "speed"
    assert {p.name for p in glance.metadefs_property.list(name)} == {"bus", "speed"}
    glance.metadefs_property.update(name, "speed", name="rate", title="Rate", type="number")
    assert glance.metadefs_property.get(name, "rate").title == "Rate"
    obj = glance.metadefs_object.create(name, name="Net", description="network")
    assert obj.name == "Net"
    glance.metadefs_object.update(name, "Net", description="networks")
    assert glance.metadefs_object.get(name, "Net").description == "networks"
    assert {o.name for o in glance.metadefs_object.list(name)} == {"Disk", "Net"}
    glance.metadefs_object.delete(name, "Net")
    tags = list(glance.metadefs_tag.create_multiple(name, tags=["a", "b"]))
    assert [t.name for t in tags] == ["a", "b"]
    # (glanceclient's append=True sends a bool header its HTTP layer cannot encode)
    glance.metadefs_tag.create(name, "c")
    assert {t.name for t in glance.metadefs_tag.list(name)} == {"a", "b", "c"}
    glance.metadefs_tag.create(name, "d")
    glance.metadefs_tag.update(name, "d", name="e")
    assert glance.metadefs_tag.get(name, "e").name == "e"
    glance.metadefs_tag.delete(name, "e")
    glance.metadefs_tag.delete_all(name)
    assert list(glance.metadefs_tag.list(name)) == []
    assert [r.name for r in glance.metadefs_resource_type.get(name)] == ["OS::Glance::Image"]
    assert "OS::Glance::Image" in [r.name for r in glance.metadefs_resource_type.list()]
    glance.metadefs_resource_type.associate(name, name="OS::Cinder::Volume")
    glance.metadefs_resource_type.deassociate(name, "OS::Cinder::Volume")
    glance.metadefs_object.delete_all(name)
    glance.metadefs_property.delete_all(name)
    glance.metadefs_namespace.delete(name)
    with pytest.raises(glance_exc.HTTPNotFound):
        glance.metadefs_namespace.get(name)
