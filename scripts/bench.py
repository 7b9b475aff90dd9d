"""Benchmarks of issues 12 and 14, measured side by side in one run.

Runs Home Assistant in-process (the test harness's instance, storage in
memory) with simulated cars, and BMW CarData's REST plan against the local
fake CarData. Prints a table of each measure, its target and the figure, and
with --write records it in docs/benchmarks.md. Not a test: nothing fails;
a missed target is marked in the table.

    scripts/bench            # about 6 minutes
    scripts/bench --quick    # shorter windows, for trying things out
    scripts/bench --write    # also write docs/benchmarks.md
"""

# ruff: noqa: RUF001, RUF003 - "×" is the speed-up of the simulation

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import gc
import logging
import os
from pathlib import Path
import platform
import random
import statistics
import sys
import tempfile
import time
from typing import Any
from unittest.mock import patch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from homeassistant import loader  # noqa: E402
from homeassistant.config_entries import ConfigEntry, ConfigFlow  # noqa: E402
from homeassistant.const import (  # noqa: E402
    EVENT_STATE_CHANGED,
    __version__ as HA_VERSION,  # noqa: N812
)
from homeassistant.core import Event, HomeAssistant, callback  # noqa: E402
from homeassistant.helpers import entity_registry as er  # noqa: E402
from homeassistant.helpers.device_registry import DeviceInfo  # noqa: E402
from homeassistant.helpers.entity import Entity  # noqa: E402
from homeassistant.helpers.entity_platform import (  # noqa: E402
    AddConfigEntryEntitiesCallback,
)
from homeassistant.helpers.json import json_bytes  # noqa: E402
from homeassistant.helpers.update_coordinator import (  # noqa: E402
    DataUpdateCoordinator,
)
from pytest_homeassistant_custom_component.common import (  # noqa: E402
    MockConfigEntry,
    MockModule,
    MockPlatform,
    async_test_home_assistant,
    mock_config_flow,
    mock_integration,
    mock_platform,
    mock_storage,
)

import custom_components.connected_car  # noqa: E402, F401 - before the harness
from custom_components.connected_car.backends import ADAPTERS  # noqa: E402
from custom_components.connected_car.const import DOMAIN  # noqa: E402
from custom_components.connected_car.coordinator import (  # noqa: E402
    VehicleCoordinator,
)
from custom_components.connected_car.state_store import (  # noqa: E402
    SAVE_PERIOD,
)
from custom_components.connected_car.storage import BoundedStore  # noqa: E402
from custom_components.connected_car.vehicle import (  # noqa: E402
    Reading,
    StateUpdate,
    signals,
)
from custom_components.connected_car.vehicle.bmw import (  # noqa: E402
    Tokens,
)
from custom_components.connected_car.vehicle.clock import RealClock  # noqa: E402
from custom_components.connected_car.vehicle.simulator import (  # noqa: E402
    MODELS,
    SimulatedBackend,
    SimulatedCar,
    SimulationSettings,
)
from tests.cardata.broker import MosquittoBroker  # noqa: E402
from tests.cardata.fixtures import HOME  # noqa: E402
from tests.cardata.server import FakeCarData  # noqa: E402
from tests.clock import ManualClock  # noqa: E402
from tests.vehicle.bmw.persistence import MemoryPersistence  # noqa: E402
from tests.vehicle.bmw.week import live_a_minute, start_backend  # noqa: E402

RANGE_SENSOR = "sensor.simulated_car_remaining_range"
LATENCY_P99_MS = 5.0
CPU_PER_UPDATE_US = 100.0
WRITES_PER_UPDATE = 3
SETUP_200_CARS_S = 1.5
CORE_PERCENT_REAL_SPEED = 2.0
CORE_PERCENT_120X = 10.0
MEMORY_PER_CAR_MB = 0.5
REST_CALLS_PER_CAR_DAY = 10.0
"""The targets of issue 12, item 7."""
DOC = ROOT / "docs" / "benchmarks.md"


