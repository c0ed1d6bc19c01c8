"""The PyTorch model the format tests export: a module importable by name, so a torch.save pickle of it
can be loaded back (which is what MODEL_SHA256 must be given for)."""

from __future__ import annotations

import torch


class TinyNet(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.hidden = torch.nn.Linear(4, 8)
        self.out = torch.nn.Linear(8, 3)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.out(torch.relu(self.hidden(features))), dim=1)
