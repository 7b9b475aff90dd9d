/*
 * Connected Car: the car dashboard as a Lovelace strategy.
 *
 * Served by the integration (dashboard.py) and loaded on every page. The cards
 * are built by Home Assistant (websocket command connected_car/dashboard) from
 * the entity registry, so this file only asks for them:
 *
 *   dashboard:  strategy: {type: custom:connected-car}
 *   one view:   views: [{strategy: {type: custom:connected-car, device_id: ...}}]
 *
 * Home Assistant 2026.5 and later also list the dashboard strategy under
 * Settings > Dashboards > Add dashboard (window.customStrategies).
 */

const STRATEGY = "connected-car";
const WS_TYPE = "connected_car/dashboard";

async function fetchDashboard(config, hass) {
  const message = { type: WS_TYPE, language: hass.language };
  if (config.device_id) {
    message.device_id = config.device_id;
  }
  return hass.callWS(message);
}

class ConnectedCarDashboardStrategy extends HTMLElement {
  static async generate(config, hass) {
    return fetchDashboard(config, hass);
  }
}

class ConnectedCarViewStrategy extends HTMLElement {
  static async generate(config, hass) {
    const dashboard = await fetchDashboard(config, hass);
    return dashboard.views[0];
  }
}

for (const [tag, strategy] of [
  [`ll-strategy-dashboard-${STRATEGY}`, ConnectedCarDashboardStrategy],
  [`ll-strategy-view-${STRATEGY}`, ConnectedCarViewStrategy],
]) {
  if (!customElements.get(tag)) {
    customElements.define(tag, strategy);
  }
}

window.customStrategies = window.customStrategies || [];
if (!window.customStrategies.some((entry) => entry.type === STRATEGY)) {
  window.customStrategies.push({
    type: STRATEGY,
    strategyType: "dashboard",
    name: "Connected Car",
    description:
      "Each car at a glance: lock, heater, range and energy, doors and windows, position and departure plan.",
    documentationURL: "https://github.com/connected-car/connected-car#car-dashboard",
  });
}
