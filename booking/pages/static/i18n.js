// Shared by the find, book, my-booking and clinic pages: every visible string in Traditional Chinese
// and English, the language switch, and small helpers (fetching JSON, problem messages).
// The first language is the one the server put on <html lang> (from Accept-Language);
// ?lang= or the switch overrides it and is remembered in localStorage.
"use strict";

const STRINGS = {
  brand: ["vaxx 疫苗接種", "vaxx vaccination"],
  "nav.find": ["找疫苗", "Find a dose"],
  "nav.clinic": ["診所更新", "Clinic update"],
  "nav.myBooking": ["我的預約", "My booking"],
  switch: ["English", "中文"],
  "switch.label": ["切換語言", "Change language"],
  loading: ["載入中…", "Loading…"],
  "error.network": ["無法連線，請稍後再試。", "Could not reach the server; try again later."],
  "error.generic": ["發生錯誤：{detail}", "Something went wrong: {detail}"],
  "error.input": ["請檢查輸入的資料：{detail}", "Please check what you entered: {detail}"],
  "session.morning": ["上午", "Morning"],
  "session.afternoon": ["下午", "Afternoon"],
  "session.evening": ["晚上", "Evening"],
  "funding.public": ["公費", "Public (free)"],
  "funding.self-paid": ["自費", "Self-paid"],
  "status.open": ["可預約", "Open"],
  "status.full": ["已額滿", "Full"],
  "status.closed": ["已結束", "Ended"],
  any: ["不限", "Any"],

  "find.title": ["哪裡可以打疫苗？", "Where can I get a dose?"],
  "find.lead": [
    "選擇縣市或分享位置，查看各接種站的場次、剩餘名額與殘劑。資料與開放資料 API 相同。",
    "Choose a county or share your location to see sessions, places left and leftover doses. The figures are the same open data third parties read.",
  ],
  "find.county": ["縣市", "County / city"],
  "find.allCounties": ["全部縣市", "All counties"],
  "find.district": ["鄉鎮市區", "District"],
  "find.allDistricts": ["全部鄉鎮市區", "All districts"],
  "find.date": ["日期", "Date"],
  "find.session": ["時段", "Session"],
  "find.vaccine": ["疫苗", "Vaccine"],
  "find.funding": ["費用", "Funding"],
  "find.availableOnly": ["只顯示尚有名額", "Only sessions with places left"],
  "find.search": ["搜尋", "Search"],
  "find.locate": ["分享我的位置", "Share my location"],
  "find.locating": ["正在取得位置…", "Getting your location…"],
  "find.located": ["已依距離排序。", "Sorted by distance from you."],
  "find.noLocation": [
    "無法取得位置，請改選縣市。",
    "Your location is not available; choose a county instead.",
  ],
  "find.found": ["找到 {sites} 個接種站、{sessions} 個場次。", "{sites} site(s), {sessions} session(s)."],
  "find.none": ["沒有符合條件的場次。", "No sessions match."],
  "find.leftovers": ["現在有殘劑", "Leftover doses now"],
  "find.leftoverDoses": ["殘劑 {doses} 劑", "{doses} leftover doses"],
  "find.leftoverHint": ["請先來電確認再前往。", "Call before you walk in."],
  "find.places": ["剩 {available} / {capacity} 名", "{available} of {capacity} left"],
  "find.book": ["預約", "Book"],
  "find.bookPartner": ["前往合作院所預約 ↗", "Book on the partner's site ↗"],
  "find.stale": ["資料可能過時（{time}）", "May be out of date ({time})"],
  "find.asOf": ["資料時間 {time}", "As of {time}"],
  "find.source": ["資料來源：{source}", "Source: {source}"],
  "find.distance": ["距離 {km} 公里", "{km} km away"],
  "find.noCoordinates": ["無座標", "no coordinates"],
  "find.phone": ["電話 {phone}", "Phone {phone}"],
  "find.openData": ["開放資料", "Open data"],

  "book.title": ["預約接種", "Book a vaccination"],
  "book.noSlot": [
    "請先在「找疫苗」頁選擇場次。",
    "Choose a session on the Find a dose page first.",
  ],
  "book.back": ["← 回到找疫苗", "← Back to Find a dose"],
  "book.site": ["接種站", "Site"],
  "book.when": ["時間", "When"],
  "book.vaccine": ["疫苗", "Vaccine"],
  "book.funding": ["費用", "Funding"],
  "book.places": ["名額", "Places"],
  "book.full": [
    "此場次已額滿，無法預約。請選擇其他場次。",
    "This session is full: it cannot be booked. Please choose another session.",
  ],
  "book.closed": ["此場次已結束。", "This session has ended."],
  "book.notFound": ["找不到此場次。", "This session does not exist."],
  "book.idType": ["證件類別", "ID type"],
  "idType.national-id": ["身分證", "National ID card"],
  "idType.resident-permit": ["居留證", "Resident permit"],
  "idType.passport": ["護照", "Passport"],
  "book.idValue": ["證件號碼", "ID number"],
  "book.birthDate": ["出生日期", "Date of birth"],
  "book.phone": ["手機（選填）", "Mobile phone (optional)"],
  "book.check": ["檢查資格", "Check eligibility"],
  "book.eligible": [
    "您可以預約此場次（第 {dose} 劑）。",
    "You may book this session (dose {dose}).",
  ],
  "book.notEligible": ["目前無法預約此場次：", "You cannot book this session now:"],
  "book.confirm": ["確認預約", "Book this place"],
  "book.booked": ["預約完成", "Booked"],
  "book.reference": ["預約代碼", "Booking reference"],
  "book.keep": [
    "請記下預約代碼，查詢或取消時需要代碼及出生日期。",
    "Keep this reference: with your date of birth it lets you look up or cancel the booking.",
  ],
  "book.person": ["證件", "ID"],
  "book.dose": ["劑次", "Dose"],
  "book.siteSessions": ["此接種站的場次", "Sessions at this site"],
  "book.manage": ["查詢、改期或取消預約", "Manage your booking"],
  "reason.no_category": ["目前沒有開放此疫苗的公費對象。", "No priority group is offered this vaccine now."],
  "reason.category_inactive": ["您的類別尚未開放預約此日期。", "Your priority group cannot book this date."],
  "reason.not_listed": ["您不在本週的公費接種名冊上。", "You are not on this week's eligibility list."],
  "reason.too_soon": ["距離上一劑的間隔不足。", "It is too soon after your previous dose."],
  "reason.identity_mismatch": ["證件號碼與出生日期不符。", "The ID number and date of birth do not match our records."],
  "problem.slot_full": ["此場次剛剛額滿了，請選擇其他場次。", "This session has just filled up; please choose another."],
  "problem.slot_closed": ["此場次已結束。", "This session has ended."],
  "problem.duplicate_appointment": ["您已預約了這一劑。", "You already hold a booking for this dose."],
  "problem.slot_not_found": ["找不到此場次。", "This session does not exist."],
  "problem.unauthenticated": ["權杖無效，請重新輸入。", "The token was not accepted; enter it again."],
  "problem.forbidden": ["此權杖無權操作這個接種站。", "This token may not act on this site."],
  "problem.insufficient_stock": ["疫苗庫存不足。", "Not enough doses in stock."],
  "problem.slot_busy": ["仍有人正在預約，請再按一次。", "Bookings are still arriving; tap again."],
  "problem.appointment_not_found": [
    "查無符合的預約，請確認預約代碼及出生日期。",
    "No booking matches this reference and date of birth. Check both and try again.",
  ],
  "problem.invalid_status": [
    "此預約已取消或已完成接種，無法再變更。",
    "This booking has already been cancelled or used, so it cannot be changed.",
  ],
  "problem.not_eligible": ["您目前無法改約此場次：", "You cannot move to this session now:"],

  "my.title": ["我的預約", "My booking"],
  "my.lead": [
    "輸入預約代碼及出生日期，即可查看預約、改約同一接種站的其他場次或取消預約。",
    "Enter your booking reference and date of birth to see your booking, move it to another session at the same site, or cancel it.",
  ],
  "my.lookup": ["查詢", "Look up"],
  "my.status": ["狀態", "Status"],
  "my.date": ["日期", "Date"],
  "my.session": ["時段", "Session"],
  "my.time": ["時間", "Time"],
  "appointment.booked": ["已預約", "Booked"],
  "appointment.cancelled": ["已取消", "Cancelled"],
  "appointment.checked-in": ["已報到", "Checked in"],
  "appointment.administered": ["已接種", "Vaccinated"],
  "appointment.no-show": ["未到", "Missed"],
  "my.cancelledNote": [
    "此預約已取消，無法再變更。如仍需接種，請重新預約。",
    "This booking has been cancelled and cannot be changed. To be vaccinated, book again.",
  ],
  "my.doneNote": ["此預約已無法變更。", "This booking can no longer be changed."],
  "my.change": ["改約其他場次", "Move to another session"],
  "my.cancel": ["取消預約", "Cancel booking"],
  "my.cancelAsk": [
    "確定要取消這個預約嗎？名額將釋出給其他人。",
    "Cancel this booking? Your place will go to someone else.",
  ],
  "my.cancelYes": ["確定取消", "Yes, cancel it"],
  "my.cancelNo": ["保留預約", "No, keep it"],
  "my.cancelled": ["預約已取消。", "Your booking is cancelled."],
  "my.others": ["同一接種站、同一疫苗的其他場次", "Other sessions at this site with the same vaccine"],
  "my.noOthers": ["目前沒有其他尚有名額的場次。", "No other session has places left now."],
  "my.moveHere": ["改到此場次", "Move here"],
  "my.moved": ["已改約至 {when}。", "Moved to {when}."],

  "clinic.title": ["診所快速更新", "Clinic quick update"],
  "clinic.lead": [
    "輸入接種站人員權杖，即可一鍵標示額滿、調整名額或公告殘劑。權杖只保存在此分頁。",
    "Enter your site-staff token to mark a session full, change capacity or announce leftover doses in one tap. The token stays in this tab only.",
  ],
  "clinic.token": ["接種站人員權杖", "Site-staff token"],
  "clinic.signIn": ["登入", "Sign in"],
  "clinic.signOut": ["登出", "Sign out"],
  "clinic.who": ["{name}", "{name}"],
  "clinic.site": ["接種站", "Site"],
  "clinic.siteCode": ["醫事機構代碼", "Institution code"],
  "clinic.open": ["開啟", "Open"],
  "clinic.noSites": ["此權杖未綁定任何接種站。", "This token is not bound to any site."],
  "clinic.sessions": ["場次（今天起）", "Sessions (from today)"],
  "clinic.noSessions": ["沒有場次。", "No sessions."],
  "clinic.counts": ["已約 {booked} / 名額 {capacity}，剩 {available}", "{booked} booked of {capacity}, {available} left"],
  "clinic.capacity": ["名額", "Places"],
  "clinic.minus": ["名額 −1", "Capacity −1"],
  "clinic.plus": ["名額 +1", "Capacity +1"],
  "clinic.full": ["標示額滿", "Mark full"],
  "clinic.leftovers": ["殘劑公告", "Leftover doses now"],
  "clinic.leftoverNow": ["目前公告 {doses} 劑", "{doses} announced now"],
  "clinic.announce": ["公告殘劑", "Open leftover doses"],
  "clinic.noStock": ["此接種站沒有庫存。", "This site holds no stock."],
  "clinic.saved": ["已更新：{what}", "Updated: {what}"],
};

