// The wallet page: claim a certificate, show it with a large QR and the fields a person
// checks by eye, download the PDF. No framework and no build step. Everything the server
// sends is put in the page with textContent, never as HTML.
"use strict";

const API = "/wallet/api";
const TOKEN = "wallet.token";
const LANG = "wallet.lang";
const TEXT = {
  "zh-TW": {
    title: "數位防疫憑證", logout: "登出", claimTitle: "領取憑證", code: "領取碼",
    birthDate: "出生日期（YYYY-MM-DD）", claim: "領取", pdf: "下載 PDF",
    offline: "目前離線：顯示的是此裝置上儲存的憑證。", other: "English",
    delegated: "受託查看的憑證", none: "尚未領取任何憑證。", failed: "無法連線，請稍後再試。",
    loading: "載入中…", claimAnother: "再領取一張憑證",
  },
  en: {
    title: "Certificate wallet", logout: "Log out", claimTitle: "Claim a certificate",
    code: "Claim code", birthDate: "Date of birth (YYYY-MM-DD)", claim: "Claim",
    pdf: "Download PDF", offline: "Offline: showing the certificates saved on this device.",
    other: "中文", delegated: "Shared with you", none: "No certificates claimed yet.",
    failed: "Cannot reach the server; try again later.", loading: "Loading…",
    claimAnother: "Claim another certificate",
  },
};

let lang = localStorage.getItem(LANG) ||
  ((navigator.language || "").toLowerCase().startsWith("zh") ? "zh-TW" : "en");
const objectUrls = [];

const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[lang][key];

class ProblemError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || String(problem.status));
    this.problem = problem;
  }
}

async function api(path, options = {}) {
  const headers = { "Accept-Language": lang, ...(options.headers || {}) };
  const token = localStorage.getItem(TOKEN);
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path.startsWith("/") ? path : `${API}/${path}`, { ...options, headers });
  } catch (networkError) {
    throw new ProblemError({ detail: t("failed") });
  }
  if (!response.ok) {
    let problem = { status: response.status, detail: t("failed") };
    try { problem = await response.json(); } catch (ignored) { /* not JSON: keep default */ }
    throw new ProblemError(problem);
  }
  return response;
}

function applyTexts() {
  document.documentElement.lang = lang === "zh-TW" ? "zh-Hant-TW" : "en";
  document.title = t("title");
  for (const element of document.querySelectorAll("[data-t]")) {
    element.textContent = t(element.dataset.t);
  }
  $("lang").textContent = t("other");
  $("logout").hidden = !localStorage.getItem(TOKEN);
}

function showError(message) {
  const box = $("claim-error");
  box.textContent = message;
  box.hidden = !message;
}

async function claim(event) {
  event.preventDefault();
  showError("");
  const body = { code: $("code").value.trim(), birth_date: $("birth-date").value.trim() };
  $("claim-submit").disabled = true;
  try {
    if (!localStorage.getItem(TOKEN)) await forgetSavedCertificates();
    const response = await api("claim", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const grant = await response.json();
    localStorage.setItem(TOKEN, grant.token);
    $("claim-form").reset();
    applyTexts();
    await load();
  } catch (error) {
    showError(error.message);
  } finally {
    $("claim-submit").disabled = false;
  }
}

async function load() {
  const section = $("certificates");
  if (!localStorage.getItem(TOKEN)) {
    section.replaceChildren();
    return;
  }
  let response;
  try {
    response = await api("certificates");
  } catch (error) {
    if (error.problem && error.problem.status === 401) return logout();
    section.replaceChildren(paragraph(error.message, "error"));
    return;
  }
  $("offline").hidden = response.headers.get("X-Wallet-Offline") !== "1";
  const list = (await response.json()).certificates;
  for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
  section.replaceChildren(...(list.length ? list.map(card) : [paragraph(t("none"))]));
  $("claim-title").textContent = list.length ? t("claimAnother") : t("claimTitle");
}

function paragraph(text, className) {
  const p = document.createElement("p");
  p.textContent = text;
  if (className) p.className = className;
  return p;
}

function card(certificate) {
  const article = document.createElement("article");
  article.className = "card";
  article.dataset.id = certificate.id;
  const heading = document.createElement("h3");
  heading.textContent = certificate.type_label;
  const status = document.createElement("span");
  status.className = `status status-${certificate.status}`;
  status.textContent = certificate.status_label;
  status.dataset.status = certificate.status;
  article.append(heading, status);
  if (certificate.held === "delegated") article.append(paragraph(t("delegated"), "delegated"));
  const image = document.createElement("img");
  image.className = "qr";
  image.alt = `QR ${certificate.uvci}`;
  article.append(image);
  showQr(certificate, image);
  const fields = document.createElement("dl");
  for (const field of certificate.fields) {
    const term = document.createElement("dt");
    term.textContent = field.label;
    const value = document.createElement("dd");
    value.textContent = field.value;
    fields.append(term, value);
  }
  article.append(fields);
  const download = document.createElement("button");
  download.type = "button";
  download.className = "download";
  download.textContent = t("pdf");
  download.addEventListener("click", () => downloadPdf(certificate));
  article.append(download);
  return article;
}

async function showQr(certificate, image) {
  try {
    const blob = await (await api(certificate.links.qr_png)).blob();
    const url = URL.createObjectURL(blob);
    objectUrls.push(url);
    image.src = url;
  } catch (error) {
    image.replaceWith(paragraph(error.message, "error"));
  }
}

async function downloadPdf(certificate) {
  try {
    const blob = await (await api(certificate.links.pdf)).blob();
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `certificate-${certificate.id}.pdf`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (error) {
    showError(error.message);
  }
}

async function forgetSavedCertificates() {
  if ("caches" in window) await caches.delete("wallet-data");
}

async function logout() {
  if (localStorage.getItem(TOKEN)) {
    try { await api("logout", { method: "POST" }); } catch (ignored) { /* offline: forget anyway */ }
  }
  localStorage.removeItem(TOKEN);
  await forgetSavedCertificates();
  applyTexts();
  await load();
  $("claim-title").textContent = t("claimTitle");
}

function switchLanguage() {
  lang = lang === "zh-TW" ? "en" : "zh-TW";
  localStorage.setItem(LANG, lang);
  applyTexts();
  load();
}

document.addEventListener("DOMContentLoaded", () => {
  applyTexts();
  $("claim-form").addEventListener("submit", claim);
  $("lang").addEventListener("click", switchLanguage);
  $("logout").addEventListener("click", logout);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/wallet/sw.js", { scope: "/wallet/" }).catch(() => {});
  }
  load();
});
