// On a phone the main nav is one row that scrolls sideways (CSS only: it works without this
// file). The page's own link (the highlighted one) is scrolled into view when the page opens,
// so that /imports does not open with its tab off to the right; and since Chromium does not
// scroll a partly visible link into view when it gets keyboard focus, a focused link is
// brought fully into view here too. Only the nav scrolls, never the page.
(function () {
  const nav = document.querySelector("header.topbar nav");
  if (!nav) return;
  function reveal(link) {
    if (nav.scrollWidth <= nav.clientWidth) return;
    const box = link.getBoundingClientRect();
    const view = nav.getBoundingClientRect();
    if (box.left < view.left) nav.scrollLeft -= view.left - box.left + 8;
    else if (box.right > view.right) nav.scrollLeft += box.right - view.right + 8;
  }
  const active = nav.querySelector("a.active");
  if (active) reveal(active);
  nav.addEventListener("focusin", (event) => reveal(event.target));
})();
