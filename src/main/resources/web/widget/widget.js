// The Parley chat box: state, the JS API and the visitor protocol (docs/PROTOCOL.md). The DOM is view.js.
import { Connection } from './connection.js';
import { View } from './view.js';
import { beep, blinkTitle, stopBlink, pageTitle } from './alerts.js';
import { clientId } from './dom.js';
import { en, loadStrings } from './strings.js';

const COOKIE = 'parley_vid';
const ID_RE = /^[A-Za-z0-9_-]{8,128}$/;
const KEEP = 100; // messages kept in the local cache

/** Called by chat.js once: runs the queued calls in order and returns the function smartsupp() becomes. */
export function boot({ base, cfg, queue }) {
  const widget = new Widget(base, cfg);
  const run = (args) => {
    try {
      return widget.command(...args);
    } catch (e) {
      console.warn('Parley:', e);
    }
  };
  while (queue.length) run(queue.shift());
  widget.start();
  return run;
}

const store = (area) => {
  try {
    return window[area];
  } catch (e) {
    return null; // storage blocked (sandboxed iframe, strict privacy settings)
  }
};
const load = (area, k) => {
  try {
    return JSON.parse(store(area)?.getItem(k) || 'null');
  } catch (e) {
    return null;
  }
};
const save = (area, k, v) => {
  try {
    v == null ? store(area)?.removeItem(k) : store(area)?.setItem(k, JSON.stringify(v));
  } catch (e) { /* quota or blocked: the server still has everything */ }
};
let hintsAsked = null;
const clientHints = () => {
  const uad = navigator.userAgentData;
  if (!uad || typeof uad.getHighEntropyValues !== 'function') return Promise.resolve(null);
  hintsAsked = hintsAsked || uad.getHighEntropyValues(['platformVersion', 'model', 'fullVersionList'])
    .then((h) => ({ platform: h.platform, platformVersion: h.platformVersion, model: h.model || undefined,
      mobile: h.mobile, fullVersionList: h.fullVersionList }), () => null);
  return hintsAsked;
};
const flag = (v) => v === true || v === 'true' || v === 1;
const px = (v, d) => (isFinite(parseInt(v, 10)) ? parseInt(v, 10) : d);
const isAgent = (m) => m.kind === 'message' && m.sub_type !== 'contact';

class Widget {
  constructor(base, cfg) {
    this.base = base;
    this.cfg = cfg;
    this.key = String(cfg.key);
    this.cacheKey = 'parley:' + this.key;
    this.T = en;
    this.setLanguage(cfg.language || document.documentElement.lang);
    this.side = cfg.orientation === 'left' ? 'left' : 'right';
    this.offsetX = px(cfg.offsetX, 20);
    this.offsetY = px(cfg.offsetY, 20);
    this.color = cfg.color;
    this.hideLauncher = flag(cfg.hideWidget);
    this.hideMobile = flag(cfg.hideMobileWidget);
    this.hideOffline = flag(cfg.hideOfflineChat);
    this.ratingEnabled = cfg.ratingEnabled == null ? null : flag(cfg.ratingEnabled);
    this.privacyUrl = /^https?:\/\//i.test(cfg.privacyNoticeUrl || '') ? cfg.privacyNoticeUrl : null;
    // The rest of Smartsupp's snippet (docs/PRODUCT.md §2.1): stacking, cookie path, identified visitors only,
    // a privacy notice the visitor must accept, and chat events for the page's own analytics.
    this.zIndex = px(cfg.zIndex, null);
    this.cookiePath = /^\/[\w\-./]*$/.test(cfg.cookiePath || '') ? cfg.cookiePath : '/';
    this.requireLogin = flag(cfg.requireLogin);
    this.privacyCheck = !!this.privacyUrl && (flag(cfg.privacyNoticeEnabled) || cfg.privacyNoticeEnabled == null)
      && flag(cfg.privacyNoticeCheckRequired) && !load('localStorage', this.cacheKey + ':privacy');

    this.vid = readCookie();
    this.seq = 0;
    this.conv = null;
    this.msgs = [];
    this.ids = new Set();
    this.online = null;
    this.shopName = '';
    this.groups = [];
    this.configured = false; // /widget/config answered (or gave up)
    this.ready = false; // welcome received on the current socket
    this.shown = true;
    this.open = !!load('sessionStorage', this.cacheKey + ':open');
    this.userOpened = false;
    this.draft = '';
    this.identity = {};
    this.listeners = {};
    this.agentTyping = null;
    // The outbox survives a page change within the tab, so a message sent just before a click is not lost.
    this.outbox = load('sessionStorage', this.cacheKey + ':out') || [];
    this.form = null; // contact form frame waiting for its ack
    this.formError = null;
    this.formSentTo = null;
    this.rating = null; // {conv, value, text, sent}
    this.transcript = null; // {conv, client_id, email, state: 'sending' | 'sent' | 'error', code, message}
    this.typingSent = '';
    this.typingTimer = 0;
    this.idleTimer = 0;

    const cached = load('localStorage', this.cacheKey);
    if (cached && this.vid && cached.vid === this.vid) {
      this.seq = cached.seq || 0;
      this.conv = cached.conv || null;
      for (const m of cached.msgs || []) this.addMessage(m, false);
    }
  }

