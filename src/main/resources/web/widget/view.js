// The chat box's host element and launcher. The host holds a shadow root, so the shop's CSS cannot reach
// the chat box (and ours cannot reach the shop); the open panel is panel.js, loaded when first needed.
import { h, icon } from './dom.js';

// Inline as well as in :host, so nothing shows unstyled before widget.css arrives.
const HOST = 'all:initial!important;position:fixed!important;top:0!important;left:0!important;width:0!important;' +
  'height:0!important;z-index:2147483000!important;display:block!important;';

export class View {
  constructor(w) {
    this.w = w;
    this.cssReady = false;
    this.panel = null;
    this.host = document.createElement('parley-chat');
    this.host.style.cssText = HOST; // CSSOM, not a style attribute: allowed by a shop's CSP without 'unsafe-inline'
    this.root = this.host.attachShadow({ mode: 'open' });
    const css = h('link', { rel: 'stylesheet', href: w.base + 'widget/widget.css' });
    css.onload = () => { this.cssReady = true; w.update(); };
    this.badge = h('span.badge', { 'aria-hidden': 'true' });
    const warm = () => this.loadPanel();
    this.launcher = h('button.launcher', { type: 'button', 'aria-controls': 'parley-panel',
      onclick: () => w.setOpen(!w.panelOpen(), true), onpointerenter: warm, onfocus: warm, ontouchstart: warm },
    icon('chat', 28), icon('down', 30), this.badge);
    this.el = h('div.pw', { hidden: true, onkeydown: (e) => {
      if (e.key === 'Escape' && w.open && this.panel) { e.stopPropagation(); this.panel.escape(); }
    } }, this.launcher);
    this.root.append(css, this.el);
    const mount = () => document.documentElement.append(this.host);
    if (document.body) mount();
    else document.addEventListener('DOMContentLoaded', mount);
  }

  /** Starts loading the panel (idempotent); resolves once it can be shown. */
  loadPanel() {
    this.panelLoad = this.panelLoad || import('./panel.js').then((m) => {
      const panel = new m.Panel(this);
      return panel.ready.then(() => { this.panel = panel; this.w.update(); });
    }, (e) => {
      this.panelLoad = null; // a network hiccup: the next click tries again
      console.warn('Parley: the chat panel could not load', e);
    });
    return this.panelLoad;
  }

  render() {
    const w = this.w, T = w.T, offline = w.online === false;
    this.el.hidden = !(this.cssReady && w.configured && w.shown && !(w.hideOffline && offline && !w.conv)
      && !(w.requireLogin && !w.loggedIn()));
    // Through a custom property: the shadow root's own !important :host rule wins over any inline z-index.
    if (w.zIndex != null) { this.host.style.setProperty('--parley-z', String(w.zIndex)); this.host.style.setProperty('z-index', String(w.zIndex), 'important'); }
    this.el.dataset.side = w.side;
    this.el.classList.toggle('hide-mobile', w.hideMobile);
    this.el.classList.toggle('no-launcher', w.hideLauncher);
    this.el.style.setProperty('--ox', w.offsetX + 'px');
    this.el.style.setProperty('--oy', w.offsetY + 'px');
    this.paint(w.color);
    // Until the panel has arrived the launcher stays as it is: opening is shown when there is something to show.
    const open = w.panelOpen();
    if (w.open && !this.panel) this.loadPanel();
    this.el.classList.toggle('open', open);
    const unread = w.unread();
    this.launcher.setAttribute('aria-expanded', String(open));
    this.launcher.setAttribute('aria-label', (open ? T.closeChat : T.openChat) + (unread && !open ? ', ' + T.unread(unread) : ''));
    this.badge.textContent = unread > 99 ? '99+' : String(unread);
    this.badge.hidden = !unread || open;
    if (this.panel) this.panel.render();
  }

  paint(color) {
    if (color === this.painted) return;
    this.painted = color;
    if (!color || !CSS.supports('color', color)) return;
    this.el.style.setProperty('--brand', color);
    const pale = light(color);
    this.el.style.setProperty('--on-brand', pale ? '#1d2433' : '#fff');
    // A pale brand colour (yellow, mint) is unreadable as text or an icon on white: use ink there instead.
    this.el.style.setProperty('--brand-ink', pale ? '#1d2433' : color);
  }
}

/** Whether a colour is light enough to need dark text on it (WCAG relative luminance). */
function light(color) {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return false;
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45;
}
