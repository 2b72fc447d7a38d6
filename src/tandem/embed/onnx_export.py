"""The one-off export of the bundled all-MiniLM-L6-v2 to ONNX (float32 and int8).

Run once per machine, by ``make install`` (``python -m tandem.embed.onnx_export``) or by the
encoder's first use, in a child process: this is the only place that imports torch for the
ONNX encoders, and the serving process never does. The recipe (and why int8 keeps the
feed-forward layers in float32) is in :mod:`tandem.embed.onnx_minilm`.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tandem.embed.onnx_minilm import default_cache_dir, model_file, packaged_model_dir
from tandem.errors import BackendUnavailable

#: The feed-forward matmuls that stay float32 in the int8 graph.
_KEEP_FLOAT = re.compile(r"layer\.\d+/(intermediate|output)/dense/MatMul")
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


@contextmanager
def _locked(cache_dir: Path) -> Iterator[None]:
    cache_dir.mkdir(parents=True, exist_ok=True)
    with (cache_dir / ".export.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def export_model(model_dir: Path, cache_dir: Path) -> list[Path]:
    """Export the packaged weights to ONNX, float32 and int8 (idempotent, one at a time)."""
    targets = [model_file(model_dir, cache_dir, p) for p in ("fp32", "int8")]
    with _locked(cache_dir):
        if all(t.exists() for t in targets):  # another process finished it while we waited
            return targets
        fp32 = cache_dir / f".export-{os.getpid()}-fp32.onnx"
        int8 = cache_dir / f".export-{os.getpid()}-int8.onnx"
        try:
            _export_float(model_dir, fp32)
            _quantise(fp32, int8)
            int8.replace(targets[1])
            fp32.replace(targets[0])
        finally:
            fp32.unlink(missing_ok=True)
            int8.unlink(missing_ok=True)
    return targets


def _export_float(model_dir: Path, out: Path) -> None:
    import warnings

    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import torch
    from transformers import AutoModel

    class _LastHiddenState(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    # Eager attention, and a traced batch WITH padding: the SDPA path decides on the mask in
    # Python, and a trace of an all-ones mask would bake "no padding" into the graph.
    bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager")
    bert.eval()
    ids = torch.ones((2, 16), dtype=torch.int64)
    mask = torch.ones((2, 16), dtype=torch.int64)
    mask[1, 9:] = 0
    axes = {name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _LastHiddenState(bert),
            (ids, mask, torch.zeros_like(ids)),
            str(out),
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )


def _quantise(fp32: Path, out: Path) -> None:
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(fp32), load_external_data=False).graph
    keep = [n.name for n in graph.node if n.op_type == "MatMul" and _KEEP_FLOAT.search(n.name)]
    if len(keep) != 12:  # 6 layers x (in, out): the recipe no longer fits the graph
        raise BackendUnavailable(f"unexpected MiniLM graph: {len(keep)} feed-forward matmuls")
    logging.getLogger().setLevel(logging.ERROR)  # a child process: its "pre-process" advice
    quantize_dynamic(
        str(fp32),
        str(out),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
        nodes_to_exclude=keep,
        extra_options={"MatMulConstBOnly": True},
    )


def export_graph(model_dir: Path, out: Path) -> Path:
    """Export a MiniLM folder (e.g. a fine-tuned one) to ONE float32 graph with float16 weights.

    Every float32 initializer of more than 1,024 values is stored as float16 behind a ``Cast``
    back to float32, so the file is about half the float32 graph's size while the arithmetic
    stays float32 (ONNX Runtime folds the casts once, when it opens the graph). Used to ship a
    fine-tuned encoder inside the repository (``minilm-esco``).
    """
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    fp32 = out.with_name(f".{out.name}.{os.getpid()}.fp32")
    try:
        _export_float(model_dir, fp32)
        model = onnx.load(str(fp32))
    finally:
        fp32.unlink(missing_ok=True)
    graph = model.graph
    kept, casts = [], []
    for init in graph.initializer:
        values = numpy_helper.to_array(init)
        if init.data_type == TensorProto.FLOAT and values.size > 1024:
            half = numpy_helper.from_array(values.astype(np.float16), f"{init.name}__fp16")
            kept.append(half)
            casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT))
        else:
            kept.append(init)
    del graph.initializer[:]
    graph.initializer.extend(kept)
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    onnx.save(model, str(tmp))
    tmp.replace(out)
    return out


def main() -> None:
    """``python -m tandem.embed.onnx_export [--cache-dir DIR]``: export once (make install)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    args = parser.parse_args()
    for path in export_model(packaged_model_dir(), args.cache_dir.expanduser()):
        print(path)


if __name__ == "__main__":
    main()