const STORE_KEY = "vaxx-lang";

function initialLanguage() {
  const asked = new URLSearchParams(location.search).get("lang");
  const stored = localStorage.getItem(STORE_KEY);
  const chosen = asked || stored || document.documentElement.lang || navigator.language || "zh";
  return chosen.toLowerCase().startsWith("en") ? "en" : "zh";
}

let current = initialLanguage();

export function lang() {
  return current;
}

export function t(key, vars = {}) {
  const pair = STRINGS[key];
  let text = pair ? pair[current === "en" ? 1 : 0] : key;
  for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

export function applyStatic(root = document) {
  document.documentElement.lang = current === "en" ? "en" : "zh-Hant-TW";
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
  const title = document.querySelector("title[data-i18n-title]");
  if (title) title.textContent = `${t(title.dataset.i18nTitle)} · ${t("brand")}`;
}

export function onLanguage(render) {
  document.addEventListener("vaxx:lang", render);
}

export function setupLanguageSwitch() {
  applyStatic();
  const button = document.getElementById("lang-switch");
  button.addEventListener("click", () => {
    current = current === "en" ? "zh" : "en";
    localStorage.setItem(STORE_KEY, current);
    applyStatic();
    document.dispatchEvent(new Event("vaxx:lang"));
  });
}

export function sessionLabel(session) {
  return t(`session.${session}`);
}

export function fundingLabel(funding) {
  return funding ? t(`funding.${funding}`) : "";
}

export function formatDate(isoDate) {
  const [y, m, d] = isoDate.split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return new Intl.DateTimeFormat(current === "en" ? "en-GB" : "zh-TW", {
    month: "short", day: "numeric", weekday: "short", timeZone: "UTC",
  }).format(day);
}

export function formatTime(iso) {
  return new Intl.DateTimeFormat(current === "en" ? "en-GB" : "zh-TW", {
    month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    timeZone: "Asia/Taipei",
  }).format(new Date(iso));
}

export function formatClock(iso) {
  return new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Asia/Taipei",
  }).format(new Date(iso));
}

export function todayInTaipei() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Taipei" }).format(new Date());
}

export class Problem extends Error {
  constructor(status, body) {
    super(body && body.detail ? body.detail : `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.code = this.body.code || `http_${status}`;
  }
}

// GET or send JSON; a problem+json answer becomes a Problem. "no-cache" revalidates with
// the ETag, so a figure just changed is never read from the browser's cache.
export async function fetchJSON(url, { method = "GET", body, token } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(url, {
      method, headers, cache: "no-cache",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new Problem(0, { code: "network", detail: t("error.network") });
  }
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Problem(response.status, parsed);
  return parsed;
}

// The message a person should read for a problem, in the chosen language.
export function problemMessage(problem) {
  if (problem.code === "network") return t("error.network");
  if (STRINGS[`problem.${problem.code}`]) return t(`problem.${problem.code}`);
  if (problem.status === 422) return t("error.input", { detail: problem.message });
  return t("error.generic", { detail: problem.message });
}

export function element(tag, { className, text, attrs } = {}, children = []) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null) el.setAttribute(name, value);
  }
  el.append(...children);
  return el;
}
