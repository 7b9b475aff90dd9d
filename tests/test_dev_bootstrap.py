"""scripts/dev_bootstrap.py --prepare: no internet integrations at onboarding.

A fresh development instance is onboarded without the integrations that Home
Assistant's core-config step adds (weather, radio, text-to-speech, shopping
list), which need the internet.

scripts/develop itself is checked by running it (see config/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.components import onboarding
from homeassistant.components.onboarding import const as onboarding_const
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from scripts import dev_bootstrap


def test_store_matches_home_assistants_onboarding() -> None:
    """Fails after a Home Assistant upgrade that changes the onboarding store."""
    assert dev_bootstrap.ONBOARDING_STORE_VERSION == onboarding.STORAGE_VERSION
    assert set(dev_bootstrap.ONBOARDING_SKIPPED) < set(onboarding_const.STEPS)
    assert dev_bootstrap.ONBOARDING_STORE.name == onboarding.STORAGE_KEY


async def test_prepared_store_leaves_only_user_and_integration_steps(
    hass: HomeAssistant, tmp_path: Path, hass_storage: dict[str, Any]
) -> None:
    assert dev_bootstrap.prepare(tmp_path)
    stored = json.loads((tmp_path / dev_bootstrap.ONBOARDING_STORE).read_text())
    hass_storage[onboarding.STORAGE_KEY] = stored
    assert await async_setup_component(hass, "onboarding", {})
    assert not onboarding.async_is_onboarded(hass)
    done = set(hass.data[onboarding.DOMAIN].steps["done"])
    assert done == {onboarding_const.STEP_CORE_CONFIG, onboarding_const.STEP_ANALYTICS}
    # Nothing asked the weather, radio, TTS or shopping list flows to start.
    assert not hass.config_entries.flow.async_progress()


def test_prepare_never_touches_a_used_configuration(tmp_path: Path) -> None:
    (tmp_path / ".storage").mkdir()
    (tmp_path / ".storage" / "auth").write_text("{}")
    assert not dev_bootstrap.prepare(tmp_path)
    assert not (tmp_path / dev_bootstrap.ONBOARDING_STORE).exists()
    # Already prepared (or onboarded): left as it is.
    (tmp_path / ".storage" / "auth").unlink()
    (tmp_path / dev_bootstrap.ONBOARDING_STORE).write_text('{"data": {"done": []}}')
    assert not dev_bootstrap.prepare(tmp_path)
    assert '"done": []' in (tmp_path / dev_bootstrap.ONBOARDING_STORE).read_text()