  start() {
    this.view = new View(this);
    this.conn = new Connection(() => this.url(), (f) => this.onFrame(f), (up, code) => {
      if (up) return;
      this.ready = false;
      this.agentTyping = null;
      if (code === 4403) this.shown = false; // a blocked visitor no longer sees the chat box
      if (code === 4423) this.shown = false; // chat unavailable: the shop's account is suspended
      if (code === 4404) console.warn('Parley: unknown chat box key "' + this.key + '"');
      if (code === 4429) this.limitedUntil = Date.now() + 60000;
      this.update();
    });
    this.conn.connect();
    const done = () => { this.configured = true; this.update(); };
    setTimeout(done, 2500);
    fetch(this.base + 'widget/config?key=' + encodeURIComponent(this.key), { credentials: 'omit' })
      .then((r) => {
        // 403: the shop's account is suspended; the chat box stays away rather than flash until the socket says so.
        if (r.status === 403) this.shown = false;
        return r.ok ? r.json() : null;
      })
      .then((c) => {
        if (c) {
          this.shopName = this.shopName || c.account_name || '';
          if (this.online == null && typeof c.online === 'boolean') this.online = c.online;
          this.groups = Array.isArray(c.groups) ? c.groups.filter((g) => g && g.key != null) : [];
          if (!this.color && c.color) this.color = c.color;
          if (this.ratingEnabled == null && c.rating_enabled != null) this.ratingEnabled = !!c.rating_enabled;
          this.applySettings(c);
        }
      }, () => {})
      .finally(done);
    document.addEventListener('visibilitychange', () => this.update());
    if (window.navigation) navigation.addEventListener('navigatesuccess', () => setTimeout(() => this.sendPage(), 0));
    this.armRecorder();
    this.update();
  }

  /**
   * Session recording (issue #16): its module loads after the visitor's first activity, never with the chat box,
   * or at once on the next page of a tab already recording. If it fails to load, the chat box does not notice.
   */
  armRecorder() {
    const kinds = ['pointerdown', 'keydown', 'scroll', 'mousemove', 'touchstart'];
    const go = () => {
      for (const k of kinds) removeEventListener(k, go, true);
      if (this.recordingOff || this.recorder) return;
      // In the page's idle time: loading and the first snapshot must not hold up what the visitor just did.
      (window.requestIdleCallback || setTimeout)(() => import(this.base + 'widget/recorder.js').then((m) => {
        if (!this.recorder) this.recorder = m.start(this);
      }, (e) => console.warn('Parley: the session recorder could not load', e)), { timeout: 2000 });
    };
    if (load('localStorage', 'parley:rec-off:' + this.key)) this.recordingOff = true;
    if (load('sessionStorage', 'parley:rec:' + this.key)) go();
    else for (const k of kinds) addEventListener(k, go, { capture: true, passive: true });
  }

