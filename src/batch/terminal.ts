/**
 * Text bound for a terminal that came from a report or an archive (entry names, file names, error messages):
 * control characters are shown as escapes, never sent. Otherwise an entry name could retitle the terminal
 * (ESC ] 0 ; … BEL), clear it (ESC [ 2 J), or forge a line of our own output with CR or LF. C0 and C1 controls,
 * DEL and the bidirectional overrides (which reorder what is shown) are escaped.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export const terminalSafe = (text: unknown): string =>
  String(text).replace(CONTROLS, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
