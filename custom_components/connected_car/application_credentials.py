"""Application credentials: the owner's own OAuth app, entered in Home Assistant.

Home Assistant looks for this platform at the integration's top level and keeps
the credentials per integration, not per backend. The one backend that signs
in with them (its adapter sets ``application_credentials``) provides the
sign-in and the dialog's texts.
"""

from __future__ import annotations

from homeassistant.components.application_credentials import ClientCredential
from homeassistant.core import HomeAssistant
from homeassistant.helpers.config_entry_oauth2_flow import AbstractOAuth2Implementation

from .backends import credentials_adapter


async def async_get_auth_implementation(
    hass: HomeAssistant, auth_domain: str, credential: ClientCredential
) -> AbstractOAuth2Implementation:
    """Return the sign-in with this credential."""
    return credentials_adapter().auth_implementation(hass, auth_domain, credential)


async def async_get_description_placeholders(hass: HomeAssistant) -> dict[str, str]:
    """Return the placeholders of the "add application credentials" dialog."""
    return credentials_adapter().credentials_placeholders()
