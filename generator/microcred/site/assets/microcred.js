/* microcred additions to mkdocs-material:
   - a link to a heading inside a content tab (from the page's contents list, another page or the
     address bar) selects that tab first, so the heading is shown and scrolled to;
   - the login a learner types once in a module page's "How to submit" replaces YOUR-LOGIN in
     the folder, the manifest and the web editor button, on every module page (remembered in
     this browser only). */
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
  var PLACEHOLDER = "YOUR-LOGIN";
  var STORE = "microcred-login";
  /* GitHub's rule, as `microcred submit` checks it: letters, digits and single hyphens. */
  var LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

  function remembered() {
    try {
      return window.localStorage.getItem(STORE) || "";
    } catch (error) {
      return "";
    }
  }

  function remember(login) {
    try {
      if (login) {
        window.localStorage.setItem(STORE, login);
      } else {
        window.localStorage.removeItem(STORE);
      }
    } catch (error) {
      /* storage refused (private mode): the login still applies to this page */
    }
  }

  /* Every place on the page that shows the placeholder, with its original text. */
  function placeholders(box) {
    var found = [];
    var content = document.querySelector(".md-content") || document.body;
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      var node = walker.currentNode;
      var keep = node.parentElement && node.parentElement.closest(".mc-keep");
      if (node.nodeValue.indexOf(PLACEHOLDER) >= 0 && !box.contains(node) && !keep) {
        found.push({ node: node, text: node.nodeValue });
      }
    }
    var links = content.querySelectorAll("a[href*='" + PLACEHOLDER + "']");
    Array.prototype.forEach.call(links, function (link) {
      found.push({ link: link, text: link.getAttribute("href") });
    });
    return found;
  }

  function setUpLogin() {
    var input = document.getElementById("mc-login");
    if (!input) {
      return;
    }
    var box = input.closest(".mc-login");
    var problem = box.querySelector(".mc-login-problem");
    var places = placeholders(box);
    function apply(typed) {
      var login = LOGIN.test(typed) ? typed : PLACEHOLDER;
      places.forEach(function (place) {
        var text = place.text.split(PLACEHOLDER).join(login);
        if (place.node) {
          place.node.nodeValue = text;
        } else {
          place.link.setAttribute("href", text);
        }
      });
      problem.textContent = typed && login === PLACEHOLDER
        ? "A GitHub login has only letters, digits and single hyphens (no spaces), as in " +
          "your profile's address." : "";
    }
    input.value = remembered();
    apply(input.value);
    input.addEventListener("input", function () {
      var typed = input.value.trim();
      remember(LOGIN.test(typed) ? typed : (typed ? remembered() : ""));
      apply(typed);
    });
  }

  function start() {
    reveal(window.location.hash, true);
    setUpLogin();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
