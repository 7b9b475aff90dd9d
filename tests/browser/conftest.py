"""A real Home Assistant, started as scripts/develop starts it, for the browser test.

Needs Debian's Chromium (/usr/bin/chromium) and the playwright wheel, both
installed by scripts/setup. Without them the test is skipped on a developer's
machine and fails in CI (where $CI is set).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys

import pytest

ROOT = Path(__file__).parent.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
USERNAME = "dev"
PASSWORD = "dev-only-password"
BOOTSTRAP_TIMEOUT = 900
"""Seconds; a first start in a fresh .venv installs HA's default requirements."""
STOP_TIMEOUT = 60


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker (run with -m browser, or leave out with -m 'not browser')."""
    config.addinivalue_line(
        "markers", "browser: starts Home Assistant and drives it in Chromium"
    )


@dataclass(frozen=True)
class DevServer:
    """A running development Home Assistant."""

    base_url: str
    config_dir: Path
    log: Path

    def errors(self) -> list[str]:
        """Return the log lines Home Assistant wrote at level ERROR or above."""
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return [line for line in lines if " ERROR " in line or " CRITICAL " in line]


def _require_browser() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright  # noqa: F401, PLC0415
    except ImportError:
        missing.append("the playwright package (scripts/setup)")
    if missing:
        reason = "browser test needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop Home Assistant like Ctrl-C in scripts/develop does (one SIGTERM)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def dev_server(tmp_path: Path, socket_enabled: None) -> Iterator[DevServer]:
    """Home Assistant with the development configuration, onboarded, no car yet.

    socket_enabled: phcc blocks sockets in tests; this one picks a free port.
    """
    _require_browser()
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    port = _free_port()
    configuration = (ROOT / "config" / "configuration.yaml").read_text()
    assert "server_port: 8123" in configuration
    (config_dir / "configuration.yaml").write_text(
        configuration.replace("server_port: 8123", f"server_port: {port}")
    )
    for name in ("automations.yaml", "scripts.yaml", "scenes.yaml"):
        (config_dir / name).touch()
    (config_dir / "custom_components").mkdir()
    (config_dir / "custom_components" / "connected_car").symlink_to(
        ROOT / "custom_components" / "connected_car"
    )
    bootstrap = [sys.executable, str(ROOT / "scripts" / "dev_bootstrap.py")]
    subprocess.run([*bootstrap, "--prepare", str(config_dir)], check=True)  # noqa: S603
    log = config_dir / "home-assistant.log"
    with (config_dir / "stdout.log").open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own launcher
            [
                sys.executable,
                str(ROOT / "scripts" / "hass_launcher.py"),
                "--config",
                str(config_dir),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        started = subprocess.run(  # noqa: S603
            [
                *bootstrap,
                *("--pid", str(process.pid), "--port", str(port), "--no-car"),
                *("--timeout", str(BOOTSTRAP_TIMEOUT)),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=BOOTSTRAP_TIMEOUT + 60,
        )
        assert started.returncode == 0, started.stdout + started.stderr
        server = DevServer(f"http://127.0.0.1:{port}", config_dir, log)
        yield server
    finally:
        _stop(process)
        artifacts = ROOT / "build" / "browser"
        artifacts.mkdir(parents=True, exist_ok=True)
        if log.exists():
            shutil.copy(log, artifacts / "home-assistant.log")
    # Stopping must not log errors either (a fresh scripts/develop logs none).
    assert server.errors() == [], "Home Assistant logged errors (build/browser/)"
