"""The MQTT stream through a real mosquitto: tokens, reconnects, bad input."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import json
import logging

import pytest

from custom_components.connected_car.vehicle import (
    StateUpdate,
    StreamStatus,
    VehicleConnectionError,
    signals,
)
from custom_components.connected_car.vehicle.bmw import BmwCarDataBackend
from custom_components.connected_car.vehicle.bmw.auth import REFRESH_MARGIN
from custom_components.connected_car.vehicle.bmw.backend import MAX_PAYLOAD_BYTES
from custom_components.connected_car.vehicle.bmw.stream import LOSS_GRACE, RETRY_MIN
from tests.cardata.fixtures import eventually
from tests.simulation import set_open, set_plugged_in


class Listener:
    """Collects what one car's stream yields, in the background."""

    def __init__(self, backend: BmwCarDataBackend, vin: str) -> None:
        self.events: list[object] = []
        self.task = asyncio.create_task(self._listen(backend, vin))

    async def _listen(self, backend, vin) -> None:
        try:
            async for event in backend.stream(vin):
                self.events.append(event)
        except Exception as err:  # noqa: BLE001 - recorded for the test
            self.events.append(err)

    @property
    def errors(self) -> list[object]:
        return [e for e in self.events if isinstance(e, Exception)]

    def updates(self) -> list[StateUpdate]:
        return [e for e in self.events if isinstance(e, StateUpdate)]

    async def stop(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


@pytest.fixture
async def listener(running, account) -> AsyncIterator[Listener]:
    """A consumer of the account's one car, with the stream connected."""
    vin = next(iter(account.cars))
    await eventually(lambda: running.stream_client.connected)
    consumer = Listener(running, vin)
    await eventually(lambda: StreamStatus.CONNECTED in consumer.events)
    yield consumer
    await consumer.stop()


async def test_changes_arrive_in_cardata_format(
    running, listener, cardata, account, manual_clock
) -> None:
    car = next(iter(account.cars.values()))
    set_open(car, signals.DOOR_FRONT_LEFT_OPEN, True)
    set_plugged_in(car, False)
    await manual_clock.advance(10)
    assert await cardata.publish_changes(account) >= 1
    await eventually(listener.updates)
    state = running.state(car.vin)
    assert state.value(signals.DOOR_FRONT_LEFT_OPEN) is True
    assert state.value(signals.PLUGGED_IN) is False
    reading = state.get(signals.DOOR_FRONT_LEFT_OPEN)
    assert reading.timestamp == manual_clock.now()  # the car's own time


async def test_token_refresh_remakes_the_connection_without_a_visible_gap(
    running, listener, cardata, account, mosquitto, manual_clock
) -> None:
    """The broker accepts only the newest ID token; we follow every refresh."""
    gcid = account.gcid
    for refresh in (1, 2):
        old_token = account.id_token
        log_offset = len(mosquitto.log())
        connections = running.stream_client.connections
        await manual_clock.advance(3599 - REFRESH_MARGIN.total_seconds())
        await eventually(lambda r=refresh: running.tokens.refresh_count == r)
        await eventually(
            lambda c=connections: (
                running.stream_client.connections == c + 1
                and running.stream_client.connected
            )
        )
        assert account.id_token == running.tokens.tokens.id_token != old_token
        # The broker saw our client log in again after the reload, and only
        # the new password works there now.
        assert "Reloading config." in mosquitto.log()[log_offset:]
        assert mosquitto.connections_of(gcid, after=log_offset) == 1
        assert not await mosquitto.accepts(gcid, old_token)
        assert await mosquitto.accepts(gcid, account.id_token)
    # Nobody downstream saw the stream go away.
    assert listener.errors == []
    assert listener.events.count(StreamStatus.CONNECTED) == 1
    # And data flows on the new connection.
    car = next(iter(account.cars.values()))
    await cardata.publish_changes(account)  # the car catches up (it slept meanwhile)
    set_open(car, signals.TRUNK_OPEN, True)
    await manual_clock.advance(10)
    await cardata.publish_changes(account)
    await eventually(lambda: running.state(car.vin).value(signals.TRUNK_OPEN))


async def test_refused_stream_never_signs_out(
    running, cardata, account, mosquitto, manual_clock
) -> None:
    """Streaming not enabled in the portal: refused; one refresh, then backoff."""
    await eventually(lambda: running.stream_client.connected)
    account.streaming_subscribed = False
    await mosquitto.set_password(account.gcid, None)  # kicks the live connection
    await eventually(lambda: running.stream_client._current is None)
    await manual_clock.advance(RETRY_MIN)  # it had just connected: back off first
    await eventually(lambda: running.stream_client.refusals == 2)
    assert running.tokens.refresh_count == 1  # the one refresh after a refusal
    await manual_clock.advance(2 * RETRY_MIN)
    await eventually(lambda: running.stream_client.refusals == 3)
    assert running.tokens.refresh_count == 1  # a young token is not refreshed again
    assert running.signed_out is None
    # Streaming enabled in the portal: the next retry gets in.
    account.streaming_subscribed = True
    await mosquitto.set_password(account.gcid, account.id_token)
    await manual_clock.advance(4 * RETRY_MIN)
    await eventually(lambda: running.stream_client.connected)


async def test_long_outage_is_reported_once_and_recovers(
    running, listener, cardata, account, mosquitto, manual_clock
) -> None:
    vin = next(iter(account.cars))
    account.streaming_subscribed = False
    await mosquitto.set_password(account.gcid, None)
    await eventually(lambda: running.stream_client._current is None)
    await manual_clock.advance(LOSS_GRACE / 2)
    await eventually(lambda: running.stream_client.refusals >= 1)
    await asyncio.sleep(0.05)
    assert listener.errors == []  # still within the grace period
    await manual_clock.advance(LOSS_GRACE)
    await eventually(lambda: listener.errors)
    assert isinstance(listener.errors[0], VehicleConnectionError)
    assert not running.stream_client.connected
    # A new consumer waits for the stream; it gets CONNECTED when it is back.
    second = Listener(running, vin)
    account.streaming_subscribed = True
    await mosquitto.set_password(account.gcid, account.id_token)
    for _ in range(6):
        await manual_clock.advance(60)
        await asyncio.sleep(0.05)
        if second.events:
            break
    await eventually(lambda: StreamStatus.CONNECTED in second.events)
    await second.stop()


async def test_bad_messages_never_raise_and_are_logged_once_per_kind(
    running, listener, cardata, account, manual_clock, caplog
) -> None:
    vin = next(iter(account.cars))
    caplog.set_level(logging.WARNING)

    def message(data=None, **envelope):
        document = {"vin": vin, "timestamp": "2026-01-15T06:30:00.000Z"}
        if data is not None:
            document["data"] = data
        return json.dumps(document | envelope).encode()

    def entry(value, seconds=0):
        return {"value": value, "timestamp": f"2026-01-15T06:30:{seconds:02d}Z"}

    bad = {
        "not_json": b"\x00not json at all",
        "not_utf8": b'{"vin": "\xff\xfe"}',  # a BMW error page in Latin-1 once
        "too_deep": b"[" * 100_000 + b"]" * 100_000,  # RecursionError in json
        "not_an_object": b'["vin", "data"]',
        "wrong_vin": message(
            {"vehicle.body.hood.isOpen": entry("OPEN")}, vin="WBA00000000000000"
        ),
        "missing_data": message(),
        "wrong_type": message(
            {"vehicle.drivetrain.lastRemainingRange": entry({"km": 3})}
        ),
        "unknown_value": message({"vehicle.body.trunk.isOpen": entry("AJAR")}),
        "bad_entry": message({"vehicle.body.hood.isOpen": ["OPEN"]}),
        "too_large": message({"vehicle.x": entry("x" * MAX_PAYLOAD_BYTES)}),
        "bad_timestamp": message(
            {
                "vehicle.body.hood.isOpen": {
                    "value": "OPEN",
                    "timestamp": "9999-12-31T23:59:59-05:00",  # no UTC form
                }
            }
        ),
        "future_timestamp": message(
            {
                "vehicle.body.hood.isOpen": {
                    "value": "OPEN",
                    "timestamp": "2099-01-01T00:00:00Z",
                }
            }
        ),
    }
    huge_number = (
        b'{"vin": "%s", "data": {"vehicle.drivetrain.lastRemainingRange": '
        b'{"value": 1%s, "timestamp": "2026-01-15T06:30:00Z"}}}'
        % (vin.encode(), b"0" * 400)  # an int too large for a float
    )
    for _ in range(2):
        for payload in bad.values():
            await cardata.publish(account, vin, payload)
        await cardata.publish(account, vin, huge_number)
    # Out of order: the newer reading (open at :20) stays when an older one follows.
    await cardata.publish(
        account, vin, message({"vehicle.body.hood.isOpen": entry("OPEN", 20)})
    )
    await cardata.publish(
        account, vin, message({"vehicle.body.hood.isOpen": entry("CLOSED", 10)})
    )
    await cardata.publish(
        account, vin, message({"vehicle.body.trunk.isOpen": entry("OPEN", 30)})
    )
    await eventually(lambda: running.state(vin).value(signals.TRUNK_OPEN))
    running._on_mqtt_message(
        f"someone-else/{vin}", message({})
    )  # never delivered by ACL

    assert running.state(vin).value(signals.HOOD_OPEN) is True
    assert running.stream_client.connected
    assert listener.errors == []
    assert running.problems == dict.fromkeys(bad, 2) | {
        "wrong_topic": 1,
        "wrong_type": 4,  # the dict above and the huge number
    }
    assert running.state(vin).value(signals.RANGE) is None
    for kind in [*bad, "wrong_topic"]:
        logged = [r for r in caplog.records if f"({kind}:" in r.getMessage()]
        assert len(logged) == 1, kind
    text = caplog.text
    assert vin not in text  # logs name the problem and key, never the car


async def test_handler_survives_unexpected_errors(running, account, caplog) -> None:
    vin = next(iter(account.cars))
    running._parsers[vin] = object()  # a bug elsewhere must not kill the stream
    payload = json.dumps(
        {"vin": vin, "data": {"vehicle.body.hood.isOpen": {"value": "OPEN"}}}
    )
    running._on_mqtt_message(f"{account.gcid}/{vin}", payload.encode())
    running._on_mqtt_message(f"{account.gcid}/{vin}", payload.encode())
    assert running.problems["unexpected"] == 2
    assert caplog.text.count("this kind is logged once") == 1


async def test_connection_is_replaced_before_the_old_one_closes(
    running, listener, cardata, account, mosquitto, manual_clock
) -> None:
    """A rotation whose ID token the broker accepts: new connection first."""
    cardata.reuse_id_token = True
    old = running.stream_client._current
    log_offset = len(mosquitto.log())
    await running.tokens.refresh()
    await eventually(lambda: running.stream_client._current is not old)
    assert running.stream_client.connections == 2
    assert mosquitto.connections_of(account.gcid, log_offset) == 1
    assert old.reader.done()  # the old connection was closed after the switch
    assert listener.errors == []
    car = next(iter(account.cars.values()))
    set_open(car, signals.HOOD_OPEN, True)
    await manual_clock.advance(10)
    await cardata.publish_changes(account)
    await eventually(lambda: running.state(car.vin).value(signals.HOOD_OPEN))


async def test_old_connection_is_kept_while_the_broker_lags(
    running, listener, cardata, account, mosquitto, manual_clock
) -> None:
    """BMW's broker may not know a fresh token yet: keep streaming meanwhile."""
    cardata.broker_follows_tokens = False
    old = running.stream_client._current
    await running.tokens.refresh()
    await eventually(lambda: running.stream_client.refusals == 1)
    assert running.stream_client._current is old
    assert running.stream_client.connected
    await manual_clock.advance(5)  # retried after 5 s: still refused
    await eventually(lambda: running.stream_client.refusals == 2)
    assert running.tokens.refresh_count == 1  # a young token is not refreshed
    # The broker learns the token (and drops the old login): we follow, after
    # the short backoff for a connection that lived only seconds.
    await cardata.broker_accepts_current_token(account)
    await eventually(lambda: running.stream_client._current is None)
    await manual_clock.advance(RETRY_MIN)
    await eventually(lambda: running.stream_client._current not in (old, None))
    await eventually(lambda: running.stream_client.connected)
    assert listener.errors == []


async def test_keepalive_and_identity(running, account, mosquitto) -> None:
    """Keepalive 30 s (longer ones were dropped by BMW), client id = GCID."""
    await eventually(lambda: running.stream_client.connected)
    assert f"as {account.gcid} (p2, c1, k30, u'{account.gcid}')" in mosquitto.log()


async def test_session_taken_over_again_and_again_backs_off(
    running, listener, cardata, account, mosquitto, manual_clock
) -> None:
    """Another client with this account keeps kicking us: no tight loop."""
    await eventually(lambda: running.stream_client.connected)
    connections = running.stream_client.connections
    for _ in range(3):  # the other client logs in with the same identity
        assert await mosquitto.accepts(account.gcid, account.id_token, account.gcid)
    await asyncio.sleep(0.2)
    assert running.stream_client.connections <= connections + 1
    await manual_clock.advance(RETRY_MIN)
    await eventually(lambda: running.stream_client.connected)
