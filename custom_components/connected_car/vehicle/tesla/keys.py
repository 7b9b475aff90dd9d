"""The integration's command key: a prime256v1 key pair for the Vehicle Command Protocol.

The integration generates the key once; the owner publishes the public half on
their domain (`public_key_url`) and pairs it with each car in the Tesla app
(`pairing_url`). The private half is handed out only as PEM for the caller's
private storage (Home Assistant: its ``.storage``) and to the library that signs;
it appears in no repr, message, log line or diagnostics.
"""

from __future__ import annotations

import hashlib

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ..exceptions import VehicleError
from .const import PAIRING_URL, PUBLIC_KEY_PATH


class TeslaKeyError(VehicleError):
    """A stored command key could not be read (it is not a prime256v1 private key)."""


class CommandKey:
    """A prime256v1 (NIST P-256) key pair that signs commands to the owner's cars."""

    __slots__ = ("_private",)

    def __init__(self, private: ec.EllipticCurvePrivateKey) -> None:
        """Wrap a P-256 private key."""
        if not isinstance(private.curve, ec.SECP256R1):
            msg = "A Tesla command key must be on the prime256v1 curve"
            raise TeslaKeyError(msg)
        self._private = private

    @classmethod
    def generate(cls) -> CommandKey:
        """Return a new random key pair."""
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_pem(cls, pem: str | bytes) -> CommandKey:
        """Load a key stored with `private_pem`; raise `TeslaKeyError` if unusable."""
        data = pem.encode() if isinstance(pem, str) else pem
        try:
            private = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            # The library's message may quote the input: say nothing of it.
            msg = "The stored Tesla command key is not a readable private key"
            raise TeslaKeyError(msg) from None
        if not isinstance(private, ec.EllipticCurvePrivateKey):
            msg = "The stored Tesla command key is not an elliptic-curve key"
            raise TeslaKeyError(msg)
        return cls(private)

    def private_pem(self) -> str:
        """Return the private key as PEM, for the caller's private storage only."""
        return self._private.private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        ).decode("ascii")

    @property
    def signing_key(self) -> ec.EllipticCurvePrivateKey:
        """Return the private key object for the library that signs commands."""
        return self._private

    @property
    def public_pem(self) -> str:
        """Return the public key as PEM: what the owner publishes on their domain."""
        return (
            self._private.public_key()
            .public_bytes(
                encoding=serialization.Encoding.PEM,
                format=serialization.PublicFormat.SubjectPublicKeyInfo,
            )
            .decode("ascii")
        )

    @property
    def public_point(self) -> bytes:
        """Return the public key as an uncompressed point (what cars store)."""
        return self._private.public_key().public_bytes(
            encoding=serialization.Encoding.X962,
            format=serialization.PublicFormat.UncompressedPoint,
        )

    @property
    def fingerprint(self) -> str:
        """Return a short name of the public key (for diagnostics and messages)."""
        return hashlib.sha256(self.public_point).hexdigest()[:16]

    def __repr__(self) -> str:
        """Name the public key only."""
        return f"CommandKey(fingerprint={self.fingerprint})"

    def __eq__(self, other: object) -> bool:
        """Compare by public key."""
        return isinstance(other, CommandKey) and other.public_point == self.public_point

    def __hash__(self) -> int:
        """Hash by public key."""
        return hash(self.public_point)


def public_key_url(domain: str) -> str:
    """Return where on the owner's domain Tesla fetches the public key."""
    return f"https://{domain}{PUBLIC_KEY_PATH}"


def pairing_url(domain: str) -> str:
    """Return the link the owner opens in the Tesla app to pair the key with a car."""
    return PAIRING_URL.format(domain=domain)
