"""Every shipped weights file: pinned, small, plain data, refused when altered."""

import dataclasses

import pytest

from core import weights
from core.weights import SHIPPED, WeightsError, load_checkpoint, load_shipped, sha256_file, shipped_path


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_files_match_their_pins_and_load_as_plain_data(name):
    path = shipped_path(name)
    assert sha256_file(path) == SHIPPED[name].sha256
    if not SHIPPED[name].where.startswith("package:"):  # ours: committed, so small
        assert path.stat().st_size < 20 * 2**20
    assert isinstance(load_shipped(name), dict)


def test_an_altered_or_unknown_file_is_refused(tmp_path, monkeypatch):
    with pytest.raises(WeightsError, match="known"):
        shipped_path("patchd-v1")
    pinned = SHIPPED["dcgan-d-v3"]
    monkeypatch.setitem(weights.SHIPPED, "dcgan-d-v3", dataclasses.replace(pinned, sha256="0" * 64))
    with pytest.raises(WeightsError, match="sha256"):
        load_shipped("dcgan-d-v3")
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(WeightsError, match="is not a"):
        load_checkpoint(tmp_path / "junk.pt")
    with pytest.raises(WeightsError, match="not found"):
        load_checkpoint(tmp_path / "missing.pt")


def test_the_tree_holds_only_shipped_weights():
    """Retired weights live in git history, not in the tree: every weights file here is pinned."""
    pinned = {shipped_path(name).resolve() for name in SHIPPED}
    found = {p.resolve() for folder in ("detectors/weights", "genai/weights") for p in (weights.ROOT / folder).glob("*.pt")}
    assert found and found <= pinned, sorted(str(p) for p in found - pinned)
