"""Face generators: registry, determinism, shapes, checkpoints (good and bad)."""

import pickle
import zipfile

import numpy as np
import pytest
import torch

from genai import CheckpointError, create_generator, list_generators, load_checkpoint
from genai.generators import slerp
from tests.conftest import TINY, make_tiny


def _create(name, tmp_path):
    if name == "checkpoint":
        path = tmp_path / "g.pt"
        make_tiny().save(path)
        return create_generator(name, source=path)
    return create_generator(name)


@pytest.mark.parametrize("name", list_generators())
def test_every_registered_generator_samples_rgb_uint8(name, tmp_path):
    gen = _create(name, tmp_path)
    faces = gen.sample([0, 1, 2])
    assert faces.dtype == np.uint8
    assert faces.shape == (3, gen.image_size, gen.image_size, 3)
    assert gen.image_size == 64
    assert faces.std() > 1, "output is flat"


def test_unknown_generator_lists_valid_names():
    with pytest.raises(ValueError, match="dcgan-digiface"):
        create_generator("stylegan9")


def test_same_seed_same_face_and_batch_independence(tiny):
    a = tiny.sample([3, 4, 5])
    b = tiny.sample([3, 4, 5])
    np.testing.assert_array_equal(a, b)
    # A face depends on its seed only, not on its neighbours in the batch.
    np.testing.assert_array_equal(tiny.sample([5])[0], a[2])
    assert not np.array_equal(a[0], a[1])


def test_pretrained_is_deterministic_and_looks_like_an_image(pretrained):
    a, b = pretrained.sample([7]), pretrained.sample([7])
    np.testing.assert_array_equal(a, b)
    face = a[0].astype(float)
    # A real face image: uses most of the range and has spatial structure (not noise).
    assert face.max() - face.min() > 150
    neighbour_diff = np.abs(np.diff(face, axis=1)).mean()
    assert neighbour_diff < face.std(), "pixels uncorrelated with neighbours: not a face"


def test_temperature_scales_latents(tiny):
    z1 = tiny.latents([1, 2], 1.0)
    np.testing.assert_allclose(tiny.latents([1, 2], 0.5), z1 * 0.5, rtol=1e-6)
    zero = tiny.sample([1, 2, 3], temperature=0.0)
    np.testing.assert_array_equal(zero[0], zero[2])  # z = 0 for every seed
    assert not np.array_equal(tiny.sample([1], 1.0), tiny.sample([1], 0.5))


def test_interpolation_starts_and_ends_at_the_seed_faces(tiny):
    frames = tiny.interpolate(10, 20, steps=6)
    assert frames.shape == (6, 64, 64, 3)
    ends = tiny.sample([10, 20])
    assert np.abs(frames[0].astype(int) - ends[0]).max() <= 1
    assert np.abs(frames[-1].astype(int) - ends[1]).max() <= 1
    assert not np.array_equal(frames[2], frames[3])


def test_slerp_keeps_gaussian_norm():
    rng = np.random.RandomState(0)
    a, b = rng.randn(100), rng.randn(100)
    path = slerp(a, b, np.linspace(0, 1, 9))
    norms = np.linalg.norm(path, axis=1)
    assert norms.min() > 0.9 * min(np.linalg.norm(a), np.linalg.norm(b))
    lerp_mid = np.linalg.norm((a + b) / 2)
    assert norms[4] > lerp_mid * 1.2  # a straight line would sag towards 0


# --- checkpoints -------------------------------------------------------------------------------


def test_checkpoint_round_trip(tiny, tmp_path):
    path = tmp_path / "gen.pt"
    tiny.save(path)
    raw = torch.load(path, map_location="cpu", weights_only=True)
    assert set(raw) == {"state_dict", "config", "version"}
    loaded = load_checkpoint(path)
    assert loaded.nz == TINY.nz and loaded.config == TINY
    np.testing.assert_array_equal(loaded.sample([1, 2]), tiny.sample([1, 2]))


