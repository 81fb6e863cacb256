// Files in the chat box (issue #18 point 7): the paperclip, the upload with its progress, and files in the thread.
// Part of the open panel (loaded on first open), so it costs nothing to visitors who never chat. Files are
// fetched with the visitor's key in a header, never in a URL, and shown from data: URLs (a thumbnail is a few KB),
// so neither the key nor the file ever sits in the shop's page as an address.
import { h } from './dom.js';

const MAX = 20 * 1024 * 1024;
const ACCEPT = 'image/*,video/mp4,video/quicktime,.pdf,.txt,.csv,.xml,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.rtf';
const WORDS = {
  en: { attach: 'Attach a file', tooLarge: 'Files can be up to 20 MB.', failed: 'The file could not be sent.', download: 'Download' },
  fr: { attach: 'Joindre un fichier', tooLarge: 'Les fichiers peuvent faire jusqu’à 20 Mo.', failed: 'Le fichier n’a pas pu être envoyé.', download: 'Télécharger' },
  es: { attach: 'Adjuntar un archivo', tooLarge: 'Los archivos pueden tener hasta 20 MB.', failed: 'No se pudo enviar el archivo.', download: 'Descargar' },
  de: { attach: 'Datei anhängen', tooLarge: 'Dateien dürfen bis zu 20 MB groß sein.', failed: 'Die Datei konnte nicht gesendet werden.', download: 'Herunterladen' },
  cs: { attach: 'Připojit soubor', tooLarge: 'Soubory mohou mít až 20 MB.', failed: 'Soubor se nepodařilo odeslat.', download: 'Stáhnout' },
};

export function words(w) {
  const lang = String(w.language || 'en').toLowerCase();
  return WORDS[lang] || WORDS[lang.split(/[-_]/)[0]] || WORDS.en;
}

function size(n) {
  return n < 1024 ? n + ' B' : n < 1048576 ? Math.round(n / 1024) + ' KB' : (n / 1048576).toFixed(1) + ' MB';
}

function url(w, id, thumb) {
  return w.base + 'v2/chat/files/' + encodeURIComponent(id) + (thumb ? '/thumbnail' : '') + '?key=' + encodeURIComponent(w.key);
}

function fetchFile(w, id, thumb) {
  return fetch(url(w, id, thumb), { headers: { 'X-Parley-Visitor': w.vid }, credentials: 'omit' })
    .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(String(r.status)))));
}

const SVG = 'http://www.w3.org/2000/svg';

/** The paperclip, drawn with strokes (the chat box's own icons are filled shapes). */
export function clip() {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [k, v] of [['viewBox', '0 0 24 24'], ['width', '20'], ['height', '20'], ['fill', 'none'], ['stroke', 'currentColor'],
    ['stroke-width', '2'], ['stroke-linecap', 'round'], ['stroke-linejoin', 'round'], ['aria-hidden', 'true'], ['focusable', 'false']]) svg.setAttribute(k, v);
  const p = document.createElementNS(SVG, 'path');
  p.setAttribute('d', 'm21.44 11.05-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48');
  svg.append(p);
  return svg;
}

/** A file message's content: an image's thumbnail (a click downloads the picture), else a card to download. */
export function fileView(w, f) {
  const save = (e) => {
    e.preventDefault();
    fetchFile(w, f.id, false).then((blob) => {
      const a = h('a', { href: URL.createObjectURL(blob), download: f.name });
      document.body.append(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }).catch(() => {});
  };
  if (f.image && f.thumbnail) {
    const img = h('img.fimg', { alt: f.name });
    if (f.width && f.height) img.style.aspectRatio = f.width + ' / ' + f.height;
    fetchFile(w, f.id, true).then((blob) => {
      const r = new FileReader();
      r.onload = () => { img.src = r.result; };
      r.readAsDataURL(blob);
    }).catch(() => {});
    return h('a.ffile.pic', { href: '#', title: f.name + ' · ' + size(f.size), onclick: save }, img);
  }
  const dot = f.name.lastIndexOf('.');
  const ext = dot > 0 && f.name.length - dot <= 5 ? f.name.slice(dot + 1).toUpperCase() : 'FILE';
  return h('a.ffile.doc', { href: '#', onclick: save }, h('span.fext', { text: ext }),
    h('span.fmeta', null, h('span.fname', { text: f.name }), h('span.fsize', { text: size(f.size) + ' · ' + words(w).download })));
}

/**
 * Sends a file as the visitor's message: the raw bytes, so the browser reports progress. The message comes back as
 * the server stored it and joins the thread like any other.
 */
export function upload(w, file, progress) {
  return new Promise((ok, fail) => {
    if (file.size > MAX) { fail(new Error(words(w).tooLarge)); return; }
    const x = new XMLHttpRequest();
    x.open('POST', w.base + 'v2/chat/files?key=' + encodeURIComponent(w.key) + '&name=' + encodeURIComponent(file.name)
      + '&client_id=' + encodeURIComponent('f' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8)));
    x.setRequestHeader('X-Parley-Visitor', w.vid);
    x.upload.onprogress = (e) => { if (e.lengthComputable) progress(e.loaded / e.total); };
    x.onload = () => {
      let body = null;
      try { body = JSON.parse(x.responseText); } catch (e) { body = null; }
      if (x.status === 201) ok(body);
      else fail(new Error(x.status === 413 ? words(w).tooLarge : (body && body.error && body.error.message) || words(w).failed));
    };
    x.onerror = () => fail(new Error(words(w).failed));
    x.send(file);
  });
}

/** The composer's attach button with its hidden file input and the row that shows an upload going. */
export function attacher(w, onDone) {
  const input = h('input', { type: 'file', accept: ACCEPT, hidden: true, tabindex: '-1', 'aria-hidden': 'true' });
  const bar = h('progress', { max: 1, value: 0 });
  const name = h('span.upname');
  const preview = h('img.uppic', { alt: '', hidden: true });
  const err = h('p.uperr', { role: 'alert', hidden: true });
  const row = h('div.uprow', { role: 'status', hidden: true }, preview, name, bar);
  const btn = h('button.attach', { type: 'button', 'aria-label': words(w).attach, title: words(w).attach,
    onclick: () => input.click() }, clip());
  input.onchange = () => {
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) return;
    err.hidden = true;
    name.textContent = file.name;
    bar.value = 0;
    preview.hidden = true;
    if (file.type.indexOf('image/') === 0 && file.size < 8 * 1024 * 1024) {
      const r = new FileReader();
      r.onload = () => { preview.src = r.result; preview.hidden = false; };
      r.readAsDataURL(file);
    }
    row.hidden = false;
    btn.disabled = true;
    upload(w, file, (p) => { bar.value = p; }).then((m) => { onDone(m); }, (e) => { err.textContent = e.message; err.hidden = false; })
      .then(() => { row.hidden = true; btn.disabled = false; });
  };
  return { button: h('span.attachw', null, btn, input), status: h('div.upwrap', null, row, err) };
}
