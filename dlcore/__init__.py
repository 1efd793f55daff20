"""dlcore: the computational core of the deep-learning teaching dashboard.

Everything here is plain Python (NumPy, pandas, Keras, Plotly) and never imports
Streamlit, so it can be used from a notebook:

>>> import dlcore
>>> dlcore.__version__
'0.1.0'

Modules are imported lazily (``from dlcore import datasets``); importing
``dlcore`` itself is cheap and does not import TensorFlow.
"""

__version__ = "0.1.0"

#: Bumped whenever a change alters what a training task computes. It is part of
#: every result-cache key, so stale results are never served after an upgrade.
CODE_VERSION = "1"
