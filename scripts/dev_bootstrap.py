"""Make a freshly started development Home Assistant usable (run by scripts/develop).

Before Home Assistant starts (``--prepare CONFIG_DIR``, fresh configurations
only): marks the onboarding steps "core config" and "analytics" as done in
Home Assistant's onboarding store. Finishing the core config step through the
API would set up weather, radio, text-to-speech and shopping-list integrations,
which need the internet and fill the log with errors; location and units come
from configuration.yaml anyway.

Then waits until Home Assistant answers on 127.0.0.1 and, only where not done yet:
  1. onboarding through HA's own onboarding HTTP API: the owner user (fixed,
     development-only credentials) and the integration step;
  2. one Connected Car config entry with one simulated car, through the
     config-flow REST API (the same steps the UI takes);
  3. the simulation speed from $SIMULATION_SPEED (1-120), when set, through the
     options flow;
  4. the car dashboard (strategy custom:connected-car), created through the
     websocket API the frontend uses, and made the default dashboard.
Then prints the URL and the credentials. Running it again changes nothing.
Runs in the project's .venv (aiohttp for the websocket, from Home Assistant).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
import contextlib
from http.client import HTTPConnection, HTTPException
import json
import os
from pathlib import Path
import sys
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp

HOST = "127.0.0.1"
PORT = 8123
BASE_URL = f"http://{HOST}:{PORT}"
# Development-only credentials: the server listens on 127.0.0.1 only.
USERNAME = "dev"
PASSWORD = "dev-only-password"  # noqa: S105 - published on purpose, loopback only
DISPLAY_NAME = "Developer"
LANGUAGE = "en"
# The frontend's own client id: HA accepts any URL on the server's host.
CLIENT_ID = f"{BASE_URL}/"
REDIRECT_URI = f"{BASE_URL}/?auth_callback=1"

DOMAIN = "connected_car"
SIMULATION = {"cars": 1, "seed": 1, "names": []}
SPEED_ENV = "SIMULATION_SPEED"
MAX_SPEED = 120

DASHBOARD_PATH = "connected-car"
DASHBOARD = {
    "url_path": DASHBOARD_PATH,
    "title": "Cars",
    "icon": "mdi:car",
    "show_in_sidebar": True,
    "require_admin": False,
    "mode": "storage",
}
DASHBOARD_CONFIG = {"strategy": {"type": "custom:connected-car"}}

ONBOARDING_STORE = Path(".storage") / "onboarding"
ONBOARDING_STORE_VERSION = 4
"""Home Assistant 2026.2's onboarding store (tests/test_dev_bootstrap.py checks)."""
ONBOARDING_SKIPPED = ("core_config", "analytics")

# Generous: during a first start HA answers the onboarding user step only after
# it has installed its components' requirements.
REQUEST_TIMEOUT = 600
HTTP_OK = 200
HTTP_NOT_FOUND = 404


class BootstrapError(Exception):
    """Something the person starting scripts/develop has to look at."""


def say(message: str) -> None:
    """Print one line of progress (flushed: HA writes to the same terminal)."""
    sys.stdout.write(f"develop: {message}\n")
    sys.stdout.flush()