@pytest.mark.parametrize("layout", ["plain", "netG_state_dict", "dataparallel"])
def test_foreign_state_dict_layouts_load(tiny, tmp_path, layout):
    state = tiny.net.state_dict()
    obj = {
        "plain": state,
        "netG_state_dict": {"netG_state_dict": state},
        "dataparallel": {f"module.{k}": v for k, v in state.items()},
    }[layout]
    path = tmp_path / "g.pth"
    torch.save(obj, path)
    loaded = load_checkpoint(path.read_bytes())  # bytes work as well as paths
    assert loaded.config == TINY  # nz, ngf, nc inferred from the shapes
    np.testing.assert_array_equal(loaded.sample([4]), tiny.sample([4]))


def test_torchscript_generator_loads(tiny, tmp_path):
    path = tmp_path / "g.ts"
    torch.jit.trace(tiny.net, torch.zeros(1, TINY.nz, 1, 1)).save(str(path))
    loaded = load_checkpoint(path, nz=TINY.nz)
    assert loaded.config is None
    np.testing.assert_array_equal(loaded.sample([9]), tiny.sample([9]))


class _Flat(torch.nn.Module):
    def forward(self, z):
        return z.flatten(1)


class _Evil:
    """Unpickling this would run os.system: the classic malicious checkpoint."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.marker}",))


def test_pickle_that_would_run_code_is_refused_without_running(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    torch.save({"netG_state_dict": _Evil(marker)}, path)
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(path)
    assert err.value.reason == "unsafe_pickle"
    assert not marker.exists(), "the payload ran"
    # A bare pickle (not a torch zip) is refused the same way.
    bare = tmp_path / "evil.pkl"
    bare.write_bytes(pickle.dumps(_Evil(marker)))
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(bare)
    assert err.value.reason == "unsafe_pickle"
    assert "system" in err.value.detail
    assert not marker.exists()


def _bad_files(tiny, tmp_path):
    state = tiny.net.state_dict()
    wrong_shape = dict(state, **{"main.3.weight": torch.zeros(7, 7, 4, 4)})
    files = {
        "random.pt": (b"\x00\x01garbage" * 100, "not_a_checkpoint"),
        "empty.pt": (b"", "not_a_checkpoint"),
        "notes.pt": ("hello, this is text".encode(), "not_a_checkpoint"),
    }
    for name, obj, reason in [
        ("other.pt", {"fc.weight": torch.zeros(3, 3)}, "wrong_keys"),
        ("list.pt", [1, 2, 3], "wrong_keys"),
        ("partial.pt", {k: v for k, v in state.items() if k != "main.4.weight"}, "wrong_keys"),
        ("shape.pt", wrong_shape, "wrong_shapes"),
        ("cfg.pt", {"state_dict": state, "config": {"nz": 8, "bogus": 1}, "version": 1}, "wrong_keys"),
    ]:
        torch.save(obj, tmp_path / name)
        files[name] = ((tmp_path / name).read_bytes(), reason)
    ts = tmp_path / "flat.ts"
    torch.jit.script(_Flat()).save(str(ts))
    files["flat.ts"] = (ts.read_bytes(), "bad_output")
    zpath = tmp_path / "data.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.writestr("readme.txt", "not a model")
    files["data.zip"] = (zpath.read_bytes(), "not_a_checkpoint")
    return files


def test_bad_checkpoints_name_the_problem(tiny, tmp_path):
    for name, (data, reason) in _bad_files(tiny, tmp_path).items():
        with pytest.raises(CheckpointError) as err:
            load_checkpoint(data, name=name)
        assert err.value.reason == reason, f"{name}: {err.value}"
        assert err.value.detail, name
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(tmp_path / "missing.pt")
    assert err.value.reason == "not_found"


def test_shape_error_names_key_and_shapes(tiny, tmp_path):
    state = dict(tiny.net.state_dict(), **{"main.3.weight": torch.zeros(7, 7, 4, 4)})
    torch.save(state, tmp_path / "s.pt")
    with pytest.raises(CheckpointError, match=r"main\.3\.weight.*\(7, 7, 4, 4\)"):
        load_checkpoint(tmp_path / "s.pt")


def test_pretrained_weights_are_sha256_checked(monkeypatch):
    import dataclasses

    from core import weights

    pinned = weights.SHIPPED["dcgan-digiface"]
    monkeypatch.setitem(weights.SHIPPED, "dcgan-digiface", dataclasses.replace(pinned, sha256="0" * 64))
    with pytest.raises(CheckpointError) as err:
        create_generator("dcgan-digiface")
    assert err.value.reason == "sha256_mismatch"
