// Files both ways (issue #18 point 7): the paperclip in the composer (upload with progress, a preview of an image
// while it goes), and a file in the thread: an image as its thumbnail opening the full picture, anything else as a
// card with its name and size. The type shown is the server's, read from the file's bytes; names are text, never
// markup.
import { useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { csrf } from '../api.js';
import { onMessageCreated } from '../conversations.js';
import { toast } from '../store.js';

export const MAX_FILE = 20 * 1024 * 1024;
export const ACCEPT = 'image/*,video/mp4,video/quicktime,.pdf,.txt,.csv,.xml,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.rtf';

export function fileSize(n) {
  if (n == null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A file message's content in the thread. */
export function FileCard({ file }) {
  const url = `/v2/files/${encodeURIComponent(file.id)}`;
  if (file.image && file.thumbnail) {
    return html`<a class="file-image" href=${url} target="_blank" rel="noopener" title=${`${file.name} · ${fileSize(file.size)}`}>
      <img src=${`${url}/thumbnail`} alt=${file.name} loading="lazy"
        width=${file.width && file.height ? Math.min(320, file.width > file.height ? 320 : Math.round(320 * file.width / file.height)) : undefined}/>
    </a>`;
  }
  return html`<a class="file-card" href=${url} target="_blank" rel="noopener" download=${file.name}>
    <span class="file-icon" aria-hidden="true">${extension(file.name)}</span>
    <span class="file-text"><span class="file-name">${file.name}</span>
      <span class="muted small">${fileSize(file.size)} · Download</span></span>
  </a>`;
}

function extension(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 && name.length - dot <= 5 ? name.slice(dot + 1).toUpperCase() : 'FILE';
}

/**
 * Sends one file as a message (the raw bytes, so the browser reports progress); resolves with the stored message.
 * {@code via} is 'email' when the composer says Email.
 */
export function uploadFile(conversationId, file, via, onProgress) {
  return new Promise((resolve, reject) => {
    const q = new URLSearchParams({ name: file.name, client_id: `f-${Date.now()}-${Math.random().toString(36).slice(2)}` });
    if (via) q.set('channel', via);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/v2/conversations/${conversationId}/files?${q}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (csrf()) xhr.setRequestHeader('X-CSRF-Token', csrf());
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status === 201) resolve(body);
      else reject(new Error((body && body.error && body.error.message) || 'The file could not be sent.'));
    };
    xhr.onerror = () => reject(new Error("Can't reach Parley. Check your connection and try again."));
    xhr.send(file);
  });
}

/** The paperclip and, while a file goes, its preview and progress. */
export function AttachButton({ conversationId, via, disabled }) {
  const input = useRef(null);
  const [sending, setSending] = useState(null); // { name, progress, preview }

  async function chosen(e) {
    const file = e.currentTarget.files && e.currentTarget.files[0];
    e.currentTarget.value = '';
    if (!file) return;
    if (file.size > MAX_FILE) { toast(`${file.name} is larger than 20 MB.`); return; }
    const going = { name: file.name, progress: 0, preview: null };
    setSending(going);
    if (file.type.startsWith('image/') && file.size < 8 * 1024 * 1024) {
      const reader = new FileReader();
      reader.onload = () => setSending((s) => (s ? { ...s, preview: reader.result } : s));
      reader.readAsDataURL(file);
    }
    try {
      const m = await uploadFile(conversationId, file, via, (p) => setSending((s) => (s ? { ...s, progress: p } : s)));
      onMessageCreated(conversationId, m, { viewing: true });
    } catch (err) {
      toast(err.message);
    } finally {
      setSending(null);
    }
  }

  return html`<span class="attach">
    <input ref=${input} type="file" accept=${ACCEPT} hidden onChange=${chosen} aria-hidden="true" tabindex="-1"/>
    <button type="button" class="attach-btn" title="Attach a file (images, PDF, documents, video; up to 20 MB)"
      aria-label="Attach a file" disabled=${disabled || !!sending} onClick=${() => input.current && input.current.click()}>
      <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
        stroke-linejoin="round" aria-hidden="true"><path d="m21.44 11.05-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48"/></svg>
    </button>
    ${sending ? html`<span class="upload" role="status" aria-live="polite">
      ${sending.preview ? html`<img class="upload-preview" src=${sending.preview} alt=""/>` : null}
      <span class="upload-name">${sending.name}</span>
      <progress max="1" value=${sending.progress} aria-label="Upload progress"></progress>
      <span class="muted small">${Math.round(sending.progress * 100)}%</span>
    </span>` : null}
  </span>`;
}