@dataclass
class Row:
    """One measure: its target, the figure, whether it met the target."""

    measure: str
    target: str
    figure: str
    met: bool | None
    note: str = ""


# -- Home Assistant --------------------------------------------------------------------


@asynccontextmanager
async def home_assistant() -> AsyncIterator[tuple[HomeAssistant, dict[str, Any]]]:
    """Run a Home Assistant with the integration, storage kept in memory."""
    with mock_storage() as storage:
        async with async_test_home_assistant(load_registries=True) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            try:
                yield hass, storage
            finally:
                for entry in hass.config_entries.async_entries(DOMAIN):
                    await hass.config_entries.async_unload(entry.entry_id)
                await hass.async_stop(force=True)


async def add_simulation(
    hass: HomeAssistant, cars: int, speed: int = 1
) -> tuple[MockConfigEntry, float]:
    """Set an entry of simulated cars up; return it and the setup's seconds."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Bench",
        data={"backend": "simulated", "cars": cars, "names": [], "seed": 1},
        options={"simulation_speed": speed},
        unique_id=f"bench-{cars}-{speed}",
    )
    entry.add_to_hass(hass)
    seconds, _ = await timed_setup(hass, entry)
    return entry, seconds


async def setup_or_fail(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set entry up; a benchmark of a failed setup would measure nothing."""
    if not await hass.config_entries.async_setup(entry.entry_id):
        msg = f"setting up {entry.title} failed"
        raise RuntimeError(msg)
    await hass.async_block_till_done()


async def timed_setup(
    hass: HomeAssistant, entry: MockConfigEntry, *, again: bool = False
) -> tuple[float, float]:
    """Set entry up (again: unload it first); return the seconds and the GC's."""
    if again:
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    with collecting_garbage() as garbage:
        started = time.perf_counter()
        await setup_or_fail(hass, entry)
        seconds = time.perf_counter() - started
    return seconds, garbage[0]


@contextmanager
def counted_writes() -> Any:
    """Count entity state writes; the list's second item is their seconds."""
    count: list[float] = [0, 0.0]
    write = Entity._async_write_ha_state  # noqa: SLF001

    def counting(entity: Entity) -> None:
        count[0] += 1
        started = time.perf_counter()
        write(entity)
        count[1] += time.perf_counter() - started

    with patch.object(Entity, "_async_write_ha_state", counting):
        yield count


