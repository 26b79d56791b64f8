/* microcred additions to mkdocs-material: a link to a heading inside a content tab (from the
   page's contents list, another page or the address bar) selects that tab first, so the heading
   is shown and scrolled to instead of the link doing nothing. */
(function () {
  "use strict";

  /* Select every tab that hides `target` (tabs may nest); true when one changed. */
  function selectTabsOf(target) {
    var changed = false;
    var block = target.closest(".tabbed-block");
    while (block) {
      var set = block.closest(".tabbed-set");
      var blocks = Array.prototype.slice.call(block.parentElement.children);
      var inputs = set.querySelectorAll(":scope > input");
      var input = inputs[blocks.indexOf(block)];
      if (input && !input.checked) {
        input.click();
        changed = true;
      }
      block = set.parentElement ? set.parentElement.closest(".tabbed-block") : null;
    }
    return changed;
  }

  function reveal(hash, scroll) {
    if (!hash || hash.length < 2) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (target && selectTabsOf(target) && scroll) {
      target.scrollIntoView();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href*='#']") : null;
    if (link && link.pathname === window.location.pathname && link.hash) {
      reveal(link.hash, false); /* the link's own navigation then scrolls to the heading */
    }
  }, true);
  window.addEventListener("hashchange", function () {
    reveal(window.location.hash, true);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      reveal(window.location.hash, true);
    });
  } else {
    reveal(window.location.hash, true);
  }
})();
