"""A new user's first minutes, in a real browser against a real Home Assistant.

Logs in through the login page, adds a simulated car through the config flow
in the UI, opens its device page and the car dashboard, unlocks and locks the
car and turns the heater on from the dashboard, and asks Assist "how far can I
drive". Fails when a page shows an error or no entities, or when Home
Assistant logged an error. Screenshots go to build/browser/ (with
UPDATE_SCREENSHOTS=1 to docs/images/, which the README shows).

Cost: about a minute once Home Assistant's own requirements are in .venv; a
first run in a fresh .venv adds Home Assistant's install of them (scripts/develop
does the same on its first start).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import pytest

with contextlib.suppress(ImportError):  # skipped (or failed in CI) without it
    from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from .conftest import CHROMIUM, CHROMIUM_FLAGS, PASSWORD, ROOT, USERNAME, DevServer

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1200)]

CAR = "simulated_car"
LOCK = f"lock.{CAR}"
HEATER = f"climate.{CAR}_heater"
UI_TIMEOUT = 60_000
"""Milliseconds for anything the UI has to show."""
COMMAND_TIMEOUT = 90_000
"""Milliseconds for a car command to be confirmed (the integration's limit)."""
VIEWPORT = {"width": 1280, "height": 1000}
ERROR_SELECTORS = ("hui-error-card", 'ha-alert[alert-type="error"]')


def screenshot_dir() -> Path:
    """docs/images/ when asked to refresh the README's images, else build/browser/."""
    if os.environ.get("UPDATE_SCREENSHOTS"):
        return ROOT / "docs" / "images"
    path = ROOT / "build" / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


async def state(page: Any, entity_id: str) -> str | None:
    """Return an entity's state as the frontend knows it."""
    return await page.evaluate(
        "id => document.querySelector('home-assistant').hass.states[id]?.state",
        entity_id,
    )


async def wait_for_state(page: Any, entity_id: str, wanted: str) -> None:
    """Wait until the frontend shows the entity in the wanted state."""
    await page.wait_for_function(
        "([id, wanted]) => document.querySelector('home-assistant')"
        "?.hass?.states[id]?.state === wanted",
        arg=[entity_id, wanted],
        timeout=COMMAND_TIMEOUT,
    )


async def assert_no_error_shown(page: Any, where: str) -> None:
    for selector in ERROR_SELECTORS:
        count = await page.locator(selector).count()
        assert count == 0, f"{where}: {count} x {selector}"
    for text in ("Entity not available", "Unknown error", "Config flow could not"):
        assert await page.get_by_text(text).count() == 0, f"{where}: {text!r}"


async def log_in(page: Any, server: DevServer) -> None:
    """The real login page, as a user types into it."""
    await page.goto(server.base_url)
    await page.locator("input[name=username]").fill(USERNAME)
    await page.locator("input[name=password]").fill(PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(lambda url: "/auth/" not in url, timeout=UI_TIMEOUT)
    await page.wait_for_function(
        "() => document.querySelector('home-assistant')?.hass?.states",
        timeout=UI_TIMEOUT,
    )


async def add_simulated_car(page: Any, server: DevServer, shots: Path) -> None:
    """Settings -> Add integration -> Connected Car -> Simulated car, defaults."""
    await page.goto(
        f"{server.base_url}/config/integrations/dashboard/add?domain=connected_car"
    )
    # "Do you want to set up Connected Car?" comes first when the link is
    # followed while the integrations page is still loading.
    menu = page.get_by_text("Simulated car (no account needed)")
    ok = page.get_by_role("button", name="OK", exact=True)
    for _ in range(5):  # the confirmation can be replaced while it opens
        await menu.or_(ok).first.wait_for(timeout=UI_TIMEOUT)
        if await menu.is_visible():
            break
        with contextlib.suppress(PlaywrightTimeoutError):
            await ok.click(timeout=5_000)
    await menu.click(timeout=UI_TIMEOUT)
    await page.get_by_text("Number of cars").wait_for(timeout=UI_TIMEOUT)
    await page.screenshot(path=shots / "config_flow.png")
    await page.get_by_role("button", name="Submit").click()
    await page.get_by_text("Your cars are set up").wait_for(timeout=UI_TIMEOUT)
    await assert_no_error_shown(page, "config flow")
    await page.get_by_role("button", name="Finish").click()
    await page.wait_for_function(
        "id => document.querySelector('home-assistant').hass.states[id]",
        arg=LOCK,
        timeout=UI_TIMEOUT,
    )


async def open_device_page(page: Any, server: DevServer, shots: Path) -> None:
    device_id = await page.evaluate(
        "() => Object.values(document.querySelector('home-assistant').hass.devices)"
        ".find(device => device.name === 'Simulated car').id"
    )
    await page.goto(f"{server.base_url}/config/devices/device/{device_id}")
    for name in ("Remaining range", "Heater", "Front left door", "Departure plan"):
        await page.get_by_text(name, exact=True).first.wait_for(timeout=UI_TIMEOUT)
    await assert_no_error_shown(page, "device page")
    await page.screenshot(path=shots / "device_page.png", full_page=True)


async def use_the_dashboard(page: Any, server: DevServer, shots: Path) -> None:
    """The car dashboard: unlock, lock and heat from its tiles."""
    await page.goto(f"{server.base_url}/connected-car")
    tiles = page.locator("hui-tile-card")
    await tiles.nth(20).wait_for(timeout=UI_TIMEOUT)
    await assert_no_error_shown(page, "dashboard")
    buttons = page.locator("hui-tile-card")
    if await state(page, LOCK) == "locked":
        await buttons.get_by_role("button", name="Unlock", exact=True).click()
        await wait_for_state(page, LOCK, "unlocked")
    await buttons.get_by_role("button", name="Lock", exact=True).click()
    await wait_for_state(page, LOCK, "locked")
    await buttons.get_by_role("radio", name="Heat/Cool", exact=True).click()
    await wait_for_state(page, HEATER, "heat_cool")
    await assert_no_error_shown(page, "dashboard after commands")
    await page.screenshot(path=shots / "dashboard.png", full_page=True)


async def ask_assist(page: Any, shots: Path) -> None:
    """The Assist dialog on the dashboard: a question, the car's answer."""
    # The "a" shortcut: the toolbar's Assist button has no accessible name.
    await page.get_by_text("Range and energy", exact=True).click()
    await page.keyboard.press("a")
    field = page.get_by_label("Enter a request")
    await field.fill("how far can I drive")
    await field.press("Enter")
    answer = page.get_by_text("Simulated car can drive about")
    await answer.wait_for(timeout=UI_TIMEOUT)
    await page.screenshot(path=shots / "assist.png")


async def test_new_user_adds_a_car_and_uses_it(dev_server: DevServer) -> None:
    from playwright.async_api import async_playwright  # noqa: PLC0415 - optional

    shots = screenshot_dir()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            page = await browser.new_page(viewport=VIEWPORT)
            await log_in(page, dev_server)
            await add_simulated_car(page, dev_server, shots)
            await open_device_page(page, dev_server, shots)
            await use_the_dashboard(page, dev_server, shots)
            await ask_assist(page, shots)
        except Exception:
            await page.screenshot(path=screenshot_dir() / "failure.png")
            raise
        finally:
            await browser.close()
    assert dev_server.errors() == []
