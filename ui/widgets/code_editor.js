// The lab's code editor: a text area laid over a highlighted copy of its text. No build step, no network.
//
// Streamlit reruns the page whenever a component sends a value, so the text is sent when the editor loses
// the focus (the mouse press on Run, Check or anything else comes before that click is handled, so the
// click carries the text on screen) and with Ctrl+Enter, which also asks for a run. Not on every key: a
// rerun per key would redraw the whole lab page while the learner types.

const INDENT = "    ";
const KEYWORDS = new Set(("False None True and as assert async await break class continue def del elif else " +
  "except finally for from global if import in is lambda match case nonlocal not or pass raise return try " +
  "while with yield").split(" "));
const BUILTINS = new Set(("print len range dict list set tuple str int float bool open isinstance sorted " +
  "enumerate zip sum min max round type super self abs any all getattr hasattr repr format").split(" "));
// Comments, strings (prefixed, triple-quoted, unterminated), decorators, numbers, names.
const TOKEN = new RegExp([
  /(#.*)/.source,
  /((?:[rRbBuUfF]{1,2})?(?:"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?))/.source,
  /(@[\w.]+)/.source,
  /(\b\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?\b)/.source,
  /([A-Za-z_]\w*)/.source,
].join("|"), "g");

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function tokenClass(match) {
  if (match[1]) return "comment";
  if (match[2]) return "string";
  if (match[3]) return "decorator";
  if (match[4]) return "number";
  if (KEYWORDS.has(match[5])) return "keyword";
  return BUILTINS.has(match[5]) ? "builtin" : null;
}

/** The text as HTML with a span per coloured token. */
function highlight(text) {
  let html = "";
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    html += escapeHtml(text.slice(last, match.index));
    const cls = tokenClass(match);
    html += cls ? `<span class="${cls}">${escapeHtml(match[0])}</span>` : escapeHtml(match[0]);
    last = match.index + match[0].length;
  }
  // The extra line break gives a trailing empty line its height, as the text area gives it.
  return html + escapeHtml(text.slice(last)) + "\n";
}

/** Type `text` over the selection, through the browser's editing command so Ctrl+Z undoes it. */
function insert(area, text) {
  if (!document.execCommand("insertText", false, text)) {
    area.setRangeText(text, area.selectionStart, area.selectionEnd, "end");
    area.dispatchEvent(new Event("input"));
  }
}

/** Tab: four spaces at the caret, or every selected line indented (Shift+Tab: dedented). */
function indentLines(area, outdent) {
  const { value, selectionStart: start, selectionEnd: end } = area;
  if (!outdent && !value.slice(start, end).includes("\n")) {
    insert(area, INDENT);
    return;
  }
  const from = value.lastIndexOf("\n", start - 1) + 1;
  const stop = end > start && value[end - 1] === "\n" ? end - 1 : end;  // a line selected to its end only
  const lines = value.slice(from, stop).split("\n");
  const changed = lines.map((line) => (outdent ? line.replace(/^ {1,4}/, "") : INDENT + line)).join("\n");
  area.setSelectionRange(from, stop);
  insert(area, changed);
  area.setSelectionRange(from, from + changed.length);
}

/** Enter keeps the line's indentation and adds a level after a colon, as Python editors do. */
function newLine(area) {
  const before = area.value.slice(0, area.selectionStart);
  const line = before.slice(before.lastIndexOf("\n") + 1);
  let indent = line.match(/^[ \t]*/)[0];
  if (/:\s*$/.test(line)) indent += INDENT;
  insert(area, "\n" + indent);
}

function build(parent, data) {
  const root = document.createElement("div");
  root.className = "dp100-editor";
  root.innerHTML = '<div class="grid"><pre aria-hidden="true"><code></code></pre><textarea></textarea></div>';
  const area = root.querySelector("textarea");
  area.value = data.code;
  area.setAttribute("aria-label", data.label || "Code");
  area.setAttribute("spellcheck", "false");
  area.setAttribute("autocapitalize", "off");
  area.setAttribute("autocomplete", "off");
  area.setAttribute("autocorrect", "off");
  root.sent = data.code;  // what Python already has
  parent.appendChild(root);
  return root;
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  // Called again (same element) when the data or the theme change: keep the text the learner typed since.
  const root = parentElement.querySelector(".dp100-editor") || build(parentElement, data);
  const area = root.querySelector("textarea");
  const shown = root.querySelector("code");
  const paint = () => { shown.innerHTML = highlight(area.value); };
  const send = (run) => {
    if (area.value !== root.sent) {
      root.sent = area.value;
      setStateValue("text", area.value);
    }
    if (run) setTriggerValue("run", true);
  };
  const onKey = (event) => {
    if (event.isComposing) return;
    // Tab indents, so keyboard users need a way out: Esc, then Tab, moves the focus on (as in VS Code).
    const leaving = root.escaped;
    root.escaped = event.key === "Escape";
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send(true);
    } else if (event.key === "Tab" && !leaving && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      indentLines(area, event.shiftKey);
    } else if (event.key === "Enter" && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      newLine(area);
    }
  };
  const listening = new AbortController();
  area.addEventListener("input", paint, { signal: listening.signal });
  area.addEventListener("keydown", onKey, { signal: listening.signal });
  area.addEventListener("blur", () => send(false), { signal: listening.signal });
  paint();
  return () => listening.abort();
}
