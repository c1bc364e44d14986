// Pre-select the browser's own time zone on the sign-up form.
const select = document.querySelector("select[data-detect-timezone]");
if (select) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && [...select.options].some((option) => option.value === zone)) {
    select.value = zone;
  }
}
