"""Tesla's own Fleet API with the owner's developer app: sign-in, command key, budget.

The owner registers an app at Tesla's developer portal (developer.tesla.com; for
accounts in China developer.tesla.cn) and enters its client ID and secret as an
application credential of this integration. The config flow then:

1. asks where the account is (Tesla.com or China, which has its own sign-in
   server) and the domain that publishes the integration's public key;
2. generates the command key once per domain, keeps it in Home Assistant's
   private storage (never in logs or diagnostics) and shows the public key and
   where to publish it;
3. signs in at Tesla in the browser: authorization code with PKCE, asking for
   data, location, commands, charging commands and offline access;
4. finds the account's region (the token's claim, ``users/region``, a 421),
   registers the app there for the domain (on a 412: Tesla fetches the public
   key), lists the cars and asks which of those that take only signed commands
   do not know the key. The owner pairs them and checks again, or finishes and
   pairs later: a repair issue lists them until they are paired.

Tokens: Tesla's refresh tokens are single use. Home Assistant's ``OAuth2Session``
refreshes and then updates the entry, which Home Assistant writes to disk up to
a second later; a crash in that second would leave only the spent refresh token
behind, and the owner would have to sign in again. So the vehicle layer's
`FleetTokenManager` renews them instead: it awaits
`_FleetTokenStore.async_save_now` (a `BackendStore`, flushed at once to a private
file) before the new tokens are used, and the entry is updated as well. Setup
takes the newer of the two.

Cost: Tesla bills data, wakes and commands; `TeslaBackend` counts them (kept in
the entry's `TeslaStore`, saved within a second) and paces polling to the
monthly budget set in the options. The account device shows the month's
estimated cost and calls; a spent budget raises a repair issue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
import logging
import re
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.application_credentials import ClientCredential
from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers.config_entry_oauth2_flow import (
    ImplementationUnavailableError,
    LocalOAuth2ImplementationWithPkce,
    async_get_config_entry_implementation,
    async_get_implementations,
)
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
)
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
import voluptuous as vol

from ..account import async_show_issue_while
from ..const import DOMAIN
from ..coordinator import ConnectedCarConfigEntry
from ..vehicle import Vehicle, VehicleAuthError, VehicleError
from ..vehicle.tesla import (
    AUTHORIZE_URLS,
    MONTHLY_ALLOWANCE_USD,
    SCOPES,
    TOKEN_URLS,
    CommandKey,
    CostSettings,
    FleetApp,
    FleetOAuth,
    FleetTokenManager,
    FleetTokens,
    FleetTransport,
    Region,
    TeslaBackend,
    TeslaKeyError,
    TeslaMissingScopesError,
    TeslaNotRegisteredError,
    TeslaPersistence,
    pairing_url,
    public_key_url,
)
from .base import BackendFlow, BackendStore
from .tesla_entry import CONF_TRANSPORT, TRANSPORT_FLEET

if TYPE_CHECKING:
    from .tesla import TeslaAdapter

_LOGGER = logging.getLogger(__name__)

CONF_AUTH_IMPLEMENTATION: Final = "auth_implementation"
"""Entry data: the application credential (Home Assistant's name for the link)."""
CONF_REALM: Final = "realm"
"""Entry data: where the owner signs in, ``global`` (Tesla.com) or ``china``."""
CONF_REGION: Final = "region"
"""Entry data: the Fleet API region the account was found in (na, eu, cn)."""
CONF_KEY_DOMAIN: Final = "key_domain"
"""Entry data: the domain that publishes the command key's public half."""
CONF_CREDENTIAL: Final = "credential"
CONF_MONTHLY_BUDGET: Final = "monthly_budget"
"""Option: US dollars the Fleet API may cost per month."""

REALM_GLOBAL: Final = "global"
REALM_CHINA: Final = "china"
REALMS: Final = {REALM_GLOBAL: Region.NA, REALM_CHINA: Region.CN}
"""Where each realm signs in (North America and Europe share Tesla.com's server)."""
DEVELOPER_PORTALS: Final = {
    REALM_GLOBAL: "https://developer.tesla.com",
    REALM_CHINA: "https://developer.tesla.cn",
}
REQUIRED_SCOPES: Final = frozenset({"offline_access", "vehicle_device_data"})
"""Without these the entry cannot work (no refresh, no data); the rest are optional."""
DEFAULT_MONTHLY_BUDGET: Final = MONTHLY_ALLOWANCE_USD
"""Tesla's monthly allowance: two cars polled at the planner's pace stay within it."""
MAX_MONTHLY_BUDGET: Final = 500
PAIRING_CHECK_INTERVAL: Final = timedelta(hours=1)
"""How often the cars' keys are checked (free) so the pairing issue goes when paired."""
BUDGET_SPENT_POLL_INTERVAL: Final = timedelta(hours=1)
"""Polling with the budget spent reads only the free online state (and sees the month end)."""
BUDGET_ISSUE: Final = "tesla_fleet_budget_exhausted"
PAIRING_ISSUE: Final = "tesla_fleet_key_not_paired"
KEY_STORE: Final = f"{DOMAIN}.tesla_fleet_keys"

_DOMAIN_NAME = re.compile(
    r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$"
)


def normalize_domain(value: str) -> str | None:
    """Return a host name from what the owner typed (a URL is cut down); None if none."""
    host = value.strip().lower().removeprefix("https://").removeprefix("http://")
    host = host.split("/", 1)[0].rstrip(".")
    return host if _DOMAIN_NAME.match(host) else None


# -- sign-in -------------------------------------------------------------------------


class FleetImplementation(LocalOAuth2ImplementationWithPkce):
    """Signing in at Tesla with one application credential, in one realm, with PKCE.

    Home Assistant asks application credentials for implementations whenever a
    flow starts, so each flow has its own (and its own PKCE verifier). The
    authorize page and token endpoint are the region's (China has its own);
    the code is exchanged through the vehicle layer's `FleetOAuth`, on the
    adapter's HTTP session.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        auth_domain: str,
        credential: ClientCredential,
        adapter: TeslaAdapter,
        region: Region = Region.NA,
    ) -> None:
        """Sign in with credential at region's sign-in server."""
        super().__init__(
            hass,
            auth_domain,
            credential.client_id,
            AUTHORIZE_URLS[region],
            TOKEN_URLS[region],
            credential.client_secret,
        )
        self.credential = credential
        self.region = region
        self._adapter = adapter

    @property
    def name(self) -> str:
        """Return the credential's name (Home Assistant shows it when there are several)."""
        return self.credential.name or self.client_id

    def in_region(self, region: Region) -> FleetImplementation:
        """Return the same credential signing in at another region's server."""
        return FleetImplementation(
            self.hass, self.domain, self.credential, self._adapter, region
        )

    @property
    def extra_authorize_data(self) -> dict[str, Any]:
        """Ask for every scope the integration uses (and PKCE)."""
        return {"scope": " ".join(SCOPES), **super().extra_authorize_data}

    def fleet_oauth(self, region: Region | None = None) -> FleetOAuth:
        """Return the vehicle layer's sign-in with this credential (tokens, partner)."""
        return FleetOAuth(
            self._adapter.make_session(self.hass),
            self.client_id,
            self.client_secret,
            region=region or self.region,
            clock=self._adapter.make_clock(),
        )

    async def async_resolve_external_data(self, external_data: Any) -> dict[str, Any]:
        """Exchange the authorization code (and the PKCE verifier) for tokens."""
        tokens = await self.fleet_oauth().exchange_code(
            external_data["code"],
            external_data["state"]["redirect_uri"],
            self.code_verifier,
        )
        return tokens.as_dict()


async def _async_implementations(hass: HomeAssistant) -> dict[str, FleetImplementation]:
    """Return the integration's application credentials as sign-ins, by id."""
    return {
        auth_domain: implementation
        for auth_domain, implementation in (
            await async_get_implementations(hass, DOMAIN)
        ).items()
        if isinstance(implementation, FleetImplementation)
    }


# -- storage --------------------------------------------------------------------------


class CommandKeys:
    """The integration's command keys by domain, in Home Assistant's private storage.

    One key per domain: the domain publishes one public key, and every entry
    (account) signed in through the same app uses it.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        """Use the private store of keys."""
        self._store: Store[dict[str, str]] = Store(hass, 1, KEY_STORE, private=True)

    async def async_get(self, domain: str) -> CommandKey | None:
        """Return the key of domain, or None when there is none (or it is unreadable)."""
        pem = (await self._store.async_load() or {}).get(domain)
        if pem is None:
            return None
        try:
            return CommandKey.from_pem(pem)
        except TeslaKeyError:
            return None

    async def async_get_or_create(self, domain: str) -> CommandKey:
        """Return the key of domain, generated and saved (at once) the first time."""
        if (key := await self.async_get(domain)) is not None:
            return key
        key = CommandKey.generate()
        keys = await self._store.async_load() or {}
        await self._store.async_save({**keys, domain: key.private_pem()})
        _LOGGER.info("Generated a Tesla command key (%s)", key.fingerprint)
        return key

    async def async_remove(self, domain: str) -> None:
        """Forget the key of domain."""
        keys = await self._store.async_load() or {}
        if keys.pop(domain, None) is not None:
            await self._store.async_save(keys)


class _FleetTokenStore(BackendStore):
    """An entry's latest tokens, written before they are used (see the module doc)."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        super().__init__(hass, f"{DOMAIN}.tesla_fleet.{entry.entry_id}.tokens")

    async def async_load_tokens(self) -> FleetTokens | None:
        """Return the tokens written last (None: none, or unusable)."""
        data = await self.load()
        try:
            return FleetTokens.from_dict(data) if data else None
        except VehicleAuthError:
            return None

    async def async_save_now(self, tokens: FleetTokens) -> None:
        """Write tokens and wait until they are on disk."""
        self.save(tokens.as_dict())
        await self.flush()


def entry_tokens(entry: ConfigEntry) -> FleetTokens:
    """Return the tokens in the entry's data; `VehicleAuthError` if they are unusable."""
    stored = entry.data.get(CONF_TOKEN)
    if not isinstance(stored, Mapping):
        msg = "No Tesla tokens are stored"
        raise VehicleAuthError(msg)
    return FleetTokens.from_dict(stored)


async def async_create_fleet_backend(
    adapter: TeslaAdapter,
    hass: HomeAssistant,
    entry: ConfigEntry,
    persistence: TeslaPersistence,
) -> TeslaBackend:
    """Return a Fleet API entry's backend: its credential, tokens, key and budget."""
    try:
        implementation = await async_get_config_entry_implementation(hass, entry)
    except (KeyError, ValueError, ImplementationUnavailableError):
        implementation = None  # no credential named, or it was deleted
    if not isinstance(implementation, FleetImplementation):
        raise ConfigEntryError(
            translation_domain=DOMAIN, translation_key="tesla_fleet_credential_missing"
        )
    domain = str(entry.data.get(CONF_KEY_DOMAIN))
    key = await CommandKeys(hass).async_get(domain)
    if key is None:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="tesla_fleet_key_missing",
            translation_placeholders={"domain": domain},
        )
    token_store = _FleetTokenStore(hass, entry)
    tokens = entry_tokens(entry)
    saved = await token_store.async_load_tokens()
    if saved is not None and saved.expires_at > tokens.expires_at:
        # Renewed, but Home Assistant stopped before it wrote the entry.
        tokens = saved
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_TOKEN: tokens.as_dict()}
        )

    async def save(new: FleetTokens) -> None:
        await token_store.async_save_now(new)
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_TOKEN: new.as_dict()}
        )

    region = _region(entry.data.get(CONF_REGION)) or implementation.region
    oauth = implementation.fleet_oauth(region)
    clock = adapter.make_clock()
    manager = FleetTokenManager(oauth, tokens, save=save, clock=clock)
    transport = FleetTransport(
        adapter.make_session(hass),
        manager,
        app=FleetApp(oauth, domain),
        command_key=key,
        region=region,
    )
    budget = entry.options.get(CONF_MONTHLY_BUDGET, DEFAULT_MONTHLY_BUDGET)
    return TeslaBackend(
        transport,
        clock=clock,
        persistence=persistence,
        cost=CostSettings(monthly_budget=float(budget)),
    )


