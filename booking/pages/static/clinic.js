// Clinic quick update: site staff paste their API token (kept in this tab's
// sessionStorage only), see their site's sessions, and in one tap mark a session full,
// change its capacity by one, or announce the leftover doses they have now. The leftover
// figures shown are read back from /open-data/leftovers: what the public sees.
import {
  element, fetchJSON, formatClock, formatDate, fundingLabel, lang, onLanguage, problemMessage,
  sessionLabel, setupLanguageSwitch, t,
} from "./i18n.js";

const TOKEN_KEY = "vaxx-clinic-token";
const $ = (id) => document.getElementById(id);
const state = { me: null, site: null, slots: [], stock: [], leftovers: [] };

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function staff(url, options = {}) {
  return fetchJSON(url, { ...options, token: token() });
}

function say(text) {
  $("notice").textContent = text;
  $("notice").hidden = !text;
}

function fail(problem) {
  if (problem.status === 401) {
    signOut();
    $("login-error").textContent = problemMessage(problem);
    $("login-error").hidden = false;
    return;
  }
  say("");
  $("error").textContent = problemMessage(problem);
  $("error").hidden = false;
}

function statusOf(slot) {
  if (slot.closed) return "closed";
  return slot.available > 0 ? "open" : "full";
}

function siteLabel(site) {
  return `${lang() === "en" ? site.name_en : site.name_zh} (${site.code})`;
}

function sessionCard(slot) {
  const status = statusOf(slot);
  const card = element("article", {
    className: "card session-card",
    attrs: { "data-slot": slot.id, "data-status": status, "data-day": slot.day, "data-session": slot.session },
  });
  const when = `${formatDate(slot.day)} ${sessionLabel(slot.session)} ${formatClock(slot.start)}–${formatClock(slot.end)}`;
  card.append(
    element("h3", { text: when }),
    element("p", { className: "meta", text: `${slot.vaccine_code} · ${fundingLabel(slot.funding)}` }),
    element("div", { className: "badges" }, [element("span", { className: `badge ${status}`, text: t(`status.${status}`) })]),
    element("p", {
      className: "counts",
      text: t("clinic.counts", { booked: slot.booked, capacity: slot.capacity, available: slot.available }),
      attrs: { "data-capacity": slot.capacity, "data-booked": slot.booked, "data-available": slot.available },
    }),
  );
  const minus = element("button", { className: "minus", text: "−1", attrs: { type: "button", "aria-label": t("clinic.minus") } });
  const plus = element("button", { className: "plus", text: "+1", attrs: { type: "button", "aria-label": t("clinic.plus") } });
  const full = element("button", { className: "full primary", text: t("clinic.full"), attrs: { type: "button" } });
  minus.disabled = slot.closed || slot.capacity - 1 < slot.booked;
  plus.disabled = slot.closed;
  full.disabled = status !== "open";
  minus.addEventListener("click", () => resize(slot, slot.capacity - 1));
  plus.addEventListener("click", () => resize(slot, slot.capacity + 1));
  full.addEventListener("click", () => markFull(slot));
  card.append(element("div", { className: "buttons" }, [
    element("span", { className: "capacity-label", text: t("clinic.capacity") }), minus, plus, full,
  ]));
  return card;
}

function stockLines() {
  const seen = new Map();
  for (const lot of state.stock) {
    if (lot.balance <= 0) continue;
    const funding = lot.lot_type === "self-paid" ? "self-paid" : "public";
    const key = `${lot.vaccine_code}|${funding}`;
    seen.set(key, { vaccine: lot.vaccine_code, funding, balance: (seen.get(key)?.balance || 0) + lot.balance });
  }
  return [...seen.values()];
}

function announced(line) {
  const found = state.leftovers.find(
    (l) => l.site_id === state.site.code && l.vaccine === line.vaccine && l.funding === line.funding,
  );
  return found ? found.doses : 0;
}

function leftoverRow(line) {
  const now = announced(line);
  const input = element("input", {
    className: "leftover-doses",
    attrs: { type: "number", min: "0", max: String(line.balance), value: String(now || 1), inputmode: "numeric" },
  });
  const button = element("button", { className: "announce primary", text: t("clinic.announce"), attrs: { type: "button" } });
  button.addEventListener("click", () => announce(line, Number(input.value)));
  return element("div", { className: "leftover-row", attrs: { "data-vaccine": line.vaccine, "data-funding": line.funding, "data-announced": now } }, [
    element("span", { className: "label", text: `${line.vaccine} · ${fundingLabel(line.funding)}` }, [
      element("span", { className: "now", text: t("clinic.leftoverNow", { doses: now }) }),
    ]),
    input,
    button,
  ]);
}

