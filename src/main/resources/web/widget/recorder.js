// Session recording (issue #16, docs/PRODUCT.md §4): rrweb's recorder, loaded by widget.js only after the
// visitor's first activity (or at once on the next page of a tab already recording). Privacy is decided here,
// in the visitor's browser, before anything leaves it; the server masks card numbers once more before storage.
import { record } from '../vendor/rrweb-record.module.js';

const FLUSH_EVERY = 3000; // ms: what the agent may miss when a visitor closes the tab
const MAX_BODY = 60 * 1024; // under the server's 64 KiB body limit and the browser's keepalive budget
const SESSION_RE = /^[A-Za-z0-9_-]{8,64}$/;

// Password and payment fields are never recorded, not even masked: rrweb draws an empty box of their size.
const NEVER = [
  'input[type="password"]', '[autocomplete^="cc-"]', '[autocomplete="one-time-code"]',
  'input[name*="card" i]', 'input[id*="card" i]', 'input[name*="cvc" i]', 'input[name*="cvv" i]',
  'input[name*="iban" i]', 'input[data-stripe]', '[data-recording-ignore="events"]',
  'parley-chat', // the chat itself is beside the player, from the server; its draft is the visitor's own
].join(', ');
const MASKED = '[data-recording-ignore="mask"]';
const EMAIL_RE = /[^\s@]+@[^\s@]+\.[^\s@]+/g;

const store = () => { try { return window.sessionStorage; } catch (e) { return null; } };
const read = (k) => { try { return JSON.parse(store()?.getItem(k) || 'null'); } catch (e) { return null; } };
const write = (k, v) => { try { v == null ? store()?.removeItem(k) : store()?.setItem(k, JSON.stringify(v)); } catch (e) { /* full: lose the tail */ } };

