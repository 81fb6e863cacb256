// Getting the visitor's attention for a reply they have not seen: a short two-tone beep made with WebAudio
// (no audio file to download) and a blinking tab title.

let audio = null;

// Browsers only let a page start audio after a user gesture, so the context is made on the first one.
function unlock() {
  removeEventListener('pointerdown', unlock, true);
  removeEventListener('keydown', unlock, true);
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    if (audio.state === 'suspended') audio.resume();
  } catch (e) { audio = null; }
}
addEventListener('pointerdown', unlock, true);
addEventListener('keydown', unlock, true);

export function beep() {
  if (!audio || audio.state !== 'running') return;
  const t = audio.currentTime;
  [[880, 0], [1318.5, 0.13]].forEach(([freq, at]) => {
    const osc = audio.createOscillator(), gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t + at);
    gain.gain.exponentialRampToValueAtTime(0.2, t + at + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + at + 0.25);
    osc.connect(gain).connect(audio.destination);
    osc.start(t + at);
    osc.stop(t + at + 0.3);
  });
}

let blinkTimer = 0, saved = '', shown = '';

export function blinkTitle(text) {
  if (blinkTimer) { shown = text; return; }
  saved = document.title;
  shown = text;
  blinkTimer = setInterval(() => {
    // The shop may change its own title meanwhile (single-page apps): keep whatever it set last.
    if (document.title !== shown && document.title !== saved) saved = document.title;
    document.title = document.title === shown ? saved : shown;
  }, 1000);
}

export function stopBlink() {
  if (!blinkTimer) return;
  clearInterval(blinkTimer);
  blinkTimer = 0;
  if (document.title === shown) document.title = saved;
}

/** The page's own title, even while it blinks. */
export function pageTitle() {
  return blinkTimer && document.title === shown ? saved : document.title;
}
