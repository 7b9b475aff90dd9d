"""The vehicle side of Tesla's Vehicle Command Protocol, for the local Fleet API.

Built from teslamotors/vehicle-command's public description
(``pkg/protocol/protocol.md`` and the verifier in ``internal/authentication``)
with the protobufs tesla-fleet-api ships. Per car there are two domains
(vehicle security: locks; infotainment: climate, lights, horn), each with its
own P-256 key, epoch (16 random bytes) and clock (seconds since the epoch
began). What a real car checks, this one checks:

- handshake: a ``session_info_request`` from a paired key gets the domain's
  ``SessionInfo`` (counter, public key, epoch, clock) with its HMAC tag bound to
  the request's uuid; an unpaired key gets ``KEY_NOT_ON_WHITELIST`` (vehicle
  security) or the fault ``UNKNOWN_KEY_ID`` (infotainment);
- commands (HMAC-SHA256 personalised, what Fleet API carries): the signer must
  be paired, the epoch current, ``expires_at`` not past, the tag right over the
  TLV metadata and the payload, the counter unused (a 32-wide sliding window;
  vehicle security wants it increasing). A failure is answered with its fault
  and, where the client can resynchronise, fresh signed session info;
- the payload (``vcsec.UnsignedMessage`` / ``car_server.Action``) is carried out
  on the simulated car and answered in kind.

Not faked: AES-GCM-encrypted commands and encrypted responses (Fleet API does
not carry the former, and the library never asks for the latter over Fleet
API), key handles, roles (every paired key is an owner), VCSEC's multiple
answers per request, and OPERATIONSTATUS_WAIT. The car's clock is its own (real
time, like a car's), independent of the test clock that moves its physics;
`skew_clock` and `reboot` move it on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import hashlib
import hmac
import os
import struct
import time

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

try:  # tesla-fleet-api >= 1.5 takes them from tesla-protocol
    from tesla_protocol.command import (  # type: ignore[import-not-found]
        car_server_pb2,
        errors_pb2,
        signatures_pb2,
        universal_message_pb2,
        vcsec_pb2,
    )
except ImportError:
    from tesla_fleet_api.tesla.vehicle.proto import (
        car_server_pb2,
        errors_pb2,
        signatures_pb2,
        universal_message_pb2,
        vcsec_pb2,
    )

from custom_components.connected_car.vehicle.models import CommandKind

VEHICLE_SECURITY = universal_message_pb2.Domain.DOMAIN_VEHICLE_SECURITY
INFOTAINMENT = universal_message_pb2.Domain.DOMAIN_INFOTAINMENT
WINDOW_SIZE = 32
EPOCH_LENGTH = 1 << 30
Fault = universal_message_pb2.MessageFault_E
Tag = signatures_pb2.Tag

type Execute = Callable[[str, CommandKind, float | None], tuple[bool, str]]
"""Carries out a command on the car: (REST name, kind, target) -> (result, reason)."""


def fault_name(code: int) -> str:
    """Return a fault's name (MESSAGEFAULT_ERROR_...)."""
    return Fault.Name(code)


def tlv(items: list[tuple[int, bytes]]) -> bytes:
    """Serialise metadata: tag, length, value for each item in tag order, then 0xFF."""
    out = b"".join(bytes([tag, len(value)]) + value for tag, value in sorted(items))
    return out + bytes([Tag.TAG_END])


def u32(value: int) -> bytes:
    """Return a big-endian four-byte integer."""
    return struct.pack(">I", value)


@dataclass
class _ClientSession:
    """What a domain keeps per paired key: the shared keys and the anti-replay state."""

    command_key: bytes
    session_info_key: bytes
    counter: int = 0
    window: int = 0


def slide(counter: int, window: int, new: int) -> tuple[int, int] | None:
    """Return the updated (counter, window) if new was never used, else None."""
    if new == counter:
        return None
    if new < counter:
        age = counter - new
        if age > WINDOW_SIZE or (window >> (age - 1)) & 1:
            return None
        return counter, window | (1 << (age - 1))
    shift = new - counter
    window = ((window << shift) | (1 << (shift - 1))) & ((1 << 64) - 1)
    return new, window


class _Domain:
    """One of the car's domains: its key, epoch, clock and per-client sessions."""

    def __init__(self, domain: int, clock: Callable[[], float]) -> None:
        self.domain = domain
        self._clock = clock
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.public = self.key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )
        self.sessions: dict[bytes, _ClientSession] = {}
        self.epoch = b""
        self.time_zero = 0.0
        self.new_epoch()

    def new_epoch(self) -> None:
        """Start a new epoch (a reboot): clock from zero, counters forgotten."""
        self.epoch = os.urandom(16)
        self.time_zero = self._clock()
        self.sessions.clear()

    def timestamp(self) -> int:
        return int(self._clock() - self.time_zero)

    def session(self, client: bytes) -> _ClientSession:
        held = self.sessions.get(client)
        if held is None:
            peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), client)
            shared = hashlib.sha1(  # noqa: S324 - the protocol's KDF
                self.key.exchange(ec.ECDH(), peer)
            ).digest()[:16]
            held = self.sessions[client] = _ClientSession(
                hmac.new(shared, b"authenticated command", hashlib.sha256).digest(),
                hmac.new(shared, b"session info", hashlib.sha256).digest(),
            )
        return held


