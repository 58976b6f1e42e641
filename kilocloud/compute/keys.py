"""Key pairs as Nova makes them: RSA generation, fingerprints of SSH keys and X.509 certs."""

from __future__ import annotations

import base64
import datetime
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from kilocloud.core.errors import BadRequest

INVALID = "Keypair data is invalid: failed to generate fingerprint"


def _colons(digest: bytes) -> str:
    return ":".join(f"{b:02x}" for b in digest)


def ssh_fingerprint(public_key: str) -> str:
    """MD5 of the key blob, colon-separated hex; 400 when it is not an SSH public key."""
    try:
        serialization.load_ssh_public_key(public_key.strip().encode())
        blob = base64.b64decode(public_key.split()[1])
    except (ValueError, IndexError, TypeError, UnicodeEncodeError):
        raise BadRequest(INVALID) from None
    return _colons(hashlib.md5(blob, usedforsecurity=False).digest())


def x509_fingerprint(certificate: str) -> str:
    """SHA-1 of the certificate, colon-separated hex; 400 when it is not a PEM certificate."""
    try:
        cert = x509.load_pem_x509_certificate(certificate.encode())
    except (ValueError, UnicodeEncodeError):
        raise BadRequest(INVALID) from None
    return _colons(cert.fingerprint(hashes.SHA1()))  # noqa: S303 - the fingerprint Nova shows


def fingerprint(key_type: str, public_key: str) -> str:
    """The fingerprint Nova shows for a key of `key_type`."""
    return x509_fingerprint(public_key) if key_type == "x509" else ssh_fingerprint(public_key)


def _private(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()


def generate_ssh() -> tuple[str, str]:
    """(private key PEM, public key 'ssh-rsa ... Generated-by-Nova')."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return _private(key), f"{public.decode()} Generated-by-Nova"


def generate_x509(user_id: str) -> tuple[str, str]:
    """(private key PEM, self-signed certificate PEM) for `user_id`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, user_id)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return _private(key), cert.public_bytes(serialization.Encoding.PEM).decode()
