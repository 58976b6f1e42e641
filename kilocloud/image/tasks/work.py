"""Work: what one import job knows about the data it is carrying to the stores."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field

from kilocloud.core.errors import BadRequest
from kilocloud.deps import Services
from kilocloud.image.service import staging


class Refused(BadRequest):
    """The image data (or where it comes from) is not acceptable; the task fails with this."""


@dataclass
class Work:
    """The file being imported, its formats, and what was learned about it on the way."""

    services: Services
    task_id: str
    image_id: str
    disk_format: str
    container_format: str
    roles: list[str]
    owner: str | None = None
    path: str = ""
    virtual_size: int | None = None
    properties: dict[str, str] = field(default_factory=dict)
    scratch: list[str] = field(default_factory=list)

    def scratch_file(self, suffix: str) -> str:
        """A new file path in the work directory, removed by cleanup()."""
        base = self.services.conf.task.work_dir or staging.directory(self.services.conf)
        os.makedirs(base, mode=0o700, exist_ok=True)
        name = os.path.join(base, f"{self.image_id}.{uuid.uuid4().hex[:8]}{suffix}")
        self.scratch.append(name)
        return name

    def cleanup(self) -> None:
        """Remove every scratch file this work made."""
        for name in self.scratch:
            staging.discard(name)
