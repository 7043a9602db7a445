// The web chat: a thin adapter over the HTTP API (SSE stream, actions, feedback). No framework, no CDN.
"use strict";

const TEXT = {
  en: {
    title: "Industry-education integration assistant",
    tagline: "Cited answers on the paper and the policies · offers, platforms and expert consultations",
    role: "I am a", student: "student", enterprise: "enterprise manager", teacher: "teacher", admin: "administrator",
    hello: "Ask about the implementation path of industry-education integration, national and Jiangsu policies, or find apprenticeships, shared platforms and experts to consult.",
    s1: "What does the paper propose for modern apprenticeship?", s2: "Is there an apprenticeship in ship welding?",
    s3: "I need to talk to an expert about patent licensing",
    ask_label: "Your question", placeholder: "Ask a question…", send: "Send", close: "Close",
    book_title: "Book this consultation", name: "Name", contact: "Phone or email", continue: "Continue", cancel: "Cancel",
    book: "Book", confirm: "Confirm", drop: "Cancel", sources: "Sources", helpful: "Helpful", unhelpful: "Not helpful",
    thanks: "Thanks for the feedback.", error: "Something went wrong; please try again.", places: "places",
    months: "months", starts: "starts", confirmed: "Booked. Reference:", code: "Cancellation code (keep it; it cancels from any chat):", cancelled: "Cancelled:", dropped: "Not booked.", download: "Download",
    source_of: "Source",
    original: "Original text (the quote above is from our unofficial translation):",
  },
  zh: {
    title: "产教融合智能助手",
    tagline: "基于论文与政策、附带出处的回答 · 培训机会、共享平台与专家咨询",
    role: "我是", student: "学生", enterprise: "企业管理者", teacher: "教师", admin: "管理员",
    hello: "可以询问产教融合的实施路径、国家和江苏的相关政策，也可以查找学徒岗位、共享平台并预约专家咨询。",
    s1: "论文对现代学徒制提出了哪些建议？", s2: "有没有南通的实习机会？", s3: "我想约专家咨询专利许可的问题",
    ask_label: "您的问题", placeholder: "请输入问题……", send: "发送", close: "关闭",
    book_title: "预约专家咨询", name: "姓名", contact: "电话或邮箱", continue: "继续", cancel: "取消",
    book: "预约", confirm: "确认", drop: "取消", sources: "出处", helpful: "有帮助", unhelpful: "没帮助",
    thanks: "感谢您的反馈。", error: "出错了，请重试。", places: "个名额", months: "个月", starts: "开始",
    confirmed: "预约成功，编号：", code: "取消码（请保存，可在任何对话中凭它取消）：", cancelled: "已取消：", dropped: "未预约。", download: "下载", source_of: "出处",
    original: "英文原文（上方引文为本助手的非官方译文）：",
  },
};

const state = { lang: "en", sessionId: null };
const $ = (selector) => document.querySelector(selector);
const log = $("#log");

function t(key) { return TEXT[state.lang][key] || key; }

function applyLanguage(lang) {
  state.lang = lang;
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  $("#lang-en").setAttribute("aria-pressed", String(lang === "en"));
  $("#lang-zh").setAttribute("aria-pressed", String(lang === "zh"));
}

function element(tag, attributes = {}, children = []) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") el.textContent = value;
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value);
  }
  for (const child of [].concat(children)) if (child) el.append(child);
  return el;
}

function addMessage(role, text) {
  $("#hello")?.remove();
  const bubble = element("div", { class: "bubble", text });
  const row = element("div", { class: `msg ${role}` }, bubble);
  log.append(row);
  row.scrollIntoView({ block: "end" });
  return { row, bubble };
}

