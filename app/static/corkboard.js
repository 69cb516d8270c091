// Progressive enhancement only: every page works without this file.

// Ask before a destructive POST (delete) goes through.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Relative times ("5 minutes ago"); the exact time stays in the title, shown on hover.
const UNITS = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

function relativeTime(date) {
  const seconds = (date.getTime() - Date.now()) / 1000;
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(0, "minute");
}

function showRelativeTimes() {
  for (const element of document.querySelectorAll("time[datetime]")) {
    const date = new Date(element.getAttribute("datetime"));
    if (!Number.isNaN(date.getTime())) {
      element.textContent = relativeTime(date);
    }
  }
}

// Character counters on long fields. Limits count characters (code points), as the server
// does, so the browser's own maxlength (which counts UTF-16 units) is replaced.
function addCounter(field) {
  const limit = Number(field.getAttribute("maxlength"));
  field.removeAttribute("maxlength");
  const counter = document.createElement("p");
  counter.className = "counter";
  counter.id = `${field.id}-counter`;
  counter.setAttribute("aria-live", "polite");
  field.insertAdjacentElement("afterend", counter);
  const described = field.getAttribute("aria-describedby");
  field.setAttribute("aria-describedby", described ? `${described} ${counter.id}` : counter.id);
  const update = () => {
    const used = [...field.value].length;
    counter.textContent = `${used.toLocaleString()} / ${limit.toLocaleString()} characters`;
    counter.classList.toggle("counter-over", used > limit);
  };
  field.addEventListener("input", update);
  update();
}

document.addEventListener("DOMContentLoaded", () => {
  showRelativeTimes();
  document.querySelectorAll("textarea[maxlength]").forEach(addCounter);
});

// Votes: the vote form is sent in the background and updated in place. The button keeps
// the focus, and the count, a status region, is read out by screen readers. Any failure
// (signed out, say) sends the form the ordinary way, which shows what went wrong.
async function sendVote(event) {
  const form = event.target;
  if (!form.matches("form[data-vote]")) return;
  event.preventDefault();
  const button = form.querySelector("button");
  const count = form.querySelector(".vote-count");
  const choice = form.elements.vote;
  let answer;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    answer = await response.json();
  } catch {
    form.submit();
    return;
  }
  choice.value = answer.voted ? "0" : "1";
  button.setAttribute("aria-pressed", String(answer.voted));
  button.classList.toggle("button-quiet", answer.voted);
  button.textContent = answer.voted ? button.dataset.unvoteLabel : button.dataset.voteLabel;
  count.textContent =
    answer.votes === 1 ? count.dataset.one : count.dataset.many.replace("{n}", answer.votes);
}

document.addEventListener("submit", sendVote);
