"""The CarData REST client: one request choke point, quota-checked.

Every request spends one call of the account's `QuotaBudget` before it is sent
(a request that then fails may still have counted at BMW). Errors become the
vehicle layer's exceptions:

- 401 / CU-100..102 (token missing, invalid, expired) → `CarDataTokenRejectedError`
- 403 with CU-429 (the daily quota; BMW does not use 429) → `VehicleRateLimitError`
  with ``retry_after`` until the next midnight UTC, and the budget blocked
- 429 (a gateway's short-term limit) → `VehicleRateLimitError` with the
  Retry-After it sent (else `DEFAULT_RETRY_AFTER`); no call is made until then
- 5xx, timeouts, unreachable, unreadable bodies → `VehicleConnectionError`
- other errors (CU-103 scope, CU-104 VIN, CU-402 key, ...) → `CarDataApiError`

Bodies are read up to a size limit and must be UTF-8 JSON of bounded depth;
what is not is counted as a problem (never raised as anything but the above).
Messages name the endpoint, never the VIN in its path.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
import logging
import re
from typing import Any

import aiohttp

from ..clock import Clock
from ..exceptions import VehicleConnectionError, VehicleRateLimitError
from ..payloads import (
    BodyProblem,
    ProblemHandler,
    decode_json,
    read_body,
    retry_after_seconds,
)
from ..privacy import describe_error, redact
from ..utc_time import next_utc_midnight
from .const import API_VERSION_HEADER, CarDataEndpoints
from .errors import CarDataApiError, CarDataTokenRejectedError
from .quota import QuotaBudget

_LOGGER = logging.getLogger(__name__)

REQUEST_TIMEOUT = 30.0
TOKEN_ERROR_CODES = frozenset({"CU-100", "CU-101", "CU-102"})
QUOTA_ERROR_CODE = "CU-429"
HTTP_UNAUTHORIZED = 401
HTTP_FORBIDDEN = 403
HTTP_TOO_MANY_REQUESTS = 429
HTTP_SERVER_ERROR = 500
DEFAULT_RETRY_AFTER = 60.0
"""Seconds to wait after a 429 that did not say how long."""
VIN_PATTERN = re.compile(r"[A-Z0-9]{17}")
"""What a VIN from BMW must look like before it goes into a request path."""
CONTAINER_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_NAME_CHARS = 120


@dataclass(frozen=True, slots=True)
class Container:
    """A named set of telematic keys on BMW's side (at most 10 per account)."""

    container_id: str
    name: str
    state: str


class CarDataRestClient:
    """Typed access to ``api-cardata.bmwgroup.com`` for one account."""

    def __init__(  # noqa: PLR0913 - injected collaborators
        self,
        session: aiohttp.ClientSession,
        access_token: Callable[[], Awaitable[str]],
        budget: QuotaBudget,
        clock: Clock,
        *,
        endpoints: CarDataEndpoints | None = None,
        request_timeout: float = REQUEST_TIMEOUT,
        on_call: Callable[[], None] | None = None,
        on_problem: ProblemHandler | None = None,
    ) -> None:
        """Use the caller's HTTP session; on_call runs after each spent call.

        on_problem counts and logs unreadable answers (the backend's).
        """
        self._session = session
        self._access_token = access_token
        self.budget = budget
        self._clock = clock
        self._base = (endpoints or CarDataEndpoints()).api_base_url
        self._timeout = request_timeout
        self._on_call = on_call
        self._on_problem = on_problem

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send one request and return its JSON body; the one choke point."""
        token = await self._access_token()
        now = self._clock.now()
        self.budget.spend(now)  # raises VehicleRateLimitError when none is left
        if self._on_call is not None:
            self._on_call()
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            **API_VERSION_HEADER,
        }
        endpoint = f"{method} {endpoint_name(path)}"
        try:
            async with asyncio.timeout(self._timeout):
                response = await self._session.request(
                    method,
                    f"{self._base}{path}",
                    params=params,
                    json=body,
                    headers=headers,
                )
                async with response:
                    status = response.status
                    retry_after = response.headers.get("Retry-After")
                    raw = await read_body(response)
        except TimeoutError as err:
            msg = f"CarData did not answer {endpoint} in time"
            raise VehicleConnectionError(msg) from err
        except (aiohttp.ClientError, ValueError) as err:
            msg = f"CarData unreachable: {describe_error(err)}"
            raise VehicleConnectionError(msg) from err
        payload, problem = (
            (None, BodyProblem.TOO_LARGE) if raw is None else decode_json(raw)
        )
        if problem is not None and self._on_problem is not None:
            self._on_problem(problem.value, f"{endpoint} answer, HTTP {status}")
        if status < 300:  # noqa: PLR2004
            if self.budget.succeeded():
                _LOGGER.info("CarData accepts calls again")
            if payload is None:
                msg = f"CarData answered {endpoint} with no JSON"
                raise VehicleConnectionError(msg)
            return payload
        raise self._error(status, payload, now, retry_after_seconds(retry_after, now))

    def _error(
        self, status: int, payload: object, now: datetime, retry_after: float | None
    ) -> Exception:
        error = api_error(status, payload, now, retry_after)
        if not isinstance(error, VehicleRateLimitError):
            return error
        if status == HTTP_TOO_MANY_REQUESTS:
            wait = error.retry_after or DEFAULT_RETRY_AFTER
            until = self.budget.pause(now, timedelta(seconds=wait))
            _LOGGER.warning(
                "CarData asked us to slow down (HTTP 429); no REST calls until %s",
                until.isoformat(),
            )
            return error
        until = self.budget.block(now)
        _LOGGER.warning(
            "CarData refused a call: daily quota used up (CU-429); "
            "no REST calls until %s",
            until.isoformat(),
        )
        return error

    # -- endpoints ------------------------------------------------------------

    async def vehicle_mappings(self) -> list[str]:
        """Return the VINs mapped to the account."""
        return parse_mappings(await self.request("GET", "/customers/vehicles/mappings"))

    async def basic_data(self, vin: str) -> dict[str, Any]:
        """Return a vehicle's basic data (model, drive train, equipment)."""
        _check_vin(vin)
        payload = await self.request("GET", f"/customers/vehicles/{vin}/basicData")
        if not isinstance(payload, dict):
            msg = "Unexpected basicData response"
            raise VehicleConnectionError(msg)
        return payload

    async def containers(self) -> list[Container]:
        """Return the account's containers (deleted ones included)."""
        return parse_containers(await self.request("GET", "/customers/containers"))

    async def create_container(
        self, name: str, purpose: str, keys: Sequence[str]
    ) -> Container:
        """Create a container for keys; return it."""
        payload = await self.request(
            "POST",
            "/customers/containers",
            body={"name": name, "purpose": purpose, "technicalDescriptors": list(keys)},
        )
        return parse_created_container(payload, name)

    async def telematic_data(self, vin: str, container_id: str) -> dict[str, object]:
        """Return the container's keys for a vehicle: ``{key: {value, unit, timestamp}}``."""
        _check_vin(vin)
        return parse_telematic_data(
            await self.request(
                "GET",
                f"/customers/vehicles/{vin}/telematicData",
                params={"containerId": container_id},
            )
        )


