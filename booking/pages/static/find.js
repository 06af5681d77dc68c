// Find a dose: reads /open-data/availability and /open-data/leftovers, the very endpoints
// third parties use, so this page and the open data cannot disagree. District filtering
// and distance sorting happen here, on the rows those endpoints returned.
import {
  element, fetchJSON, fundingLabel, formatClock, formatDate, formatTime, lang, onLanguage,
  problemMessage, sessionLabel, setupLanguageSwitch, t,
} from "./i18n.js";

const state = { options: null, rows: [], leftovers: [], position: null, searched: false };
const $ = (id) => document.getElementById(id);

function countyName(code) {
  const county = (state.options?.counties || []).find((c) => c.code === code);
  if (!county) return code || "";
  return lang() === "en" ? county.en : county.zh;
}

function fillSelects() {
  const county = $("county");
  const keep = county.value;
  county.replaceChildren(element("option", { text: t("find.allCounties"), attrs: { value: "" } }));
  for (const c of state.options.counties) {
    county.append(element("option", { text: lang() === "en" ? c.en : c.zh, attrs: { value: c.code } }));
  }
  county.value = keep;
  const vaccine = $("vaccine");
  const keepVaccine = vaccine.value;
  vaccine.replaceChildren(element("option", { text: t("any"), attrs: { value: "" } }));
  for (const v of state.options.vaccines) {
    vaccine.append(element("option", { text: `${v.code} (${v.name})`, attrs: { value: v.code } }));
  }
  vaccine.value = keepVaccine;
}

function fillDistricts() {
  const select = $("district");
  const keep = select.value || new URLSearchParams(location.search).get("district") || "";
  const districts = [...new Set(state.rows.map((r) => r.district).filter(Boolean))].sort();
  select.replaceChildren(element("option", { text: t("find.allDistricts"), attrs: { value: "" } }));
  for (const d of districts) select.append(element("option", { text: d, attrs: { value: d } }));
  select.value = districts.includes(keep) ? keep : "";
}

function serverQuery() {
  const params = new URLSearchParams();
  for (const id of ["county", "session", "vaccine", "funding", "date"]) {
    if ($(id).value) params.set(id, $(id).value);
  }
  if ($("available-only").checked) params.set("available_only", "true");
  return params;
}

function restoreForm() {
  const params = new URLSearchParams(location.search);
  for (const id of ["county", "session", "vaccine", "funding", "date"]) {
    if (params.has(id)) $(id).value = params.get(id);
  }
  $("available-only").checked = params.get("available_only") === "true";
}

function remember() {
  const params = serverQuery();
  if ($("district").value) params.set("district", $("district").value);
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

async function search() {
  $("error").hidden = true;
  $("status").textContent = t("loading");
  const params = serverQuery();
  const county = params.has("county") ? `?county=${encodeURIComponent(params.get("county"))}` : "";
  try {
    const [rows, leftovers] = await Promise.all([
      fetchJSON(`/open-data/availability?${params}`),
      fetchJSON(`/open-data/leftovers${county}`),
    ]);
    state.rows = rows;
    state.leftovers = leftovers;
    state.searched = true;
    fillDistricts();
    remember();
    render();
  } catch (problem) {
    $("status").textContent = "";
    $("error").textContent = problemMessage(problem);
    $("error").hidden = false;
  }
}

function distanceKm(lat, lon) {
  if (!state.position || lat === null || lon === null || lat === undefined) return null;
  const rad = (deg) => (deg * Math.PI) / 180;
  const { latitude, longitude } = state.position;
  const dLat = rad(lat - latitude);
  const dLon = rad(lon - longitude);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(latitude)) * Math.cos(rad(lat)) * Math.sin(dLon / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(a));
}

function siteName(row) {
  return lang() === "en" && row.site_name_en ? row.site_name_en : row.site_name;
}

function groups(rows) {
  const bySite = new Map();
  for (const row of rows) {
    const key = `${row.source}|${row.site_id}`;
    if (!bySite.has(key)) bySite.set(key, []);
    bySite.get(key).push(row);
  }
  const list = [...bySite.values()].map((siteRows) => {
    const first = siteRows[0];
    return { rows: siteRows, first, km: distanceKm(first.latitude, first.longitude) };
  });
  if (state.position) {
    list.sort((a, b) => (a.km ?? Infinity) - (b.km ?? Infinity));
  }
  return list;
}

