// The console's only script besides htmx: copy buttons, auto-submitting selectors, dialogs. No inline handlers
// (the Content-Security-Policy forbids them).
document.addEventListener('click', (event) => {
  const copy = event.target.closest('[data-copy]');
  if (copy) {
    navigator.clipboard?.writeText(copy.dataset.copy);
    copy.textContent = copy.dataset.copied || '✓';
  }
  const opener = event.target.closest('[data-open]');
  if (opener) {
    document.getElementById(opener.dataset.open)?.showModal();
  }
  const closer = event.target.closest('[data-close]');
  if (closer) {
    closer.closest('dialog')?.close();
  }
});
document.addEventListener('change', (event) => {
  if (event.target.matches('[data-autosubmit]')) {
    event.target.form.requestSubmit();
  }
});
