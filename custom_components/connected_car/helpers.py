"""Sending commands from entities, with translated errors."""

from __future__ import annotations

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN
from .coordinator import VehicleCoordinator
from .vehicle import (
    Command,
    CommandFailedError,
    CommandNotSupportedError,
    CommandResult,
    CommandTimeoutError,
    VehicleAuthError,
    VehicleError,
    VehicleRateLimitError,
)


async def async_send_command(
    coordinator: VehicleCoordinator, command: Command
) -> CommandResult:
    """Run a command to confirmation; map every failure to a translated error.

    Whatever happens, the entities then show what the car itself reports.
    """
    placeholders = {
        "vehicle": coordinator.vehicle.name,
        "command": command.kind.value,
    }
    try:
        return await coordinator.live.execute(command)
    except CommandNotSupportedError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="command_not_supported",
            translation_placeholders=placeholders,
        ) from err
    except CommandFailedError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=f"command_refused_{err.reason.value}",
            translation_placeholders=placeholders,
        ) from err
    except CommandTimeoutError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="command_timeout",
            translation_placeholders=placeholders,
        ) from err
    except VehicleAuthError as err:
        coordinator.config_entry.async_start_reauth(coordinator.hass)
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="auth_failed"
        ) from err
    except VehicleRateLimitError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            translation_placeholders=placeholders,
        ) from err
    except VehicleError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="command_unreachable",
            translation_placeholders={**placeholders, "error": str(err)},
        ) from err
    finally:
        coordinator.async_publish_live_state()
