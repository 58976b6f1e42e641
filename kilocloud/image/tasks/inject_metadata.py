"""The inject_image_metadata plugin: configured properties added to every imported image."""

from __future__ import annotations

from kilocloud.image.tasks.work import Work


async def inject_image_metadata(work: Work) -> None:
    """Add [inject_metadata_properties] inject, unless the importer has an ignored role."""
    opts = work.services.conf.inject_metadata_properties
    if set(work.roles) & set(opts.ignore_user_roles):
        return
    work.properties.update(opts.inject)
