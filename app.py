"""The page: `streamlit run app.py`. Layout only; every rule lives in decision_trees/ and every
decision in triage/. The frame and both pages are drawn by triage/ui/."""

from triage.ui.frame import run

run()