# -- response bodies (pure, so the real samples can be fed to them) ---------------


def endpoint_name(path: str) -> str:
    """Return a request path fit for a message: the VIN in it masked."""
    return re.sub(r"/vehicles/[^/]+/", "/vehicles/{vin}/", path)


def _check_vin(vin: str) -> None:
    """Refuse to put anything but a VIN into a request path."""
    if not VIN_PATTERN.fullmatch(vin):
        msg = "Not a VIN"
        raise VehicleConnectionError(msg)


def api_error(
    status: int, payload: object, now: datetime, retry_after: float | None = None
) -> Exception:
    """Return the exception for a CarData error response."""
    code = message = None
    if isinstance(payload, Mapping):
        code = payload.get("exveErrorId")
        message = payload.get("exveErrorMsg")
    code = code if isinstance(code, str) else None
    text = message if isinstance(message, str) else ""
    if code == QUOTA_ERROR_CODE:
        return VehicleRateLimitError(
            "CarData daily API quota used up (CU-429)",
            (next_utc_midnight(now) - now).total_seconds(),
        )
    if status == HTTP_TOO_MANY_REQUESTS:
        return VehicleRateLimitError(
            "CarData rate limit (HTTP 429)", retry_after or DEFAULT_RETRY_AFTER
        )
    if status == HTTP_UNAUTHORIZED or code in TOKEN_ERROR_CODES:
        return CarDataTokenRejectedError(
            f"CarData refused the token ({redact(code or '', limit=20)})"
        )
    if status >= HTTP_SERVER_ERROR:
        return VehicleConnectionError(
            f"CarData error HTTP {status} {redact(code or '', limit=20)}".strip()
        )
    return CarDataApiError(status, code, text)


def parse_mappings(payload: object) -> list[str]:
    """Return the VINs of a mappings response (a list; the swagger says object)."""
    items = [payload] if isinstance(payload, Mapping) else payload
    if not isinstance(items, list):
        msg = "Unexpected vehicle mappings response"
        raise VehicleConnectionError(msg)
    return [
        vin
        for item in items
        if isinstance(item, Mapping)
        and isinstance(vin := item.get("vin"), str)
        and VIN_PATTERN.fullmatch(vin)
    ]


def parse_containers(payload: object) -> list[Container]:
    """Return the containers of a list response."""
    items = payload.get("containers") if isinstance(payload, Mapping) else payload
    if not isinstance(items, list):
        msg = "Unexpected containers response"
        raise VehicleConnectionError(msg)
    return [
        Container(
            item["containerId"],
            _text(item.get("name"), ""),
            _text(item.get("state"), ""),
        )
        for item in items
        if isinstance(item, Mapping) and _is_container_id(item.get("containerId"))
    ]


def parse_created_container(payload: object, name: str) -> Container:
    """Return the container a creation response describes."""
    if not isinstance(payload, Mapping) or not _is_container_id(
        payload.get("containerId")
    ):
        msg = "Unexpected container creation response"
        raise VehicleConnectionError(msg)
    return Container(
        payload["containerId"],
        _text(payload.get("name"), name) or name,
        _text(payload.get("state"), "ACTIVE"),
    )


def _is_container_id(value: object) -> bool:
    return isinstance(value, str) and CONTAINER_ID_PATTERN.fullmatch(value) is not None


def _text(value: object, default: str) -> str:
    """Return value if it is a short text, else default."""
    return value if isinstance(value, str) and len(value) <= MAX_NAME_CHARS else default


def parse_telematic_data(payload: object) -> dict[str, object]:
    """Return the ``telematicData`` map of a snapshot response."""
    data = payload.get("telematicData") if isinstance(payload, Mapping) else None
    if not isinstance(data, dict):
        msg = "Unexpected telematicData response"
        raise VehicleConnectionError(msg)
    return data
