"""Static embedding models (model2vec's format): where the shipped one is, how to read one
without PyTorch, and document vectors from it.

``models/minilm-static`` is distilled from sentence-transformers/all-MiniLM-L6-v2 by
``scripts/distill.py``. At run time only safetensors, tokenizers and NumPy are used.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from ..paths import shipped_models_dir
from ..types import Document
from .text import embedding_text

__all__ = ["StaticEmbedder", "StaticTable", "load_static", "static_model_path"]

STATIC_MODEL_ENV = "NEWSCLF_STATIC_MODEL"
_SPARSE_FROM = 64  # texts in a batch from which the SciPy product beats a loop


def static_model_path() -> Path:
    """The shipped static model: ``$NEWSCLF_STATIC_MODEL``, else ``minilm-static`` in the
    installed package's models, else in a source checkout's ``models/``."""
    if os.environ.get(STATIC_MODEL_ENV):
        return Path(os.environ[STATIC_MODEL_ENV])
    folder = shipped_models_dir("minilm-static/model.safetensors")
    if folder is None:
        raise ModelError("the static embedding model is not installed (models/minilm-static)")
    return folder / "minilm-static"


@dataclass(frozen=True)
class StaticTable:
    """A static model's parts: tokenizer, float32 vectors (one per token), options."""

    tokenizer: Any
    vectors: np.ndarray
    normalize: bool
    unk_id: int | None


@lru_cache(maxsize=4)
def load_static(path: str, dims: int | None = None) -> StaticTable:
    """Read a model2vec folder (``model.safetensors``, ``tokenizer.json``,
    ``config.json``) with safetensors and tokenizers alone; ``dims`` keeps the first
    PCA dimensions."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = Path(path)
    try:
        tensors = load_file(str(folder / "model.safetensors"))
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, Exception) as exc:  # missing or malformed files
        raise ModelError(f"{path}: not a readable static embedding model ({exc})") from None
    if set(tensors) != {"embeddings"}:
        raise ModelError(f"{path}: static models with token weights or a token mapping "
                         f"are not supported ({', '.join(sorted(tensors))})")
    vectors = np.asarray(tensors["embeddings"], dtype=np.float32)
    if dims:
        vectors = np.ascontiguousarray(vectors[:, :dims])
    unk = getattr(tokenizer.model, "unk_token", None)
    unk_id = tokenizer.token_to_id(unk) if unk else None
    return StaticTable(tokenizer, vectors, bool(config.get("normalize", True)), unk_id)


class StaticEmbedder:
    """Document vectors from a static embedding model (title and body, L2-normalised)."""

    def __init__(self, path: str | None = None, dims: int | None = None,
                 max_tokens: int = 1024) -> None:
        self.path = path
        self.dims = dims
        self.max_tokens = max_tokens

    @property
    def table(self) -> StaticTable:
        return load_static(str(self.path or static_model_path()), self.dims)

    @property
    def dim(self) -> int:
        return int(self.table.vectors.shape[1])

    def encode(self, texts: Sequence[str], batch_independent: bool = False) -> np.ndarray:
        """Mean token vector of each text (its first ``max_tokens`` tokens), L2-normalised
        when the model says so: the vectors model2vec's ``StaticModel.encode`` gives.
        Small batches are summed in a loop, larger ones as one sparse product, which
        round differently in the last bit; ``batch_independent`` takes the sparse
        product always, so a text's vector is the same whatever the batch."""
        table = self.table
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        cap = self.max_tokens * 12  # characters: a token is rarely longer on average
        encodings = table.tokenizer.encode_batch_fast([t[:cap] for t in texts],
                                                      add_special_tokens=False)
        ids = [np.asarray(enc.ids[: self.max_tokens], dtype=np.int64) for enc in encodings]
        if table.unk_id is not None:
            ids = [row[row != table.unk_id] for row in ids]
        if len(texts) < _SPARSE_FROM and not batch_independent:
            for i, row in enumerate(ids):
                if len(row):
                    out[i] = table.vectors[row].mean(axis=0)
        else:  # one (texts × vocabulary) count matrix times the vectors
            from scipy import sparse

            lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
            indptr = np.concatenate([[0], np.cumsum(lengths)])
            counts = sparse.csr_matrix((np.ones(int(indptr[-1]), dtype=np.float32),
                                        np.concatenate(ids), indptr),
                                       shape=(len(ids), table.vectors.shape[0]))
            out = np.asarray(counts @ table.vectors, dtype=np.float32)
            out /= np.maximum(lengths, 1)[:, None]
        if table.normalize:
            out /= np.linalg.norm(out, axis=1, keepdims=True) + 1e-32
        return out

    def documents(self, documents: Sequence[Document], clean: bool = False,
                  lead: int | None = None) -> np.ndarray:
        """The vector of each document (title and body; with ``clean``, without the
        outlet's boilerplate; with ``lead``, the title and the body's first ``lead``
        characters only)."""
        return self.encode([embedding_text(d, clean, lead) for d in documents])
