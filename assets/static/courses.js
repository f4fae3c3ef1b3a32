// Fills a new course's slug from its title as it is typed, until the
// author edits the slug themselves. The server makes the same slug when
// the field is left empty, so the form works without this script.
(function () {
  "use strict";
  var form = document.querySelector("form[data-slug-form]");
  if (!form || form.hasAttribute("data-slug-locked")) { return; }
  var title = form.querySelector("#title");
  var slug = form.querySelector("#slug");
  if (!title || !slug) { return; }
  var special = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i" };
  function slugify(s) {
    var out = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[ßæœøđðłþı]/g, function (c) { return special[c]; })
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (out.length > 80) {
      out = out.slice(0, 80);
      var dash = out.lastIndexOf("-");
      if (dash >= 40) { out = out.slice(0, dash); }
      out = out.replace(/-+$/, "");
    }
    if (/^[0-9]+$/.test(out)) { out = "course-" + out; }
    return out;
  }
  var touched = slug.value !== "" && slug.value !== slugify(title.value);
  slug.addEventListener("input", function () { touched = slug.value !== ""; });
  title.addEventListener("input", function () {
    if (!touched) { slug.value = slugify(title.value); }
  });
}());
