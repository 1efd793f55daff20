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
