"""What image data is, whatever it is declared to be, and whether it may become an image.

Every upload and import is inspected by every format inspector, whatever disk and container
formats it declares: data that fails its own format's safety checks (a qcow2 naming a backing
file or an external data file, VMDK extents elsewhere) is refused whatever is declared, and
with require_image_format_match, data that is not the declared disk format is refused too,
for every container format. The compute service boots these images.
"""

from __future__ import annotations

from oslo_utils.imageutils import format_inspector

from kilocloud.core.errors import BadRequest

# formats with a header a raw disk cannot be mistaken for: data declared raw must be none
HEADERED = ("qcow2", "vhd", "vhdx", "vmdk", "vdi", "qed", "luks")
# the data is an archive: its disk format is inside, and it must not itself be a disk image
ARCHIVES = {"docker": "a docker image tarball", "ova": "an OVA tarball", "compressed": "an archive"}
# a bootable ISO carries a partition table too: both inspectors match, and it is an ISO
HYBRIDS = {frozenset({"iso", "gpt"}): "iso"}
# disk formats that are plain bytes (a disk with a partition table or an ISO is still raw)
RAW_DISKS = ("raw", "ami", "ari", "aki")
RAW_LAYOUTS = ("raw", "gpt", "iso")
READ = 1 << 20


class Unsafe(BadRequest):
    """Image data fails the safety checks of the format it really is."""


class Mismatch(BadRequest):
    """Image data is not the disk format it declares."""


class Detector:
    """Every format inspector over one stream of data, fed a block at a time."""

    def __init__(self) -> None:
        named = format_inspector.ALL_FORMATS.items()
        self.inspectors = [cls() for name, cls in named if name != "raw"]
        self.failed: set[int] = set()

    def feed(self, block: bytes) -> None:
        """Give `block` to every inspector still reading; one failing is not that format."""
        for inspector in self.inspectors:
            if id(inspector) in self.failed or inspector.complete:
                continue
            try:
                inspector.eat_chunk(block)
            except Exception:  # the inspector cannot parse it: the data is not that format
                self.failed.add(id(inspector))

    def result(self) -> format_inspector.FileInspector | None:
        """The one format the data is (None: no known format, plain bytes)."""
        matches = {}
        for inspector in self.inspectors:
            if id(inspector) not in self.failed and _matches(inspector):
                matches[inspector.NAME] = inspector
        if len(matches) > 1:
            hybrid = HYBRIDS.get(frozenset(matches))
            if hybrid is None:
                raise Unsafe(f"Image data matches several formats: {', '.join(sorted(matches))}.")
            return matches[hybrid]
        return next(iter(matches.values()), None)


def _matches(inspector: format_inspector.FileInspector) -> bool:
    try:
        inspector.finish()
        return bool(inspector.format_match)
    except Exception:  # an inspector that saw too little cannot claim a match
        return False


def detect_file(path: str) -> format_inspector.FileInspector | None:
    """The format of the file at `path`, read once (blocking: run it in a thread)."""
    detector = Detector()
    with open(path, "rb") as fh:
        while block := fh.read(READ):
            detector.feed(block)
    return detector.result()


def check(
    found: format_inspector.FileInspector | None,
    disk_format: str,
    container_format: str,
    strict: bool,
) -> str:
    """The detected format's name once the data is safe (and, if `strict`, the declared one)."""
    detected = found.NAME if found is not None else "raw"
    # a partition table or an ISO filesystem is still read as raw bytes, and their inspectors'
    # checks judge its tidiness, not what it could reach (a bzImage's boot sector looks like
    # an MBR with 0xff partitions): only formats that can name other files are checked
    if found is not None and detected not in RAW_LAYOUTS:
        try:
            found.safety_check()
        except format_inspector.SafetyCheckFailed as exc:
            raise Unsafe(f"Image data ({detected}) failed safety checks: {exc}") from None
    if strict and not matches_declared(detected, disk_format, container_format):
        if container_format in ARCHIVES:
            archive = ARCHIVES[container_format]
            raise Mismatch(f"Image data is {detected}, not {archive} ({container_format}).")
        raise Mismatch(f"Image data is {detected}, not the declared disk_format {disk_format}.")
    return detected


def matches_declared(detected: str, disk_format: str, container_format: str) -> bool:
    """Whether data detected as `detected` may be stored as the declared formats."""
    if container_format in ARCHIVES or disk_format in RAW_DISKS:
        # an archive's bytes are not a disk image, and neither may a raw disk's be
        return detected in RAW_LAYOUTS
    if disk_format in format_inspector.ALL_FORMATS:
        return detected == disk_format
    return detected not in HEADERED  # ploop and others no inspector knows: at least not another
