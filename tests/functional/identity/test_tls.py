"""`kilocloud up --tls-cert --tls-key`: HTTPS everywhere, and the CLI trusts it via openrc."""

from __future__ import annotations

import datetime
import ipaddress

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


def test_https_cloud_lists_https_endpoints_and_openrc_carries_the_ca(cloud_factory, tmp_path):
    cert, key = _self_signed(tmp_path)
    cloud = cloud_factory(up_args=("--tls-cert", cert, "--tls-key", key))
    assert cloud.url.startswith("https://")
    assert cloud.env["OS_CACERT"] == cert
    assert cloud.env["OS_AUTH_URL"].startswith("https://")
    catalog = cloud.cli_json("catalog", "list")
    urls = [ep["url"] for entry in catalog for ep in entry["Endpoints"]]
    assert urls and all(u.startswith(("https://", "wss://")) for u in urls)
    assert cloud.cli_json("token", "issue")["project_id"]
    try:
        httpx.get(f"{cloud.url}/healthcheck")
    except httpx.ConnectError as exc:
        assert "CERTIFICATE_VERIFY_FAILED" in str(exc)
    else:
        raise AssertionError("an untrusted self-signed certificate was accepted")
