// Picks an image file, crops it to a centred square and shrinks it in the browser, so the server only ever
// receives a small PNG or JPEG (at most 48 KB, the limit the server checks again by the image's own bytes).
import { useRef, useState } from 'preact/hooks';
import { html } from '../html.js';

const LIMIT = 48 * 1024;

/** A data: URL of the file cropped to a square of `size` pixels; JPEG unless transparency matters (PNG logos). */
export async function squareDataUrl(file, size = 256, keepTransparency = false) {
  if (!file || !/^image\/(png|jpeg|webp|gif)$/.test(file.type)) throw new Error('Choose a PNG, JPEG, WebP or GIF image.');
  const bitmap = await createImageBitmap(file).catch(() => { throw new Error('That file is not an image we can read.'); });
  const side = Math.min(bitmap.width, bitmap.height);
  for (const s of [size, 192, 128]) {
    const canvas = document.createElement('canvas');
    canvas.width = s;
    canvas.height = s;
    const g = canvas.getContext('2d');
    if (!keepTransparency) { g.fillStyle = '#fff'; g.fillRect(0, 0, s, s); }
    g.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, s, s);
    const url = keepTransparency ? canvas.toDataURL('image/png') : canvas.toDataURL('image/jpeg', 0.85);
    if ((url.length - url.indexOf(',') - 1) * 0.75 <= LIMIT) return url;
  }
  throw new Error('That image is too detailed to use; try a simpler one.');
}

/** "Upload…" and "Remove" buttons around an image; the cropped square is shown before it is saved. */
export function ImagePicker({ label, current, onPick, onRemove, keepTransparency, busy }) {
  const input = useRef(null);
  const [error, setError] = useState(null);
  async function picked(e) {
    const file = e.currentTarget.files && e.currentTarget.files[0];
    e.currentTarget.value = '';
    setError(null);
    try {
      await onPick(await squareDataUrl(file, 256, keepTransparency));
    } catch (err) {
      setError(err.message);
    }
  }
  return html`<div class="image-picker">
    <input ref=${input} type="file" accept="image/png,image/jpeg,image/webp,image/gif" hidden onChange=${picked}
      aria-label=${label}/>
    <button type="button" class="btn btn-sm" disabled=${busy} onClick=${() => input.current.click()}>${current ? 'Change…' : 'Upload…'}</button>
    ${current ? html`<button type="button" class="btn btn-ghost btn-sm" disabled=${busy} onClick=${onRemove}>Remove</button>` : null}
    ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
  </div>`;
}