function newSession() {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A phone or tablet: the browser's own hint where it gives one, else its user agent (iPadOS says it is a Mac). */
function mobile() {
  if (navigator.userAgentData && navigator.userAgentData.mobile === true) return true;
  return /Mobi|Android|iPhone|iPad|iPod/i.test(navigator.userAgent)
    || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
}

async function gzip(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Masks the page's own text as the account chose: all of it, its numbers, its email addresses. */
function textMasker(o) {
  const stars = (s) => s.replace(/\S/g, '*');
  return (text, el) => {
    if (o.mask_all_text || (el && el.closest && el.closest(MASKED))) return stars(text);
    let out = text;
    if (o.mask_emails) out = out.replace(EMAIL_RE, stars);
    if (o.mask_numbers) out = out.replace(/\d/g, '*');
    return out;
  };
}

class Recorder {
  constructor(widget) {
    this.w = widget;
    this.key = 'parley:rec:' + widget.key;
    this.buffer = [];
    this.stopFn = null;
    this.off = false;
    this.sending = Promise.resolve();
    this.unconfirmed = new Map(); // chunk number → events the server has not confirmed yet
  }

  async begin() {
    const w = this.w;
    const state = read(this.key);
    // The tab's next pages start at once with the options its first page was given (a visitor types fast).
    let o = state && SESSION_RE.test(state.id || '') ? state.options : null;
    if (!o) {
      try {
        const r = await fetch(w.base + 'widget/recording?key=' + encodeURIComponent(w.key), { credentials: 'omit' });
        o = r.ok ? await r.json() : null;
      } catch (e) {
        o = null;
      }
    }
    if (!o || !o.enabled || (o.exclude_mobile && mobile())) return;
    this.options = o;
    this.session = o === state?.options ? state : { id: newSession(), seq: 0, options: o };
    write(this.key, this.session);
    // The previous page's chunks the server had not confirmed when it was hidden: sent again (a number is stored once).
    const pending = read(this.key + ':pending');
    write(this.key + ':pending', null);
    for (const p of [].concat(pending || [])) {
      if (p && Number.isInteger(p.seq) && Array.isArray(p.events)) this.post(p.seq, p.events, false);
    }
    (window.requestIdleCallback || setTimeout)(() => this.resume(), { timeout: 1000 });
    addEventListener('pagehide', () => this.flush(true));
    document.addEventListener('visibilitychange', () => { if (document.hidden) this.flush(true); });
    // Serialising and compressing a chunk waits for the page's idle time, as loading did.
    const idle = window.requestIdleCallback || setTimeout;
    this.timer = setInterval(() => idle(() => this.flush(false), { timeout: FLUSH_EVERY }), FLUSH_EVERY);
  }

  /** Starts rrweb unless the page, the visitor's consent or the account says no. */
  resume() {
    const o = this.options;
    if (!o || this.stopFn || this.off || this.w.recordingOff) return;
    if (o.consent_mode && this.w.analyticsConsent !== true) return;
    const needsTextMask = o.mask_all_text || o.mask_numbers || o.mask_emails;
    this.stopFn = record({
      emit: (e) => { this.buffer.push(e); }, // never touch the DOM here: rrweb would record it and loop
      maskAllInputs: true,
      maskInputOptions: { password: true },
      blockSelector: NEVER,
      maskTextSelector: needsTextMask ? '*' : MASKED + ', ' + MASKED + ' *',
      maskTextFn: textMasker(o),
      recordCanvas: false,
      collectFonts: false,
      inlineImages: false,
      sampling: { mousemove: 100, scroll: 150, input: 'last', media: 800 },
      slimDOMOptions: { script: true, comment: true, headFavicon: true, headWhitespace: true, headMetaSocial: true,
        headMetaRobots: true, headMetaHttpEquiv: true, headMetaVerification: true, headMetaAuthorship: true },
    }) || null;
  }

  /** recording:off / recording:disable: nothing more is recorded on this page; what was recorded is sent. */
  stop() {
    this.off = true;
    if (this.stopFn) this.stopFn();
    this.stopFn = null;
    this.flush(false);
  }

  consent(given) {
    if (given) this.resume();
    else if (this.stopFn) { this.stopFn(); this.stopFn = null; this.buffer = []; }
  }

  /** A moment on the player's timeline: the visitor wrote in the chat (no text: the chat is stored apart). */
  mark() {
    if (this.stopFn) record.addCustomEvent('parley.chat', {});
  }

  flush(hiding) {
    if (this.buffer.length && this.session) {
      const events = this.buffer.splice(0);
      this.post(this.next(), events, hiding);
    }
    // Hidden may mean unloading, and sends are asynchronous (compression): every chunk the server has not confirmed
    // is also kept for this tab's next page, which sends it again.
    if (hiding) this.keep();
  }

  next() {
    const seq = this.session.seq++;
    write(this.key, this.session);
    return seq;
  }

  keep() {
    const left = [...this.unconfirmed].map(([seq, events]) => ({ seq, events }));
    write(this.key + ':pending', left.length ? left : null);
  }

  done(seq, hiding) {
    this.unconfirmed.delete(seq);
    if (hiding) this.keep();
  }

  post(seq, events, hiding) {
    this.unconfirmed.set(seq, events);
    this.sending = this.sending.then(() => this.send(seq, events, hiding)).catch(() => {});
  }

  async send(seq, events, hiding) {
    const vid = this.w.vid;
    if (!vid) { this.unconfirmed.delete(seq); this.buffer.unshift(...events); return; } // no identity yet: next time
    const body = await gzip(JSON.stringify(events));
    if (body.length > MAX_BODY && events.length > 1) {
      // Too big for one request: the later half gets the next number at once (kept with the rest if the page is
      // going away; the player orders events by time, not by number).
      const half = Math.ceil(events.length / 2);
      this.unconfirmed.set(seq, events.slice(0, half));
      this.post(this.next(), events.slice(half), hiding);
      if (hiding) this.keep();
      return this.send(seq, events.slice(0, half), hiding);
    }
    if (body.length > MAX_BODY) { this.done(seq, hiding); return; } // one event over 60 KB compressed: not recorded
    const url = this.w.base + 'widget/recording?key=' + encodeURIComponent(this.w.key) + '&visitor=' + encodeURIComponent(vid)
      + '&session=' + this.session.id + '&seq=' + seq;
    const r = await fetch(url, { method: 'POST', body: new Blob([body], { type: 'text/plain' }), credentials: 'omit',
      keepalive: hiding, mode: 'cors' });
    // A refusal will not change on a resend; a server away or busy may: that chunk stays for the next page.
    if (r.ok || (r.status < 500 && r.status !== 429)) this.done(seq, hiding);
    if (r.status === 409) this.stop(); // switched off for the account meanwhile
  }
}

/** Called by widget.js: starts recording (asynchronously) and returns the handle the JS API talks to. */
export function start(widget) {
  const r = new Recorder(widget);
  r.begin().catch((e) => console.warn('Parley: recording could not start', e));
  return r;
}
