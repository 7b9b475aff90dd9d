"""Shared fixtures for the Connected Car tests.

Besides the usual phcc setup this installs a guard that fails every test in
which Home Assistant reported misuse of its API by an integration: deprecated
helpers, frame reports (``homeassistant.helpers.frame.report_usage``), calls
from the wrong thread, and any other warning in which HA asks the user to
report a bug to the author of ``connected_car``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Generator, Iterator
import contextlib
import functools
import json
import logging
from pathlib import Path
import re
from typing import Any
from unittest.mock import MagicMock, PropertyMock, patch

from hassil import intents as hassil_intents
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

# Import our integration before phcc's `hass` fixture runs: phcc ships its own
# testing_config/custom_components package, which would otherwise shadow ours.
import custom_components.connected_car
from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock
from tests.privacy import PrivateLogGuard

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def private_log_guard() -> Generator[PrivateLogGuard]:
    """Fail the test if a log line holds a VIN, position, token or id (privacy.py)."""
    with PrivateLogGuard.attached() as guard:
        yield guard
    if (message := guard.failure_message()) is not None:
        pytest.fail(message, pytrace=False)


DOMAIN = "connected_car"
INTEGRATION_DIR = Path(custom_components.connected_car.__file__).parent

ALLOW_MARKER = "allow_ha_usage_reports"


def _issue_tracker() -> str | None:
    """Return the issue tracker URL from our manifest, if it has one."""
    try:
        manifest = json.loads((INTEGRATION_DIR / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    tracker = manifest.get("issue_tracker")
    return tracker if isinstance(tracker, str) and tracker else None


def _report_patterns() -> re.Pattern[str]:
    """Build the pattern matching HA's misuse/deprecation reports (HA 2026.2.3)."""
    patterns = [
        # helpers/frame.py report_usage (also report_non_thread_safe_operation,
        # warn_use): "Detected that [custom ]integration 'x' <what> ..."
        r"Detected that (?:custom )?integration '",
        # helpers/frame.py report_usage when no integration frame was found.
        r"Detected code that ",
        # helpers/deprecation.py: deprecated class/function/argument/constant/
        # alias/enum member: "The deprecated <kind> <name> was <verb>..."
        r"The deprecated [\w ]+ \S+ was ",
        # helpers/deprecation.py deprecated_substitute / get_deprecated.
        r"'[^']+' is deprecated\. Please rename ",
        # loader.async_suggest_report_issue for our integration, used by other
        # HA warnings about integration bugs (entity translation placeholders,
        # async_update_ha_state misuse, capabilities updated too often, ...).
        rf"report it to the author of the '{DOMAIN}' custom integration",
    ]
    if ISSUE_TRACKER:
        patterns.append(rf"create a bug report at {re.escape(ISSUE_TRACKER)}")
    return re.compile("|".join(patterns))


ISSUE_TRACKER = _issue_tracker()
HA_REPORT_PATTERN = _report_patterns()
# HA loggers whose records are inspected (the deprecation helper logs to the
# deprecated object's module logger, frame to homeassistant.helpers.frame).
WATCHED_LOGGERS = ("homeassistant", "custom_components")


def is_ha_usage_report(record: logging.LogRecord) -> bool:
    """Return True if the log record is an HA misuse/deprecation report."""
    if HA_REPORT_PATTERN.search(record.getMessage()):
        return True
    # A report raised as RuntimeError and logged with the traceback elsewhere.
    if record.exc_info and (exc := record.exc_info[1]) is not None:
        return HA_REPORT_PATTERN.search(str(exc)) is not None
    return False


