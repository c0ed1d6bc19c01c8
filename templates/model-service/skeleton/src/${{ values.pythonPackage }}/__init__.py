"""${{ values.name }}: an Open Inference Protocol (V2) model service."""

__version__ = "0.1.0"
