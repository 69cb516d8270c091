// Progressive enhancement only: every page works without this file.

// Ask before a destructive POST (delete) goes through.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