@dataclass
class VehicleProtocol:
    """The signed-command side of one car."""

    vin: str
    clock: Callable[[], float] = time.monotonic
    paired: set[bytes] = field(default_factory=set)
    """Public keys (uncompressed points) on the car's keychain."""
    faults: list[str] = field(default_factory=list)
    """Every fault the car answered with, by name (for the tests to read)."""
    handshakes: int = 0
    skew: float = 0.0
    """Seconds the car's clock is ahead (its domains' clocks include it)."""

    def __post_init__(self) -> None:
        """Give the car its two domains."""
        self.domains = {
            domain: _Domain(domain, lambda: self.clock() + self.skew)
            for domain in (VEHICLE_SECURITY, INFOTAINMENT)
        }

    def pair(self, public_point: bytes) -> None:
        """Add a key to the keychain (the owner approved it in the car)."""
        self.paired.add(public_point)

    def reboot(self) -> None:
        """Restart both domains: new epochs, so every client session is stale."""
        for domain in self.domains.values():
            domain.new_epoch()

    def skew_clock(self, seconds: float) -> None:
        """Move the car's clock on (commands signed for the old time expire)."""
        self.skew += seconds

    # -- messages ----------------------------------------------------------------------

    def handle(self, raw: bytes, execute: Execute) -> bytes:
        """Answer one RoutableMessage (serialised) as the car would."""
        request = universal_message_pb2.RoutableMessage.FromString(raw)
        domain = self.domains.get(request.to_destination.domain)
        reply = universal_message_pb2.RoutableMessage(
            to_destination=request.from_destination,
            from_destination=universal_message_pb2.Destination(
                domain=request.to_destination.domain
            ),
            request_uuid=request.uuid,
        )
        if domain is None:
            return self._fault(reply, Fault.MESSAGEFAULT_ERROR_INVALID_DOMAINS)
        if request.HasField("session_info_request"):
            return self._handshake(domain, request, reply)
        return self._command(domain, request, reply, execute)

    def _fault(
        self,
        reply: universal_message_pb2.RoutableMessage,
        code: int,
        session: tuple[_Domain, bytes, bytes] | None = None,
    ) -> bytes:
        """Answer with a fault; with session (domain, client, challenge) also resync info."""
        self.faults.append(fault_name(code))
        reply.signedMessageStatus.operation_status = (
            universal_message_pb2.OperationStatus_E.OPERATIONSTATUS_ERROR
        )
        reply.signedMessageStatus.signed_message_fault = code
        if session is not None:
            self._attach_session_info(reply, *session)
        return reply.SerializeToString()

    def _attach_session_info(
        self,
        reply: universal_message_pb2.RoutableMessage,
        domain: _Domain,
        client: bytes,
        challenge: bytes,
    ) -> None:
        session = domain.session(client)
        info = signatures_pb2.SessionInfo(
            counter=session.counter,
            publicKey=domain.public,
            epoch=domain.epoch,
            clock_time=domain.timestamp(),
            status=signatures_pb2.Session_Info_Status.SESSION_INFO_STATUS_OK,
        ).SerializeToString()
        metadata = tlv(
            [
                (Tag.TAG_SIGNATURE_TYPE, bytes([signatures_pb2.SIGNATURE_TYPE_HMAC])),
                (Tag.TAG_PERSONALIZATION, self.vin.encode()),
                (Tag.TAG_CHALLENGE, challenge),
            ]
        )
        reply.session_info = info
        reply.signature_data.session_info_tag.tag = hmac.new(
            session.session_info_key, metadata + info, hashlib.sha256
        ).digest()

    def _handshake(
        self,
        domain: _Domain,
        request: universal_message_pb2.RoutableMessage,
        reply: universal_message_pb2.RoutableMessage,
    ) -> bytes:
        client = request.session_info_request.public_key
        if client not in self.paired:
            if domain.domain == VEHICLE_SECURITY:
                self.faults.append("KEY_NOT_ON_WHITELIST")
                reply.session_info = signatures_pb2.SessionInfo(
                    status=signatures_pb2.Session_Info_Status.SESSION_INFO_STATUS_KEY_NOT_ON_WHITELIST
                ).SerializeToString()
                return reply.SerializeToString()
            return self._fault(reply, Fault.MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID)
        self.handshakes += 1
        self._attach_session_info(reply, domain, client, request.uuid)
        return reply.SerializeToString()

    def _command(  # noqa: PLR0911 - one answer per check, as the car's verifier
        self,
        domain: _Domain,
        request: universal_message_pb2.RoutableMessage,
        reply: universal_message_pb2.RoutableMessage,
        execute: Execute,
    ) -> bytes:
        client = request.signature_data.signer_identity.public_key
        if not request.signature_data.HasField("HMAC_Personalized_data"):
            return self._fault(reply, Fault.MESSAGEFAULT_ERROR_BAD_PARAMETER)
        if client not in self.paired:
            return self._fault(reply, Fault.MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID)
        signed = request.signature_data.HMAC_Personalized_data
        resync = (domain, client, request.uuid)
        if signed.epoch and signed.epoch != domain.epoch:
            return self._fault(reply, Fault.MESSAGEFAULT_ERROR_INCORRECT_EPOCH, resync)
        if signed.expires_at and signed.expires_at < domain.timestamp():
            return self._fault(reply, Fault.MESSAGEFAULT_ERROR_TIME_EXPIRED, resync)
        if signed.expires_at > EPOCH_LENGTH:
            return self._fault(reply, Fault.MESSAGEFAULT_ERROR_BAD_PARAMETER, resync)
        session = domain.session(client)
        items = [
            (
                Tag.TAG_SIGNATURE_TYPE,
                bytes([signatures_pb2.SIGNATURE_TYPE_HMAC_PERSONALIZED]),
            ),
            (Tag.TAG_DOMAIN, bytes([domain.domain])),
            (Tag.TAG_PERSONALIZATION, self.vin.encode()),
            (Tag.TAG_EPOCH, domain.epoch),
            (Tag.TAG_EXPIRES_AT, u32(signed.expires_at)),
            (Tag.TAG_COUNTER, u32(signed.counter)),
        ]
        if request.flags:
            items.append((Tag.TAG_FLAGS, u32(request.flags)))
        expected = hmac.new(
            session.command_key,
            tlv(items) + request.protobuf_message_as_bytes,
            hashlib.sha256,
        ).digest()
        if not hmac.compare_digest(expected, signed.tag):
            return self._fault(
                reply, Fault.MESSAGEFAULT_ERROR_INVALID_SIGNATURE, resync
            )
        slid = slide(session.counter, session.window, signed.counter)
        if slid is None or (
            domain.domain == VEHICLE_SECURITY and signed.counter <= session.counter
        ):
            return self._fault(
                reply, Fault.MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER, resync
            )
        session.counter, session.window = slid
        if domain.domain == VEHICLE_SECURITY:
            reply.protobuf_message_as_bytes = _vehicle_security(
                request.protobuf_message_as_bytes, execute
            )
        else:
            reply.protobuf_message_as_bytes = _infotainment(
                request.protobuf_message_as_bytes, execute
            )
        return reply.SerializeToString()


