"""Reaching an entry's backend: signing in and listing the cars, at setup and after.

Without stored cars (a first setup, or data of release 0.1.0) setup waits for
the backend as long as it takes and fails, for Home Assistant to retry, if it
cannot be reached. With stored cars (every later start) setup waits at most
`STARTUP_CONTACT_WAIT`: a cloud that is down or slow does not hold the cars
back. Their entities show the stored states, with the car's own timestamps,
while the connection keeps trying in the background (a growing delay that
honours the service's Retry-After; logged once). Once it succeeds the live
updates start (stream, and polling while there is none), or the entry
reloads if the account's cars changed meanwhile. Refused credentials start
re-authentication; an account whose setup the owner must finish at the maker
(`AccountSetupError`, e.g. an app not registered) fails setup at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
import logging

from homeassistant.core import HomeAssistant, callback

from .const import CONTACT_RETRY_MAX, CONTACT_RETRY_MIN, DOMAIN, STARTUP_CONTACT_WAIT
from .coordinator import ConnectedCarConfigEntry
from .errors import Stage, ha_error
from .vehicle import (
    AccountSetupError,
    Backend,
    Vehicle,
    VehicleAuthError,
    VehicleError,
)
from .vehicle.privacy import describe_error
from .vehicle.supervision import Backoff, SupervisedLoop

_LOGGER = logging.getLogger(__name__)


async def _async_login_and_list(backend: Backend) -> list[Vehicle]:
    await backend.login()
    return await backend.list_vehicles()


class BackendConnection:
    """Whether an entry's backend was reached since setup, and reaching it."""

    def __init__(
        self, hass: HomeAssistant, entry: ConnectedCarConfigEntry, backend: Backend
    ) -> None:
        """Prepare; nothing is asked before `async_first_contact`."""
        self.hass = hass
        self.entry = entry
        self.backend = backend
        self.reached = False
        """Signed in and listed the cars since setup (live updates may run)."""
        self.attempts = 0
        self._attempt: asyncio.Task[list[Vehicle]] | None = None
        self._finished = False
        self._start_live_updates: Callable[[], None] | None = None
        self.loop = SupervisedLoop(
            f"Connection of {entry.title}",
            self._async_reach,
            backend.clock,
            logger=_LOGGER,
            until=lambda: self._finished,
        )
        """Reaches the backend in the background, whatever goes wrong."""

    def _new_attempt(self) -> asyncio.Task[list[Vehicle]]:
        self.attempts += 1
        self._attempt = self.entry.async_create_background_task(
            self.hass,
            _async_login_and_list(self.backend),
            f"{DOMAIN} sign-in of {self.entry.title}",
        )
        return self._attempt

    async def async_first_contact(self, stored: Sequence[Vehicle]) -> list[Vehicle]:
        """Return the cars to set up: as the backend lists them, else as stored.

        Raises the Home Assistant error of setup when the backend refused the
        credentials, needs the owner to finish the account's setup (waiting
        cannot help), or could not be reached and no cars are stored.
        """
        attempt = self._new_attempt()
        await asyncio.wait({attempt}, timeout=STARTUP_CONTACT_WAIT if stored else None)
        if attempt.done():
            error = attempt.exception()
            if error is None:
                self.reached = True
                return attempt.result()
            if isinstance(error, VehicleError) and (
                isinstance(error, VehicleAuthError | AccountSetupError) or not stored
            ):
                raise ha_error(error, Stage.SETUP) from error
            if not stored:
                raise error
            reason = describe_error(error)
        else:
            reason = f"no answer within {STARTUP_CONTACT_WAIT:.0f} s"
        _LOGGER.warning(
            "Could not reach the car service of %s at startup (%s); showing the "
            "stored states and connecting in the background",
            self.entry.title,
            reason,
        )
        return list(stored)

    @callback
    def async_start(self, start_live_updates: Callable[[], None]) -> None:
        """Start the live updates now if reached, else once reached."""
        if self.reached:
            start_live_updates()
            return
        self._start_live_updates = start_live_updates
        self.entry.async_create_background_task(
            self.hass, self.loop.run(), f"{DOMAIN} connection of {self.entry.title}"
        )

    async def _async_reach(self) -> None:
        """Try until the backend answers; then start live updates (or reload)."""
        clock = self.backend.clock
        backoff = Backoff(CONTACT_RETRY_MIN, CONTACT_RETRY_MAX)
        while True:
            attempt = self._attempt or self._new_attempt()
            try:
                vehicles = await attempt
                break
            except VehicleAuthError as err:
                self._finished = True
                self._signed_out(err)
                return
            except VehicleError as err:
                delay = backoff.next_delay(err)
                _LOGGER.debug(
                    "%s still unreachable (%s); trying again in %.0f s",
                    self.entry.title,
                    describe_error(err),
                    delay,
                )
                await clock.sleep(delay)
            finally:
                self._attempt = None  # each attempt is awaited once
        self._finished = True
        self.reached = True
        runtime = self.entry.runtime_data
        if vehicles != [c.vehicle for c in runtime.coordinators.values()]:
            _LOGGER.info(
                "The cars of %s changed while it was unreachable; reloading",
                self.entry.title,
            )
            self.hass.config_entries.async_schedule_reload(self.entry.entry_id)
            return
        _LOGGER.info(
            "Reached the car service of %s; live updates start", self.entry.title
        )
        assert self._start_live_updates is not None  # noqa: S101 - set by async_start
        self._start_live_updates()

    @callback
    def _signed_out(self, err: VehicleAuthError) -> None:
        """Ask the user to sign in again; the cars' entities turn unavailable."""
        self.entry.async_start_reauth(self.hass)
        failure = ha_error(err, Stage.UPDATE)
        for coordinator in self.entry.runtime_data.coordinators.values():
            coordinator.async_set_update_error(failure)
