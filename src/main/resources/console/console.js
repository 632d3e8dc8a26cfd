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
// Upload of a local file: the console opens the upload (ImportImage with the file's size, signed on the server) and
// answers a one-upload URL on this origin; the file goes there straight from the browser, with its progress shown.
document.addEventListener('submit', async (event) => {
  const form = event.target.closest('form[data-upload]');
  if (!form) {
    return;
  }
  event.preventDefault();
  const file = form.elements.file.files[0];
  const bar = form.querySelector('progress');
  const percent = form.querySelector('.percent');
  const problem = form.querySelector('.problem');
  problem.hidden = true;
  const fields = new URLSearchParams();
  for (const name of ['csrf', 'name', 'os', 'architecture']) {
    fields.append(name, form.elements[name].value);
  }
  fields.append('size', String(file.size));
  const opened = await (await fetch(form.action, { method: 'POST', body: fields })).json();
  const refuse = (answer) => {
    problem.textContent = answer.Message + (answer.Code ? ' (' + answer.Code + ')' : '');
    problem.hidden = false;
  };
  if (!opened.UploadUrl) {
    refuse(opened);
    return;
  }
  bar.hidden = false;
  percent.hidden = false;
  const put = new XMLHttpRequest();
  put.open('PUT', opened.UploadUrl);
  put.upload.addEventListener('progress', (e) => {
    if (e.lengthComputable) {
      bar.value = Math.floor(e.loaded * 100 / e.total);
      percent.textContent = bar.value + '%';
    }
  });
  put.addEventListener('load', () => {
    const answer = JSON.parse(put.responseText).Response;
    if (answer.Error) {
      refuse(answer.Error);
    } else {
      window.location = '/console/images?tab=custom&done=upload';
    }
  });
  put.addEventListener('error', () => refuse({ Message: form.dataset.broken || 'The upload broke off.' }));
  put.send(file);
});
