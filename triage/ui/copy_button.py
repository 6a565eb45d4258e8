"""One visible "Copy" button for the text to paste.

Streamlit has no copy button of its own besides ``st.code``'s icon, which is hidden until hover
on a desktop and sits on the first line of text on a phone. This is the smallest thing that
works: a static HTML button in Streamlit's own iframe (``st.iframe`` with an HTML string, which
Streamlit opens with ``clipboard-write`` allowed). The text is data in a JavaScript string, with
every ``<``, ``>`` and ``&`` escaped, so nothing the person wrote can become markup or code.
It loads nothing from anywhere, copies with the Clipboard API (falling back to a hidden text
area and ``execCommand`` where that API is refused), says "Copied", and asks first when the
tone check still marks something to change.
"""

from __future__ import annotations

import json

import streamlit as st

__all__ = ["copy_button", "copy_button_html"]


def _script_string(value: str) -> str:
    """``value`` as a JavaScript string literal that can't end the ``<script>`` element."""
    return (
        json.dumps(value, ensure_ascii=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def copy_button_html(text: str, label: str, confirm: str = "") -> str:
    """The button's whole page. ``confirm``: a question asked before copying (empty: none)."""
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; font-family: "Source Sans Pro", "Source Sans 3", sans-serif; }}
button {{ font: inherit; font-size: 1rem; font-weight: 600; min-height: 44px;
  padding: 0.5rem 1.1rem; border-radius: 0.5rem; border: 1px solid #1d4ed8;
  background: #1d4ed8; color: #fff; cursor: pointer; }}
button:focus-visible {{ outline: 3px solid #93c5fd; outline-offset: 2px; }}
button.done {{ background: #15803d; border-color: #15803d; }}
span {{ margin-left: 0.6rem; font-size: 0.95rem; color: #374151; }}
</style></head><body>
<button type="button" id="copy" aria-describedby="said">{_html_text(label)}</button>
<span id="said" role="status" aria-live="polite"></span>
<script>
const text = {_script_string(text)};
const ask = {_script_string(confirm)};
const button = document.getElementById("copy");
const said = document.getElementById("said");
function fallback() {{
  const area = document.createElement("textarea");
  area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed";
  area.style.opacity = "0"; document.body.appendChild(area); area.select();
  let ok = false; try {{ ok = document.execCommand("copy"); }} catch (e) {{ ok = false; }}
  area.remove(); return ok;
}}
function report(ok) {{
  said.textContent = ok ? "Copied" : "Copy didn't work here: select the text and copy it by hand.";
  if (ok) {{ button.classList.add("done"); button.textContent = "Copied ✓"; }}
  setTimeout(() => {{
    button.classList.remove("done"); button.textContent = {_script_string(label)};
  }}, 4000);
}}
button.addEventListener("click", async () => {{
  if (ask && !window.confirm(ask)) {{ said.textContent = "Not copied."; return; }}
  try {{ await navigator.clipboard.writeText(text); report(true); }}
  catch (e) {{ report(fallback()); }}
}});
</script></body></html>"""


def _html_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def copy_button(text: str, *, label: str = "Copy", confirm: str = "") -> None:
    """Draw the button. ``text`` is copied exactly as given."""
    st.iframe(copy_button_html(text, label, confirm), height=52)
