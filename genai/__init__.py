"""Everything in Deepfake Lab that MAKES images: face generators, inpainters, export labelling.

Usable without Streamlit::

    import genai
    g = genai.create_generator("dcgan-digiface")
    faces = g.sample(seeds=range(16))          # RGB uint8 (16, 64, 64, 3)
"""

from genai.generators import (
    CheckpointError,
    DCGANConfig,
    FaceGenerator,
    create_generator,
    list_generators,
    load_checkpoint,
)
from genai.inpaint import InpaintError, create_inpainter, list_inpainters
from genai.provenance import ExportInfo, add_visible_label, export_gif, export_image, inspect

__all__ = [
    "CheckpointError",
    "DCGANConfig",
    "ExportInfo",
    "FaceGenerator",
    "InpaintError",
    "add_visible_label",
    "create_generator",
    "create_inpainter",
    "export_gif",
    "export_image",
    "inspect",
    "list_generators",
    "list_inpainters",
    "load_checkpoint",
]
