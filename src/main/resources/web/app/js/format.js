// Pure formatting helpers: names, initials, colours, times, safe link detection.

const AVATAR_COLOURS = ['#3b5bdb', '#0c8599', '#2b8a3e', '#e67700', '#c2255c', '#7048e8', '#1971c2', '#5f3dc4', '#d9480f', '#087f5b'];

export function visitorName(conversationOrVisitor) {
  if (!conversationOrVisitor) return 'Visitor';
  const v = conversationOrVisitor.visitor || conversationOrVisitor;
  const name = typeof v.name === 'string' ? v.name.trim() : '';
  if (name) return name;
  const id = v.id ?? conversationOrVisitor.visitor_id;
  return id != null ? `Visitor #${id}` : 'Visitor';
}

export function initials(name) {
  // The first letter or digit of the first and last word; symbols (e.g. from "<img …>") are skipped.
  const words = String(name || '').replace(/#\d+$/, '').trim().split(/\s+/)
    .map((w) => (w.match(/[\p{L}\p{N}]/u) || [''])[0]).filter(Boolean);
  if (words.length === 0) return '?';
  return (words[0] + (words.length > 1 ? words[words.length - 1] : '')).toUpperCase();
}

export function colourFor(key) {
  const s = String(key ?? '');
  let hash = 0;
  for (let i = 0; i < s.length; i++) hash = (hash * 31 + s.charCodeAt(i)) | 0;
  return AVATAR_COLOURS[Math.abs(hash) % AVATAR_COLOURS.length];
}

export function parseTime(value) {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function relativeTime(value, now = Date.now()) {
  const d = parseTime(value);
  if (!d) return '';
  const seconds = Math.max(0, Math.round((now - d.getTime()) / 1000));
  if (seconds < 60) return 'now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  if (days < 7) return `${days} d`;
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

export function ago(value, now = Date.now()) {
  const d = parseTime(value);
  if (!d) return '';
  const minutes = Math.floor(Math.max(0, now - d.getTime()) / 60000);
  if (minutes < 1) return 'just now';
  if (minutes < 60 * 24 * 7) return `${relativeTime(value, now)} ago`;
  return `on ${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}`;
}

export function clockTime(value) {
  const d = parseTime(value);
  return d ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : '';
}

export function fullTime(value) {
  const d = parseTime(value);
  return d ? d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';
}

export function dayKey(value) {
  const d = parseTime(value);
  return d ? `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}` : '';
}

export function dayLabel(value, now = new Date()) {
  const d = parseTime(value);
  if (!d) return '';
  const startOf = (x) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const diff = Math.round((startOf(now) - startOf(d)) / 86400000);
  if (diff === 0) return 'Today';
  if (diff === 1) return 'Yesterday';
  return d.toLocaleDateString(undefined, {
    weekday: 'long', day: 'numeric', month: 'long', year: d.getFullYear() === now.getFullYear() ? undefined : 'numeric',
  });
}

/** Only absolute http(s) URLs may become links; anything else (javascript:, data:, relative) stays text. */
export function safeHttpUrl(value) {
  if (typeof value !== 'string') return null;
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/gi;

/** Splits text into [{text}|{text, href}] segments; trailing punctuation stays outside a link. */
export function linkSegments(text) {
  const s = String(text ?? '');
  const out = [];
  let last = 0;
  for (const m of s.matchAll(URL_IN_TEXT)) {
    let raw = m[0];
    const trail = raw.match(/[.,;:!?)\]}]+$/);
    if (trail) raw = raw.slice(0, raw.length - trail[0].length);
    const href = safeHttpUrl(raw);
    if (!href) continue;
    if (m.index > last) out.push({ text: s.slice(last, m.index) });
    out.push({ text: raw, href });
    last = m.index + raw.length;
  }
  if (last < s.length) out.push({ text: s.slice(last) });
  return out;
}

export function excerpt(text, max = 120) {
  const s = String(text ?? '').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A short, readable browser/OS guess from a user agent string (the server may send parsed fields instead). */
export function describeUserAgent(ua) {
  if (!ua) return '';
  const s = String(ua);
  const browser =
    (/Edg\/(\d+)/.exec(s) && `Edge ${/Edg\/(\d+)/.exec(s)[1]}`) ||
    (/OPR\/(\d+)/.exec(s) && `Opera ${/OPR\/(\d+)/.exec(s)[1]}`) ||
    (/Firefox\/(\d+)/.exec(s) && `Firefox ${/Firefox\/(\d+)/.exec(s)[1]}`) ||
    (/Chrom(?:e|ium)\/(\d+)/.exec(s) && `Chrome ${/Chrom(?:e|ium)\/(\d+)/.exec(s)[1]}`) ||
    (/Version\/(\d+)[^ ]* .*Safari/.exec(s) && `Safari ${/Version\/(\d+)/.exec(s)[1]}`) || '';
  const os =
    (/Windows NT/.test(s) && 'Windows') || (/Android ([\d.]+)/.exec(s) && `Android ${/Android ([\d.]+)/.exec(s)[1]}`) ||
    (/iPhone|iPad/.test(s) && 'iOS') || (/Mac OS X/.test(s) && 'macOS') || (/CrOS/.test(s) && 'ChromeOS') ||
    (/Linux/.test(s) && 'Linux') || '';
  return [browser, os].filter(Boolean).join(' on ');
}
