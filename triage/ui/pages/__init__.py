"""Page scripts for ``st.navigation``: each draws one page through its module."""
