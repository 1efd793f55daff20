"""Page bodies: one module per topic (``ui/views/<slug>.py``), sections as functions."""
