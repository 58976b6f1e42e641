"""Options of the compute service and its agent, under Nova's option names where Nova has them."""

from __future__ import annotations

import socket

from oslo_config import cfg

COMPUTE_OPTS = [
    cfg.StrOpt(
        "host",
        default=socket.gethostname(),
        sample_default="<this machine's hostname>",
        help="Name of this compute host.",
    ),
    cfg.BoolOpt(
        "local_agent",
        default=True,
        help="Run a compute agent inside `kilocloud up` (RPC in-process without transport_url).",
    ),
    cfg.IntOpt("report_interval", default=10, min=1, help="Seconds between agent heartbeats."),
    cfg.IntOpt(
        "service_down_time",
        default=60,
        min=1,
        help="Seconds without a heartbeat after which an agent is shown down.",
    ),
    cfg.IntOpt(
        "sync_power_state_interval",
        default=60,
        help="Seconds between power-state reconciliations (<= 0: only at start).",
    ),
    cfg.FloatOpt("cpu_allocation_ratio", default=4.0, min=0.0, help="vCPU overcommit ratio."),
    cfg.FloatOpt("ram_allocation_ratio", default=1.0, min=0.0, help="RAM overcommit ratio."),
    cfg.FloatOpt("disk_allocation_ratio", default=1.0, min=0.0, help="Disk overcommit ratio."),
    cfg.StrOpt("default_availability_zone", default="nova", help="Zone of hosts in none."),
    cfg.StrOpt(
        "internal_service_availability_zone",
        default="internal",
        help="Zone shown for services other than compute.",
    ),
    cfg.BoolOpt(
        "enable_instance_password",
        default=True,
        help="Return an adminPass when a server is created, rebuilt or rescued.",
    ),
    cfg.IntOpt("max_limit", default=1000, min=1, help="Largest page a list returns."),
    cfg.IntOpt(
        "shelved_offload_time",
        default=0,
        help="Seconds before a shelved server is offloaded (0: at once, <0: never).",
    ),
    cfg.URIOpt(
        "image_endpoint",
        help="Image service URL; unset: the token's catalog, else this process's /image.",
    ),
    cfg.ListOpt("fake_hosts", default=[], help="Scale tests: extra fake-driver hosts to run."),
]

QUOTA_OPTS = [
    cfg.IntOpt("instances", default=10, min=-1, help="Servers per project."),
    cfg.IntOpt("cores", default=20, min=-1, help="vCPUs per project."),
    cfg.IntOpt("ram", default=51200, min=-1, help="MB of RAM per project."),
    cfg.IntOpt("metadata_items", default=128, min=-1, help="Metadata items per server."),
    cfg.IntOpt("key_pairs", default=100, min=-1, help="Key pairs per user."),
    cfg.IntOpt("server_groups", default=10, min=-1, help="Server groups per project."),
    cfg.IntOpt("server_group_members", default=10, min=-1, help="Servers per server group."),
    cfg.IntOpt("injected_files", default=5, min=-1, help="Injected files per server."),
    cfg.IntOpt(
        "injected_file_content_bytes", default=10240, min=-1, help="Bytes per injected file."
    ),
    cfg.IntOpt("injected_file_path_length", default=255, min=-1, help="Injected file path length."),
]

OPTION_GROUPS = {"compute": "COMPUTE_OPTS", "quota": "QUOTA_OPTS"}