function render() {
  if (!state.me) return;
  $("who").textContent = t("clinic.who", { name: state.me.name });
  const select = $("site");
  const keep = select.value;
  select.replaceChildren(...state.me.sites.map((site) => element("option", { text: siteLabel(site), attrs: { value: site.code } })));
  if (keep) select.value = keep;
  if (!state.site) return;
  const lines = stockLines();
  $("leftover-rows").replaceChildren(...(lines.length ? lines.map(leftoverRow) : [element("p", { text: t("clinic.noStock") })]));
  $("sessions").replaceChildren(
    ...(state.slots.length ? state.slots.map(sessionCard) : [element("p", { text: t("clinic.noSessions") })]),
  );
}

async function refreshLeftovers() {
  const county = state.site.county_code ? `?county=${state.site.county_code}` : "";
  state.leftovers = await fetchJSON(`/open-data/leftovers${county}`);
}

async function openSite(code) {
  $("error").hidden = true;
  say(t("loading"));
  try {
    const known = state.me.sites.find((s) => s.code === code);
    state.site = known || { code, county_code: null };
    const [slots, stock] = await Promise.all([
      staff(`/booking/staff/sites/${encodeURIComponent(code)}/slots`),
      staff(`/booking/staff/sites/${encodeURIComponent(code)}/stock`),
    ]);
    state.slots = slots;
    state.stock = stock;
    await refreshLeftovers();
    say("");
    render();
  } catch (problem) {
    state.site = null;
    fail(problem);
  }
}

function replaceSlot(updated) {
  state.slots = state.slots.map((s) => (s.id === updated.id ? updated : s));
  say(t("clinic.saved", { what: `${formatDate(updated.day)} ${sessionLabel(updated.session)} · ${t("clinic.counts", updated)}` }));
  render();
}

async function resize(slot, capacity) {
  $("error").hidden = true;
  try {
    replaceSlot(await staff(`/booking/staff/slots/${slot.id}`, { method: "PATCH", body: { capacity } }));
  } catch (problem) {
    fail(problem);
  }
}

async function markFull(slot) {
  $("error").hidden = true;
  try {
    replaceSlot(await staff(`/booking/staff/slots/${slot.id}/full`, { method: "POST" }));
  } catch (problem) {
    fail(problem);
  }
}

async function announce(line, doses) {
  $("error").hidden = true;
  try {
    const body = { vaccine_code: line.vaccine, funding: line.funding, doses };
    await staff(`/booking/staff/sites/${encodeURIComponent(state.site.code)}/leftovers`, { method: "PUT", body });
    await refreshLeftovers();
    say(t("clinic.saved", { what: `${line.vaccine} · ${t("clinic.leftoverNow", { doses })}` }));
    render();
  } catch (problem) {
    fail(problem);
  }
}

async function signIn(event) {
  if (event) event.preventDefault();
  const typed = $("token").value.trim();
  if (typed) sessionStorage.setItem(TOKEN_KEY, typed);
  $("token").value = "";
  $("login-error").hidden = true;
  try {
    state.me = await staff("/booking/staff/me");
  } catch (problem) {
    sessionStorage.removeItem(TOKEN_KEY);
    $("login-error").textContent = problemMessage(problem);
    $("login-error").hidden = false;
    return;
  }
  $("login").hidden = true;
  $("workspace").hidden = false;
  const national = state.me.national;
  $("site-choice").hidden = national;
  $("site-code-choice").hidden = !national;
  $("open-site").hidden = !national;
  render();
  if (!national && !state.me.sites.length) {
    $("error").textContent = t("clinic.noSites");
    $("error").hidden = false;
  } else if (!national) {
    await openSite(state.me.sites[0].code);
  }
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  Object.assign(state, { me: null, site: null, slots: [], stock: [], leftovers: [] });
  $("workspace").hidden = true;
  $("login").hidden = false;
  say("");
}

function start() {
  setupLanguageSwitch();
  onLanguage(render);
  $("login").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", signOut);
  $("site").addEventListener("change", () => openSite($("site").value));
  $("open-site").addEventListener("click", () => openSite($("site-code").value.trim()));
  if (token()) signIn();
}

start();
