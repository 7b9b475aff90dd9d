"""Config and options flow paths of a CarData account not covered elsewhere.

Together with test_config_flow.py these cover every line of the config flow
(the quality scale's config-flow-test-coverage rule).
"""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.connected_car.const import DOMAIN

from .flows import approve_and_finish

DAILY_QUOTA = 50


async def test_options_of_a_cardata_entry(hass: HomeAssistant, bmw_loaded) -> None:
    """A read-only account: only the polling interval, no speed, no alarm."""
    result = await hass.config_entries.options.async_init(bmw_loaded.entry_id)
    assert result["type"] is FlowResultType.FORM
    fields = [str(marker) for marker in result["data_schema"].schema]
    assert fields == ["poll_interval"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"poll_interval": 30}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert bmw_loaded.options == {"poll_interval": 30}


async def test_quota_used_up_by_other_apps_during_sign_in(
    hass: HomeAssistant, local_cardata, account, manual_clock
) -> None:
    """BMW refuses the flow's account check (CU-429): back to the form.

    The form shows the generic error today; a quota-specific message would
    serve the user better (noted for the config flow's owner).
    """
    account.counted_calls += [manual_clock.now()] * DAILY_QUOTA
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "bmw_cardata"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": account.client_id}
    )
    result = await approve_and_finish(hass, local_cardata, result)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "bmw_cardata"
    assert result["errors"] == {"base": "unknown"}
    assert local_cardata.rest_requests[-1].status == 403
    assert not hass.config_entries.async_entries(DOMAIN)