@contextmanager
def collecting_garbage() -> Any:
    """Measure the seconds Python's garbage collector runs (the list's item)."""
    seconds = [0.0]
    started = [0.0]

    def timing(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            seconds[0] += time.perf_counter() - started[0]

    gc.callbacks.append(timing)
    try:
        yield seconds
    finally:
        gc.callbacks.remove(timing)


@contextmanager
def all_entities_written() -> Any:
    """Issue 12's "before": every update calls every listener (all entities)."""
    with patch.object(
        VehicleCoordinator,
        "async_update_listeners",
        DataUpdateCoordinator.async_update_listeners,
    ):
        yield


# -- one car, one signal at a time -------------------------------------------------------


async def single_updates(updates: int, *, only_changed: bool) -> dict[str, float]:
    """Push single-signal updates through the stream; measure each until written."""
    clock = ManualClock()
    with patch.object(ADAPTERS["simulated"], "make_clock", return_value=clock):
        async with home_assistant() as (hass, _):
            entry, _ = await add_simulation(hass, 1)
            backend = entry.runtime_data.backend
            vin = next(iter(backend.cars))
            written = asyncio.Event()
            written_at = [0.0]

            @callback
            def range_written(event: Event[Any]) -> None:
                if event.data["entity_id"] == RANGE_SENSOR:
                    written_at[0] = time.perf_counter()
                    written.set()

            hass.bus.async_listen(EVENT_STATE_CHANGED, range_written)
            start = clock.now()
            latencies: list[float] = []
            mode = (
                contextmanager(lambda: (yield))()
                if only_changed
                else all_entities_written()
            )
            with mode, counted_writes() as writes:
                gc.collect()
                cpu = time.process_time()
                for number in range(updates):
                    written.clear()
                    reading = Reading(
                        signals.RANGE,
                        100.0 + number % 500 + 0.5,
                        start + timedelta(milliseconds=10 * (number + 1)),
                    )
                    sent = time.perf_counter()
                    backend._streams.publish(vin, StateUpdate(vin, (reading,)))  # noqa: SLF001
                    await written.wait()
                    latencies.append(written_at[0] - sent)
                cpu = time.process_time() - cpu
            latencies.sort()
            return {
                "cpu_us": cpu / updates * 1e6,
                "p50_ms": statistics.median(latencies) * 1e3,
                "p99_ms": latencies[int(len(latencies) * 0.99)] * 1e3,
                "writes": writes[0] / updates,
            }


# -- 200 cars ------------------------------------------------------------------------------


def rss_mb() -> float:
    """Return this process's resident memory in MB."""
    with Path("/proc/self/statm").open() as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


async def fleet(cars: int, speed: int, seconds: float) -> dict[str, float]:
    """Set cars up at speed and let them live; measure setup, CPU and memory.

    Setup is measured twice: the first (every entity is registered) and a
    reload, as at a restart (the entities are known).
    """
    async with home_assistant() as (hass, _):
        gc.collect()
        before = rss_mb()
        with collecting_garbage() as setup_gc:
            entry, setup = await add_simulation(hass, cars, speed)
        gc.collect()
        memory = (rss_mb() - before) / cars
        layout = entity_layout(hass, entry)
        restart, restart_gc = await timed_setup(hass, entry, again=True)
        changed = [0]
        original = VehicleCoordinator.async_publish_live_state

        def counting(coordinator: VehicleCoordinator) -> None:
            changed[0] += coordinator.live.state is not coordinator.data
            original(coordinator)

        with (
            patch.object(VehicleCoordinator, "async_publish_live_state", counting),
            counted_writes() as writes,
        ):
            wall, cpu = time.perf_counter(), time.process_time()
            await asyncio.sleep(seconds)
            cpu = time.process_time() - cpu
            wall = time.perf_counter() - wall
        return {
            "setup_s": setup,
            "restart_s": restart,
            "setup_gc_s": setup_gc[0],
            "restart_gc_s": restart_gc,
            "memory_mb_per_car": memory,
            "core_percent": cpu / wall * 100,
            "write_percent": writes[1] / wall * 100,
            "updates": changed[0],
            "writes": writes[0],
            "layout": layout,
        }


def entity_layout(
    hass: HomeAssistant, entry: ConfigEntry
) -> list[tuple[str, int, bool]]:
    """Return each registered entity of entry: its platform, device and whether enabled."""
    devices: dict[str | None, int] = {}
    return [
        (
            registered.domain,
            devices.setdefault(registered.device_id, len(devices)),
            registered.disabled_by is None,
        )
        for registered in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
    ]


class BareEntity(Entity):
    """An entity with nothing but a name, a unique id and a device."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, number: int, device: DeviceInfo, *, enabled: bool) -> None:
        """Name the entity by its number."""
        self._attr_name = f"Bare {number}"
        self._attr_unique_id = f"bare-{number}"
        self._attr_device_info = device
        self._attr_entity_registry_enabled_default = enabled


async def bare_setup(layout: list[tuple[str, int, bool]]) -> dict[str, float]:
    """Time Home Assistant alone setting up bare entities laid out like ours.

    As many entities per platform and per device, as many disabled, added
    the same way (one call per platform); none runs code of ours. Timed
    like the simulation's setup: the first time and again after an unload.
    """
    domain = "bench_bare"
    platforms = sorted({platform for platform, _, _ in layout})
    devices = {
        device: DeviceInfo(identifiers={(domain, str(device))}, name=f"Car {device}")
        for _, device, _ in layout
    }

    def platform_setup(platform: str) -> Any:
        async def async_setup_entry(
            hass: HomeAssistant,
            entry: ConfigEntry,
            async_add_entities: AddConfigEntryEntitiesCallback,
        ) -> None:
            async_add_entities(
                BareEntity(number, devices[device], enabled=enabled)
                for number, (entity_platform, device, enabled) in enumerate(layout)
                if entity_platform == platform
            )

        return async_setup_entry

    async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, platforms)
        return True

    async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        return await hass.config_entries.async_unload_platforms(entry, platforms)

    class BareFlow(ConfigFlow):
        """The bare integration's (unused) config flow: entries need one."""

    with mock_config_flow(domain, BareFlow):
        return await _bare_setup_timed(
            domain, platforms, platform_setup, async_setup_entry, async_unload_entry
        ) | {"entities": len(layout)}


async def _bare_setup_timed(
    domain: str,
    platforms: list[str],
    platform_setup: Callable[[str], Any],
    async_setup_entry: Callable[[HomeAssistant, ConfigEntry], Any],
    async_unload_entry: Callable[[HomeAssistant, ConfigEntry], Any],
) -> dict[str, float]:
    """Set the bare integration up, unload it and set it up again; time both."""
    async with home_assistant() as (hass, _):
        mock_integration(
            hass,
            MockModule(
                domain,
                async_setup_entry=async_setup_entry,
                async_unload_entry=async_unload_entry,
            ),
        )
        mock_platform(hass, f"{domain}.config_flow")
        for platform in platforms:
            mock_platform(
                hass,
                f"{domain}.{platform}",
                MockPlatform(async_setup_entry=platform_setup(platform)),
            )
        entry = MockConfigEntry(domain=domain, title="Bare")
        entry.add_to_hass(hass)
        gc.collect()
        setup, setup_gc = await timed_setup(hass, entry)
        restart, restart_gc = await timed_setup(hass, entry, again=True)
        await hass.config_entries.async_unload(entry.entry_id)
    return {
        "setup_s": setup,
        "restart_s": restart,
        "setup_gc_s": setup_gc,
        "restart_gc_s": restart_gc,
    }


async def simulation_alone(cars: int, speed: int, seconds: float) -> float:
    """Return the % of a core the cars' physics take without Home Assistant."""
    backend = SimulatedBackend(
        SimulationSettings(names=tuple(f"Car {n}" for n in range(cars))),
        RealClock(speed),
    )
    task = asyncio.create_task(backend.run())
    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.sleep(seconds)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return cpu / wall * 100


# -- issue 14: saves while cars keep reporting ------------------------------------------------


async def saves_while_reporting(
    cars: int, speed: int, seconds: float, *, bounded: bool
) -> dict[str, float]:
    """Count the vehicle-state saves of an entry while its cars report."""
    collect_seconds: list[float] = []
    encode_seconds: list[float] = []
    real_collect = BoundedStore._collect  # noqa: SLF001

    def timed_collect(store: BoundedStore[Any]) -> Any:
        started = time.perf_counter()
        data = real_collect(store)
        collected = time.perf_counter()
        json_bytes(data)
        collect_seconds.append(collected - started)
        encode_seconds.append(time.perf_counter() - collected)
        return data

    def rearming(store: BoundedStore[Any], data_fn: Callable[[], Any]) -> None:
        store._data_fn = data_fn  # noqa: SLF001
        store._pending = True  # noqa: SLF001
        store.store.async_delay_save(store._collect, store.max_delay)  # noqa: SLF001

    patches = [patch.object(BoundedStore, "_collect", timed_collect)]
    if not bounded:  # Home Assistant's delayed save, re-armed per update
        patches.append(patch.object(BoundedStore, "schedule", rearming))
    async with home_assistant() as (hass, _):
        with (
            patches[0],
            patches[-1] if len(patches) > 1 else contextmanager(lambda: (yield))(),
        ):
            await add_simulation(hass, cars, speed)
            await asyncio.sleep(1)  # the setup's own save
            collect_seconds.clear()
            encode_seconds.clear()
            await asyncio.sleep(seconds)
            saves = len(collect_seconds)
    return {
        "saves": saves,
        "write_ms": (
            statistics.mean(
                c + e for c, e in zip(collect_seconds, encode_seconds, strict=True)
            )
            * 1e3
            if collect_seconds
            else 0.0
        ),
    }


# -- BMW CarData: a week of REST calls with the stream up -------------------------------------


async def cardata_week(days: int) -> dict[str, float]:
    """Run the REST plan for days of a parked-and-driven car; count BMW's calls."""
    clock = ManualClock()
    with tempfile.TemporaryDirectory() as workdir:
        broker = MosquittoBroker(Path(workdir))
        broker.start()
        fake = FakeCarData(clock, broker)
        fake.broker_follows_tokens = False
        await fake.start()
        try:
            account = fake.add_account()
            car = SimulatedCar(
                name="Car",
                model=MODELS[1],
                rng=random.Random(1),  # noqa: S311 - simulation
                home=HOME,
                now=clock.now(),
                auto_trips=True,
                read_only=True,
            )
            fake.add_car(account, car, "rest_basicData_i4_M50_BEV")
            async with aiohttp.ClientSession() as session:
                backend = await start_backend(
                    session,
                    fake,
                    account,
                    Tokens.from_response(await fake.issue_tokens(account), clock.now()),
                    MemoryPersistence(),
                    stream_up=True,
                )
                for _ in range(days * 24 * 60):
                    await live_a_minute(backend, account, clock)
                await backend.close()
        finally:
            await fake.stop()
            broker.stop()
    return {
        "per_day": fake.counted_calls(account) / days,
        "max_24h": fake.max_calls_in_any_window(account),
    }


# -- the report ---------------------------------------------------------------------------------


def machine() -> str:
    """Return the CPU, cores, load and software of this run."""
    cpu = "unknown CPU"
    with Path("/proc/cpuinfo").open() as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores (shared with other sessions; load average "
        f"at the start {load}), Python {platform.python_version()}, Home Assistant "
        f"{HA_VERSION}"
    )


def verdict(met: bool | None) -> str:  # noqa: FBT001 - a table cell of a bool
    """Return the table's result column."""
    return {True: "met", False: "**missed**", None: "—"}[met]


async def run(*, quick: bool) -> tuple[list[Row], str]:
    """Measure everything; return the rows and the machine's description."""
    described = machine()
    updates = 500 if quick else 3000
    window = 10.0 if quick else 60.0
    logging.disable(logging.WARNING)  # the harness's chatter is not measured
    new = await single_updates(updates, only_changed=True)
    old = await single_updates(updates, only_changed=False)
    idle = await fleet(200, 1, window)
    bare = await bare_setup(idle["layout"])
    busy = await fleet(200, 120, window)
    physics = await simulation_alone(200, 120, window)
    bounded = await saves_while_reporting(50, 120, window, bounded=True)
    rearmed = await saves_while_reporting(50, 120, window, bounded=False)
    week = await cardata_week(2 if quick else 7)
    logging.disable(logging.NOTSET)
    expected_saves = window / SAVE_PERIOD
    rows = [
        Row(
            "Stream change → HA state, p99 (p50)",
            "≤ 5 ms",
            f"{new['p99_ms']:.2f} ms ({new['p50_ms']:.2f} ms); before: "
            f"{old['p99_ms']:.2f} ms ({old['p50_ms']:.2f} ms)",
            new["p99_ms"] <= LATENCY_P99_MS,
        ),
        Row(
            "CPU per single-signal update, incl. HA's state writes",
            "≤ 100 µs",
            f"{new['cpu_us']:.0f} µs; before: {old['cpu_us']:.0f} µs",
            new["cpu_us"] <= CPU_PER_UPDATE_US,
        ),
        Row(
            "State writes per single-signal update",
            "≤ 3",
            f"{new['writes']:.1f}; before: {old['writes']:.1f}",
            new["writes"] <= WRITES_PER_UPDATE,
            "the signal's sensor; *Last update from car* moves at most every "
            "10 minutes while the car reports",
        ),
        Row(
            "200 simulated cars: setup (first; again, as at a restart)",
            "≤ 1.5 s",
            f"{idle['setup_s']:.2f} s; {idle['restart_s']:.2f} s (Python's garbage "
            f"collector: {idle['setup_gc_s']:.2f} s; {idle['restart_gc_s']:.2f} s)",
            idle["setup_s"] <= SETUP_200_CARS_S,
        ),
        Row(
            f"Home Assistant alone: {bare['entities']} bare entities laid out the "
            "same (no code of ours), setup (first; again)",
            "—",
            f"{bare['setup_s']:.2f} s; {bare['restart_s']:.2f} s (garbage collector: "
            f"{bare['setup_gc_s']:.2f} s; {bare['restart_gc_s']:.2f} s)",
            None,
        ),
        Row(
            "200 cars at real speed: CPU",
            "≤ 2 % of a core",
            f"{idle['core_percent']:.2f} % ({idle['updates']} updates, "
            f"{idle['writes']} state writes in {window:.0f} s)",
            idle["core_percent"] <= CORE_PERCENT_REAL_SPEED,
        ),
        Row(
            "200 cars at 120×: CPU",
            "≤ 10 % of a core",
            f"{busy['core_percent']:.1f} % ({busy['updates']} updates, "
            f"{busy['writes']} state writes in {window:.0f} s, the writes "
            f"{busy['write_percent']:.1f} %); the cars' physics alone, without "
            f"Home Assistant: {physics:.1f} %",
            busy["core_percent"] <= CORE_PERCENT_120X,
        ),
        Row(
            "Memory per car (200 cars)",
            "≤ 0.5 MB",
            f"{idle['memory_mb_per_car']:.3f} MB",
            idle["memory_mb_per_car"] <= MEMORY_PER_CAR_MB,
        ),
        Row(
            "BMW REST calls per car per day, stream up",
            "≤ 10",
            f"{week['per_day']:.1f} (at most {week['max_24h']} in any 24 h)",
            week["per_day"] <= REST_CALLS_PER_CAR_DAY,
        ),
        Row(
            f"Issue 14: state saves of an entry in {window:.0f} s, 50 cars at 120×",
            f"≈ {expected_saves:.0f} (one per {SAVE_PERIOD:.0f} s)",
            f"{bounded['saves']}; before (re-armed delayed save): {rearmed['saves']}",
            abs(bounded["saves"] - expected_saves) <= 1,
        ),
        Row(
            "Issue 14: cost of one save of 50 cars' states (collect + JSON)",
            "small",
            f"{bounded['write_ms']:.1f} ms",
            None,
        ),
    ]
    return rows, described


def table(rows: list[Row]) -> str:
    """Return the rows as a Markdown table."""
    lines = [
        "| Measure | Target | Measured | Result |",
        "| --- | --- | --- | --- |",
    ]
    for row in rows:
        note = f" ({row.note})" if row.note else ""
        lines.append(
            f"| {row.measure} | {row.target} | {row.figure}{note} | {verdict(row.met)} |"
        )
    return "\n".join(lines)


def write_doc(rows: list[Row], described: str, command: str) -> None:
    """Put the measured table into docs/benchmarks.md, between its markers."""
    text = DOC.read_text()
    start, end = "<!-- measured: start -->", "<!-- measured: end -->"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = (
        f"{start}\nMeasured {when} with `{command}` on {described}.\n\n"
        f"{table(rows)}\n{end}"
    )
    DOC.write_text(f"{head}{body}{tail}")


def main() -> None:
    """Run the benchmarks and print (and maybe record) the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter windows")
    parser.add_argument("--write", action="store_true", help="update the doc")
    args = parser.parse_args()
    rows, described = asyncio.run(run(quick=args.quick))
    print(f"{described}\n\n{table(rows)}")
    if args.write:
        command = "scripts/bench --write" + (" --quick" if args.quick else "")
        write_doc(rows, described, command)
        print(f"\nwritten to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