// "[n]" markers become buttons that open the quoted passage.
function renderAnswer(bubble, answer, citations) {
  bubble.textContent = "";
  const byNumber = new Map(citations.map((c) => [String(c.n), c]));
  for (const part of answer.split(/(\[\d+\])/)) {
    const match = part.match(/^\[(\d+)\]$/);
    const citation = match && byNumber.get(match[1]);
    if (citation) {
      bubble.append(element("button", {
        type: "button", class: "cite", text: `[${citation.n}]`,
        "aria-label": `${t("source_of")} ${citation.n}: ${citation.doc_id}#${citation.section}`,
        onclick: () => showSource(citation),
      }));
    } else {
      bubble.append(document.createTextNode(part));
    }
  }
}

function showSource(citation) {
  $("#source-title").textContent = citation.title;
  $("#source-where").textContent = `${citation.doc_id}#${citation.section}${citation.section_title ? " — " + citation.section_title : ""}`;
  $("#source-quote").textContent = citation.quote;
  $("#source-quote").lang = citation.language || "";
  // A quote from our translation is shown with the original text it renders, so it can be checked.
  const original = citation.original_quote || "";
  $("#source-original").hidden = !original;
  $("#source-original-label").textContent = original ? t("original") : "";
  $("#source-original-quote").textContent = original;
  $("#source").showModal();
}

function cardsFor(call) {
  const items = (call.result && call.result.items) || [];
  if (!items.length || !["search_training_offers", "search_platforms", "list_consultation_slots"].includes(call.name)) return null;
  const cards = element("div", { class: "cards", role: "list" });
  for (const item of items) {
    let title, meta, action = null;
    // A record's Chinese columns on the Chinese page, where the records have them.
    const text = (key) => (state.lang === "zh" && item.zh && item.zh[key]) || item[key] || "";
    if (call.name === "search_training_offers") {
      title = text("title");
      meta = `${text(item.enterprise ? "enterprise" : "school")} · ${text("region")} · ${t("starts")} ${item.start_date} · ${item.duration_months} ${t("months")} · ${item.places} ${t("places")}`;
    } else if (call.name === "search_platforms") {
      title = text("name");
      meta = `${text("host")} · ${text("region")} · ${item.kind === "patent" ? text("deal_mode") : text("services")}`;
    } else {
      title = `${text("expert")} — ${text("organisation")}`;
      const when = state.lang === "zh" && item.zh && item.zh.summary
        ? item.zh.summary.split("，").slice(1).join("，") : item.summary.split(", ").slice(1).join(", ");
      meta = `${when} · ${text("topics")}`;
      action = element("button", { type: "button", class: "book-button", text: t("book"), "aria-label": `${t("book")}: ${title}`, onclick: () => openBooking(item) });
    }
    cards.append(element("article", { class: "card", role: "listitem", "data-id": item.id }, [
      element("h3", { text: title }), element("div", { class: "meta", text: meta }), action,
    ]));
  }
  return cards;
}

function openBooking(slot) {
  $("#book-slot").textContent = (state.lang === "zh" && slot.zh && slot.zh.summary) || slot.summary;
  const dialog = $("#book");
  dialog.returnValue = "";
  dialog.showModal();
  dialog.onclose = () => {
    if (dialog.returnValue !== "ok") return;
    const name = $("#book-name").value.trim();
    const contact = $("#book-contact").value.trim();
    send(`book ${slot.id} for ${name}, ${contact}`);
  };
}

function confirmBox(row, pending) {
  const box = element("div", { class: "confirm", role: "group", "aria-label": pending.summary }, [
    element("div", { text: pending.summary }),
  ]);
  const finish = (text) => { box.replaceChildren(element("div", { text })); };
  const buttons = element("div", { class: "row" }, [
    element("button", { type: "button", class: "confirm-button", text: t("confirm"), onclick: async () => {
      const response = await fetch(`/v1/actions/${encodeURIComponent(pending.token)}/confirm`, { method: "POST" });
      const body = await response.json();
      const code = body.cancellation_code ? ` ${t("code")} ${body.cancellation_code}` : "";
      if (response.ok) finish(body.status === "cancelled" ? `${t("cancelled")} ${body.booking_ref}` : `${t("confirmed")} ${body.booking_ref}.${code}`);
      else finish(body.error || t("error"));
    } }),
    element("button", { type: "button", class: "secondary", text: t("drop"), onclick: async () => {
      await fetch(`/v1/actions/${encodeURIComponent(pending.token)}/dismiss`, { method: "POST" });
      finish(t("dropped"));
    } }),
  ]);
  box.append(buttons);
  row.append(box);
  box.querySelector("button").focus();
}

