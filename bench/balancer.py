"""nginx in front of API processes, with deploy/nginx's proxy settings (bench and tests)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

DEPLOY = Path(__file__).parents[1] / "deploy"


def nginx_conf(root: Path, port: int, api_ports: list[int]) -> str:
    """A whole nginx.conf: deploy's map and proxy settings, upstreams on 127.0.0.1."""
    site = (DEPLOY / "nginx" / "kilocloud-site.conf").read_text()
    connection_map = re.search(r"^map .*?^}", site, re.S | re.M)[0]
    servers = "".join(
        f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n" for p in api_ports
    )
    temps = "".join(
        f"    {k}_temp_path {root}/{k};\n"
        for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""daemon off;
user root;
worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/error.log info;
events {{ worker_connections 1024; }}
http {{
    access_log off;
{temps}    {connection_map}
    upstream kilocloud_api {{
{servers}        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            include {DEPLOY}/nginx/kilocloud-proxy.conf;
        }}
    }}
}}
"""


def start_nginx(root: Path, port: int, api_ports: list[int]) -> subprocess.Popen:
    """Run nginx (in the foreground, as a child) balancing `api_ports` on `port`."""
    conf = root / "nginx.conf"
    conf.write_text(nginx_conf(root, port, api_ports))
    cmd = ["nginx", "-p", str(root), "-c", str(conf), "-e", str(root / "error.log")]
    return subprocess.Popen(cmd)
