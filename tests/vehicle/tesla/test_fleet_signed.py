"""Signed commands through the Vehicle Command Protocol, REST where a car takes only REST."""

from __future__ import annotations

import base64
import json
import logging

import pytest
from tesla_fleet_api.tesla.vehicle.proto import universal_message_pb2

from custom_components.connected_car.vehicle import (
    Command,
    CommandFailedError,
    CommandFailureReason,
    CommandKind,
    CommandNotSupportedError,
    CommandOutcome,
    LiveVehicle,
    signals,
)
from custom_components.connected_car.vehicle.tesla import (
    CommandKey,
    CommandSigning,
    TeslaBackend,
    TeslaKeyNotPairedError,
)
from custom_components.connected_car.vehicle.tesla.errors import TeslaApiError
from tests.simulation import set_open
from tests.tesla.auth import FLEET_HOSTS
from tests.tesla.https import fault_from_sample
from tests.tesla.owner import DOMAIN

from .conftest import MemoryStore, follow_changes

PAIRING = f"https://tesla.com/_ak/{DOMAIN}"
COMMANDS = [
    (Command(CommandKind.UNLOCK), signals.LOCKED, False),
    (Command(CommandKind.LOCK), signals.LOCKED, True),
    (Command(CommandKind.START_CLIMATE, 22.5), signals.CLIMATE_ACTIVE, True),
    (
        Command(CommandKind.SET_CLIMATE_TARGET, 21.0),
        signals.CLIMATE_TARGET_TEMPERATURE,
        21.0,
    ),
    (Command(CommandKind.STOP_CLIMATE), signals.CLIMATE_ACTIVE, False),
]


@pytest.fixture
async def signed(make_owner):
    """(owner, car, backend): a car that takes signed commands only, paired, online."""
    owner = make_owner()
    car = owner.add_car(command_signing="required")
    backend = await owner.backend()
    yield owner, car, backend
    await backend.close()


def live(backend: TeslaBackend, vin: str) -> LiveVehicle:
    return LiveVehicle(
        backend, backend.vehicle(vin), confirm_timeout=5, confirm_poll_interval=0.01
    )


def endpoints_of(fleet, vin: str) -> list[str]:
    """Return the command endpoints the car was sent to, in order."""
    return [
        r.path.rsplit("/", 1)[-1]
        for r in fleet.requests
        if r.path.startswith(f"/api/1/vehicles/{vin}/") and r.method == "POST"
    ]


async def post_signed(
    owner, vin: str, message: bytes
) -> universal_message_pb2.RoutableMessage:
    """Send a RoutableMessage to signed_command as is (a replay, a forgery)."""
    url = (
        f"https://{FLEET_HOSTS[owner.region.value]}/api/1/vehicles/{vin}/signed_command"
    )
    async with owner.session.post(
        url,
        json={"routable_message": base64.b64encode(message).decode()},
        headers={"Authorization": f"Bearer {owner.last_manager.tokens.access_token}"},
    ) as response:
        assert response.status == 200
        answer = await response.json()
    return universal_message_pb2.RoutableMessage.FromString(
        base64.b64decode(answer["response"])
    )


def last_signed_body(fleet, vin: str) -> bytes:
    """Return the RoutableMessage of the car's last signed command request."""
    request = [r for r in fleet.requests if r.path.endswith(f"{vin}/signed_command")][
        -1
    ]
    return base64.b64decode(json.loads(request.body)["routable_message"])


@pytest.mark.parametrize(
    ("signing", "endpoint"),
    [("required", "signed_command"), ("allowed", "command"), ("off", "command")],
)
async def test_commands_signed_where_required(
    make_owner, fleet, signing, endpoint
) -> None:
    owner = make_owner("eu")
    car = owner.add_car(command_signing=signing)
    backend = await owner.backend()
    vehicle = live(backend, car.vin)
    for command, signal, value in COMMANDS:
        result = await vehicle.execute(command)
        assert result.outcome is CommandOutcome.CONFIRMED
        assert vehicle.state.value(signal) == value
    for command in (Command(CommandKind.FLASH_LIGHTS), Command(CommandKind.SOUND_HORN)):
        assert (await vehicle.execute(command)).outcome is CommandOutcome.DELIVERED
    assert car.car.flash_count == car.car.horn_count == 1
    assert car.commands == [
        "door_unlock",
        "door_lock",
        "set_temps",
        "auto_conditioning_start",
        "set_temps",
        "auto_conditioning_stop",
        "flash_lights",
        "honk_horn",
    ]
    used = set(endpoints_of(fleet, car.vin))
    assert used == (
        {"signed_command"} if endpoint == "signed_command" else {*car.commands}
    )
    protocol = fleet.protocols[car.vin]
    assert protocol.handshakes == (2 if signing == "required" else 0)  # one per domain
    assert protocol.faults == []
    await backend.close()


