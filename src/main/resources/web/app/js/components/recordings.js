// Session recordings on the visitor card (issue #16): the list (date, length, pages) and the player. The recorded
// page is drawn by rrweb's replayer in a sandboxed frame without allow-scripts: the page's own scripts never run.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, get } from '../api.js';
import { fullTime } from '../format.js';
import { Spinner } from './common.js';

const SPEEDS = [1, 2, 4, 8];

function clock(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function pathOf(url) {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch (e) {
    return url;
  }
}

export function RecordingsSection({ visitorId }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [open, setOpen] = useState(null);
  useEffect(() => {
    if (visitorId == null) return undefined;
    let live = true;
    const load = () => get(`/v2/visitors/${visitorId}/recordings`)
      .then((r) => { if (live) { setItems(r.items || []); setError(null); } }, (e) => { if (live) setError(e.message); });
    load();
    // A recording appears a few minutes after the visitor leaves: look again now and then while the card is open.
    const t = setInterval(load, 30000);
    return () => { live = false; clearInterval(t); };
  }, [visitorId]);
  if (visitorId == null) return null;
  return html`<section class="card-section" aria-label="Recordings">
    <h3>Recordings</h3>
    ${error ? html`<p class="muted small">${error}</p>` : null}
    ${items == null && !error ? html`<${Spinner} label="Loading recordings…"/>` : null}
    ${items && items.length === 0 ? html`<p class="muted small">No recordings yet. A visit shows here a few minutes after the visitor leaves.</p>` : null}
    ${items && items.length ? html`<ul class="rec-list" data-testid="recordings">
      ${items.map((r) => html`<li key=${r.id}>
        <button type="button" class="rec-item" onClick=${() => setOpen(r)} aria-label=${`Play the recording of ${fullTime(r.started_at)}`}>
          <span class="rec-play" aria-hidden="true">▶</span>
          <span><span class="rec-when">${fullTime(r.started_at)}</span>
            <span class="muted small"> · ${clock(r.duration_ms)} · ${r.pages.length} ${r.pages.length === 1 ? 'page' : 'pages'}</span></span>
        </button>
      </li>`)}
    </ul>` : null}
    ${open ? html`<${RecordingPlayer} recording=${open} onClose=${() => setOpen(null)}/>` : null}
  </section>`;
}

export function RecordingPlayer({ recording, onClose }) {
  const stage = useRef(null);
  const frame = useRef(null);
  const player = useRef(null);
  const [error, setError] = useState(null);
  const [ready, setReady] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [skip, setSkip] = useState(true);
  const [now, setNow] = useState(0);
  const [total, setTotal] = useState(recording.duration_ms || 0);

  useEffect(() => {
    let live = true;
    let timer = 0;
    (async () => {
      try {
        const [{ Replayer }, events] = await Promise.all([
          import('/vendor/rrweb-replay.module.js'),
          api('GET', `/v2/recordings/${recording.id}/events`),
        ]);
        if (!live) return;
        if (!Array.isArray(events) || events.length < 2) throw new Error('This recording holds nothing to play.');
        const r = new Replayer(events, { root: stage.current, skipInactive: true, showWarning: false, mouseTail: false,
          speed: 1, triggerFocus: false });
        player.current = r;
        const fit = (w, h) => {
          const box = frame.current;
          if (!box || !w) return;
          const scale = Math.min(1, box.clientWidth / w);
          r.wrapper.style.transform = `scale(${scale})`;
          r.wrapper.style.transformOrigin = 'top left';
          box.style.height = `${Math.ceil(h * scale)}px`;
        };
        r.on('resize', (d) => fit(d.width, d.height));
        r.on('finish', () => setPlaying(false));
        setTotal(r.getMetaData().totalTime);
        const meta = events.find((e) => e.type === 4);
        if (meta) fit(meta.data.width, meta.data.height);
        r.pause(0);
        setReady(true);
        timer = setInterval(() => { if (player.current) setNow(player.current.getCurrentTime()); }, 200);
      } catch (e) {
        if (live) setError(e.message || 'The recording could not be loaded.');
      }
    })();
    const onKey = (e) => { if (e.key === 'Escape') onClose(); };
    document.addEventListener('keydown', onKey);
    return () => {
      live = false;
      clearInterval(timer);
      document.removeEventListener('keydown', onKey);
      if (player.current) player.current.destroy();
      player.current = null;
    };
  }, [recording.id]);

  const r = player.current;
  const toggle = () => {
    if (!r) return;
    if (playing) r.pause(); else r.play(now >= total ? 0 : r.getCurrentTime());
    setPlaying(!playing);
  };
  const seek = (ms) => {
    if (!r) return;
    if (playing) r.play(ms); else r.pause(ms);
    setNow(ms);
  };
  const onBar = (e) => {
    const box = e.currentTarget.getBoundingClientRect();
    seek(Math.round(((e.clientX - box.left) / box.width) * total));
  };
  const at = (ms) => `${total ? Math.min(100, (ms / total) * 100) : 0}%`;

  return html`<div class="rec-overlay" role="dialog" aria-modal="true" aria-label="Recording player" data-testid="recording-player">
    <div class="rec-dialog">
      <header class="rec-head">
        <div><strong>Visit of ${fullTime(recording.started_at)}</strong>
          <span class="muted small"> · ${clock(total)} · ${recording.pages.length} ${recording.pages.length === 1 ? 'page' : 'pages'}</span></div>
        <button type="button" class="btn btn-ghost" onClick=${onClose} aria-label="Close the player">Close</button>
      </header>
      <div class="rec-frame" ref=${frame}>
        <div class="rec-stage" ref=${stage}></div>
        ${!ready && !error ? html`<div class="rec-wait"><${Spinner} label="Loading the recording…"/></div>` : null}
        ${error ? html`<p class="rec-wait muted">${error}</p>` : null}
      </div>
      <div class="rec-controls">
        <button type="button" class="btn btn-primary rec-toggle" onClick=${toggle} disabled=${!ready}
          aria-label=${playing ? 'Pause' : 'Play'}>${playing ? 'Pause' : 'Play'}</button>
        <span class="rec-time muted small" data-testid="recording-time">${clock(now)} / ${clock(total)}</span>
        <div class="rec-bar" onClick=${onBar} role="slider" aria-label="Timeline" aria-valuemin="0" aria-valuemax=${total}
          aria-valuenow=${now} tabindex="0" data-testid="recording-timeline">
          <div class="rec-fill" style=${`width:${at(now)}`}></div>
          ${recording.pages.map((p, i) => html`<button type="button" key=${`p${i}`} class="rec-mark rec-mark-page"
            style=${`left:${at(p.at_ms)}`} title=${`Page: ${pathOf(p.url)}`} aria-label=${`Go to page ${pathOf(p.url)}`}
            onClick=${(e) => { e.stopPropagation(); seek(p.at_ms); }}></button>`)}
          ${recording.chats.map((ms, i) => html`<button type="button" key=${`c${i}`} class="rec-mark rec-mark-chat"
            style=${`left:${at(ms)}`} title="The visitor wrote in the chat" aria-label=${`Go to chat message at ${clock(ms)}`}
            onClick=${(e) => { e.stopPropagation(); seek(ms); }}></button>`)}
        </div>
        <label class="small">Speed
          <select value=${speed} onChange=${(e) => { const v = Number(e.target.value); setSpeed(v); if (r) r.setConfig({ speed: v }); }}>
            ${SPEEDS.map((v) => html`<option value=${v}>${v}×</option>`)}
          </select></label>
        <label class="small rec-skip"><input type="checkbox" checked=${skip}
          onChange=${(e) => { setSkip(e.target.checked); if (r) r.setConfig({ skipInactive: e.target.checked }); }}/> Skip inactivity</label>
      </div>
      <p class="muted small rec-legend"><span class="rec-key rec-key-page"></span> page change
        <span class="rec-key rec-key-chat"></span> visitor wrote in the chat · typed text shows as ✱, card fields are never recorded</p>
    </div>
  </div>`;
}
