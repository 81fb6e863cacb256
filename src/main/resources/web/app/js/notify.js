// Desktop notifications (asked for from a button, never on load), a short WebAudio chime, and the
// unread count in the page title.

const SOUND_KEY = 'parley.sound';
let audio = null;

export function soundEnabled() {
  return localStorage.getItem(SOUND_KEY) !== 'off';
}

export function setSoundEnabled(on) {
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  if (on) unlockAudio();
}

// Browsers only let audio start after a user gesture; the first click or key press unlocks it.
function unlockAudio() {
  try {
    if (!audio) audio = new (window.AudioContext || window.webkitAudioContext)();
    if (audio.state === 'suspended') audio.resume();
  } catch {
    audio = null;
  }
}
document.addEventListener('pointerdown', unlockAudio, { once: true, capture: true });
document.addEventListener('keydown', unlockAudio, { once: true, capture: true });

export function chime() {
  if (!soundEnabled() || !audio || audio.state !== 'running') return;
  const t = audio.currentTime;
  for (const [freq, start] of [[880, 0], [1175, 0.11]]) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t + start);
    gain.gain.exponentialRampToValueAtTime(0.18, t + start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + start + 0.22);
    osc.connect(gain).connect(audio.destination);
    osc.start(t + start);
    osc.stop(t + start + 0.25);
  }
}

export function notificationsSupported() {
  return typeof window.Notification === 'function';
}

export function notificationPermission() {
  return notificationsSupported() ? Notification.permission : 'unsupported';
}

export async function requestNotifications() {
  if (!notificationsSupported()) return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** Shows a desktop notification when allowed; text is plain (the Notification API renders no HTML). */
export function desktopNotify(title, body, { tag, onClick } = {}) {
  if (notificationPermission() !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag, silent: true, icon: '/app/favicon.svg' });
    n.onclick = () => {
      window.focus();
      if (onClick) onClick();
      n.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker; the chime and title still work.
  }
}

export function setTitleCount(count) {
  const title = count > 0 ? `(${count}) Parley` : 'Parley';
  if (document.title !== title) document.title = title;
}
