"""The store contract, on the file store and on S3 (a real moto server on loopback)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from kilocloud.core.errors import NotFound
from kilocloud.image.stores import build_stores
from kilocloud.opts import load_conf
from tests.conftest import free_port, wait_healthy


@contextlib.contextmanager
def moto_server() -> Iterator[tuple[subprocess.Popen, str]]:
    """A moto S3 server process on a free loopback port, and its URL once it answers."""
    port = free_port()
    proc = subprocess.Popen(
        ["moto_server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(url, timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    try:
        yield proc, url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server shared by the session's tests."""
    with moto_server() as (_, url):
        yield url


def s3_config(endpoint: str, bucket: str) -> dict[str, str]:
    """[glance_store]-style options of an S3 store on `endpoint`."""
    return {
        "s3_store_host": endpoint,
        "s3_store_access_key": "testing",
        "s3_store_secret_key": "testing",
        "s3_store_bucket": bucket,
        "s3_store_create_bucket_on_put": "true",
        "s3_store_large_object_chunk_size": "5",
    }


@pytest.fixture(params=["file", "s3"])
async def store(request, tmp_path, s3_endpoint) -> AsyncIterator:
    overrides = {"state_dir": str(tmp_path), "glance_store.default_store": request.param}
    if request.param == "s3":
        bucket = f"b{os.urandom(4).hex()}"
        overrides |= {f"glance_store.{k}": v for k, v in s3_config(s3_endpoint, bucket).items()}
    stores = build_stores(load_conf([], overrides))
    yield stores.get(None)
    await stores.close()


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def _read(store, location: str, offset: int = 0, length: int | None = None) -> bytes:
    return b"".join([c async for c in store.open(location, offset, length)])


async def test_add_then_read_back_whole_and_from_offsets(store):
    data = os.urandom(12 * 1024 * 1024 + 7)  # more than two 5 MB multipart parts
    parts = [data[i : i + (1 << 20)] for i in range(0, len(data), 1 << 20)]
    location = await store.add("img-1", _chunks(*parts))
    assert await store.size(location) == len(data)
    assert await _read(store, location) == data
    assert await _read(store, location, 5, 10) == data[5:15]
    assert await _read(store, location, len(data) - 3) == data[-3:]
    assert await _read(store, location, 7, 0) == b""


async def test_empty_data_is_stored(store):
    location = await store.add("img-empty", _chunks())
    assert await store.size(location) == 0
    assert await _read(store, location) == b""


async def test_delete_forgets_data_and_is_idempotent(store):
    location = await store.add("img-2", _chunks(b"abc"))
    await store.delete(location)
    with pytest.raises(NotFound):
        await store.size(location)
    await store.delete(location)


async def test_failed_add_leaves_nothing_behind(store):
    async def broken() -> AsyncIterator[bytes]:
        yield os.urandom(6 * 1024 * 1024)
        raise RuntimeError("client went away")

    with pytest.raises(RuntimeError):
        await store.add("img-3", broken())
    location = (
        f"file://{store.datadir}/img-3" if store.kind == "file" else f"s3://{store.bucket}/img-3"
    )
    with pytest.raises(NotFound):
        await store.size(location)
    if store.kind == "file":
        assert os.listdir(store.datadir) == []
    else:
        uploads = store._client.list_multipart_uploads(Bucket=store.bucket)
        assert not uploads.get("Uploads")


async def test_discard_partial_forgets_an_unfinished_upload_only(store):
    kept = await store.add("img-kept", _chunks(b"kept"))
    if store.kind == "file":
        with open(os.path.join(store.datadir, "img-crashed.part"), "wb") as fh:
            fh.write(b"half")
    else:
        for key in ("img-crashed", "img-crashed-too"):
            upload = store._client.create_multipart_upload(Bucket=store.bucket, Key=key)
            store._client.upload_part(
                Bucket=store.bucket, Key=key, UploadId=upload["UploadId"], PartNumber=1, Body=b"h"
            )
    await store.discard_partial("img-crashed")
    await store.discard_partial("img-never-uploaded")
    if store.kind == "file":
        assert os.listdir(store.datadir) == ["img-kept"]
    else:
        uploads = store._client.list_multipart_uploads(Bucket=store.bucket)["Uploads"]
        assert [u["Key"] for u in uploads] == ["img-crashed-too"]
    assert await _read(store, kept) == b"kept"


