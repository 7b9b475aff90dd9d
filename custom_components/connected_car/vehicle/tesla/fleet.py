"""Tesla's own Fleet API with the owner's app: regions, registration, signed commands.

The second `TeslaTransport`, on the same library as Teslemetry (``TeslaFleetApi``
instead of ``Teslemetry``). What the service did for Teslemetry users is ours here:

- the region: from the access token's ``ou_code`` claim, else asked of
  ``users/region``; a 421 answer naming another of Tesla's hosts moves the
  transport there (a host Tesla's table does not list is never followed);
- partner registration: a 412 (the app is not registered in this region)
  registers the owner's domain there with a partner token and tries again once;
- signing: cars whose products entry says ``command_signing: required`` get
  their commands through the Vehicle Command Protocol, signed with the
  integration's key (the library's ``createSigned``); others over REST. A 403
  "command protocol required" or a 422 "does not support the protocol" corrects
  a wrong guess once;
- a refused token (401, not ``login_required``) is renewed once.

Every HTTP request, the library's handshakes included, is metered for billing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
import logging
from typing import Any, cast

import aiohttp
from tesla_fleet_api import TeslaFleetApi
from tesla_fleet_api.tesla.vehicle.fleet import VehicleFleet

from ..clock import Clock
from ..exceptions import CommandNotSupportedError
from ..models import Command
from .const import FLEET_API_HOSTS, CommandSigning, Region
from .errors import (
    TeslaApiError,
    TeslaAuthError,
    TeslaForbiddenError,
    TeslaKeyNotPairedError,
    TeslaNotRegisteredError,
    TeslaSessionExpiredError,
    TeslaSigningRequiredError,
    TeslaSigningUnsupportedError,
    TeslaWrongRegionError,
    api_call,
    command_answer,
    response_of,
)
from .keys import CommandKey, public_key_url
from .oauth import AccessTokenSource, FleetOAuth, fleet_api_url, token_claims
from .stream import EventHandler, StatusHandler
from .transport import (
    AccountInfo,
    MeteredRequests,
    RequestMeter,
    run_library_command,
)

_LOGGER = logging.getLogger(__name__)

HTTP_NOT_FOUND = 404
HTTP_SERVER_ERROR = 500
_REGION_OF_HOST = {host: region for region, host in FLEET_API_HOSTS.items()}


class MeteredFleetApi(MeteredRequests, TeslaFleetApi):
    """The library's Fleet API client with every request metered."""


@dataclass(frozen=True, slots=True)
class FleetApp:
    """The owner's developer app, as partner registration needs it."""

    oauth: FleetOAuth
    """Its sign-in server and client credentials (partner tokens)."""
    domain: str
    """Where the app's public key is published (``/.well-known/appspecific/...``)."""


def region_of_url(url: object) -> Region | None:
    """Return the region of one of Tesla's Fleet API URLs (None: not Tesla's)."""
    if not isinstance(url, str):
        return None
    host = url.removeprefix("https://").split("/")[0]
    return _REGION_OF_HOST.get(host)


