"""image.send: INFO with every byte of a whole download, ERROR with the bytes sent if cut."""

from __future__ import annotations

import socket

from tests.functional.image.conftest import ImageAPI
from tests.functional.image.test_image_notifications import _events

SIZE = 32 << 20  # far more than loopback socket buffers hold, so the server is still sending


def _image(cloud) -> tuple[ImageAPI, str, str]:  # noqa: ANN001
    token = cloud.new_project_user().token()
    api = ImageAPI(cloud, token)
    image = api.create(name="big")
    assert api.upload(image["id"], b"k" * SIZE).status_code == 204
    return api, token, image["id"]


def _sends(cloud, token: str, image_id: str) -> list[dict]:  # noqa: ANN001
    events = _events(cloud, token, image_id, until="image.send")
    return [e for e in events if e["event_type"] == "image.send"]


def test_whole_download_reports_every_byte_at_info(cloud) -> None:  # noqa: ANN001
    api, token, image_id = _image(cloud)
    assert len(api.http.get(f"/v2/images/{image_id}/file").content) == SIZE
    [send] = _sends(cloud, token, image_id)
    assert send["priority"] == "INFO" and send["payload"]["bytes_sent"] == SIZE


def test_download_dropped_by_an_httpx_stream_reports_bytes_sent_at_error(cloud) -> None:  # noqa: ANN001
    api, token, image_id = _image(cloud)
    read = 0
    with api.http.stream("GET", f"/v2/images/{image_id}/file") as resp:
        assert resp.status_code == 200
        for chunk in resp.iter_raw(65536):
            read += len(chunk)
            if read >= 1 << 20:
                break
    [send] = _sends(cloud, token, image_id)
    assert send["priority"] == "ERROR"
    assert read <= send["payload"]["bytes_sent"] < SIZE
    assert send["payload"]["image_id"] == image_id and send["payload"]["owner_id"]


def test_download_closed_on_a_raw_socket_reports_error(cloud) -> None:  # noqa: ANN001
    api, token, image_id = _image(cloud)
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 16)
        sock.connect(("127.0.0.1", cloud.port))
        request = (
            f"GET /image/v2/images/{image_id}/file HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"X-Auth-Token: {token}\r\n\r\n"
        )
        sock.sendall(request.encode())
        head = sock.recv(65536)
        assert head.startswith(b"HTTP/1.1 200")
    [send] = _sends(cloud, token, image_id)
    assert send["priority"] == "ERROR" and 0 < send["payload"]["bytes_sent"] < SIZE


def test_partial_range_download_that_completes_is_info(cloud) -> None:  # noqa: ANN001
    api, token, image_id = _image(cloud)
    resp = api.http.get(f"/v2/images/{image_id}/file", headers={"Range": "bytes=10-1033"})
    assert resp.status_code == 206 and len(resp.content) == 1024
    [send] = _sends(cloud, token, image_id)
    assert send["priority"] == "INFO" and send["payload"]["bytes_sent"] == 1024
