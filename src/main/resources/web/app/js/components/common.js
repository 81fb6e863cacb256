// Small shared pieces: avatar, presence dot, popover menu, toasts, connection banner, empty state.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { initials, colourFor, safeHttpUrl } from '../format.js';
import { state, useStore, dismissToast } from '../store.js';
import { XIcon, WifiOffIcon } from '../icons.js';

export function Avatar({ name, colourKey, url, size = 36, presence }) {
  const src = url && (safeHttpUrl(url) || (/^\/[^/]/.test(url) ? url : null));
  const style = `width:${size}px;height:${size}px;font-size:${Math.round(size * 0.4)}px;` +
    (src ? '' : `background:${colourFor(colourKey ?? name)}`);
  return html`<span class="avatar" style=${style} aria-hidden="true">
    ${src ? html`<img src=${src} alt="" width=${size} height=${size} referrerpolicy="no-referrer"/>` : initials(name)}
    ${presence ? html`<span class=${`presence presence-${presence}`}></span>` : null}
  </span>`;
}

/** A button that opens a small panel; closes on Escape, outside click, or when onClose is called. */
export function Popover({ label, title, ariaLabel, buttonClass = 'btn btn-ghost', children, align = 'right', panelLabel }) {
  const [open, setOpen] = useState(false);
  const root = useRef(null);
  const button = useRef(null);
  useEffect(() => {
    if (!open) return undefined;
    // Keyboard users land inside the panel: on its search box, first checkbox or first button.
    const first = root.current && root.current.querySelector('.popover input, .popover button, .popover select');
    if (first) first.focus();
    const onDown = (e) => {
      if (root.current && !root.current.contains(e.target)) setOpen(false);
    };
    const onKey = (e) => {
      if (e.key === 'Escape') {
        setOpen(false);
        if (button.current) button.current.focus();
      }
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  const close = () => setOpen(false);
  return html`<div class="popover-root" ref=${root}>
    <button type="button" class=${buttonClass} aria-haspopup="true" aria-expanded=${open ? 'true' : 'false'}
      title=${title} aria-label=${ariaLabel} ref=${button} onClick=${() => setOpen(!open)}>${label}</button>
    ${open ? html`<div class=${`popover popover-${align}`} role="dialog" aria-label=${panelLabel || title}>
      ${typeof children === 'function' ? children(close) : children}
    </div>` : null}
  </div>`;
}

export function Toasts() {
  const s = useStore();
  return html`<div class="toasts" role="status" aria-live="polite">
    ${s.toasts.map((t) => html`<div key=${t.id} class=${`toast toast-${t.kind}`}>
      <span class="toast-text">${t.text}</span>
      <button type="button" class="icon-btn" aria-label="Dismiss" onClick=${() => dismissToast(t.id)}><${XIcon} size=${16}/></button>
    </div>`)}
  </div>`;
}

export function ConnectionBanner() {
  const s = useStore();
  if (s.connection === 'inactive') {
    return html`<div class="banner banner-warn" role="status">Your account is inactive, so conversations don't update live. Ask an admin to activate it.</div>`;
  }
  if (s.connection !== 'reconnecting') return null;
  return html`<div class="banner banner-warn" role="alert">
    <${WifiOffIcon} size=${16}/> <span>Connection lost. Reconnecting…</span>
  </div>`;
}

export function EmptyState({ icon, title, children }) {
  return html`<div class="empty">
    ${icon ? html`<div class="empty-icon">${icon}</div>` : null}
    <p class="empty-title">${title}</p>
    ${children ? html`<p class="empty-text">${children}</p>` : null}
  </div>`;
}

export function Spinner({ label = 'Loading…' }) {
  return html`<div class="spinner-row" role="status"><span class="spinner" aria-hidden="true"></span><span>${label}</span></div>`;
}

export function TagChip({ tag, onRemove }) {
  const colour = /^#[0-9a-fA-F]{3,8}$/.test(tag.color || '') ? tag.color : '#6b7280';
  return html`<span class="tag-chip" style=${`--tag:${colour}`}>
    <span class="tag-dot" aria-hidden="true"></span>${tag.name}
    ${onRemove ? html`<button type="button" class="tag-x" aria-label=${`Remove tag ${tag.name}`} onClick=${onRemove}><${XIcon} size=${12}/></button>` : null}
  </span>`;
}

export { state };