def _region(value: object) -> Region | None:
    try:
        return Region(str(value))
    except ValueError:
        return None


async def async_remove_fleet_entry(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Delete the entry's tokens, and its domain's key when no other entry uses it."""
    await _FleetTokenStore(hass, entry).async_remove()
    domain = entry.data.get(CONF_KEY_DOMAIN)
    if not isinstance(domain, str):
        return
    others = [
        other
        for other in hass.config_entries.async_entries(DOMAIN)
        if other.entry_id != entry.entry_id
        and other.data.get(CONF_KEY_DOMAIN) == domain
    ]
    if not others:
        await CommandKeys(hass).async_remove(domain)


# -- config flow ----------------------------------------------------------------------


def _realm_of(entry: ConfigEntry) -> str:
    realm = entry.data.get(CONF_REALM)
    return realm if realm in REALMS else REALM_GLOBAL


@dataclass
class _SignIn:
    """What a Fleet API flow learned so far."""

    implementation: FleetImplementation
    realm: str
    domain: str
    key: CommandKey
    tokens: FleetTokens | None = None
    external: Mapping[str, Any] | None = None
    region: Region | None = None
    vehicles: tuple[Vehicle, ...] = ()
    unpaired: tuple[str, ...] = ()
    """Names of the cars that take only signed commands and do not know the key."""


class FleetSteps(BackendFlow["TeslaAdapter"]):
    """The config flow's steps for the Fleet API (the Tesla flow adds Teslemetry's)."""

    _sign_in: _SignIn | None = None

    async def async_step_tesla_fleet(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask where the account signs in and which domain publishes the key."""
        implementations = await _async_implementations(self.hass)
        if not implementations:
            # The frontend opens the "add application credentials" dialog.
            return self.flow.async_abort(reason="missing_credentials")
        errors: dict[str, str] = {}
        if user_input is not None:
            domain = normalize_domain(user_input[CONF_KEY_DOMAIN])
            if domain is None:
                errors[CONF_KEY_DOMAIN] = "tesla_fleet_invalid_domain"
            else:
                realm = user_input[CONF_REALM]
                chosen = implementations.get(
                    user_input.get(CONF_CREDENTIAL, ""),
                    next(iter(implementations.values())),
                )
                self._sign_in = _SignIn(
                    chosen.in_region(REALMS[realm]),
                    realm,
                    domain,
                    await CommandKeys(self.hass).async_get_or_create(domain),
                )
                return await self.async_step_tesla_fleet_key()
        fields: dict[vol.Marker, Any] = {
            vol.Required(CONF_REALM, default=REALM_GLOBAL): SelectSelector(
                SelectSelectorConfig(
                    options=list(REALMS), translation_key="tesla_fleet_realm"
                )
            ),
            vol.Required(CONF_KEY_DOMAIN): TextSelector(),
        }
        if len(implementations) > 1:
            fields[vol.Required(CONF_CREDENTIAL)] = SelectSelector(
                SelectSelectorConfig(
                    options=[
                        SelectOptionDict(value=auth_domain, label=implementation.name)
                        for auth_domain, implementation in implementations.items()
                    ]
                )
            )
        return self.flow.async_show_form(
            step_id="tesla_fleet",
            data_schema=self.flow.add_suggested_values_to_schema(
                vol.Schema(fields), user_input or {}
            ),
            errors=errors,
            description_placeholders={
                "portal": DEVELOPER_PORTALS[REALM_GLOBAL],
                "portal_china": DEVELOPER_PORTALS[REALM_CHINA],
            },
        )

    async def async_step_tesla_fleet_key(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the public key and where to publish it; then sign in."""
        sign_in = self._signing_in()
        if user_input is not None:
            return await self.async_step_tesla_fleet_auth()
        return self.flow.async_show_form(
            step_id="tesla_fleet_key",
            description_placeholders={
                "public_key": sign_in.key.public_pem.strip(),
                "url": public_key_url(sign_in.domain),
                "domain": sign_in.domain,
            },
        )

    async def async_step_tesla_fleet_auth(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Send the owner to Tesla's sign-in page; Tesla sends them back with a code."""
        sign_in = self._signing_in()
        if user_input is not None:  # Home Assistant's OAuth callback
            sign_in.external = user_input
            return self.flow.async_external_step_done(
                next_step_id="tesla_fleet_declined"
                if "error" in user_input
                else "tesla_fleet_signed_in"
            )
        url = await sign_in.implementation.async_generate_authorize_url(
            self.flow.flow_id
        )
        return self.flow.async_external_step(step_id="tesla_fleet_auth", url=url)

    async def async_step_tesla_fleet_declined(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """End the flow: the owner declined at Tesla (or Tesla refused the app)."""
        external = self._signing_in().external or {}
        return self.flow.async_abort(
            reason="tesla_fleet_declined",
            description_placeholders={"error": str(external.get("error"))},
        )

    async def async_step_tesla_fleet_signed_in(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Exchange the code for tokens; check the permissions and the account."""
        sign_in = self._signing_in()
        try:
            tokens = FleetTokens.from_dict(
                await sign_in.implementation.async_resolve_external_data(
                    sign_in.external
                )
            )
        except VehicleAuthError:
            return self.flow.async_abort(reason="tesla_fleet_sign_in_failed")
        except VehicleError:
            return self.flow.async_abort(reason="tesla_fleet_cannot_connect")
        claims = tokens.claims
        if missing := REQUIRED_SCOPES - claims.scopes:
            return self.flow.async_abort(
                reason="tesla_fleet_missing_scopes",
                description_placeholders={"scopes": ", ".join(sorted(missing))},
            )
        if claims.subject is None:
            return self.flow.async_abort(reason="tesla_fleet_sign_in_failed")
        await self.flow.async_set_unique_id(claims.subject)
        if self.flow.changed_entry is None:
            self.flow.abort_if_configured(error="tesla_fleet_already_configured")
        else:
            self.flow.abort_if_wrong_account("tesla_fleet_wrong_account")
        sign_in.tokens = tokens
        return await self.async_step_tesla_fleet_account()

    async def async_step_tesla_fleet_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Find the region, register the app there, list the cars, check their keys.

        Shown as a form only when the app could not be registered (the key is
        not published yet) or Tesla could not be reached: submitting tries again.
        """
        sign_in = self._signing_in()
        errors: dict[str, str] = {}
        if (ended := await self._async_check_account(sign_in, errors)) is not None:
            return ended
        if not errors:
            if sign_in.unpaired:
                return await self.async_step_tesla_fleet_pair()
            return self._async_finish_fleet(sign_in)
        return self.flow.async_show_form(
            step_id="tesla_fleet_account",
            errors=errors,
            description_placeholders={
                "url": public_key_url(sign_in.domain),
                "region": (sign_in.region or sign_in.implementation.region).upper(),
            },
        )

    async def _async_check_account(
        self, sign_in: _SignIn, errors: dict[str, str]
    ) -> ConfigFlowResult | None:
        """Sign the account in; fill errors, or return the result ending the flow."""
        assert sign_in.tokens is not None  # noqa: S101 - signed in before

        async def keep(tokens: FleetTokens) -> None:
            sign_in.tokens = tokens  # renewed while the flow ran

        oauth = sign_in.implementation.fleet_oauth()
        clock = self.adapter.make_clock()
        transport = FleetTransport(
            self.adapter.make_session(self.hass),
            FleetTokenManager(oauth, sign_in.tokens, save=keep, clock=clock),
            app=FleetApp(oauth, sign_in.domain),
            command_key=sign_in.key,
        )
        backend = TeslaBackend(transport, clock=clock)
        try:
            await backend.login()
            vehicles = await backend.list_vehicles()
            unpaired = await backend.check_pairing()
        except TeslaNotRegisteredError:
            sign_in.region = transport.region
            errors["base"] = "tesla_fleet_not_registered"
            return None
        except TeslaMissingScopesError:
            return self.flow.async_abort(
                reason="tesla_fleet_missing_scopes",
                description_placeholders={"scopes": ", ".join(SCOPES)},
            )
        except VehicleAuthError:
            return self.flow.async_abort(reason="tesla_fleet_sign_in_failed")
        except VehicleError:
            errors["base"] = "tesla_fleet_cannot_connect"
            return None
        finally:
            await backend.close()
        if not vehicles:
            return self.flow.async_abort(reason="tesla_fleet_no_vehicles")
        sign_in.region = transport.region
        sign_in.vehicles = tuple(vehicles)
        sign_in.unpaired = tuple(v.name for v in vehicles if v.vin in unpaired)
        return None

    async def async_step_tesla_fleet_pair(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name the cars that do not know the key: pair them and check, or go on."""
        sign_in = self._signing_in()
        return self.flow.async_show_menu(
            step_id="tesla_fleet_pair",
            menu_options=["tesla_fleet_pair_check", "tesla_fleet_finish"],
            description_placeholders={
                "cars": ", ".join(sign_in.unpaired),
                "pairing_url": pairing_url(sign_in.domain),
            },
        )

    async def async_step_tesla_fleet_pair_check(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Check the keys again (the owner paired a car)."""
        return await self.async_step_tesla_fleet_account()

    async def async_step_tesla_fleet_finish(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Finish without pairing every car (a repair issue lists the rest)."""
        return self._async_finish_fleet(self._signing_in())

    def _async_finish_fleet(self, sign_in: _SignIn) -> ConfigFlowResult:
        """Create the entry, or update the one signed in again."""
        assert sign_in.tokens is not None  # noqa: S101 - signed in before
        assert sign_in.region is not None  # noqa: S101 - found by the account check
        data = {
            CONF_TRANSPORT: TRANSPORT_FLEET,
            CONF_AUTH_IMPLEMENTATION: sign_in.implementation.domain,
            CONF_REALM: sign_in.realm,
            CONF_REGION: sign_in.region.value,
            CONF_KEY_DOMAIN: sign_in.domain,
            CONF_TOKEN: sign_in.tokens.as_dict(),
        }
        if self.flow.changed_entry is not None:
            return self.flow.update_changed_entry(
                data,
                wrong_account_reason="tesla_fleet_wrong_account",
                reconfigure_reason="tesla_fleet_signed_in_again",
            )
        names = ", ".join(vehicle.name for vehicle in sign_in.vehicles)
        return self.flow.create_backend_entry(
            title=f"Tesla Fleet API ({names})", data=data
        )

    async def async_step_tesla_fleet_again(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign an entry in again (reauthentication or reconfiguration)."""
        entry = self.flow.changed_entry
        assert entry is not None  # noqa: S101 - only for an entry's flows
        if user_input is None:
            return self.flow.async_show_form(
                step_id="tesla_fleet_again",
                description_placeholders={"name": entry.title},
            )
        implementation = (await _async_implementations(self.hass)).get(
            str(entry.data.get(CONF_AUTH_IMPLEMENTATION))
        )
        domain = str(entry.data.get(CONF_KEY_DOMAIN))
        key = await CommandKeys(self.hass).async_get(domain)
        if implementation is None:
            return self.flow.async_abort(reason="missing_credentials")
        if key is None:
            return self.flow.async_abort(
                reason="tesla_fleet_key_missing",
                description_placeholders={"domain": domain},
            )
        realm = _realm_of(entry)
        self._sign_in = _SignIn(
            implementation.in_region(REALMS[realm]), realm, domain, key
        )
        return await self.async_step_tesla_fleet_auth()

    def _signing_in(self) -> _SignIn:
        assert self._sign_in is not None  # noqa: S101 - the steps run in order
        return self._sign_in


# -- the account in Home Assistant ---------------------------------------------------


def budget_option_field(entry: ConfigEntry) -> dict[vol.Marker, Any]:
    """Return the options form's budget field (US dollars a month)."""
    return {
        vol.Required(
            CONF_MONTHLY_BUDGET,
            default=entry.options.get(CONF_MONTHLY_BUDGET, DEFAULT_MONTHLY_BUDGET),
        ): NumberSelector(
            NumberSelectorConfig(
                min=0,
                max=MAX_MONTHLY_BUDGET,
                step=0.5,
                mode=NumberSelectorMode.BOX,
                unit_of_measurement="USD",
            )
        )
    }


def fleet_poll_interval(backend: TeslaBackend) -> timedelta:
    """Return the budget's pace (with the budget spent: free online-state checks)."""
    return backend.poll_interval() or BUDGET_SPENT_POLL_INTERVAL


@callback
def async_setup_fleet_entry(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry, backend: TeslaBackend
) -> None:
    """Repair issues for a spent budget and unpaired cars; the keys checked hourly."""

    def budget_placeholders() -> dict[str, str] | None:
        status = backend.budget_status()
        if status is None or not status.exhausted:
            return None
        return {
            "account": entry.title,
            "budget": f"{status.monthly_budget:.2f}",
            "cost": f"{status.estimated_cost:.2f}",
            "resets": dt_util.as_local(status.resets_at).strftime("%Y-%m-%d %H:%M"),
        }

    def pairing_placeholders() -> dict[str, str] | None:
        if not backend.status.unpaired:
            return None
        names = sorted(
            coordinator.vehicle.name
            for vin, coordinator in entry.runtime_data.coordinators.items()
            if vin in backend.status.unpaired
        )
        domain = str(entry.data.get(CONF_KEY_DOMAIN))
        return {
            "account": entry.title,
            "cars": ", ".join(names),
            "pairing_url": pairing_url(domain),
            "public_key_url": public_key_url(domain),
        }

    async_show_issue_while(hass, entry, BUDGET_ISSUE, budget_placeholders)
    async_show_issue_while(hass, entry, PAIRING_ISSUE, pairing_placeholders)

    async def async_check_pairing(_now: datetime | None = None) -> None:
        try:
            await backend.check_pairing()
        except VehicleError as err:
            _LOGGER.debug("Could not check which Tesla cars know the key: %s", err)

    entry.async_create_background_task(
        hass, async_check_pairing(), f"{DOMAIN} Tesla key check"
    )
    entry.async_on_unload(
        async_track_time_interval(hass, async_check_pairing, PAIRING_CHECK_INTERVAL)
    )


def fleet_diagnostics(backend: TeslaBackend) -> dict[str, Any]:
    """Return the budget, the key's public fingerprint and how the cars are commanded."""
    status = backend.budget_status()
    transport = backend.transport
    assert isinstance(transport, FleetTransport)  # noqa: S101 - a Fleet API entry's
    return {
        "command_key": transport.key_fingerprint,
        "signing": sorted(signing.value for signing in transport.signing.values()),
        "budget": None
        if status is None
        else {
            "monthly_budget": status.monthly_budget,
            "estimated_cost": round(status.estimated_cost, 4),
            "exhausted": status.exhausted,
            "poll_interval_s": status.poll_interval.total_seconds()
            if status.poll_interval
            else None,
            "month_start": status.month_start.isoformat(),
        },
    }
