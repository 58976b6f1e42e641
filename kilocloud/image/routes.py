"""The Image API v2 route table, in API-reference order, and the sub-app serving it."""

from __future__ import annotations

from starlette.applications import Starlette

from kilocloud.core.routing import Row, routes_from, service_app
from kilocloud.deps import Services
from kilocloud.image import errors
from kilocloud.image.api import (
    image_data,
    images,
    imports,
    info,
    members,
    schemas,
    stores,
    tags,
    versions,
)
from kilocloud.image.api import tasks as task_api
from kilocloud.image.metadefs.api import namespaces as md_namespaces
from kilocloud.image.metadefs.api import objects as md_objects
from kilocloud.image.metadefs.api import properties as md_properties
from kilocloud.image.metadefs.api import resource_types as md_resource_types
from kilocloud.image.metadefs.api import schemas as md_schemas
from kilocloud.image.metadefs.api import tags as md_tags
from kilocloud.image.service.layer import ImageService

IMAGE = "/v2/images/{image_id}"
MEMBER = IMAGE + "/members/{member_id}"
NAMESPACES = "/v2/metadefs/namespaces"
NAMESPACE = NAMESPACES + "/{namespace}"

ROUTES: list[Row] = [
    ("GET", "/", versions.version_root),
    ("GET", "/versions", versions.list_versions),
    ("POST", "/v2/images", images.create_image),
    ("GET", "/v2/images", images.list_images),
    ("GET", IMAGE, images.show_image),
    ("PATCH", IMAGE, images.update_image),
    ("DELETE", IMAGE, images.delete_image),
    ("POST", IMAGE + "/actions/deactivate", images.deactivate_image),
    ("POST", IMAGE + "/actions/reactivate", images.reactivate_image),
    ("PUT", IMAGE + "/tags/{tag}", tags.add_tag),
    ("DELETE", IMAGE + "/tags/{tag}", tags.delete_tag),
    ("PUT", IMAGE + "/file", image_data.upload_image_data),
    ("GET", IMAGE + "/file", image_data.download_image_data),
    ("POST", IMAGE + "/members", members.create_member),
    ("GET", IMAGE + "/members", members.list_members),
    ("GET", MEMBER, members.show_member),
    ("PUT", MEMBER, members.update_member),
    ("DELETE", MEMBER, members.delete_member),
    ("GET", "/v2/schemas/image", schemas.image_schema),
    ("GET", "/v2/schemas/images", schemas.images_schema),
    ("GET", "/v2/schemas/member", schemas.member_schema),
    ("GET", "/v2/schemas/members", schemas.members_schema),
    ("PUT", IMAGE + "/stage", imports.stage_image_data),
    ("POST", IMAGE + "/import", imports.import_image),
    ("GET", IMAGE + "/tasks", task_api.image_tasks),
    ("POST", "/v2/tasks", task_api.create_task),
    ("GET", "/v2/tasks", task_api.list_tasks),
    ("GET", "/v2/tasks/{task_id}", task_api.show_task),
    ("GET", "/v2/schemas/task", task_api.task_schema),
    ("GET", "/v2/schemas/tasks", task_api.tasks_schema),
    ("GET", "/v2/info/import", info.import_info),
    ("GET", "/v2/info/stores", stores.stores_info),
    ("GET", "/v2/info/stores/detail", stores.stores_info_detail),
    ("DELETE", "/v2/stores/{store_id}/{image_id}", stores.delete_from_store),
    ("GET", NAMESPACES, md_namespaces.list_namespaces),
    ("POST", NAMESPACES, md_namespaces.create_namespace),
    ("GET", NAMESPACE, md_namespaces.show_namespace),
    ("PUT", NAMESPACE, md_namespaces.update_namespace),
    ("DELETE", NAMESPACE, md_namespaces.delete_namespace),
    ("GET", NAMESPACE + "/objects", md_objects.list_objects),
    ("POST", NAMESPACE + "/objects", md_objects.create_object),
    ("DELETE", NAMESPACE + "/objects", md_namespaces.delete_objects),
    ("GET", NAMESPACE + "/objects/{name}", md_objects.show_object),
    ("PUT", NAMESPACE + "/objects/{name}", md_objects.update_object),
    ("DELETE", NAMESPACE + "/objects/{name}", md_objects.delete_object),
    ("GET", NAMESPACE + "/properties", md_properties.list_properties),
    ("POST", NAMESPACE + "/properties", md_properties.create_property),
    ("DELETE", NAMESPACE + "/properties", md_namespaces.delete_properties),
    ("GET", NAMESPACE + "/properties/{name}", md_properties.show_property),
    ("PUT", NAMESPACE + "/properties/{name}", md_properties.update_property),
    ("DELETE", NAMESPACE + "/properties/{name}", md_properties.delete_property),
    ("GET", NAMESPACE + "/tags", md_tags.list_tags),
    ("POST", NAMESPACE + "/tags", md_tags.create_tags),
    ("DELETE", NAMESPACE + "/tags", md_namespaces.delete_tags),
    ("GET", NAMESPACE + "/tags/{name}", md_tags.show_tag),
    ("POST", NAMESPACE + "/tags/{name}", md_tags.create_tag),
    ("PUT", NAMESPACE + "/tags/{name}", md_tags.update_tag),
    ("DELETE", NAMESPACE + "/tags/{name}", md_tags.delete_tag),
    ("GET", "/v2/metadefs/resource_types", md_resource_types.list_resource_types),
    ("GET", NAMESPACE + "/resource_types", md_resource_types.list_associations),
    ("POST", NAMESPACE + "/resource_types", md_resource_types.create_association),
    ("DELETE", NAMESPACE + "/resource_types/{name}", md_resource_types.delete_association),
    *(
        ("GET", f"/v2/schemas/metadefs/{kind}", md_schemas.metadef_schema)
        for kind in md_schemas.KINDS
    ),
]


def build(services: Services) -> Starlette:
    """The image sub-app, serving the image service layer."""
    return service_app(routes_from(ROUTES), ImageService(services), errors.render)