  /** The shop's dashboard settings (docs/PRODUCT.md §2.1): used only where the page's _smartsupp keys say nothing. */
  applySettings(c) {
    const cfg = this.cfg;
    if (cfg.orientation == null && c.position) this.side = c.position === 'left' ? 'left' : 'right';
    if (cfg.offsetX == null) this.offsetX = px(c.offset_x, this.offsetX);
    if (cfg.offsetY == null) this.offsetY = px(c.offset_y, this.offsetY);
    if (cfg.hideMobileWidget == null && c.show_on_mobile === false) this.hideMobile = true;
    if (/^https?:\/\//i.test(c.logo_url || '')) this.logo = c.logo_url;
    this.texts = { greeting: c.greetings || {}, offline: c.offline_texts || {} };
    const f = c.pre_chat_form;
    this.preChat = f && f.enabled && !load('sessionStorage', this.cacheKey + ':pre') ? f : this.preChat;
    if (!cfg.language && !document.documentElement.lang && c.language) this.setLanguage(c.language);
  }

  /** The shop's own words for the visitor's language ('greeting' or 'offline'), or null for the built-in ones. */
  said(kind) {
    const t = (this.texts || {})[kind] || {}, lang = String(this.language || 'en').toLowerCase();
    return t[lang] || t[lang.split(/[-_]/)[0]] || null;
  }

  /** The pre-chat form was answered: the visitor is identified, and the composer opens. */
  preChatDone(fields) {
    if (Object.keys(fields).length) this.identify(fields);
    this.preChat = null;
    save('sessionStorage', this.cacheKey + ':pre', 1);
    if (this.privacyCheck) { this.privacyCheck = false; save('localStorage', this.cacheKey + ':privacy', 1); }
    this.update();
  }

  /** requireLogin: the chat box shows only once the shop's page has said who the visitor is. */
  loggedIn() {
    const i = this.identity;
    return !!(i.user_id || i.email || i.name);
  }

  /** gaKey / gaName / gaOptions: chat events go to the page's own Google Analytics, when it has one. */
  track(action) {
    const c = this.cfg;
    if (!c.gaKey) return;
    try {
      if (typeof window.gtag === 'function') {
        window.gtag('event', action, Object.assign({ event_category: 'Smartsupp', send_to: String(c.gaKey) }, c.gaOptions || {}));
      } else if (typeof window[c.gaName || 'ga'] === 'function') {
        window[c.gaName || 'ga']('send', 'event', 'Smartsupp', action);
      }
    } catch (e) { /* the page's analytics failing must not break the chat */ }
  }

  url() {
    const ws = this.base.replace(/^http/, 'ws') + 'ws/visitor?key=' + encodeURIComponent(this.key);
    this.resuming = this.seq > 0 && !!this.vid;
    return ws + (this.vid ? '&visitor=' + encodeURIComponent(this.vid) : '') + (this.resuming ? '&after=' + this.seq : '');
  }

  // ---- JS API ------------------------------------------------------------------------------------------

  command(cmd, ...args) {
    const [a, b] = args;
    switch (cmd) {
      case 'name': case 'email': case 'phone': case 'group':
        this.identify({ [cmd]: a == null ? null : String(a) });
        break;
      case 'language':
        this.setLanguage(a);
        this.identify({ language: a == null ? null : String(a) });
        break;
      case 'variables':
        this.identify({ variables: variables(a) });
        break;
      case 'identity': { // {id, email, name, phone, hash}: the shop's server signed id (else email), docs/API.md
        const o = a || {}, f = { user_id: o.id == null ? null : String(o.id), hash: o.hash == null ? null : String(o.hash) };
        for (const k of ['email', 'name', 'phone']) if (o[k] != null) f[k] = String(o[k]);
        this.identify(f);
        break;
      }
      case 'chat:show': this.shown = true; break;
      case 'chat:hide': this.shown = false; this.setOpen(false); break;
      case 'chat:open': this.shown = true; this.setOpen(true); break;
      case 'chat:close': this.setOpen(false); break;
      case 'chat:toggle': this.setOpen(!this.panelOpen()); break;
      case 'chat:message': this.draft = a == null ? '' : String(a); break;
      case 'chat:send': {
        const text = a == null ? this.draft : String(a);
        if (this.send(text) && a == null) this.draft = '';
        break;
      }
      case 'on':
        if (typeof b === 'function') (this.listeners[a] = this.listeners[a] || []).push(b);
        break;
      case 'off':
        this.listeners[a] = (this.listeners[a] || []).filter((f) => f !== b);
        break;
      // Session recording (issue #16): the page may switch it off, and gives consent where the account asks for it.
      // recording:disable holds for the whole site (this browser, until recording:enable); recording:off for this page.
      case 'recording:disable': case 'recording:off':
        if (cmd === 'recording:disable') save('localStorage', 'parley:rec-off:' + this.key, 1);
        this.recordingOff = true;
        if (this.recorder) this.recorder.stop();
        break;
      case 'recording:enable': case 'recording:on':
        if (cmd === 'recording:enable') save('localStorage', 'parley:rec-off:' + this.key, null);
        this.recordingOff = false;
        break;
      case 'analyticsConsent':
        this.analyticsConsent = a !== false && a !== 'false';
        if (this.recorder) this.recorder.consent(this.analyticsConsent);
        break;
      default:
        break; // Smartsupp has more commands (banners, themes…): ignore rather than break the shop's page
    }
    this.update();
  }

  setLanguage(language) {
    this.language = language;
    loadStrings(language).then((T) => {
      if (this.language !== language) return; // a later call won
      this.T = T;
      this.update();
    });
  }

  emit(name, ...args) {
    for (const f of this.listeners[name] || []) {
      try { f(...args); } catch (e) { console.warn('Parley: a ' + name + ' listener failed', e); }
    }
  }

  identify(fields) {
    Object.assign(this.identity, fields);
    if (this.ready) this.conn.send({ type: 'identify', ...fields });
  }

  // ---- actions from the view -----------------------------------------------------------------------------

  setOpen(open, byUser) {
    if (open && !this.shown) return;
    this.open = !!open;
    // Focus moves into the box only when the visitor asked for it (our launcher, or a shop button that calls
    // chat:open on click), never when a page opens it by itself on load.
    this.userOpened = !!(open && (byUser || (navigator.userActivation && navigator.userActivation.isActive)));
    save('sessionStorage', this.cacheKey + ':open', this.open || null);
    this.update();
  }

  /** Puts a visitor message in the outbox; returns false when there is nothing to send. */
  send(text) {
    text = String(text == null ? '' : text).trim();
    if (!text) return false;
    const item = { client_id: clientId(), text: text.slice(0, 10000), created_at: new Date().toISOString() };
    this.outbox.push(item);
    this.saveOutbox();
    this.stopTyping();
    if (this.ready) this.conn.send({ type: 'message', client_id: item.client_id, text: item.text });
    if (this.recorder) this.recorder.mark();
    this.update();
    return true;
  }

  retry(clientId) {
    const item = this.outbox.find((o) => o.client_id === clientId);
    if (!item) return;
    delete item.failed;
    if (this.ready) this.conn.send({ type: 'message', client_id: item.client_id, text: item.text });
    this.update();
  }

  submitForm(fields) {
    this.formError = null;
    this.form = { type: 'contact_form', client_id: clientId(), ...fields };
    if (this.ready) this.conn.send(this.form);
    this.update();
  }

  rate(value, text) {
    if (!this.conv) return;
    this.track('rating_sent');
    this.rating = { conv: this.conv.id, value, text: text || '', sent: true };
    if (this.ready) this.conn.send({ type: 'rate', value, text: text || '' });
    this.update();
  }

  /** "Email me this conversation": one request per click, sent again with the same client_id after a reconnect. */
  sendTranscript(email) {
    if (!this.conv) return;
    this.transcript = { conv: this.conv.id, client_id: clientId(), email, state: 'sending' };
    if (this.ready) this.conn.send({ type: 'transcript', client_id: this.transcript.client_id, email });
    this.update();
  }

  endChat() {
    if (this.ready && this.conv && this.conv.status === 'open') this.conn.send({ type: 'close' });
  }

  /** The visitor is typing: tell the agents, with the draft, at most once a second and once more at the end. */
  typing(draft) {
    this.draft = draft;
    clearTimeout(this.idleTimer);
    if (!draft.trim()) { this.stopTyping(); return; }
    this.idleTimer = setTimeout(() => this.stopTyping(), 5000);
    if (this.typingTimer) return;
    const flush = () => {
      if (this.draft.trim() && this.draft !== this.typingSent && this.ready) {
        this.typingSent = this.draft;
        this.conn.send({ type: 'typing', typing: true, draft: this.draft.slice(0, 1000) });
        this.typingTimer = setTimeout(() => { this.typingTimer = 0; flush(); }, 1000);
      }
    };
    flush();
  }

  stopTyping() {
    clearTimeout(this.idleTimer);
    clearTimeout(this.typingTimer);
    this.typingTimer = 0;
    if (this.typingSent && this.ready) this.conn.send({ type: 'typing', typing: false, draft: '' });
    this.typingSent = '';
  }

  // ---- protocol --------------------------------------------------------------------------------------------

  onFrame(f) {
    // Durable events already reflected in what we hold (a snapshot raced with a live event) are skipped.
    if (f.seq && !f.ephemeral && f.type !== 'welcome' && f.type !== 'ack') {
      if (f.seq <= this.seq) return;
      this.seq = f.seq;
    }
    switch (f.type) {
      case 'welcome': this.onWelcome(f); break;
      case 'message.created': this.addMessage(f.data, true); break;
      case 'conversation.created':
        // An agent started this conversation from the visitors list (the visitor's own always opens the box first).
        if (f.data && (!this.conv || this.conv.id !== f.data.id) && !this.open) this.setOpen(true);
        this.setConv(f.data);
        break;
      case 'conversation.updated': this.setConv(f.data); break;
      case 'conversation.read':
        // reader "agent": the visitor sees "Seen"; reader "visitor": read in another tab, so the badge clears here too
        if (f.data && this.conv && f.conversation_id === this.conv.id) {
          const k = f.data.reader === 'agent' ? 'agent_last_read_message_id' : 'visitor_last_read_message_id';
          this.conv[k] = Math.max(this.conv[k] || 0, f.data.message_id || 0);
        }
        break;
      case 'typing':
        if (f.data && f.data.agent) {
          this.agentTyping = f.data.typing ? { name: f.data.agent.name, until: Date.now() + 8000 } : null;
          if (f.data.typing) setTimeout(() => this.update(), 8100);
        }
        break;
      case 'chat_status':
        if (f.data && typeof f.data.online === 'boolean') this.online = f.data.online;
        break;
      case 'ack': this.onAck(f); break;
      case 'error': this.onError(f); break;
      case 'transcript_queued':
        if (this.transcript && this.transcript.client_id === f.client_id) Object.assign(this.transcript, { state: 'sent', email: f.email });
        break;
      default: break;
    }
    this.update();
  }

  onWelcome(f) {
    if (f.resync) {
      // Our seq is older than the server's log: it sends a full snapshot instead, so start over from that.
      this.forget();
      this.resuming = false;
    }
    if (f.visitor_id && f.visitor_id !== this.vid) {
      // A new identity (cookie lost, or a server that no longer knows us): what we cached is someone else's.
      if (this.vid) this.forget();
      this.vid = f.visitor_id;
      this.pageSent = null; // a new visitor on the server: it has not seen this page yet
      writeCookie(this.vid, this.cfg.cookieDomain, this.cookiePath);
    }
    this.connectedOnce = true;
    if (f.visitor) this.known = f.visitor; // name and email the shop or the visitor gave earlier: the form starts with them
    if (f.account) {
      if (typeof f.account.online === 'boolean') this.online = f.account.online;
      if (f.account.name) this.shopName = f.account.name;
    }
    if (!this.resuming) {
      this.msgs = [];
      this.ids.clear();
      this.conv = null;
      if (typeof f.seq === 'number') this.seq = f.seq;
    }
    if (f.conversation !== undefined) this.setConv(f.conversation);
    for (const m of f.messages || []) this.addMessage(m, false);
    this.ready = true;
    if (Object.keys(this.identity).length) this.conn.send({ type: 'identify', ...this.identity });
    this.sendPage();
    for (const o of this.outbox) if (!o.failed) this.conn.send({ type: 'message', client_id: o.client_id, text: o.text });
    if (this.form) this.conn.send(this.form);
    const r = this.rating;
    if (r && r.sent && this.conv && r.conv === this.conv.id && this.conv.rating_value == null) {
      this.conn.send({ type: 'rate', value: r.value, text: r.text });
    }
    const t = this.transcript;
    if (t && t.state === 'sending') this.conn.send({ type: 'transcript', client_id: t.client_id, email: t.email });
  }

  /** Tells the server the page the visitor is on, once per address (not again on every reconnect). */
  sendPage() {
    if (!this.ready || this.pageSent === location.href) return;
    this.pageSent = location.href;
    const frame = { type: 'page', url: location.href, title: pageTitle(), referrer: document.referrer };
    // User-Agent Client Hints tell Windows 11 from 10 behind a frozen user agent (issue #11). Asked once per page,
    // after the page is up; a browser without them sends the frame at once.
    clientHints().then((hints) => {
      if (hints) frame.hints = hints;
      this.conn.send(frame);
    });
  }

  forget() {
    this.seq = 0;
    this.conv = null;
    this.msgs = [];
    this.ids.clear();
    save('localStorage', this.cacheKey, null);
  }

  setConv(c) {
    if (!c) {
      this.conv = null;
      return;
    }
    if (this.conv && c.id < this.conv.id) return; // an older conversation's late update
    const same = this.conv && this.conv.id === c.id ? this.conv : {};
    // The read marks only move forward; the server names them visitor_read_id/agent_read_id (PROTOCOL.md says
    // *_last_read_message_id): accept both.
    const mark = (k, alt) => Math.max(same[k] || 0, c[k] || 0, c[alt] || 0) || null;
    this.conv = { ...same, ...c,
      visitor_last_read_message_id: mark('visitor_last_read_message_id', 'visitor_read_id'),
      agent_last_read_message_id: mark('agent_last_read_message_id', 'agent_read_id') };
  }

  addMessage(m, live) {
    if (!m || m.id == null || m.kind === 'note') return;
    if (m.client_id) this.settle(m.client_id, m);
    if (this.ids.has(m.id)) return;
    this.ids.add(m.id);
    let i = this.msgs.length;
    while (i > 0 && this.msgs[i - 1].id > m.id) i--;
    this.msgs.splice(i, 0, m);
    if (!this.conv || m.conversation_id > this.conv.id) {
      this.setConv({ id: m.conversation_id, status: 'open', assignees: [], rating_value: null });
    }
    if (live && isAgent(m)) {
      this.agentTyping = null;
      this.emit('message_received', m);
      this.track('message_received');
      if (!this.seenNow()) {
        beep();
        blinkTitle(this.T.newMessage(m.agent && m.agent.name));
      }
    }
  }

  /** The outbox item (or contact form) with this client_id is stored on the server. */
  settle(clientId, message) {
    const i = this.outbox.findIndex((o) => o.client_id === clientId);
    if (i >= 0) {
      const [item] = this.outbox.splice(i, 1);
      this.saveOutbox();
      this.emit('message_sent', message || { client_id: item.client_id, text: item.text });
      this.track('message_sent');
    }
    if (this.form && this.form.client_id === clientId) {
      this.formSentTo = this.form.email;
      this.emit('message_sent', message || { client_id: clientId, text: this.form.text });
      this.track('contact_form_sent');
      this.form = null;
    }
  }

  onAck(f) {
    this.limitedUntil = 0;
    if (f.message) this.addMessage(f.message, false);
    if (f.client_id) this.settle(f.client_id);
  }

  onError(f) {
    // A budget of the visitor's network (IP address), not of this chat box: say so and wait it out.
    if (f.limit === 'network') this.limitedUntil = Date.now() + (f.retry_after || 60) * 1000;
    if (!f.client_id) {
      console.warn('Parley: the server refused a frame:', f.code, f.message);
      return;
    }
    const item = this.outbox.find((o) => o.client_id === f.client_id);
    if (item) {
      // Both pass: too fast (for this network: after the server's retry_after), or the server's database
      // restarting. Resent with the same client id, stored once.
      if (f.code === 'rate_limited' || f.code === 'unavailable') {
        setTimeout(() => this.retry(item.client_id), f.limit === 'network' ? (f.retry_after || 60) * 1000 : 3000);
      } else {
        item.failed = f.message || f.code;
      }
      this.saveOutbox();
    }
    const t = this.transcript;
    if (t && t.client_id === f.client_id) {
      if (f.code === 'rate_limited' || f.code === 'unavailable') setTimeout(() => t.state === 'sending' && this.ready
        && this.conn.send({ type: 'transcript', client_id: t.client_id, email: t.email }), 3000);
      else Object.assign(t, { state: 'error', code: f.code, message: f.message });
    }
    if (this.form && this.form.client_id === f.client_id) {
      this.formError = { field: f.field, message: f.message || f.code };
      this.form = null;
    }
  }

  saveOutbox() {
    save('sessionStorage', this.cacheKey + ':out', this.outbox.length ? this.outbox : null);
  }

  // ---- derived state -----------------------------------------------------------------------------------------

  /**
   * The panel is open on the page. A chat box remembered open on the previous page stays closed until its panel
   * has loaded, so a click on the launcher meanwhile opens it rather than closing what the visitor never saw.
   */
  panelOpen() {
    return this.open && !!(this.view && this.view.panel);
  }

  /** The visitor is looking at the conversation right now. */
  seenNow() {
    return this.panelOpen() && this.shown && !document.hidden;
  }

  unread() {
    if (!this.conv) return 0;
    const mark = this.conv.visitor_last_read_message_id || 0;
    return this.msgs.filter((m) => m.conversation_id === this.conv.id && m.id > mark && isAgent(m)).length;
  }

  markRead() {
    if (!this.conv || !this.seenNow()) return;
    let last = null;
    for (const m of this.msgs) if (m.conversation_id === this.conv.id) last = m;
    if (!last || last.id <= (this.conv.visitor_last_read_message_id || 0) || !this.ready) return;
    this.conv.visitor_last_read_message_id = last.id;
    this.conn.send({ type: 'read', message_id: last.id });
  }

  update() {
    if (this.pending || !this.view) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      if (this.agentTyping && this.agentTyping.until < Date.now()) this.agentTyping = null;
      this.markRead();
      if (!this.unread()) stopBlink();
      this.view.render();
      this.persist();
    });
  }

  persist() {
    if (!this.vid || !this.seq) return;
    save('localStorage', this.cacheKey, { vid: this.vid, seq: this.seq, conv: this.conv, msgs: this.msgs.slice(-KEEP) });
  }
}

/** Flat {k: string|number|boolean} or Smartsupp's legacy {k: {label, value}}; anything else is dropped. */
function variables(v) {
  const out = {};
  if (!v || typeof v !== 'object') return out;
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (['string', 'number', 'boolean'].includes(typeof x)) out[k] = x;
    else if (x && typeof x === 'object' && 'value' in x) out[k] = { label: String(x.label == null ? k : x.label), value: x.value };
  }
  return out;
}

function readCookie() {
  for (const part of document.cookie.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && ID_RE.test(v || '')) return v;
  }
  return null;
}

function writeCookie(vid, domain, path) {
  if (!ID_RE.test(vid)) return;
  const base = COOKIE + '=' + vid + '; path=' + (path || '/') + '; max-age=63072000; SameSite=Lax' + (location.protocol === 'https:' ? '; Secure' : '');
  if (domain && /^\.?[a-z0-9.-]+$/i.test(domain)) {
    document.cookie = base + '; domain=' + domain;
    if (readCookie() === vid) return;
    // The browser refused the domain (a typo, or a page outside it): keep the visitor on this host at least.
  }
  document.cookie = base;
}
