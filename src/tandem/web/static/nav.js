// On a phone the main nav is one row that scrolls sideways (CSS only: it works without this
// file). Chromium does not scroll a partly visible link into view when it gets keyboard
// focus, so a focused link is brought fully into view here.
(function () {
  const nav = document.querySelector("header.topbar nav");
  if (!nav) return;
  nav.addEventListener("focusin", (event) => {
    if (nav.scrollWidth > nav.clientWidth) event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
  });
})();
