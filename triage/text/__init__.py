"""Checks of text: the tone check and the review pre-screen, with their phrase compiler."""
