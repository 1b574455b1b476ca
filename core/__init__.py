"""The floor that both makers (genai) and the judge (detectors) stand on.

Nothing here makes or judges an image: reading files (``core.io``), finding and cropping faces
(``core.faces``), resizing and tiling pictures (``core.imaging``), and the table of every shipped
weights file with its pinned sha256 (``core.weights``). It imports neither genai nor detectors, and
never Streamlit.
"""