function sessionItem(row) {
  const start = formatClock(row.start);
  const end = formatClock(row.end);
  const item = element("li", {
    className: "session",
    attrs: {
      "data-site": row.site_id, "data-date": row.date, "data-session": row.session,
      "data-vaccine": row.vaccine, "data-funding": row.funding, "data-status": row.status,
      "data-available": row.available, "data-capacity": row.capacity,
    },
  });
  item.append(
    element("span", { className: "when", text: `${formatDate(row.date)} ${row.session ? sessionLabel(row.session) : ""} ${start}–${end}` }),
    element("span", { className: "what", text: [row.vaccine, fundingLabel(row.funding)].filter(Boolean).join(" · ") }),
  );
  const right = element("span", { className: "right" }, [
    element("span", { className: "places", text: t("find.places", { available: row.available, capacity: row.capacity }) }),
    element("span", { className: `badge status ${row.status}`, text: t(`status.${row.status}`) }),
  ]);
  if (row.booking_url && row.status === "open") {
    const partner = row.source !== "vaxx";
    const link = element("a", {
      className: "button primary book",
      text: partner ? t("find.bookPartner") : t("find.book"),
      attrs: { href: row.booking_url },
    });
    if (partner) {
      link.target = "_blank";
      link.rel = "noopener noreferrer";
    }
    right.append(link);
  }
  item.append(right);
  return item;
}

function siteCard(group, leftovers) {
  const { first, rows, km } = group;
  const card = element("article", { className: "card site", attrs: { "data-site": first.site_id, "data-source": first.source } });
  card.append(element("h3", { text: siteName(first) }));
  const place = [countyName(first.county_code) || first.county_name, first.district, first.address].filter(Boolean).join(" ");
  card.append(element("p", { className: "meta", text: place }));
  const badges = element("div", { className: "badges" });
  if (state.position) {
    badges.append(element("span", { className: "badge distance", text: km === null ? t("find.noCoordinates") : t("find.distance", { km: km.toFixed(1) }) }));
  }
  for (const item of leftovers) {
    badges.append(element("span", { className: "badge leftover", text: `${t("find.leftoverDoses", { doses: item.doses })} · ${item.vaccine}` }));
  }
  if (first.source !== "vaxx") {
    badges.append(element("span", { className: "badge source", text: t("find.source", { source: first.source }) }));
    const stale = rows.find((r) => r.stale);
    badges.append(stale
      ? element("span", { className: "badge stale", text: t("find.stale", { time: formatTime(stale.as_of) }) })
      : element("span", { className: "badge", text: t("find.asOf", { time: formatTime(first.as_of) }) }));
  }
  if (badges.childElementCount) card.append(badges);
  card.append(element("ul", { className: "sessions" }, rows.map(sessionItem)));
  return card;
}

function leftoverItem(item) {
  const name = lang() === "en" ? item.site_name_en : item.site_name;
  const phone = item.phone ? ` · ${t("find.phone", { phone: item.phone })}` : "";
  return element("li", { attrs: { "data-site": item.site_id, "data-doses": item.doses, "data-vaccine": item.vaccine } }, [
    element("strong", { text: `${name}: ${t("find.leftoverDoses", { doses: item.doses })}` }),
    element("div", { className: "meta", text: `${item.vaccine} · ${fundingLabel(item.funding)} · ${item.district} ${item.address}${phone}` }),
    element("div", { className: "meta", text: t("find.leftoverHint") }),
  ]);
}

function render() {
  if (!state.searched) return;
  const district = $("district").value;
  const rows = district ? state.rows.filter((r) => r.district === district) : state.rows;
  const leftovers = district ? state.leftovers.filter((l) => l.district === district) : state.leftovers;
  const bySite = new Map();
  for (const item of leftovers) {
    if (!bySite.has(item.site_id)) bySite.set(item.site_id, []);
    bySite.get(item.site_id).push(item);
  }
  $("leftover-list").replaceChildren(...leftovers.map(leftoverItem));
  $("leftovers").hidden = leftovers.length === 0;
  const found = groups(rows);
  $("results").replaceChildren(
    ...found.map((g) => siteCard(g, g.first.source === "vaxx" ? bySite.get(g.first.site_id) || [] : [])),
  );
  const summary = found.length ? t("find.found", { sites: found.length, sessions: rows.length }) : t("find.none");
  $("status").textContent = state.position ? `${summary} ${t("find.located")}` : summary;
}

function locate() {
  if (!navigator.geolocation) {
    $("status").textContent = t("find.noLocation");
    return;
  }
  $("status").textContent = t("find.locating");
  navigator.geolocation.getCurrentPosition(
    (position) => {
      state.position = { latitude: position.coords.latitude, longitude: position.coords.longitude };
      render();
    },
    () => {
      state.position = null;
      $("status").textContent = t("find.noLocation");
    },
    { timeout: 10000, maximumAge: 300000 },
  );
}

async function start() {
  setupLanguageSwitch();
  onLanguage(() => {
    if (state.options) fillSelects();
    fillDistricts();
    render();
  });
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  for (const id of ["county", "session", "vaccine", "funding", "date", "available-only"]) {
    $(id).addEventListener("change", () => {
      if (id === "county") $("district").value = "";
      search();
    });
  }
  $("district").addEventListener("change", () => {
    remember();
    render();
  });
  $("locate").addEventListener("click", locate);
  try {
    state.options = await fetchJSON("/pages/options.json");
    fillSelects();
  } catch (problem) {
    $("error").textContent = problemMessage(problem);
    $("error").hidden = false;
  }
  restoreForm();
  await search();
}

start();