class HaUsageReports(logging.Handler):
    """Collect HA misuse/deprecation reports logged while a test runs."""

    def __init__(self) -> None:
        """Initialize an empty collector."""
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record if it is a report."""
        if is_ha_usage_report(record):
            self.records.append(record)

    @property
    def messages(self) -> list[str]:
        """Return the messages of the collected reports."""
        return [record.getMessage() for record in self.records]

    def clear(self) -> None:
        """Forget collected reports (for tests that trigger one on purpose)."""
        self.records.clear()

    def failure_message(self) -> str | None:
        """Return why the test must fail, or None if nothing was reported."""
        if not self.records:
            return None
        lines = "\n".join(f"  - [{r.name}] {r.getMessage()}" for r in self.records)
        return (
            f"Home Assistant reported {len(self.records)} misuse/deprecation "
            f"report(s) during this test:\n{lines}\n"
            f"Fix the code, or mark the test with @pytest.mark.{ALLOW_MARKER} "
            "if the report is the point of the test."
        )

    @contextlib.contextmanager
    def attached(self) -> Iterator[HaUsageReports]:
        """Attach to the watched loggers, make HA report everything, then detach."""
        loggers = [logging.getLogger(name) for name in WATCHED_LOGGERS]
        for logger in loggers:
            logger.addHandler(self)
        # Report each offending call site again in every test (HA deduplicates
        # frame reports per process).
        frame._REPORTED_INTEGRATIONS.clear()
        original = frame._report_usage
        try:
            frame._report_usage = _strict(original)
            yield self
        finally:
            frame._report_usage = original
            for logger in loggers:
                logger.removeHandler(self)


def _strict(report_usage: Callable[..., None]) -> Callable[..., None]:
    """Make HA log reports it only checks for core integrations.

    Some reports use custom_integration_behavior=IGNORE (e.g. a
    DataUpdateCoordinator created without config_entry, OptionsFlowWithConfigEntry),
    meaning "tolerated for custom integrations"; we hold ourselves to core rules.
    """

    def strict_report_usage(*args: Any, **kwargs: Any) -> None:
        if kwargs.get("custom_integration_behavior") is frame.ReportBehavior.IGNORE:
            kwargs["custom_integration_behavior"] = frame.ReportBehavior.LOG
        report_usage(*args, **kwargs)

    return strict_report_usage


def pytest_configure(config: pytest.Config) -> None:
    """Register our markers."""
    config.addinivalue_line(
        "markers",
        f"{ALLOW_MARKER}: do not fail the test on Home Assistant misuse/deprecation "
        "reports (use the ha_usage_reports fixture to assert on them)",
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """With no test selected, skip the coverage threshold.

    pytest-cov would turn "no tests" (exit 5, which scripts/test reports as
    such) into a coverage failure (exit 1).
    """
    if not session.items and (cov := session.config.pluginmanager.get_plugin("_cov")):
        cov.options.cov_fail_under = None


@pytest.fixture(autouse=True)
def ha_usage_reports(request: pytest.FixtureRequest) -> Generator[HaUsageReports]:
    """Fail the test if Home Assistant reported misuse or deprecated API use.

    Requested (as a dependency of auto_enable_custom_integrations) before the
    `hass` fixture, so reports made while hass shuts down are caught too.
    """
    collector = HaUsageReports()
    with collector.attached():
        yield collector
    if request.node.get_closest_marker(ALLOW_MARKER):
        return
    if (message := collector.failure_message()) is not None:
        pytest.fail(message, pytrace=False)


@pytest.fixture(autouse=True, scope="session")
def parse_hassil_sentences_once() -> Generator[None]:
    """Parse each hassil sentence template once per test run, not once per test.

    Home Assistant parses conversation trigger sentences again for every new
    `hass` (every test); ours are large, so this saves seconds per voice test.
    Only the time changes: the parsed templates are the same.
    """
    cached = functools.lru_cache(maxsize=None)(hassil_intents.parse_sentence)
    with patch.object(hassil_intents, "parse_sentence", cached):
        yield


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    ha_usage_reports: HaUsageReports,  # listed first: set up before hass
    enable_custom_integrations: None,
) -> None:
    """Enable custom integrations (ours) in every test."""


# ---------------------------------------------------------------------------
# Connected Car fixtures
# ---------------------------------------------------------------------------


@pytest.fixture
def manual_clock() -> ManualClock:
    """The simulated cars' clock; it only moves when a test advances it."""
    return ManualClock()


@pytest.fixture
def patch_clock(manual_clock: ManualClock) -> Generator[MagicMock]:
    """Give every simulation the test's manual clock instead of real time."""
    with patch.object(
        ADAPTERS["simulated"], "make_clock", return_value=manual_clock
    ) as make_clock:
        yield make_clock


@pytest.fixture
def entry_data() -> dict[str, Any]:
    """Config entry data: one simulated plug-in hybrid (it has every entity)."""
    return {"backend": "simulated", "cars": 1, "names": [], "seed": 1}


@pytest.fixture
def mock_config_entry(entry_data: dict[str, Any]) -> MockConfigEntry:
    """A config entry of a simulation."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"Simulated cars (seed {entry_data['seed']})",
        data=entry_data,
        unique_id=f"simulated-{entry_data['seed']}",
    )


@pytest.fixture
def platforms() -> list[Platform] | None:
    """Platforms to load; None loads all (platform tests override this)."""
    return None


@pytest.fixture
def setup_integration(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    patch_clock: MagicMock,
    platforms: list[Platform] | None,
) -> Callable[[], Coroutine[Any, Any, MockConfigEntry]]:
    """Return a function that sets the entry up (for tests that prepare first)."""

    async def setup() -> MockConfigEntry:
        mock_config_entry.add_to_hass(hass)
        with contextlib.ExitStack() as stack:
            if platforms is not None:
                stack.enter_context(
                    patch("custom_components.connected_car.PLATFORMS", platforms)
                )
            assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
            await hass.async_block_till_done()
        return mock_config_entry

    return setup


@pytest.fixture
async def init_integration(
    setup_integration: Callable[[], Coroutine[Any, Any, MockConfigEntry]],
) -> MockConfigEntry:
    """A set-up simulation entry."""
    return await setup_integration()


@pytest.fixture
def simulated_backend(init_integration: MockConfigEntry) -> SimulatedBackend:
    """The simulated backend of the set-up entry."""
    backend = init_integration.runtime_data.backend
    assert isinstance(backend, SimulatedBackend)
    return backend


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create entities that are disabled by default as enabled (for snapshots)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield
