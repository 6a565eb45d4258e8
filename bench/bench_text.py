"""Benchmark: the tone check and the pre-screen against a baseline measured in the same run.

The baseline is one pass of a single compiled word regex (``\\w+``) over the same text: the
least any text scan can cost. Also prints how each check's time grows when hostile text grows
8 times (about 8x means linear; 64x would mean quadratic).

    python bench/bench_text.py
"""

from __future__ import annotations

import re
from functools import partial

from timing import median_time

from triage.text.prescreen import screen
from triage.text.tone import check

WORDS = re.compile(r"\w+")
SAMPLE = (
    "Thank you for the feedback on the landing page. I understand the timeline mattered to you. "
    "The final files were delivered on 18 November as agreed in the milestone. "
)
HOSTILE = ["a.", "a@", "www.", "$1,", "f***", "+1 2", "http://x", "(555)", "A B ", "\u202e😀 "]


def main() -> None:
    check("warm up")
    screen("warm up")
    print(
        f"{'text':>24} {'chars':>7} {'baseline':>9} {'tone':>9} {'ratio':>6} "
        f"{'screen':>9} {'ratio':>6}"
    )
    for label, text in (
        ("reply (1,500 chars)", (SAMPLE * 20)[:1500]),
        ("review (20,000 chars)", (SAMPLE * 200)[:20_000]),
    ):
        base = median_time(partial(WORDS.findall, text))
        tone = median_time(partial(check, text, limit=None))
        scr = median_time(partial(screen, text))
        print(
            f"{label:>24} {len(text):>7} {base * 1e3:>7.2f}ms {tone * 1e3:>7.2f}ms "
            f"{tone / base:>5.1f}x {scr * 1e3:>7.2f}ms {scr / base:>5.1f}x"
        )
    print("\ngrowth when hostile text grows 8x (linear is about 8x):")
    for unit in HOSTILE:
        small, large = unit * (10_000 // len(unit)), unit * (80_000 // len(unit))
        tone_growth = median_time(partial(check, large, limit=None), 3) / median_time(
            partial(check, small, limit=None), 3
        )
        screen_growth = median_time(partial(screen, large), 3) / median_time(
            partial(screen, small), 3
        )
        print(f"  {unit!r:>12}: tone {tone_growth:5.1f}x  screen {screen_growth:5.1f}x")


if __name__ == "__main__":
    main()
