// The visitor's WebSocket: reconnects with exponential backoff and a keep-alive watchdog, and always asks the
// owner for the URL so each attempt resumes from the latest `after=<seq>`.

const PING_EVERY = 25000, PONG_WITHIN = 10000, MAX_DELAY = 30000;

export class Connection {
  /**
   * @param {() => string} url called before every attempt
   * @param {(frame: object) => void} onFrame
   * @param {(up: boolean, code?: number) => void} onState true once the socket is open, false when it drops
   */
  constructor(url, onFrame, onState) {
    this.url = url;
    this.onFrame = onFrame;
    this.onState = onState;
    this.ws = null;
    this.up = false;
    this.attempt = 0;
    this.timer = 0;
    this.pingTimer = 0;
    this.pongTimer = 0;
    this.stopped = false;
    // A laptop waking up or a phone regaining signal should not wait out a 30 s backoff.
    const now = () => { if (!this.ws && !this.stopped) this.connect(); };
    addEventListener('online', now);
    document.addEventListener('visibilitychange', () => { if (!document.hidden) now(); });
  }

  connect() {
    clearTimeout(this.timer);
    this.timer = 0;
    if (this.stopped) return;
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch (e) {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.up = true;
      this.onState(true);
      this.pingTimer = setInterval(() => this.ping(), PING_EVERY);
    };
    ws.onmessage = (e) => {
      clearTimeout(this.pongTimer);
      let frame;
      try { frame = JSON.parse(e.data); } catch (err) { return; }
      if (frame && frame.type === 'welcome') this.attempt = 0;
      if (frame && frame.type !== 'pong') this.onFrame(frame);
    };
    ws.onclose = (e) => this.dropped(ws, e.code);
    ws.onerror = () => { try { ws.close(); } catch (err) { /* already closing */ } };
  }

  ping() {
    if (!this.send({ type: 'ping' })) return;
    clearTimeout(this.pongTimer);
    // A half-open TCP connection (NAT timeout, sleeping router) never fires `close` by itself.
    this.pongTimer = setTimeout(() => this.restart(), PONG_WITHIN);
  }

  /** Drops the current socket and connects again at once (e.g. the server asked for a resync). */
  restart() {
    const ws = this.ws;
    if (ws) { this.dropped(ws); try { ws.close(); } catch (e) { /* ignore */ } }
    this.attempt = 0;
    this.connect();
  }

  dropped(ws, code) {
    if (this.ws !== ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    this.ws = null;
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    // 4404 unknown chat box key, 4403 blocked visitor, 4423 the shop's account suspended: trying again cannot help.
    if (code === 4404 || code === 4403 || code === 4423) this.stopped = true;
    // 4429: too many new chat boxes from this network; the server's budget refills over a minute.
    if (code === 4429) this.attempt = Math.max(this.attempt, 8);
    if (this.up || this.stopped) { this.up = false; this.onState(false, code); }
    this.retry();
  }

  retry() {
    if (this.stopped || this.timer) return;
    // 0.5 s, 1 s, 2 s … capped, with jitter so a restarted server is not hit by every visitor at once.
    const base = Math.min(MAX_DELAY, 500 * 2 ** this.attempt++);
    this.timer = setTimeout(() => this.connect(), base / 2 + Math.random() * base / 2);
  }

  /** Sends a frame if the socket is open; returns whether it was handed to the socket. */
  send(frame) {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }
}
