// Autosaving forms (data-autosave): a submit, or a link marked data-autosave-flush, waits for
// the form's autosave in flight so the two never race (the server would otherwise see the
// submit's revision as stale and answer "saved elsewhere"). Without JavaScript the forms are
// plain forms with a Save button and nothing here runs.
(function () {
  "use strict";
  var inFlight = new WeakMap(); // form -> number of autosave requests not yet answered
  var dirty = new WeakSet(); // forms typed in since their last autosave left

  function autosaveForm(element) {
    return element instanceof Element ? element.closest("form[data-autosave]") : null;
  }
  function pending(form) {
    return inFlight.get(form) || 0;
  }
  function settled(forms) {
    return forms.every(function (form) {
      return pending(form) === 0;
    });
  }
  function whenSettled(forms, then) {
    // htmx sends a request it queued behind the one in flight right after that one's
    // afterRequest event: look again once it has had the chance.
    var done = false;
    var check = function () {
      window.setTimeout(function () {
        if (done || !settled(forms)) return;
        done = true;
        document.removeEventListener("htmx:afterRequest", check);
        then();
      }, 0);
    };
    document.addEventListener("htmx:afterRequest", check);
    check();
  }

  // Capture phase: marked before htmx's own listener on the form sends the autosave (which
  // then clears the mark), so a mark left means typed text no request has carried yet.
  document.addEventListener(
    "input",
    function (event) {
      var form = autosaveForm(event.target);
      if (form) dirty.add(form);
    },
    true
  );
  document.addEventListener(
    "change",
    function (event) {
      var form = autosaveForm(event.target);
      // A change a field sent (not the one this script triggers on the form to save it).
      if (form && event.target !== form) dirty.add(form);
    },
    true
  );
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    // Once the form is being submitted, a late autosave timer must not fire behind it.
    if (form && form.dataset.submitting === "true") event.preventDefault();
  });
  document.addEventListener("htmx:beforeSend", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) return;
    dirty.delete(form);
    inFlight.set(form, pending(form) + 1);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (form) inFlight.set(form, Math.max(0, pending(form) - 1));
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-autosave")) return;
    if (form.dataset.submitting === "true") return;
    form.dataset.submitting = "true";
    if (pending(form) === 0) return; // nothing in flight: the submit goes now
    event.preventDefault();
    var submitter = event.submitter;
    whenSettled([form], function () {
      // The autosave's answer has put the new revision into the form (out of band).
      form.requestSubmit(submitter || undefined);
    });
  });

  // "Review and sign" on the group note: save what was typed in every form first, then go.
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[data-autosave-flush]") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-autosave]"));
    var toSave = forms.filter(function (form) {
      return dirty.has(form);
    });
    if (toSave.length === 0 && settled(forms)) return;
    event.preventDefault();
    link.setAttribute("aria-busy", "true");
    toSave.forEach(function (form) {
      window.htmx.trigger(form, "change");
    });
    whenSettled(forms, function () {
      link.removeAttribute("aria-busy");
      var failed = forms.filter(function (form) {
        return dirty.has(form) || form.querySelector(".autosave-status .message.error");
      });
      if (failed.length > 0) {
        // Not saved (a conflict or an error): stay, so nothing typed is lost.
        var status = failed[0].querySelector(".autosave-status");
        if (status) {
          status.setAttribute("tabindex", "-1");
          status.focus();
        }
        return;
      }
      window.location.assign(link.href);
    });
  });
})();
