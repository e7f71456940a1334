// Admin pages: users, device tokens, opening-hours exceptions (what the CLI can do).
"use strict";

(() => {
  const { config, t, api, el, dateTime, day } = Rinda;
  const $ = (id) => document.getElementById(id);
  const counterNames = Object.fromEntries(config.counters.map((c) => [c.id, c.name]));
  const departmentNames = Object.fromEntries(config.departments.map((d) => [d.id, d.name]));
  const counterName = (id) => (id ? counterNames[id] || id : "—");
  const departmentName = (id) => (id ? departmentNames[id] || id : "—");

  for (const counter of config.counters) {
    $("new-counter").append(el("option", { value: counter.id, text: counter.name }));
    $("new-device-counter").append(el("option", { value: counter.id, text: counter.name }));
  }
  for (const department of config.departments) {
    $("new-department").append(el("option", { value: department.id, text: department.name }));
  }

  function say(error, result) {
    $("error-message").textContent = error ? describe(error) : "";
    $("result-message").textContent = result || "";
  }

  function describe(error) {
    const fields = Object.entries(error.fields || {}).map(([name, problem]) => `${name}: ${problem}`);
    return fields.length ? `${error.message} (${fields.join(", ")})` : error.message;
  }

  async function run(work, done) {
    try {
      const result = await work();
      say(null, done === undefined ? t("admin.done", "Saved.") : done(result));
    } catch (error) {
      say(error);
    }
    await load();
  }

  async function load() {
    const [users, devices, hours] = await Promise.all([
      api("GET", "/admin/users"), api("GET", "/admin/devices"), api("GET", "/admin/hours")]);
    $("users-table").replaceChildren(...users.map((user) => {
      const toggle = el("button", { type: "button", class: "small",
        text: user.disabled ? t("admin.enable") : t("admin.disable"),
        onclick: () => run(() => api("POST", `/admin/users/${encodeURIComponent(user.username)}/${user.disabled ? "enable" : "disable"}`)) });
      toggle.disabled = user.username === config.self;
      const password = el("button", { type: "button", class: "small", text: t("admin.set_password"),
        onclick: () => {
          const value = window.prompt(t("admin.new_password"));
          if (value) run(() => api("POST", `/admin/users/${encodeURIComponent(user.username)}/password`, { password: value }));
        } });
      return el("tr", { class: user.disabled ? "muted" : "" },
        el("td", { text: user.username }), el("td", { text: user.display_name }),
        el("td", { text: t(`manager.role_${user.role}`, user.role) }), el("td", { text: counterName(user.counter_id) }),
        el("td", { text: departmentName(user.department_id) }),
        el("td", { text: user.disabled ? t("admin.disabled") : t("admin.active") }),
        el("td", {}, toggle, " ", password));
    }));
    $("devices-table").replaceChildren(...devices.map((device) => {
      const revoke = el("button", { type: "button", class: "small", text: t("admin.revoke"),
        onclick: () => run(() => api("POST", `/admin/devices/${encodeURIComponent(device.name)}/revoke`)) });
      revoke.disabled = Boolean(device.revoked_at);
      return el("tr", { class: device.revoked_at ? "muted" : "" },
        el("td", { text: device.name }), el("td", { text: t(`manager.role_${device.role}`, device.role) }),
        el("td", { text: counterName(device.counter_id) }),
        el("td", { text: device.last_seen_at ? dateTime(device.last_seen_at) : t("admin.never_seen") }),
        el("td", { text: device.revoked_at ? t("admin.revoked") : t("admin.active") }), el("td", {}, revoke));
    }));
    if (config.tls) await loadPairings();
    $("hours-table").replaceChildren(...hours.map((row) => el("tr", {},
      el("td", { text: day(row.date) }), el("td", { text: row.hours.length ? row.hours.join(" ") : t("admin.closed_day") }),
      el("td", { text: row.note }),
      el("td", {}, el("button", { type: "button", class: "small", text: t("admin.remove"),
        onclick: () => run(() => api("DELETE", `/admin/hours/${row.date}`)) })))));
  }

  async function loadPairings() {
    const pairings = await api("GET", "/admin/pairings");
    $("pairings-none").hidden = pairings.length > 0;
    $("pairings-table").replaceChildren(...pairings.map((pairing) => {
      const decide = (decision) => run(() => api("POST", `/admin/pairings/${pairing.id}/${decision}`));
      const code = `${pairing.code.slice(0, 3)} ${pairing.code.slice(3)}`;
      return el("tr", {},
        el("td", { class: "pairing-code", text: code }), el("td", { text: pairing.name }),
        el("td", { text: t(`manager.role_${pairing.role}`, pairing.role) }),
        el("td", { text: counterName(pairing.counter_id) }), el("td", { text: pairing.address }),
        el("td", {},
          el("button", { type: "button", class: "small primary", text: t("admin.confirm"),
            "aria-label": `${t("admin.confirm")} ${pairing.name} ${code}`, onclick: () => decide("confirm") }),
          " ",
          el("button", { type: "button", class: "small", text: t("admin.refuse"),
            "aria-label": `${t("admin.refuse")} ${pairing.name}`, onclick: () => decide("refuse") })));
    }));
  }

  // A terminal asking to be paired appears without reloading the page.
  if (config.tls) setInterval(() => loadPairings().catch(() => {}), 3000);

  $("user-form").onsubmit = (event) => {
    event.preventDefault();
    run(() => api("POST", "/admin/users", {
      username: $("new-username").value.trim(), role: $("new-role").value,
      password: $("new-password").value, display_name: $("new-display-name").value.trim(),
      counter_id: $("new-counter").value || null, department_id: $("new-department").value || null,
    })).then(() => { $("new-password").value = ""; });
  };
  $("device-form").onsubmit = (event) => {
    event.preventDefault();
    run(() => api("POST", "/admin/devices", {
      name: $("new-device-name").value.trim(), role: $("new-device-role").value,
      counter_id: $("new-device-counter").value || null,
    }), (result) => {
      $("device-token").hidden = false;
      $("device-token").textContent = `${t("admin.token_once")} ${result.token}`;
      return t("admin.done", "Saved.");
    });
  };
  $("hours-form").onsubmit = (event) => {
    event.preventDefault();
    const closed = $("new-closed").checked;
    run(() => api("POST", "/admin/hours", {
      date: $("new-date").value, closed,
      hours: closed ? [] : $("new-hours").value.split(/\s+/).filter(Boolean),
      note: $("new-note").value.trim(),
    }));
  };
  load().catch((error) => say(error));
})();
