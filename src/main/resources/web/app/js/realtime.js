// The agent WebSocket (docs/PROTOCOL.md): remembers the highest seq it processed and resumes with
// ?after=<seq>; reconnects with capped exponential back-off; keeps the line alive with pings.

const PING_MS = 25000;

// Close codes the server uses (docs/PROTOCOL.md): signed out (logout elsewhere, expired, revoked token),
// access ended (the agent was deactivated), and access changed (new role or groups: reconnect at once).
export const SIGNED_OUT = 4401;
export const ACCESS_ENDED = 4403;
export const ACCESS_CHANGED = 4409;

export function createSocket({ onFrame, onState, beforeReconnect, onSignedOut, onAccessEnded }) {
  let ws = null;
  let lastSeq = 0;
  let attempts = 0;
  let stopped = false;
  let reconnectTimer = null;
  let pingTimer = null;
  // After a change of rights the lists this dashboard holds were filtered by the old rights: fetch them again.
  let refetch = false;

  function url() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}/ws/agent${lastSeq > 0 ? `?after=${lastSeq}` : ''}`;
  }

  function open() {
    if (stopped) return;
    onState(attempts === 0 ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(url());
    ws = socket;
    socket.onopen = () => {
      attempts = 0;
      clearInterval(pingTimer);
      pingTimer = setInterval(() => send({ type: 'ping' }), PING_MS);
    };
    socket.onmessage = (e) => {
      let frame;
      try {
        frame = JSON.parse(e.data);
      } catch {
        return;
      }
      if (!frame || typeof frame !== 'object') return;
      const resumed = lastSeq > 0;
      if (frame.type === 'welcome') onState('online');
      onFrame(frame, { resumed, refetch: frame.type === 'welcome' && refetch });
      if (frame.type === 'welcome') refetch = false;
      // A resumed welcome's seq is ahead of the backlog that follows it: advance only as events are applied,
      // so a drop in the middle of the backlog resumes where it stopped. Ephemeral frames never advance it.
      if (frame.type === 'welcome' && resumed && !frame.resync) return;
      if (frame.ephemeral) return;
      if (typeof frame.seq === 'number' && frame.seq > lastSeq) lastSeq = frame.seq;
    };
    socket.onclose = (e) => {
      if (ws !== socket) return;
      clearInterval(pingTimer);
      ws = null;
      if (stopped) return;
      if (e && e.code === SIGNED_OUT && onSignedOut) {
        onSignedOut();
        return;
      }
      if (e && e.code === ACCESS_ENDED && onAccessEnded) {
        onAccessEnded();
        return;
      }
      if (e && e.code === ACCESS_CHANGED) {
        // Not a failure: the server asks for a new socket with the new rights. Resume from lastSeq, now.
        refetch = true;
        attempts = 0;
        open();
        return;
      }
      onState('reconnecting');
      const delay = Math.min(15000, 500 * 2 ** attempts) * (0.75 + Math.random() * 0.5);
      attempts += 1;
      reconnectTimer = setTimeout(async () => {
        if (beforeReconnect && !(await beforeReconnect())) return;
        open();
      }, delay);
    };
  }

  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function stop() {
    stopped = true;
    clearTimeout(reconnectTimer);
    clearInterval(pingTimer);
    if (ws) ws.close();
    ws = null;
  }

  function resetSeq() {
    lastSeq = 0;
  }

  open();
  return { send, stop, resetSeq, get seq() { return lastSeq; } };
}
