"""Start Home Assistant on this machine's Python (used by scripts/develop).

Home Assistant 2026.2.3 declares Python >= 3.13.2 and its entry point (`hass`)
refuses anything older, but it runs fine on 3.13.0, the newest Python on our
machines. This launcher replaces that one version check with a no-op and then
runs Home Assistant's own main(); the arguments are hass's, e.g.

    .venv/bin/python scripts/hass_launcher.py --config config
"""

from __future__ import annotations

import sys

from homeassistant import __main__ as hass_main


def _accept_running_python() -> None:
    """Stand in for HA's Python version check (3.13.0 works, see above)."""


def main() -> int:
    """Run Home Assistant without its Python version check."""
    hass_main.validate_python = _accept_running_python
    return hass_main.main()


if __name__ == "__main__":
    sys.exit(main())