async def test_signed_refusals_keep_their_reason(signed, caplog) -> None:
    _, car, backend = signed
    await backend.send(car.vin, Command(CommandKind.UNLOCK))
    set_open(car.car, signals.DOOR_FRONT_LEFT_OPEN, True)
    with pytest.raises(CommandFailedError) as refused:
        await backend.send(car.vin, Command(CommandKind.LOCK))
    assert refused.value.reason is CommandFailureReason.DOOR_OPEN
    assert refused.value.car_reason == "GENERICERROR_CLOSURES_OPEN"
    car.car.battery = 5.0  # too low to heat
    with pytest.raises(CommandFailedError) as low:
        await backend.send(car.vin, Command(CommandKind.START_CLIMATE))
    assert low.value.reason is CommandFailureReason.LOW_BATTERY
    assert car.car.locked is False
    assert "Command failed with reason" not in caplog.text  # a refusal is no error
    await backend.close()


async def test_key_not_paired_names_the_pairing_link(make_owner, fleet) -> None:
    owner = make_owner("cn")
    car = owner.add_car(command_signing="required", paired=False)
    backend = await owner.backend()
    changes = follow_changes(backend, lambda: set(backend.status.unpaired))
    for command in (Command(CommandKind.UNLOCK), Command(CommandKind.FLASH_LIGHTS)):
        with pytest.raises(TeslaKeyNotPairedError) as err:
            await backend.send(car.vin, command)
        assert err.value.pairing_url == PAIRING
        assert PAIRING in str(err.value)
    # Vehicle security says "not on whitelist", infotainment "unknown key".
    assert fleet.protocols[car.vin].faults == [
        "KEY_NOT_ON_WHITELIST",
        "MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID",
    ]
    assert backend.status.unpaired == {car.vin}
    assert backend.diagnostics()["vehicles"][0]["key_paired"] is False
    assert not backend.status.signed_out
    fleet.pair(car.vin, owner.key.public_point)  # the owner opened the link
    await backend.send(car.vin, Command(CommandKind.UNLOCK))
    assert car.car.locked is False
    assert backend.status.unpaired == set()
    assert changes == [{car.vin}, set()]
    await backend.close()


async def test_a_wrong_key_is_not_paired(make_owner, fleet) -> None:
    owner = make_owner()
    car = owner.add_car(command_signing="required")
    owner.key = CommandKey.generate()  # the integration lost its key, made a new one
    backend = await owner.backend()
    with pytest.raises(TeslaKeyNotPairedError):
        await backend.send(car.vin, Command(CommandKind.UNLOCK))
    assert car.car.locked is True
    await backend.close()


async def test_a_forged_message_is_rejected(signed, fleet) -> None:
    owner, car, backend = signed
    await backend.send(car.vin, Command(CommandKind.UNLOCK))
    await backend.send(car.vin, Command(CommandKind.LOCK))
    message = universal_message_pb2.RoutableMessage.FromString(
        last_signed_body(fleet, car.vin)
    )
    # Turn the signed "lock" into "unlock" (RKEAction 1 -> 0) and bump the counter.
    message.protobuf_message_as_bytes = message.protobuf_message_as_bytes.replace(
        b"\x10\x01", b"\x10\x00"
    )
    message.signature_data.HMAC_Personalized_data.counter += 1
    answer = await post_signed(owner, car.vin, message.SerializeToString())
    assert answer.signedMessageStatus.signed_message_fault == (
        universal_message_pb2.MessageFault_E.MESSAGEFAULT_ERROR_INVALID_SIGNATURE
    )
    assert answer.session_info  # the car offers its session to resynchronise
    assert car.car.locked is True
    await backend.close()


async def test_a_replayed_command_is_rejected(signed, fleet) -> None:
    owner, car, backend = signed
    await backend.send(car.vin, Command(CommandKind.UNLOCK))
    unlock = last_signed_body(fleet, car.vin)
    await backend.send(car.vin, Command(CommandKind.LOCK))
    answer = await post_signed(owner, car.vin, unlock)  # someone replays "unlock"
    assert answer.signedMessageStatus.signed_message_fault == (
        universal_message_pb2.MessageFault_E.MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER
    )
    assert car.car.locked is True
    fleet.protocols[car.vin].skew_clock(60)  # later, the command has expired too
    late = await post_signed(owner, car.vin, unlock)
    assert late.signedMessageStatus.signed_message_fault == (
        universal_message_pb2.MessageFault_E.MESSAGEFAULT_ERROR_TIME_EXPIRED
    )
    assert car.car.locked is True
    await backend.close()


