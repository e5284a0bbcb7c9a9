"""One BERT layer in torch, in `accord.triage.embed`'s layout (fused QKV, pre-transposed dense weights).

Why its own module: triage's fine-tuning (`tuning`) and the coach's (`coach_tuning_fit`) train the same
layers that `embed.transformer_layer` runs in numpy at run time, and the coach's fit runs on a bare GPU
machine that has torch and numpy but not Accord's run-time dependencies, so this module imports neither
Accord nor anything beyond numpy. The tanh form of GELU matches the numpy path.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def bert_layer(torch: Any, w: dict[str, np.ndarray], heads: int, dropout: float) -> Any:
    """A torch module holding one layer's weights (keys as `embed.LAYER_KEYS`) as trainable parameters."""
    nn, fn = torch.nn, torch.nn.functional

    class Layer(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.p = nn.ParameterDict(
                {
                    k.replace(".", "_"): nn.Parameter(torch.tensor(np.asarray(v, np.float32)))
                    for k, v in w.items()
                }
            )

        def forward(self, h: Any, bias: Any) -> Any:
            p, (n, length, dim) = self.p, h.shape
            qkv = (h @ p["qkv_weight"] + p["qkv_bias"]).view(n, length, 3, heads, -1)
            q, k, v = qkv.permute(2, 0, 3, 1, 4)
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + bias, -1) @ v
            att = att.transpose(1, 2).reshape(n, length, dim)
            att = att @ p["attention_output_dense_weight"] + p["attention_output_dense_bias"]
            att = fn.dropout(att, dropout, self.training)
            h = fn.layer_norm(
                h + att,
                (dim,),
                p["attention_output_LayerNorm_weight"],
                p["attention_output_LayerNorm_bias"],
                1e-12,
            )
            mid = fn.gelu(
                h @ p["intermediate_dense_weight"] + p["intermediate_dense_bias"], approximate="tanh"
            )
            out = fn.dropout(mid @ p["output_dense_weight"] + p["output_dense_bias"], dropout, self.training)
            return fn.layer_norm(
                h + out, (dim,), p["output_LayerNorm_weight"], p["output_LayerNorm_bias"], 1e-12
            )

    return Layer()


def layer_arrays(layer: Any, keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """A trained layer's weights back in the numpy layout, float32."""
    names = {key.replace(".", "_"): key for key in keys}
    return {names[k]: v.detach().float().cpu().numpy().astype(np.float32) for k, v in layer.p.items()}
