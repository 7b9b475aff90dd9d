"""The Tesla backend's account as the `Backend` protocol shows it (`AccountStatus`)."""

from __future__ import annotations

import pytest

from custom_components.connected_car.vehicle import AccountStatus, VehicleAuthError

from .conftest import eventually


async def test_before_listing_nothing_is_known(make_backend, fake_car) -> None:
    backend = make_backend()
    assert backend.account_status() == AccountStatus(stream_connected=False)
    await backend.close()


async def test_cars_and_stream(streaming, fake_car, teslemetry) -> None:
    backend = streaming
    changes: list[AccountStatus] = []
    remove = backend.add_account_listener(
        lambda: changes.append(backend.account_status())
    )
    assert backend.account_status() == AccountStatus(
        vins=(fake_car.vin,), stream_connected=True
    )
    teslemetry.end_streams()
    await eventually(lambda: not backend.account_status().stream_connected)
    assert changes[-1].stream_connected is False
    remove()
    assert backend.add_listener == backend.add_account_listener  # phase-1 name


async def test_signed_out_when_the_token_is_revoked(
    backend, fake_car, teslemetry
) -> None:
    teslemetry.accounts.clear()  # the owner revoked the token at Teslemetry
    seen: list[bool] = []
    backend.add_account_listener(
        lambda: seen.append(backend.account_status().signed_out)
    )
    with pytest.raises(VehicleAuthError):
        await backend.fetch_state(fake_car.vin)
    assert backend.account_status().signed_out
    assert seen == [True]


async def test_the_account_id_comes_from_teslemetrys_metadata(
    make_backend, fake_car, teslemetry
) -> None:
    backend = make_backend()
    await backend.login()
    assert backend.account is not None
    assert backend.account.account_id == "uid-456789"  # the fake's id of the token
    await backend.close()