async def test_an_expired_session_is_renewed(signed, fleet) -> None:
    _, car, backend = signed
    await backend.send(car.vin, Command(CommandKind.UNLOCK))
    protocol = fleet.protocols[car.vin]
    protocol.reboot()  # new epochs: the client's session is stale
    await backend.send(car.vin, Command(CommandKind.LOCK))
    assert car.car.locked is True
    assert protocol.faults == ["MESSAGEFAULT_ERROR_INCORRECT_EPOCH"]
    protocol.skew_clock(3600)  # the car's clock jumped: signed expiry is in its past
    await backend.send(car.vin, Command(CommandKind.UNLOCK))
    assert car.car.locked is False
    assert protocol.faults[-1] == "MESSAGEFAULT_ERROR_TIME_EXPIRED"
    assert protocol.handshakes == 1  # the faults carried the session; no new handshake
    await backend.close()


async def test_an_expiry_that_persists_is_an_error(signed, fleet, monkeypatch) -> None:
    _, car, backend = signed
    await backend.send(car.vin, Command(CommandKind.UNLOCK))
    protocol = fleet.protocols[car.vin]
    original = protocol.handle

    def always_late(raw, execute):
        protocol.skew_clock(3600)
        return original(raw, execute)

    monkeypatch.setattr(protocol, "handle", always_late)
    with pytest.raises(TeslaApiError):
        await backend.send(car.vin, Command(CommandKind.LOCK))
    assert car.car.locked is False
    await backend.close()


async def test_signing_learned_from_the_answers(make_owner, fleet) -> None:
    owner = make_owner()
    modern = owner.add_car(seed=1, command_signing="allowed")
    old = owner.add_car(seed=2, command_signing="required")
    backend = await owner.backend()
    modern.command_signing = "required"  # the products list was out of date
    old.command_signing = "off"  # a pre-2021 Model S
    await backend.send(modern.vin, Command(CommandKind.UNLOCK))
    await backend.send(old.vin, Command(CommandKind.UNLOCK))
    assert modern.car.locked is old.car.locked is False
    # REST refused (403), then a handshake with vehicle security and the command.
    assert endpoints_of(fleet, modern.vin) == [
        "door_unlock",
        "signed_command",
        "signed_command",
    ]
    assert endpoints_of(fleet, old.vin) == ["signed_command", "door_unlock"]
    assert backend.transport.signing == {
        modern.vin: CommandSigning.REQUIRED,
        old.vin: CommandSigning.OFF,
    }
    await backend.send(old.vin, Command(CommandKind.LOCK))  # REST straight away now
    assert endpoints_of(fleet, old.vin)[-1] == "door_lock"
    await backend.close()


async def test_without_a_key_only_rest_cars_take_commands(make_owner, fleet) -> None:
    owner = make_owner()
    signed = owner.add_car(seed=1, command_signing="required")
    plain = owner.add_car(seed=2, command_signing="off")
    tokens = await owner.sign_in()
    backend = TeslaBackend(
        owner.transport(owner.manager(tokens), key=False), clock=owner.clock
    )
    await backend.list_vehicles()
    with pytest.raises(CommandNotSupportedError):
        await backend.send(signed.vin, Command(CommandKind.UNLOCK))
    await backend.send(plain.vin, Command(CommandKind.UNLOCK))
    assert plain.car.locked is False
    assert signed.car.locked is True
    await backend.close()


async def test_the_private_key_never_leaves(make_owner, fleet, caplog) -> None:
    owner = make_owner()
    store = MemoryStore()
    car = owner.add_car(seed=1, command_signing="required")
    stranger = owner.add_car(seed=2, command_signing="required", paired=False)
    secret_pem = owner.key.private_pem()
    secret_number = owner.key.signing_key.private_numbers().private_value
    secrets = {
        secret_pem.splitlines()[1],
        f"{secret_number:x}",
        str(secret_number),
        base64.b64encode(secret_number.to_bytes(32, "big")).decode(),
    }
    caplog.set_level(logging.DEBUG)
    backend = await owner.backend(persistence=store)
    errors = []
    await backend.send(car.vin, Command(CommandKind.UNLOCK))
    try:
        await backend.send(stranger.vin, Command(CommandKind.UNLOCK))
    except TeslaKeyNotPairedError as err:
        errors.append(err)
    await backend.close()
    shown = "\n".join(
        [
            caplog.text,
            *(f"{e!s} {e!r}" for e in errors),
            str(backend.diagnostics()),
            str(store.data),
            repr(backend.transport),
            repr(owner.key),
        ]
    )
    assert errors
    for secret in secrets:
        assert secret not in shown


@pytest.mark.parametrize(
    ("signing", "sample", "path"),
    [
        ("required", "fleet_error_403_command_protocol_required", "signed_command"),
        ("off", "fleet_error_422_protocol_not_supported", "door_unlock"),
    ],
)
async def test_no_endless_switching(make_owner, fleet, signing, sample, path) -> None:
    owner = make_owner()
    car = owner.add_car(command_signing=signing)
    backend = await owner.backend()
    fleet.fail_next(fault_from_sample(sample, path_contains=path), times=3)
    with pytest.raises(TeslaApiError):
        await backend.send(car.vin, Command(CommandKind.UNLOCK))
    assert car.car.locked is True
    await backend.close()
