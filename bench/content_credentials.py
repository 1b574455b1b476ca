"""C2PA figures: `python bench/content_credentials.py [--n 40]`.

Files signed here (c2pa-python's Builder, a test CA made on the fly, so "intact, signer not on the
list"; a real service's file on the shipped list reads "trusted" instead): 1024 px JPEG photos of
the shipped sample faces whose manifests declare AI making in the forms c2pa-python writes today
(``c2pa.actions`` and ``c2pa.actions.v2``, trainedAlgorithmicMedia with and without its URL,
compositeWithTrainedAlgorithmicMedia). Printed:

- the share of them the detector's verdict calls AI-made because of the label (goal 100%);
- the share of altered copies (one byte of picture data changed after signing) that the label does
  not decide (goal 100%);
- the time to read a manifest against the shipped trust list (``read_c2pa``), median and worst of
  all files (goal at most 50 ms).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.samples import list_samples, load_sample  # noqa: E402
from genai.provenance import read_c2pa  # noqa: E402
from tests.test_c2pa import AI, _signer, sign  # noqa: E402

FORMS = [("c2pa.actions.v2", AI), ("c2pa.actions", AI), ("c2pa.actions.v2", "trainedAlgorithmicMedia"),
         ("c2pa.actions.v2", AI.replace("trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"))]


def photo(k: int) -> bytes:
    names = list_samples("real")
    face = Image.fromarray(load_sample(names[k % len(names)])).resize((1024, 1024), Image.Resampling.BICUBIC)
    buf = io.BytesIO()
    face.save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=40)
    args = p.parse_args()
    import detectors

    detector = detectors.create_detector()
    ca = _signer()
    decided = altered_refused = 0
    reads = []
    for k in range(args.n):
        label, source = FORMS[k % len(FORMS)]
        data = sign(ca, [{"action": "c2pa.created", "digitalSourceType": source}], label=label, image=photo(k))
        t0 = time.perf_counter()
        read_c2pa(data)
        reads.append(time.perf_counter() - t0)
        decided += detector.detect_file(data)[1].decided_by == "c2pa"
        bad = bytearray(data)
        bad[-500] ^= 0x01  # one bit of the picture data, after the manifest
        altered_refused += detector.detect_file(bytes(bad))[1].decided_by != "c2pa"
    print(f"AI-declaring C2PA files whose verdict the label decides: {decided} of {args.n} ({decided / args.n:.0%})")
    print(f"altered copies the label does not decide: {altered_refused} of {args.n} ({altered_refused / args.n:.0%})")
    print(f"reading a manifest (1024 px JPEG, shipped trust list): median {statistics.median(reads) * 1000:.1f} ms, "
          f"worst {max(reads) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
