"""The Streamlit page: a thin view over the engine.

``state`` (the page's state and its mirror in the URL), ``text_marks`` (escaping and highlights),
``progress`` and ``changes`` are pure and tested without Streamlit. The ``*_page`` and ``*_view``
modules draw; ``pages/`` holds the scripts ``st.navigation`` runs.
"""
