"""The Image API v2 route table, in API-reference order, and the sub-app serving it."""

from __future__ import annotations

from starlette.applications import Starlette

from kilocloud.core.http import exception_handlers
from kilocloud.core.routing import Row, routes_from
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
from kilocloud.image.service import ImageService
from kilocloud.image.service.deps import ImageDeps
from kilocloud.image.stores import build_stores
from kilocloud.image.tasks import wiring as task_wiring

IMAGE = "/v2/images/{image_id}"
MEMBER = IMAGE + "/members/{member_id}"

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
]


def build(services: Services) -> Starlette:
    """The image sub-app, its service layer kept in services.facades["image"]."""
    deps = ImageDeps(
        conf=services.conf,
        db=services.db,
        policy=services.policy,
        notifier=services.notifier,
        stores=build_stores(services.conf),
    )
    facade = ImageService(deps)
    services.facades["image"] = facade
    services.on_shutdown.append(facade.close)
    app = Starlette(
        routes=routes_from(ROUTES),
        exception_handlers=exception_handlers(errors.render, errors.render_http),
    )
    app.state.image = facade
    app.state.image_tasks = task_wiring.build(services, deps, facade.images)
    return app
