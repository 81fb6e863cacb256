// Small DOM helpers. Text from visitors, agents and the shop only ever reaches the page through
// textContent or attribute setters — never innerHTML — so it cannot become markup.

/** h('div.a.b', {attr: v, onclick: fn}, child…) — children are nodes or strings (set as text). */
export function h(tag, props, ...kids) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const k in props || {}) {
    const v = props[k];
    if (v == null || v === false) continue;
    if (k[0] === 'o' && k[1] === 'n') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat()) if (kid != null && kid !== false) el.append(kid);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An icon from a fixed path set below (never from data). */
export function icon(name, size = 24) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('fill-rule', 'evenodd');
  for (const d of ICONS[name]) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  return svg;
}

const ICONS = {
  chat: ['M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z'],
  down: ['M6.4 8.6 12 14.2l5.6-5.6L19 10l-7 7-7-7z'],
  close: ['M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z'],
  send: ['M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z'],
  more: ['M12 8a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm0 6a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm0 6a2 2 0 1 0 0-4 2 2 0 0 0 0 4z'],
  good: ['M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-3.5 7a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm7 0a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zM12 18a5.5 5.5 0 0 1-5-3.2h10A5.5 5.5 0 0 1 12 18z'],
  normal: ['M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-3.5 7a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm7 0a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zM8 15h8v1.6H8z'],
  bad: ['M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-3.5 7a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm7 0a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zM12 13.5a5.5 5.5 0 0 1 5 3.2H7a5.5 5.5 0 0 1 5-3.2z'],
};

const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** Appends text to el, turning http(s) URLs into links; everything goes in as text nodes. */
export function richText(el, text) {
  let at = 0;
  for (const m of text.matchAll(URL_RE)) {
    if (m.index > at) el.append(text.slice(at, m.index));
    el.append(h('a', { href: m[0], target: '_blank', rel: 'noopener noreferrer nofollow', text: m[0] }));
    at = m.index + m[0].length;
  }
  if (at < text.length) el.append(text.slice(at));
  return el;
}

export function initials(name) {
  const parts = String(name || '').trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return '?';
  const first = [...parts[0]][0];
  const last = parts.length > 1 ? [...parts[parts.length - 1]][0] : '';
  return (first + last).toUpperCase();
}

/** An agent's avatar: their picture when it is an http(s) URL, else their initials on a stable colour. */
export function avatar(agent, cls = 'av') {
  const name = (agent && agent.name) || '';
  const url = agent && agent.avatar_url;
  if (url && /^https?:\/\//i.test(url)) {
    return h('img.' + cls, { src: url, alt: '', title: name, referrerpolicy: 'no-referrer' });
  }
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) | 0;
  const el = h('span.' + cls, { title: name, 'aria-hidden': 'true', text: initials(name) });
  el.style.background = 'hsl(' + (Math.abs(hash) % 360) + ' 45% 45%)';
  return el;
}

export function time(iso) {
  const d = new Date(iso);
  return isNaN(d) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function day(iso, T) {
  const d = new Date(iso);
  if (isNaN(d)) return '';
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return T.today;
  today.setDate(today.getDate() - 1);
  if (d.toDateString() === today.toDateString()) return T.yesterday;
  return d.toLocaleDateString([], { day: 'numeric', month: 'short', year: 'numeric' });
}

/** crypto.randomUUID exists only in secure contexts; many small shops still serve plain http. */
/**
 * A client id for idempotent sends: 24 random letters (about 112 bits). No digits, so no id can ever look like a card
 * number and be masked by the server, which would break matching its ack.
 */
export function clientId() {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let id = '';
  while (id.length < 24) {
    for (const v of crypto.getRandomValues(new Uint8Array(32))) {
      if (v < 234 && id.length < 24) id += letters[v % 26]; // 234 = 9 × 26: no letter more likely than another
    }
  }
  return id;
}