class FleetTransport:
    """Tesla's Fleet API with the owner's OAuth app, in every region incl. China."""

    name = "fleet_api"

    def __init__(
        self,
        session: aiohttp.ClientSession,
        tokens: AccessTokenSource,
        *,
        app: FleetApp | None = None,
        command_key: CommandKey | None = None,
        region: Region | None = None,
    ) -> None:
        """Call Tesla with the owner's tokens.

        region is where the owner signed in (the token's claim corrects it);
        without app the transport cannot register itself; without command_key
        it cannot command cars that require signed commands.
        """
        self._session = session
        self._tokens = tokens
        self._app = app
        self._key = command_key
        self._home = region or (app.oauth.region if app else Region.NA)
        self.region: Region | None = region
        self._meter: RequestMeter | None = None
        self.api = self._client(tokens.access_token, self._home)
        if command_key is not None:
            self.api.private_key = command_key.signing_key
        self.signing: dict[str, CommandSigning] = {}
        """Per VIN, how its commands go (from the products list, corrected by answers)."""
        self._fleet_cars: dict[str, VehicleFleet] = {}
        self._signed_cars: dict[str, VehicleFleet] = {}

    def _client(
        self, access_token: Callable[[], Awaitable[str]] | str, region: Region
    ) -> MeteredFleetApi:
        api = MeteredFleetApi(
            self._session,
            access_token=cast(
                "Callable[[], Awaitable[str | None]] | str", access_token
            ),
            server=fleet_api_url(region),
        )
        api.meter = self._meter
        return api

    def set_meter(self, meter: RequestMeter) -> None:
        """Meter every request (the owner's and the app's own)."""
        self._meter = meter
        self.api.meter = meter

    @property
    def key_fingerprint(self) -> str | None:
        """Return the command key's public fingerprint (None: no key)."""
        return self._key.fingerprint if self._key else None

    @property
    def domain(self) -> str | None:
        """Return the app's domain (the key's home), when known."""
        return self._app.domain if self._app else None

    def _use(self, region: Region) -> None:
        if region is not self.region:
            _LOGGER.debug("Using the Fleet API of region %s", region.value)
        self.region = region
        self.api.server = fleet_api_url(region)

    # -- calls -----------------------------------------------------------------------

    async def _call[T](self, what: str, request: Callable[[], Awaitable[T]]) -> T:
        """Make a call; follow a 421, register on a 412, renew a refused token (once each)."""
        tried: set[type[Exception]] = set()
        while True:
            try:
                return await api_call(what, request())
            except TeslaWrongRegionError as err:
                if TeslaWrongRegionError in tried:
                    raise
                tried.add(TeslaWrongRegionError)
                await self._follow(err.host)
            except TeslaNotRegisteredError as err:
                if TeslaNotRegisteredError in tried or self._app is None:
                    raise TeslaNotRegisteredError(
                        str(err),
                        region=(self.region or self._home).value,
                        public_key_url=public_key_url(self.domain)
                        if self.domain
                        else "",
                    ) from None
                tried.add(TeslaNotRegisteredError)
                await self.register()
            except TeslaAuthError as err:
                if (
                    TeslaAuthError in tried
                    or isinstance(err, TeslaForbiddenError)
                    or err.error == "login_required"
                ):
                    raise
                tried.add(TeslaAuthError)
                self._tokens.token_rejected()

    async def _follow(self, host: str | None) -> None:
        """Move to the host a 421 named, or ask ``users/region`` where the account is."""
        region = _REGION_OF_HOST.get(host or "")
        if region is not None:
            self._use(region)
            return
        await self._discover()

    async def _discover(self) -> None:
        """Ask ``users/region`` (it answers on every host) which region is the account's."""
        answer = await api_call("users/region", self.api.user.region())
        response = response_of("users/region", answer)
        found = region_of_url(
            response.get("fleet_api_base_url")
            if isinstance(response, Mapping)
            else None
        )
        if found is None:
            msg = "users/region: no known Fleet API host in the answer"
            raise TeslaApiError(msg, None, None)
        self._use(found)

    # -- account -------------------------------------------------------------------------

    async def account(self) -> AccountInfo:
        """Learn the region (token claim, else ``users/region``) and the granted scopes."""
        claims = token_claims(await self._tokens.access_token())
        if (region := self.region or claims.region) is not None:
            self._use(region)  # ask there first: the answer confirms or corrects it
        await self._call("users/region", self._discover)
        assert self.region is not None  # noqa: S101 - set by _discover
        return AccountInfo(self.region.value, claims.scopes)

    async def register(self, region: Region | None = None) -> None:
        """Register the app's domain in region (default: the account's) with a partner token."""
        region = region or self.region or self._home
        if self._app is None:
            msg = "The app is not registered in this region and no app credentials are known"
            raise TeslaNotRegisteredError(msg, region=region.value)
        key_url = public_key_url(self._app.domain)
        try:
            partner = self._client(await self._app.oauth.partner_token(region), region)
            await api_call(
                "partner registration", partner.partner.register(self._app.domain)
            )
        except (TeslaApiError, TeslaAuthError) as err:
            if isinstance(err, TeslaApiError) and (
                err.status is None or err.status >= HTTP_SERVER_ERROR
            ):
                raise  # Tesla's trouble, not the app's: worth another try later
            msg = (
                f"Registering the app in region {region.value} failed ({err}); "
                "check its client secret, and that its public key is published at "
                f"{key_url}"
            )
            raise TeslaNotRegisteredError(
                msg, region=region.value, public_key_url=key_url
            ) from None
        _LOGGER.info("Registered the Tesla app in region %s", region.value)

    async def registered_public_key(self, region: Region | None = None) -> bytes | None:
        """Return the public key Tesla holds for the app's domain in region (None: none)."""
        if self._app is None:
            return None
        region = region or self.region or self._home
        partner = self._client(await self._app.oauth.partner_token(region), region)
        try:
            answer = await api_call(
                "partner public key", partner.partner.public_key(self._app.domain)
            )
        except TeslaApiError as err:
            if err.status == HTTP_NOT_FOUND:  # nothing registered for the domain
                return None
            raise
        response = response_of("partner public key", answer)
        key = response.get("public_key") if isinstance(response, Mapping) else None
        try:
            return bytes.fromhex(key) if isinstance(key, str) and key else None
        except ValueError:
            return None

    async def unpaired_vins(self, vins: Sequence[str]) -> list[str]:
        """Return which of the cars do not know the app's key (``fleet_status``)."""
        if not vins:
            return []
        answer = await self._call(
            "fleet_status", lambda: self._fleet_car(vins[0]).fleet_status(list(vins))
        )
        response = response_of("fleet_status", answer)
        unpaired = (
            response.get("unpaired_vins") if isinstance(response, Mapping) else None
        )
        paired = (
            response.get("key_paired_vins") if isinstance(response, Mapping) else None
        )
        if isinstance(unpaired, list):
            return [vin for vin in vins if vin in unpaired]
        if isinstance(paired, list):
            return [vin for vin in vins if vin not in paired]
        msg = "fleet_status: answer without paired or unpaired cars"
        raise TeslaApiError(msg, None, None)

    async def cars_without_key(self, vins: Sequence[str]) -> list[str]:
        """Return the cars that take only signed commands and do not know the key."""
        signed = [v for v in vins if self.signing.get(v) is CommandSigning.REQUIRED]
        return await self.unpaired_vins(signed)

    # -- cars --------------------------------------------------------------------------

    def _fleet_car(self, vin: str) -> VehicleFleet:
        car = self._fleet_cars.get(vin)
        if car is None:
            car = self._fleet_cars[vin] = VehicleFleet(self.api, vin)
        return car

    def _signed_car(self, vin: str) -> VehicleFleet:
        """Return the car's signing client (its protocol sessions live as long as it)."""
        car = self._signed_cars.get(vin)
        if car is None:
            if self._key is None:
                msg = "This car takes signed commands only and no command key is set"
                raise CommandNotSupportedError(msg)
            car = self._signed_cars[vin] = self.api.vehicles.createSigned(vin)
        return car

    async def products(self) -> list[Mapping[str, Any]]:
        """Return the product entries; remember how each car takes commands. Free."""
        answer = await self._call("products", self.api.products)
        response = response_of("products", answer)
        entries = (
            [e for e in response if isinstance(e, Mapping)]
            if isinstance(response, list)
            else []
        )
        for entry in entries:
            vin, signing = entry.get("vin"), entry.get("command_signing")
            if isinstance(vin, str) and isinstance(signing, str):
                try:
                    self.signing[vin] = CommandSigning(signing)
                except ValueError:
                    _LOGGER.debug("Unknown command_signing value; REST it is")
        return entries

    async def vehicle(self, vin: str) -> Mapping[str, Any]:
        """Return the car's entry (with ``state``). Free; never wakes it."""
        answer = await self._call("vehicle", self._fleet_car(vin).vehicle)
        response = response_of("vehicle", answer)
        return response if isinstance(response, Mapping) else {}

    async def vehicle_data(
        self, vin: str, endpoints: Sequence[str]
    ) -> Mapping[str, Any]:
        """Return the car's live data. Billed as data."""
        answer = await self._call(
            "vehicle_data",
            lambda: self._fleet_car(vin).vehicle_data(endpoints=list(endpoints)),
        )
        response = response_of("vehicle_data", answer)
        return response if isinstance(response, Mapping) else {}

    async def wake_up(self, vin: str) -> Mapping[str, Any]:
        """Ask the car to wake up. Billed as a wake."""
        answer = await self._call("wake_up", self._fleet_car(vin).wake_up)
        response = response_of("wake_up", answer)
        return response if isinstance(response, Mapping) else {}

    async def command(self, vin: str, command: Command) -> tuple[bool, str]:
        """Send a command, signed where the car requires it; return ``(result, reason)``."""
        what = command.kind.value
        signed = self.signing.get(vin) is CommandSigning.REQUIRED
        tried: set[type[Exception]] = set()
        while True:
            car = self._signed_car(vin) if signed else self._fleet_car(vin)
            try:
                answer = await self._call(
                    what, partial(run_library_command, car, command)
                )
            except TeslaSigningRequiredError:
                if signed:
                    raise
                signed = True
                self.signing[vin] = CommandSigning.REQUIRED
            except TeslaSigningUnsupportedError:
                if not signed:
                    raise
                signed = False
                self.signing[vin] = CommandSigning.OFF
            except TeslaKeyNotPairedError:
                raise TeslaKeyNotPairedError(self.domain) from None
            except TeslaSessionExpiredError:
                # The car sent its clock with the fault; the library has synced.
                if TeslaSessionExpiredError in tried:
                    raise
                tried.add(TeslaSessionExpiredError)
            else:
                return command_answer(answer)

    def events(
        self, clock: Clock, on_event: EventHandler, on_status: StatusHandler
    ) -> None:
        """Return None: the Fleet API pushes nothing to us (Fleet Telemetry needs a server)."""
