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
