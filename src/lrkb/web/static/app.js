// The only script: filter menus apply on change (the Filter button does the same without it).
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.submit());
}