def request(
    method: str,
    path: str,
    *,
    body: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
    token: str | None = None,
) -> tuple[int, Any]:
    """Send one request to Home Assistant; return the status and decoded JSON."""
    headers: dict[str, str] = {}
    payload: bytes | None = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        payload = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    connection = HTTPConnection(HOST, PORT, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        data = raw.decode(errors="replace")
    return response.status, data


def expect(
    method: str, path: str, *, ok: tuple[int, ...] = (HTTP_OK,), **kwargs: Any
) -> Any:
    """Send a request that must succeed; return its JSON."""
    status, data = request(method, path, **kwargs)
    if status not in ok:
        msg = f"{method} {path} answered HTTP {status}: {data}"
        raise BootstrapError(msg)
    return data


def process_alive(pid: int | None) -> bool:
    """Return whether the Home Assistant process is still there."""
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_until(
    what: str,
    check: Callable[[], Any],
    *,
    deadline: float,
    pid: int | None,
) -> Any:
    """Call check() every second until it returns something but None or False."""
    while True:
        if not process_alive(pid):
            msg = f"Home Assistant exited while {what} (see its log above)"
            raise BootstrapError(msg)
        with contextlib.suppress(OSError, HTTPException):
            # Not truthiness: {} (onboarding finished) is an answer too.
            if (result := check()) is not None and result is not False:
                return result
        if time.monotonic() > deadline:
            msg = f"timed out {what}"
            raise BootstrapError(msg)
        time.sleep(1)


def onboarding_steps() -> dict[str, bool] | None:
    """Return {step: done}, {} once onboarding is over, None while HTTP is down."""
    status, data = request("GET", "/api/onboarding")
    if status == HTTP_OK:
        return {item["step"]: item["done"] for item in data}
    if status == HTTP_NOT_FOUND:
        # HA registers the onboarding views only while onboarding is unfinished.
        return {}
    return None


def token_from_code(code: str) -> dict[str, Any]:
    """Exchange an authorization code for tokens, as the frontend does."""
    result: dict[str, Any] = expect(
        "POST",
        "/auth/token",
        form={"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID},
    )
    return result


def log_in() -> dict[str, Any]:
    """Log in with the development credentials through HA's login flow."""
    flow = expect(
        "POST",
        "/auth/login_flow",
        body={
            "client_id": CLIENT_ID,
            "handler": ["homeassistant", None],
            "redirect_uri": REDIRECT_URI,
        },
    )
    result = expect(
        "POST",
        f"/auth/login_flow/{flow['flow_id']}",
        body={"username": USERNAME, "password": PASSWORD, "client_id": CLIENT_ID},
    )
    if result.get("type") != "create_entry":
        msg = (
            f"could not log in as {USERNAME!r} with the development password "
            f"({result.get('errors')}); was the password changed? "
            "scripts/develop --reset starts from scratch"
        )
        raise BootstrapError(msg)
    return token_from_code(result["result"])


def onboard(steps: dict[str, bool]) -> dict[str, Any]:
    """Finish whatever onboarding steps are open; return tokens of the owner."""
    if steps.get("user") is False:
        say(f"onboarding: creating the owner user {USERNAME!r}")
        created = expect(
            "POST",
            "/api/onboarding/users",
            body={
                "client_id": CLIENT_ID,
                "name": DISPLAY_NAME,
                "username": USERNAME,
                "password": PASSWORD,
                "language": LANGUAGE,
            },
        )
        tokens = token_from_code(created["auth_code"])
    else:
        tokens = log_in()
    access = tokens["access_token"]
    # Location, units and time zone come from configuration.yaml.
    if steps.get("core_config") is False:
        say("onboarding: core config (from configuration.yaml)")
        expect("POST", "/api/onboarding/core_config", token=access)
    if steps.get("analytics") is False:
        say("onboarding: analytics (left off)")
        expect("POST", "/api/onboarding/analytics", token=access)
    if steps.get("integration") is False:
        say("onboarding: integration step")
        expect(
            "POST",
            "/api/onboarding/integration",
            token=access,
            body={"client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI},
        )
    return tokens


def our_entries(token: str) -> list[dict[str, Any]]:
    """Return the Connected Car config entries."""
    entries: list[dict[str, Any]] = expect(
        "GET", f"/api/config/config_entries/entry?domain={DOMAIN}", token=token
    )
    return entries


def create_simulated_car(token: str) -> None:
    """Add one simulated car through the config flow, as the UI would."""
    flow_path = "/api/config/config_entries/flow"
    step = expect("POST", flow_path, token=token, body={"handler": DOMAIN})
    if step.get("type") == "menu":
        step = expect(
            "POST",
            f"{flow_path}/{step['flow_id']}",
            token=token,
            body={"next_step_id": "simulated"},
        )
    if step.get("type") != "form" or step.get("step_id") != "simulated":
        msg = f"unexpected config flow step: {step}"
        raise BootstrapError(msg)
    result = expect(
        "POST", f"{flow_path}/{step['flow_id']}", token=token, body=SIMULATION
    )
    if result.get("type") != "create_entry":
        msg = f"the config flow did not create an entry: {result}"
        raise BootstrapError(msg)
    say(f"added the config entry {result['title']!r}")


def wanted_speed() -> int | None:
    """Return the simulation speed asked for in the environment, if any."""
    raw = os.environ.get(SPEED_ENV, "").strip()
    if not raw:
        return None
    try:
        speed = int(raw)
    except ValueError:
        speed = 0
    if not 1 <= speed <= MAX_SPEED:
        msg = f"{SPEED_ENV}={raw!r}: expected a whole number from 1 to {MAX_SPEED}"
        raise BootstrapError(msg)
    return speed


def set_speed(token: str, entry_id: str, speed: int) -> bool:
    """Set the simulation speed through the options flow; return if it changed."""
    flow_path = "/api/config/config_entries/options/flow"
    form = expect("POST", flow_path, token=token, body={"handler": entry_id})
    current = {
        field["name"]: field.get("description", {}).get("suggested_value")
        for field in form.get("data_schema", [])
    }
    if current.get("simulation_speed") == speed:
        # Close the flow we opened; nothing to change.
        request("DELETE", f"{flow_path}/{form['flow_id']}", token=token)
        return False
    options = {
        field["name"]: current.get(field["name"]) or field.get("default")
        for field in form.get("data_schema", [])
    }
    options["simulation_speed"] = speed
    result = expect("POST", f"{flow_path}/{form['flow_id']}", token=token, body=options)
    if result.get("type") != "create_entry":
        msg = f"the options flow did not accept {options}: {result}"
        raise BootstrapError(msg)
    return True


def entry_loaded(token: str) -> dict[str, Any] | None:
    """Return our config entry once it is loaded (None while it is setting up)."""
    entries = our_entries(token)
    if entries and (entries[0]["state"] == "loaded" or entries[0]["disabled_by"]):
        return entries[0]
    if entries and entries[0]["state"] not in {"not_loaded", "setup_in_progress"}:
        msg = f"the Connected Car entry is {entries[0]['state']}: {entries[0].get('reason')}"
        raise BootstrapError(msg)
    return None


def prepare(config_dir: Path) -> bool:
    """Pre-mark onboarding steps of a fresh configuration; return if it did.

    Only before the very first start (no onboarding store, no users yet), so
    an existing development instance is never touched.
    """
    store = config_dir / ONBOARDING_STORE
    if store.exists() or (config_dir / ".storage" / "auth").exists():
        return False
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(
        json.dumps(
            {
                "version": ONBOARDING_STORE_VERSION,
                "minor_version": 1,
                "key": "onboarding",
                "data": {"done": list(ONBOARDING_SKIPPED)},
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return True


async def websocket_commands(token: str, commands: list[dict[str, Any]]) -> list[Any]:
    """Send commands over Home Assistant's websocket API; return their results."""
    results = []
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"ws://{HOST}:{PORT}/api/websocket") as socket,
    ):
        await socket.receive_json()  # auth_required
        await socket.send_json({"type": "auth", "access_token": token})
        if (answer := await socket.receive_json())["type"] != "auth_ok":
            msg = f"websocket authentication failed: {answer}"
            raise BootstrapError(msg)
        for number, command in enumerate(commands, start=1):
            await socket.send_json({"id": number, **command})
            answer = await socket.receive_json()
            if not answer.get("success"):
                msg = f"websocket {command['type']} failed: {answer.get('error')}"
                raise BootstrapError(msg)
            results.append(answer.get("result"))
    return results


def ensure_dashboard(token: str) -> bool:
    """Create the car dashboard and make it the default; return if it did."""
    [dashboards, system] = asyncio.run(
        websocket_commands(
            token,
            [
                {"type": "lovelace/dashboards/list"},
                {"type": "frontend/get_system_data", "key": "core"},
            ],
        )
    )
    if any(board["url_path"] == DASHBOARD_PATH for board in dashboards):
        return False
    core = (system or {}).get("value") or {}
    asyncio.run(
        websocket_commands(
            token,
            [
                {"type": "lovelace/dashboards/create", **DASHBOARD},
                {
                    "type": "lovelace/config/save",
                    "url_path": DASHBOARD_PATH,
                    "config": DASHBOARD_CONFIG,
                },
                {
                    "type": "frontend/set_system_data",
                    "key": "core",
                    "value": {**core, "default_panel": DASHBOARD_PATH},
                },
            ],
        )
    )
    return True


def use_port(port: int) -> None:
    """Talk to a Home Assistant on another port (the browser test runs its own)."""
    global PORT, BASE_URL, CLIENT_ID, REDIRECT_URI  # noqa: PLW0603 - one server per run
    PORT = port
    BASE_URL = f"http://{HOST}:{PORT}"
    CLIENT_ID = f"{BASE_URL}/"
    REDIRECT_URI = f"{BASE_URL}/?auth_callback=1"


def bootstrap(pid: int | None, timeout: float, *, add_car: bool = True) -> None:
    """Bring Home Assistant to the state described in the module docstring.

    Without add_car, the car is left for the user (the browser test adds it
    through the UI); the dashboard then shows "no car" until one is added.
    """
    speed = wanted_speed()  # a typo in it should fail now, not after onboarding
    started = time.monotonic()
    deadline = started + timeout
    say(f"waiting for Home Assistant on {BASE_URL} (a first start takes longer)")
    steps = wait_until(
        "waiting for Home Assistant to answer",
        onboarding_steps,
        deadline=deadline,
        pid=pid,
    )
    say(f"Home Assistant answers ({time.monotonic() - started:.0f} s)")
    tokens = onboard(steps) if not all(steps.values()) else log_in()
    access = tokens["access_token"]
    try:
        wait_until(
            "waiting for Home Assistant to finish starting",
            lambda: (
                expect("GET", "/api/config", token=access).get("state") == "RUNNING"
            ),
            deadline=deadline,
            pid=pid,
        )
        if add_car and not our_entries(access):
            create_simulated_car(access)
        entry = None
        if add_car:
            entry = wait_until(
                "waiting for the Connected Car entry to load",
                lambda: entry_loaded(access),
                deadline=deadline,
                pid=pid,
            )
        if (
            entry is not None
            and speed is not None
            and set_speed(access, entry["entry_id"], speed)
        ):
            say(f"simulation speed set to {speed}x")
            entry = wait_until(
                "waiting for the Connected Car entry to reload",
                lambda: entry_loaded(access),
                deadline=deadline,
                pid=pid,
            )
        if ensure_dashboard(access):
            say(f"created the car dashboard ({BASE_URL}/{DASHBOARD_PATH}, the default)")
    finally:
        # Do not pile up a refresh token per run in the user's profile.
        with contextlib.suppress(OSError, HTTPException):
            request("POST", "/auth/revoke", form={"token": tokens["refresh_token"]})
    elapsed = time.monotonic() - started
    rule = "=" * 72
    for line in (
        rule,
        f"Connected Car development Home Assistant is ready ({elapsed:.0f} s)",
        f"  open      {BASE_URL}",
        f"  username  {USERNAME}",
        f"  password  {PASSWORD}",
        "  (development-only credentials; the server listens on 127.0.0.1 only)",
        (
            f"  car       config entry {entry['title']!r} ({entry['state']})"
            if entry is not None
            else "  car       none yet: add one under Settings -> Devices & services"
        ),
        f"  dashboard {BASE_URL}/{DASHBOARD_PATH} (the default dashboard)",
        "  Stop with Ctrl-C; `scripts/develop --reset` starts from scratch.",
        rule,
    ):
        sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    """Parse the arguments and run the bootstrap."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pid", type=int, help="Home Assistant's process id: give up if it exits"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1200,
        help="seconds to wait for Home Assistant (default: %(default)s)",
    )
    parser.add_argument(
        "--port", type=int, default=PORT, help="Home Assistant's port on 127.0.0.1"
    )
    parser.add_argument(
        "--no-car", action="store_true", help="do not add a simulated car"
    )
    parser.add_argument(
        "--prepare",
        type=Path,
        metavar="CONFIG_DIR",
        help="before the first start: pre-mark onboarding steps, then exit",
    )
    args = parser.parse_args()
    if args.prepare is not None:
        if prepare(args.prepare):
            say("fresh configuration: onboarding will not add internet integrations")
        return 0
    use_port(args.port)
    try:
        bootstrap(args.pid, args.timeout, add_car=not args.no_car)
    except BootstrapError as err:
        say(f"ERROR: {err}")
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
