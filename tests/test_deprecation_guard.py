"""Tests of the guard in conftest.py that fails tests on HA misuse reports.

Home Assistant finds the integration responsible for a deprecated call by
walking the stack for a frame whose file name contains
``custom_components/<domain>/``. ``call_as_integration`` runs a callable from
such a frame (a code object with that file name; no file exists, and the path
is outside the repository so coverage ignores it), so the reports below are the
real ones HA 2026.2.3 produces for ``connected_car``.
"""

from __future__ import annotations

import logging
from pathlib import Path
import textwrap
from typing import TYPE_CHECKING, Any

from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import entity_registry as er, service
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.loader import async_get_integration
import pytest

from .conftest import DOMAIN, ISSUE_TRACKER, HaUsageReports

if TYPE_CHECKING:
    from collections.abc import Callable

PROBE_FILE = "/guard-probe/custom_components/connected_car/_guard_probe.py"
REPO_ROOT = Path(__file__).resolve().parent.parent


def call_as_integration(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call func(*args, **kwargs) from a frame HA attributes to connected_car."""
    code = compile("result = func(*args, **kwargs)", PROBE_FILE, "exec")
    namespace: dict[str, Any] = {"func": func, "args": args, "kwargs": kwargs}
    exec(code, namespace)  # noqa: S102
    return namespace["result"]


def assert_reported(reports: HaUsageReports, *fragments: str) -> None:
    """Assert exactly one report containing all fragments, then forget it."""
    assert len(reports.messages) == 1, reports.messages
    for fragment in fragments:
        assert fragment in reports.messages[0]
    assert reports.failure_message() is not None
    # The report was the point of the test: do not fail it in teardown.
    reports.clear()
    assert reports.failure_message() is None


async def test_frame_report_is_caught(
    hass: HomeAssistant, ha_usage_reports: HaUsageReports
) -> None:
    """helpers/frame.report_usage: a deprecated entity registry method."""
    registry = er.async_get(hass)
    call_as_integration(registry.async_generate_entity_id, "sensor", "probe")
    assert_reported(
        ha_usage_reports,
        "Detected that custom integration 'connected_car' calls "
        "`entity_registry.async_generate_entity_id`",
        "This will stop working in Home Assistant 2027.2.0",
    )


async def test_deprecation_helper_is_caught(
    hass: HomeAssistant, ha_usage_reports: HaUsageReports
) -> None:
    """helpers/deprecation: a class decorated with deprecated_class."""
    call = ServiceCall(hass, "light", "turn_on", {})
    call_as_integration(service.ServiceTargetSelector, call)
    assert_reported(
        ha_usage_reports,
        "The deprecated class ServiceTargetSelector was instantiated from "
        "connected_car",
    )


async def test_report_ignored_for_custom_integrations_is_caught(
    hass: HomeAssistant, ha_usage_reports: HaUsageReports
) -> None:
    """Reports HA skips for custom integrations are held to the core rule."""
    call_as_integration(
        DataUpdateCoordinator, hass, logging.getLogger(__name__), name="probe"
    )
    assert_reported(
        ha_usage_reports,
        "Detected that custom integration 'connected_car' relies on ContextVar",
    )


async def test_thread_unsafe_call_is_caught(
    hass: HomeAssistant, ha_usage_reports: HaUsageReports
) -> None:
    """report_non_thread_safe_operation: an async API called from a thread."""
    with pytest.raises(RuntimeError, match="from a thread other than the event loop"):
        await hass.async_add_executor_job(
            call_as_integration, hass.bus.async_fire, "probe_event"
        )
    assert_reported(
        ha_usage_reports,
        "Detected that custom integration 'connected_car' calls "
        "hass.bus.async_fire from a thread other than the event loop",
    )


async def test_other_bug_reports_to_our_author_are_caught(
    hass: HomeAssistant, ha_usage_reports: HaUsageReports
) -> None:
    """Other HA warnings that ask the user to report a bug to connected_car."""

    class ProbeEntity(Entity):
        __module__ = f"custom_components.{DOMAIN}.probe"

    # Loaded, so HA points at the issue tracker in our manifest (if it has one).
    await async_get_integration(hass, DOMAIN)
    entity = ProbeEntity()
    entity.hass = hass
    entity.entity_id = "sensor.probe"
    entity.async_write_ha_state()  # without a platform: HA warns
    assert_reported(
        ha_usage_reports,
        "Entity sensor.probe",
        "does not have a platform",
        f"create a bug report at {ISSUE_TRACKER}"
        if ISSUE_TRACKER
        else f"report it to the author of the '{DOMAIN}' custom integration",
    )


async def test_unrelated_warnings_are_not_reports(
    hass: HomeAssistant, ha_usage_reports: HaUsageReports
) -> None:
    """Ordinary warnings, even from HA loggers, do not fail tests."""
    logging.getLogger("homeassistant.core").warning("Something unusual happened")
    logging.getLogger("custom_components.connected_car").warning("Car is asleep")
    assert hass.is_running
    assert ha_usage_reports.messages == []


INNER_TESTS = '''
"""Tests run by the guard test in a separate pytest process."""

import pytest
from homeassistant.helpers import entity_registry as er

PROBE_FILE = "/guard-probe/custom_components/connected_car/_guard_probe.py"


def call_as_integration(func, *args):
    code = compile("func(*args)", PROBE_FILE, "exec")
    exec(code, {"func": func, "args": args})


async def test_clean(hass):
    assert hass.is_running


async def test_deprecated_call(hass):
    call_as_integration(er.async_get(hass).async_generate_entity_id, "sensor", "x")


@pytest.mark.allow_ha_usage_reports
async def test_deprecated_call_allowed(hass, ha_usage_reports):
    call_as_integration(er.async_get(hass).async_generate_entity_id, "sensor", "x")
    assert len(ha_usage_reports.messages) == 1


async def test_deprecated_call_again(hass):
    """The same call site is reported again (HA deduplicates per process)."""
    call_as_integration(er.async_get(hass).async_generate_entity_id, "sensor", "x")
'''


def test_guard_fails_the_test(pytester: pytest.Pytester) -> None:
    """End to end: a test using deprecated API fails, a clean one passes."""
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text())
    pytester.makepyfile(test_inner=textwrap.dedent(INNER_TESTS))
    pytester.makeini(
        textwrap.dedent(
            f"""
            [pytest]
            pythonpath = {REPO_ROOT}
            asyncio_mode = auto
            asyncio_default_fixture_loop_scope = function
            """
        )
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:sugar")
    result.assert_outcomes(passed=4, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_deprecated_call *",
            "*Home Assistant reported 1 misuse/deprecation report(s) during this test*",
            (
                "*Detected that custom integration 'connected_car' calls "
                "`entity_registry.async_generate_entity_id`*"
            ),
        ]
    )
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_deprecated_call_again*"])
