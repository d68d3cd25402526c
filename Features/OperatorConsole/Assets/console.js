// OfferHub console: light progressive enhancement. Every form works without this file.
(function () {
  "use strict";

  // Amounts are 2-decimal strings; compare them as whole cents, never as floating point.
  function cents(text) {
    var match = /^(\d{1,10})\.(\d{2})$/.exec((text || "").trim());
    return match ? BigInt(match[1]) * 100n + BigInt(match[2]) : null;
  }

  function format(value) {
    var negative = value < 0n;
    var magnitude = negative ? -value : value;
    var units = magnitude / 100n;
    var rest = (magnitude % 100n).toString().padStart(2, "0");
    return (negative ? "-" : "") + units.toString() + "." + rest;
  }

  // The SPLIT form: show at once whether seller + buyer adds up to what the escrow holds.
  document.querySelectorAll("form[data-split-total]").forEach(function (form) {
    var total = cents(form.getAttribute("data-split-total"));
    var seller = form.querySelector("[name=amount_to_seller]");
    var buyer = form.querySelector("[name=amount_to_buyer]");
    var output = form.querySelector("[data-split-check]");
    var submit = form.querySelector("button[type=submit]");
    var decisions = form.querySelectorAll("[name=decision]");
    if (!seller || !buyer || !output || total === null) { return; }

    function isSplit() {
      var chosen = form.querySelector("[name=decision]:checked");
      return chosen && chosen.value === "SPLIT";
    }

    function check() {
      if (!isSplit()) {
        output.textContent = "";
        output.className = "split-check";
        submit.disabled = false;
        return;
      }
      var a = seller.value.trim() === "0.00" ? 0n : cents(seller.value);
      var b = buyer.value.trim() === "0.00" ? 0n : cents(buyer.value);
      if (a === null || b === null) {
        output.textContent = "Enter both amounts as numbers with two decimals, e.g. 60.00 (0.00 for nothing).";
        output.className = "split-check bad";
        submit.disabled = true;
        return;
      }
      var sum = a + b;
      if (sum === total) {
        output.textContent = "Adds up: " + format(a) + " + " + format(b) + " = " + format(total) + ".";
        output.className = "split-check good";
        submit.disabled = false;
      } else {
        var gap = total - sum;
        output.textContent = format(a) + " + " + format(b) + " = " + format(sum) + ", but the escrow holds " + format(total) +
          (gap > 0n ? " (" + format(gap) + " unassigned)." : " (" + format(-gap) + " too much).");
        output.className = "split-check bad";
        submit.disabled = true;
      }
    }

    seller.addEventListener("input", check);
    buyer.addEventListener("input", check);
    decisions.forEach(function (d) { d.addEventListener("change", check); });
    check();
  });

  // Destructive actions ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // One click is one submission (the server also treats a repeat as the same action).
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }
      var button = form.querySelector("button[type=submit]");
      if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
    });
  });

  // Errors take the focus, so keyboard and screen-reader users hear them first.
  var problem = document.getElementById("problem");
  if (problem) { problem.focus(); }
})();