async def test_location_of_another_store_is_not_found(store):
    with pytest.raises(NotFound):
        await store.size("file:///etc/passwd" if store.kind == "s3" else "s3://b/k")


@pytest.fixture(scope="module")
def multistore(cloud_factory, s3_endpoint):
    """A cloud with a file store `fast` (the default) and an S3 store `cold`."""
    config = {
        "DEFAULT": {"enabled_backends": "fast:file, cold:s3"},
        "glance_store": {"default_backend": "fast"},
        "cold": s3_config(s3_endpoint, "cold-images"),
    }
    cloud = cloud_factory(config=config)
    http = httpx.Client(
        base_url=f"{cloud.url}/image",
        headers={"X-Auth-Token": cloud.admin_token(), "Accept": "application/json"},
    )
    return cloud, http


def _new_image(http: httpx.Client) -> str:
    resp = http.post("/v2/images", json={"disk_format": "raw", "container_format": "bare"})
    assert resp.status_code == 201
    assert resp.headers["openstack-image-store-ids"] == "fast,cold"
    return resp.json()["id"]


def _put(http: httpx.Client, image_id: str, data: bytes, store: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/octet-stream"}
    if store:
        headers["X-Image-Meta-Store"] = store
    return http.put(f"/v2/images/{image_id}/file", content=data, headers=headers)


def test_info_stores_lists_the_backends_and_the_default(multistore):
    _, http = multistore
    stores = http.get("/v2/info/stores").json()["stores"]
    assert [(s["id"], s.get("default")) for s in stores] == [("fast", "true"), ("cold", None)]
    versions = [v["id"] for v in http.get("/versions").json()["versions"]]
    assert "v2.8" in versions


def test_stores_detail_shows_s3_bucket_and_endpoint_never_keys(multistore, s3_endpoint):
    _, http = multistore
    stores = {s["id"]: s for s in http.get("/v2/info/stores/detail").json()["stores"]}
    cold = stores["cold"]
    assert cold["type"] == "s3" and "default" not in cold
    assert cold["properties"]["s3_store_bucket"] == "cold-images"
    assert cold["properties"]["s3_store_host"] == s3_endpoint
    assert cold["properties"]["s3_store_large_object_chunk_size"] == 5
    assert "testing" not in str(cold) and not any("key" in k for k in cold["properties"])
    assert stores["fast"]["type"] == "file"


def test_upload_to_a_chosen_s3_store_and_back(multistore, s3_endpoint):
    _, http = multistore
    image_id = _new_image(http)
    data = os.urandom(7 * 1024 * 1024)
    assert _put(http, image_id, data, "cold").status_code == 204
    assert http.get(f"/v2/images/{image_id}").json()["stores"] == "cold"
    assert http.get(f"/v2/images/{image_id}/file").content == data
    s3 = _s3_client(s3_endpoint)
    assert s3.head_object(Bucket="cold-images", Key=image_id)["ContentLength"] == len(data)
    assert http.delete(f"/v2/images/{image_id}").status_code == 204
    assert s3.list_objects_v2(Bucket="cold-images").get("KeyCount", 0) == 0


def test_upload_without_store_header_goes_to_the_default(multistore):
    _, http = multistore
    image_id = _new_image(http)
    assert _put(http, image_id, b"abc", None).status_code == 204
    assert http.get(f"/v2/images/{image_id}").json()["stores"] == "fast"


def test_image_delete_aborts_multipart_uploads_a_crash_left(multistore, s3_endpoint):
    _, http = multistore
    image_id = _new_image(http)
    assert _put(http, image_id, b"stored", "cold").status_code == 204
    s3 = _s3_client(s3_endpoint)
    crashed = s3.create_multipart_upload(Bucket="cold-images", Key=image_id)["UploadId"]
    s3.upload_part(Bucket="cold-images", Key=image_id, UploadId=crashed, PartNumber=1, Body=b"half")
    assert http.delete(f"/v2/images/{image_id}").status_code == 204
    uploads = s3.list_multipart_uploads(Bucket="cold-images").get("Uploads", [])
    assert image_id not in [u["Key"] for u in uploads]


def test_image_deleted_during_an_s3_upload_leaves_no_upload_behind(multistore, s3_endpoint):
    cloud, http = multistore
    image_id = _new_image(http)
    size = 12 * 1024 * 1024
    head = (
        f"PUT /image/v2/images/{image_id}/file HTTP/1.1\r\nHost: x\r\n"
        f"X-Auth-Token: {http.headers['X-Auth-Token']}\r\nX-Image-Meta-Store: cold\r\n"
        f"Content-Type: application/octet-stream\r\nContent-Length: {size}\r\n\r\n"
    )
    s3 = _s3_client(s3_endpoint)
    with socket.create_connection(("127.0.0.1", cloud.port)) as sock:
        sock.sendall(head.encode() + os.urandom(size // 2))
        for _ in range(100):
            uploads = s3.list_multipart_uploads(Bucket="cold-images").get("Uploads", [])
            if image_id in [u["Key"] for u in uploads]:
                break
            time.sleep(0.05)
        assert http.delete(f"/v2/images/{image_id}").status_code == 204
        sock.sendall(os.urandom(size - size // 2))
        sock.settimeout(10)
        answer = b""
        while not answer.endswith(b"}") and (got := sock.recv(4096)):
            answer += got
    # S3 answers the aborted upload's next part with NoSuchUpload (410 here); moto with a 500
    assert answer.split(b" ")[1] in (b"410", b"503"), answer
    assert http.get(f"/v2/images/{image_id}").status_code == 404
    uploads = s3.list_multipart_uploads(Bucket="cold-images").get("Uploads", [])
    assert image_id not in [u["Key"] for u in uploads]


def test_unknown_store_is_400_and_image_stays_queued(multistore):
    _, http = multistore
    image_id = _new_image(http)
    assert _put(http, image_id, b"abc", "tape").status_code == 400
    assert http.get(f"/v2/images/{image_id}").json()["status"] == "queued"


def _imports_ended(http: httpx.Client, image_id: str, count: int = 1) -> list[str]:
    """The statuses of the image's import tasks, once `count` of them have ended."""
    for _ in range(300):
        tasks = http.get(f"/v2/images/{image_id}/tasks").json()["tasks"]
        ended = [t["status"] for t in tasks if t["status"] in ("success", "failure")]
        if len(ended) >= count:
            return ended
        time.sleep(0.2)
    raise AssertionError(f"import of {image_id} did not end")


def test_glance_direct_import_into_the_s3_store_then_copy_to_file(multistore, s3_endpoint):
    _, http = multistore
    image_id = _new_image(http)
    data = os.urandom(6 * 1024 * 1024 + 7)
    octets = {"Content-Type": "application/octet-stream"}
    assert http.put(f"/v2/images/{image_id}/stage", content=data, headers=octets).status_code == 204
    body = {"method": {"name": "glance-direct"}, "stores": ["cold"]}
    assert http.post(f"/v2/images/{image_id}/import", json=body).status_code == 202
    assert _imports_ended(http, image_id) == ["success"]
    shown = http.get(f"/v2/images/{image_id}").json()
    assert shown["stores"] == "cold" and shown["size"] == len(data)
    head = _s3_client(s3_endpoint).head_object(Bucket="cold-images", Key=image_id)
    assert head["ContentLength"] == len(data)
    assert http.get(f"/v2/images/{image_id}/file").content == data
    body = {"method": {"name": "copy-image"}, "stores": ["fast"]}
    assert http.post(f"/v2/images/{image_id}/import", json=body).status_code == 202
    assert _imports_ended(http, image_id, count=2) == ["success", "success"]
    assert http.get(f"/v2/images/{image_id}").json()["stores"] == "cold,fast"
    assert http.delete(f"/v2/stores/cold/{image_id}").status_code == 204
    assert http.get(f"/v2/images/{image_id}/file").content == data
    s3 = _s3_client(s3_endpoint)
    assert image_id not in [
        o["Key"] for o in s3.list_objects_v2(Bucket="cold-images").get("Contents", [])
    ]


def _s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )


@pytest.fixture(scope="module")
def two_image_servers(cloud_factory, throwaway_database, s3_endpoint, tmp_path_factory):
    """Two `kilocloud serve image` processes on one MariaDB and one S3 bucket."""
    db_url = throwaway_database("mariadb")
    s3 = s3_config(s3_endpoint, "shared-images")
    cloud = cloud_factory(db_url=db_url, config={"glance_store": {"default_store": "s3", **s3}})
    state = tmp_path_factory.mktemp("image-servers")
    conf = state / "image.conf"
    conf.write_text(
        f"[database]\nconnection = {db_url}\n"
        f"[keystone_authtoken]\nauth_url = {cloud.auth_url}\nusername = admin\n"
        f"password = {cloud.admin_password}\nproject_name = admin\n"
        "[glance_store]\ndefault_store = s3\n" + "".join(f"{k} = {v}\n" for k, v in s3.items())
    )
    servers, procs = [], []
    for i in range(2):
        port = free_port()
        cmd = [sys.executable, "-m", "kilocloud", "serve", "image", "--port", str(port)]
        cmd += ["--state-dir", str(state / f"s{i}"), "--config-file", str(conf)]
        log = open(state / f"s{i}.log", "wb")  # noqa: SIM115 - the process writes it until the end
        procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT))
        servers.append(f"http://127.0.0.1:{port}")
    for url, proc in zip(servers, procs, strict=True):
        wait_healthy(url, proc)
    yield cloud, servers
    for proc in procs:
        proc.terminate()
        proc.wait(20)


def test_image_uploaded_through_one_server_is_served_by_the_other(two_image_servers):
    cloud, (first, second) = two_image_servers
    headers = {"X-Auth-Token": cloud.admin_token()}
    body = {"name": "shared", "disk_format": "raw", "container_format": "bare"}
    image = httpx.post(f"{first}/v2/images", json=body, headers=headers).json()
    data = os.urandom(6 * 1024 * 1024 + 1)
    put = httpx.put(
        f"{first}/v2/images/{image['id']}/file",
        content=data,
        headers={**headers, "Content-Type": "application/octet-stream"},
    )
    assert put.status_code == 204
    listed = httpx.get(f"{second}/v2/images?name=shared", headers=headers).json()["images"]
    assert [i["id"] for i in listed] == [image["id"]]
    assert listed[0]["checksum"] == hashlib.md5(data).hexdigest()
    got = httpx.get(f"{second}/v2/images/{image['id']}/file", headers=headers, timeout=60)
    assert got.status_code == 200 and got.content == data
    via_cloud = httpx.get(f"{cloud.url}/image/v2/images/{image['id']}/file", headers=headers)
    assert via_cloud.content == data
    versions = httpx.get(f"{second}/").json()["versions"]
    assert versions[0]["links"][0]["href"] == f"{second}/v2/"


def test_unreachable_s3_store_is_503_and_the_image_stays_queued(cloud_factory):
    dead = f"http://127.0.0.1:{free_port()}"
    config = {
        "DEFAULT": {"enabled_backends": "local:file, gone:s3"},
        "gone": s3_config(dead, "never"),
    }
    cloud = cloud_factory(config=config)
    http = httpx.Client(
        base_url=f"{cloud.url}/image",
        headers={"X-Auth-Token": cloud.admin_token(), "Accept": "application/json"},
        timeout=120,
    )
    image_id = _new_image_on(http)
    resp = _put(http, image_id, b"data" * 1000, "gone")
    assert resp.status_code == 503 and resp.json()["code"].startswith("503")
    assert http.get(f"/v2/images/{image_id}").json()["status"] == "queued"
    assert _put(http, image_id, b"data", "local").status_code == 204


def _new_image_on(http: httpx.Client) -> str:
    resp = http.post("/v2/images", json={"disk_format": "raw", "container_format": "bare"})
    assert resp.status_code == 201
    return resp.json()["id"]
