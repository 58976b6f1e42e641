"""A three-node MariaDB Galera cluster on loopback: own data directories and ports, never 3306."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from tests.conftest import free_port

PROVIDER = "/usr/lib/galera/libgalera_smm.so"


class Node:
    """One mariadbd of the cluster."""

    def __init__(self, root: Path, name: str) -> None:
        self.dir, self.name = root / name, name
        self.port, self.gcomm, self.ist, self.sst = (free_port() for _ in range(4))
        self.proc: subprocess.Popen | None = None

    def install(self, joiner: bool) -> None:
        """An empty data directory; a joiner's is owned by nobody, as rsync SST writes as nobody."""
        data = self.dir / "data"
        cmd = ["mariadb-install-db", "--no-defaults", f"--datadir={data}", "--user=root"]
        subprocess.run(
            [*cmd, "--auth-root-authentication-method=normal"], check=True, capture_output=True
        )
        if joiner:
            shutil.chown(self.dir, "nobody", "nogroup")
            subprocess.run(["chown", "-R", "nobody:nogroup", str(data)], check=True)

    def start(self, cluster: str, new: bool) -> None:
        """Start mariadbd, bootstrapping the cluster when `new`."""
        d = self.dir
        options = (
            f"gmcast.listen_addr=tcp://127.0.0.1:{self.gcomm};ist.recv_addr=127.0.0.1:{self.ist}"
        )
        cmd = [
            "mariadbd", "--no-defaults", f"--datadir={d}/data", f"--socket={d}/sock",
            f"--pid-file={d}/pid", f"--port={self.port}", "--bind-address=127.0.0.1", "--user=root",
            f"--log-error={d}/err.log", "--binlog-format=ROW", "--innodb-autoinc-lock-mode=2",
            "--innodb-buffer-pool-size=64M", "--skip-name-resolve", "--wsrep-on=ON",
            f"--wsrep-provider={PROVIDER}", "--wsrep-cluster-name=kc-test",
            f"--wsrep-cluster-address={cluster}", f"--wsrep-node-address=127.0.0.1:{self.gcomm}",
            f"--wsrep-node-name={self.name}", f"--wsrep-provider-options={options}",
            "--wsrep-sst-method=rsync", f"--wsrep-sst-receive-address=127.0.0.1:{self.sst}",
        ]  # fmt: skip
        if new:
            cmd.append("--wsrep-new-cluster")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def sql(self, statement: str) -> str:
        """Run a statement with the mariadb client; its tab-separated output."""
        cmd = ["mariadb", "-h127.0.0.1", f"-P{self.port}", "-uroot", "-N", "-e", statement]
        return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=30).stdout

    def stop(self) -> None:
        """SIGTERM and wait."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(60)


class Cluster:
    """Three nodes; `url(i)` is the oslo.db URL of database `name` on node i."""

    def __init__(self, root: Path) -> None:
        self.nodes = [Node(root, f"node{i}") for i in range(3)]
        self.address = "gcomm://" + ",".join(f"127.0.0.1:{n.gcomm}" for n in self.nodes)

    def start(self) -> None:
        """Bootstrap node0, then join the others one at a time (each by state transfer)."""
        for i, node in enumerate(self.nodes):
            node.install(joiner=i > 0)
            node.start(self.address, new=i == 0)
            self._wait(lambda n=i: self.size() >= n + 1, f"{node.name} joined")

    def size(self) -> int:
        """wsrep_cluster_size as node0 reports it (0 while it does not answer)."""
        try:
            return int(self.nodes[0].sql("SHOW STATUS LIKE 'wsrep_cluster_size'").split()[1])
        except (subprocess.CalledProcessError, IndexError):
            return 0

    def _wait(self, ready, what: str) -> None:  # noqa: ANN001
        deadline = time.monotonic() + 120
        while not ready():
            assert time.monotonic() < deadline, f"galera: {what} never happened"
            time.sleep(0.5)

    def url(self, index: int, name: str) -> str:
        """The oslo.db style URL of database `name` on node `index`."""
        return f"mysql+pymysql://root@127.0.0.1:{self.nodes[index].port}/{name}"

    def stop(self) -> None:
        """Stop every node (the last one last)."""
        for node in reversed(self.nodes):
            node.stop()
