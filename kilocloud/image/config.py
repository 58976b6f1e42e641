"""Options of the image service, under Glance's group and option names."""

from __future__ import annotations

from oslo_config import cfg

IMAGE_OPTS = [
    cfg.IntOpt(
        "image_size_cap",
        default=1099511627776,
        min=1,
        help="Largest image, in bytes, a user may upload (default 1 TiB).",
    ),
    cfg.StrOpt(
        "user_storage_quota",
        default="0",
        help="Bytes of image data one project may store across all its images; a number with "
        "an optional B, KB, MB, GB or TB suffix. 0 means unlimited.",
    ),
    cfg.IntOpt("image_member_quota", default=128, help="Members per image; negative = unlimited."),
    cfg.IntOpt(
        "image_property_quota",
        default=128,
        help="Extra properties per image; negative = unlimited.",
    ),
    cfg.IntOpt("image_tag_quota", default=128, help="Tags per image; negative = unlimited."),
    cfg.IntOpt("limit_param_default", default=25, min=1, help="Page size when none is asked."),
    cfg.IntOpt("api_limit_max", default=1000, min=1, help="Largest page size a list returns."),
    cfg.StrOpt(
        "hashing_algorithm",
        default="sha512",
        help="hashlib algorithm of os_hash_value, computed while image data streams in.",
    ),
    cfg.DictOpt(
        "enabled_backends",
        default={},
        help="Multi-store: store name -> store type (file, s3); each store reads its options "
        "from the group named after it. Empty: one store configured in [glance_store].",
    ),
]

FILE_STORE_OPTS = [
    cfg.StrOpt(
        "filesystem_store_datadir",
        help="Directory the file store keeps image data in (default: STATE_DIR/images).",
    ),
]

S3_STORE_OPTS = [
    cfg.StrOpt("s3_store_host", help="URL of the S3 endpoint (default: AWS)."),
    cfg.StrOpt("s3_store_region_name", default="us-east-1", help="S3 region."),
    cfg.StrOpt("s3_store_access_key", secret=True, help="S3 access key."),
    cfg.StrOpt("s3_store_secret_key", secret=True, help="S3 secret key."),
    cfg.StrOpt("s3_store_bucket", default="glance", help="Bucket image data is kept in."),
    cfg.BoolOpt(
        "s3_store_create_bucket_on_put", default=False, help="Create the bucket when missing."
    ),
    cfg.IntOpt(
        "s3_store_large_object_chunk_size",
        default=10,
        min=5,
        help="Multipart upload part size, in MB.",
    ),
]

STORE_OPTS = [
    cfg.StrOpt("default_store", default="file", help="Store type used without multi-store."),
    cfg.StrOpt("default_backend", help="Multi-store: the store name uploads go to by default."),
    *FILE_STORE_OPTS,
    *S3_STORE_OPTS,
]

FORMAT_OPTS = [
    cfg.ListOpt(
        "disk_formats",
        default=["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"],
        help="Disk formats images may declare.",
    ),
    cfg.ListOpt(
        "container_formats",
        default=["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"],
        help="Container formats images may declare.",
    ),
    cfg.BoolOpt(
        "require_image_format_match",
        default=True,
        help="Refuse uploaded data whose detected format is not the declared disk_format.",
    ),
    cfg.ListOpt(
        "vmdk_allowed_types",
        default=["streamOptimized", "monolithicSparse"],
        help="VMDK create types accepted on upload.",
    ),
]

OPTION_GROUPS: dict[str, str] = {
    "DEFAULT": "IMAGE_OPTS",
    "glance_store": "STORE_OPTS",
    "image_format": "FORMAT_OPTS",
}


def parse_size(text: str) -> int:
    """Bytes in a size such as '10GB' or '512'; raises ValueError when malformed."""
    units = {"TB": 1 << 40, "GB": 1 << 30, "MB": 1 << 20, "KB": 1 << 10, "B": 1}
    text = text.strip().upper()
    for suffix, factor in units.items():
        if text.endswith(suffix):
            return int(text[: -len(suffix)].strip()) * factor
    return int(text)