_RKE = {
    vcsec_pb2.RKEAction_E.RKE_ACTION_LOCK: ("door_lock", CommandKind.LOCK),
    vcsec_pb2.RKEAction_E.RKE_ACTION_UNLOCK: ("door_unlock", CommandKind.UNLOCK),
}


def _vehicle_security(payload: bytes, execute: Execute) -> bytes:
    """Carry out a ``vcsec.UnsignedMessage``; an empty answer means success."""
    message = vcsec_pb2.UnsignedMessage.FromString(payload)
    action = _RKE.get(message.RKEAction) if message.HasField("RKEAction") else None
    if action is None:
        error = errors_pb2.GenericError_E.GENERICERROR_UNKNOWN
    else:
        result, reason = execute(*action, None)
        if result or reason == "already_set":  # locking a locked car just locks it
            return vcsec_pb2.FromVCSECMessage().SerializeToString()
        error = (
            errors_pb2.GenericError_E.GENERICERROR_CLOSURES_OPEN
            if reason == "door open"
            else errors_pb2.GenericError_E.GENERICERROR_UNKNOWN
        )
    return vcsec_pb2.FromVCSECMessage(
        nominalError=errors_pb2.NominalError(genericError=error)
    ).SerializeToString()


def _infotainment(payload: bytes, execute: Execute) -> bytes:
    """Carry out a ``car_server.Action``; answer its ``ActionStatus``."""
    action = car_server_pb2.Action.FromString(payload).vehicleAction
    which = action.WhichOneof("vehicle_action_msg")
    command: tuple[str, CommandKind, float | None] | None = None
    match which:
        case "hvacAutoAction":
            command = (
                ("auto_conditioning_start", CommandKind.START_CLIMATE, None)
                if action.hvacAutoAction.power_on
                else ("auto_conditioning_stop", CommandKind.STOP_CLIMATE, None)
            )
        case "hvacTemperatureAdjustmentAction":
            target = round(
                action.hvacTemperatureAdjustmentAction.driver_temp_celsius, 1
            )
            command = ("set_temps", CommandKind.SET_CLIMATE_TARGET, target)
        case "vehicleControlFlashLightsAction":
            command = ("flash_lights", CommandKind.FLASH_LIGHTS, None)
        case "vehicleControlHonkHornAction":
            command = ("honk_horn", CommandKind.SOUND_HORN, None)
    if command is None:
        result, reason = False, "unsupported command"
    else:
        result, reason = execute(*command)
    status = car_server_pb2.ActionStatus(
        result=universal_message_pb2.OperationStatus_E.OPERATIONSTATUS_OK
        if result
        else universal_message_pb2.OperationStatus_E.OPERATIONSTATUS_ERROR
    )
    if not result:
        status.result_reason.plain_text = reason
    return car_server_pb2.Response(actionStatus=status).SerializeToString()