function feedbackButtons(row, messageId) {
  const bar = element("div", { class: "feedback", role: "group", "aria-label": "Feedback" });
  for (const [rating, label, symbol] of [["up", t("helpful"), "👍"], ["down", t("unhelpful"), "👎"]]) {
    bar.append(element("button", { type: "button", "aria-label": label, "aria-pressed": "false", text: symbol, onclick: async (event) => {
      bar.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", "false"));
      event.currentTarget.setAttribute("aria-pressed", "true");
      await fetch("/v1/feedback", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ session_id: state.sessionId, message_id: messageId, rating }) });
    } }));
  }
  row.append(bar);
}

// Reads the SSE stream of POST /v1/chat/stream and renders as events arrive.
async function send(message) {
  addMessage("user", message);
  const { row, bubble } = addMessage("assistant", "");
  bubble.classList.add("typing");
  let answer = "", citations = [], hasCards = false;
  try {
    const ask = () => fetch("/v1/chat/stream", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ message, session_id: state.sessionId, role: $("#role").value, lang: state.lang }),
    });
    let response = await ask();
    if (response.status === 404 && state.sessionId) {
      // The server no longer knows this conversation (it was reset): carry on in a new one.
      const body = await response.json().catch(() => ({}));
      if (body.code !== "unknown_session") throw new Error(body.error || t("error"));
      state.sessionId = null;
      response = await ask();
    }
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error(body.error || t("error"));
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /event: (.*)/.exec(block)[1];
        const data = JSON.parse(/data: (.*)/s.exec(block)[1]);
        if (event === "delta") { answer += data.text; bubble.textContent = answer; }
        if (event === "reset") { answer = ""; bubble.textContent = answer; }
        else if (event === "citations") { citations = data; }
        else if (event === "tool_calls") {
          for (const call of data) { const cards = cardsFor(call); if (cards) { row.append(cards); hasCards = true; } }
        }
        else if (event === "pending_action") { confirmBox(row, data); }
        else if (event === "document") {
          row.append(element("a", { class: "download", href: data.download_url, download: "", text: `${t("download")}: ${data.title} (.docx)` }));
        }
        else if (event === "error") { throw new Error(data.detail || t("error")); }
        else if (event === "done") {
          state.sessionId = data.session_id;
          // The checked answer is authoritative: a streamed draft that was retried or replaced gives way to it.
          if (typeof data.answer === "string") answer = data.answer;
          if (data.refused) row.classList.add("refused");
          // With cards on screen, the numbered list in the text would say everything twice.
          const text = hasCards ? answer.split("\n").filter((line) => !/^\d+\. /.test(line)).join("\n") : answer;
          renderAnswer(bubble, text, citations);
          if (data.message_id) feedbackButtons(row, data.message_id);
        }
      }
    }
  } catch (error) {
    bubble.textContent = error.message || t("error");
  } finally {
    bubble.classList.remove("typing");
    row.scrollIntoView({ block: "end" });
  }
}

$("#ask").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("#message");
  const message = input.value.trim();
  if (!message) return;
  input.value = "";
  send(message);
});
$("#message").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("#ask").requestSubmit(); }
});
document.querySelectorAll(".suggestion").forEach((button) => button.addEventListener("click", () => send(button.textContent)));
$("#lang-en").addEventListener("click", () => applyLanguage("en"));
$("#lang-zh").addEventListener("click", () => applyLanguage("zh"));
applyLanguage(navigator.language && navigator.language.startsWith("zh") ? "zh" : "en");
