"""Everything in Deepfake Lab that MAKES images: face generators and export labelling.

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
from genai.provenance import ExportInfo, add_visible_label, export_gif, export_image

__all__ = [
    "CheckpointError",
    "DCGANConfig",
    "ExportInfo",
    "FaceGenerator",
    "add_visible_label",
    "create_generator",
    "export_gif",
    "export_image",
    "list_generators",
    "load_checkpoint",
]
