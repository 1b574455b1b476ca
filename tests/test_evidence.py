"""Chart data and the launder transforms: spectra, re-shares, curves, localisation, presets, before/after."""

import io

import numpy as np
import pytest
import torch
from PIL import Image

from core.imaging import wipe
from detectors import metrics, spectrum
from detectors.evaluate import localisation
from detectors.launder import Reshare, evidence_after, original_payload, reshare
from genai import ExportInfo, export_image
from genai.inpaint import PRESETS, preset_mask


def photo(h=200, w=260, seed=0) -> np.ndarray:
    rng = np.random.RandomState(seed)
    y, x = np.mgrid[:h, :w]
    base = np.stack([x % 256, y % 256, (x * y) % 256], 2).astype(float)
    return np.clip(base * 0.6 + rng.rand(h, w, 3) * 80, 0, 255).astype(np.uint8)


def png(image) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, "PNG")
    return buf.getvalue()


# --- spectrum ----------------------------------------------------------------------------------


def test_profile_sees_missing_high_frequencies():
    rng = np.random.RandomState(1)
    noisy = (rng.rand(128, 128, 3) * 255).astype(np.uint8)
    smooth = np.asarray(Image.fromarray(noisy).resize((32, 32)).resize((128, 128), Image.Resampling.BICUBIC))
    p_noisy, p_smooth = spectrum.azimuthal_profile(noisy), spectrum.azimuthal_profile(smooth)
    assert p_noisy.shape == (spectrum.BINS,) and abs(p_noisy.mean()) < 1e-9
    high = spectrum.frequencies() > 0.6
    assert p_smooth[high].mean() < p_noisy[high].mean() - 1.0  # upsampling empties the top of the spectrum
    assert spectrum.log_spectrum(noisy).shape == (128, 128)


def test_shipped_reference_is_readable_and_ordered():
    ref = spectrum.load_reference()
    assert ref is not None
    lo, mid, hi = (np.array(ref["real"][k]) for k in ("p5", "p50", "p95"))
    assert (lo <= mid).all() and (mid <= hi).all()
    inside = spectrum.outside_share(mid, ref)
    assert inside == 0.0 and spectrum.outside_share(hi + 1, ref) == 1.0


def test_missing_reference_is_none(tmp_path):
    assert spectrum.load_reference(tmp_path / "nope.json") is None
    (tmp_path / "bad.json").write_text("{")
    assert spectrum.load_reference(tmp_path / "bad.json") is None


def test_judged_crop_is_the_detectors_input_size():
    assert spectrum.judged_crop(photo(), None).shape == (128, 128, 3)
    assert spectrum.judged_crop(photo(), (10, 10, 110, 110)).shape == (128, 128, 3)


# --- launder -----------------------------------------------------------------------------------


def test_reshare_identity_keeps_the_file_and_changes_strip_metadata():
    data = export_image(photo(), ExportInfo(model="test"), registry=None)
    assert reshare(data, Reshare()) == data
    from genai.provenance import read_tc260

    assert read_tc260(data)["status"] == "found"
    for how in (Reshare(jpeg_quality=90), Reshare(scale=0.5), Reshare(crop=0.1), Reshare(screenshot=True)):
        out = reshare(data, how)
        assert read_tc260(out)["status"] == "not_found", how
    small = Image.open(io.BytesIO(reshare(data, Reshare(scale=0.5, crop=0.2))))
    assert small.size == (round(260 * 0.8 * 0.5), round(200 * 0.8 * 0.5))
    assert Image.open(io.BytesIO(reshare(data, Reshare(jpeg_quality=60)))).format == "JPEG"
    assert Image.open(io.BytesIO(reshare(data, Reshare(screenshot=True)))).format == "PNG"


class FixedDetector:
    def detect(self, image):
        class R:
            detector_probability = float(image.mean() / 255)
            abstained = None if image.mean() > 10 else "no_face"  # a dark picture stands for "no face"

        return R()


def test_evidence_after_reports_watermark_bits_and_labels():
    data = export_image(photo(256, 256), ExportInfo(model="test"), registry=None)
    payload = original_payload(data)
    assert payload is not None
    kept = evidence_after(data, FixedDetector(), payload)
    assert kept.watermark_found and kept.bit_accuracy == 1.0 and kept.tc260
    mild = evidence_after(reshare(data, Reshare(jpeg_quality=75)), FixedDetector(), payload)
    assert not mild.tc260 and mild.bit_accuracy >= 0.9
    # No payload in the original: nothing to compare, and nothing is claimed.
    plain = evidence_after(png(photo()), FixedDetector(), original_payload(png(photo())))
    assert plain.bit_accuracy is None and not plain.watermark_found and not plain.tc260
    assert kept.detector_probability is not None
    dark = evidence_after(png(np.zeros((64, 64, 3), np.uint8)), FixedDetector(), None)
    assert dark.detector_probability is None  # where the detector abstains, no number


# --- curves --------------------------------------------------------------------------------------


def test_pr_curve_and_confusion():
    labels = np.array([0, 0, 1, 1, 0, 1])
    scores = np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
    recall, precision = metrics.pr_curve(labels, scores)
    assert recall[0] == 0 and recall[-1] == 1 and precision[0] == 1
    assert (np.diff(recall) >= 0).all()
    assert metrics.confusion(labels, scores, 0.5) == {"tn": 3, "fp": 0, "fn": 1, "tp": 2}
    assert metrics.confusion(labels, scores, 0.0) == {"tn": 0, "fp": 3, "fn": 0, "tp": 3}


def test_localisation_scores_a_heatmap_against_the_mask():
    mask = np.zeros((32, 32), bool)
    mask[8:16, 8:16] = True
    perfect = localisation(mask.astype(np.float32), mask)
    assert perfect == {"auc": 1.0, "iou": 1.0}
    inverted = localisation((~mask).astype(np.float32), mask)
    assert inverted["auc"] == 0.0 and inverted["iou"] == 0.0
    assert localisation(np.zeros((32, 32), np.float32), np.zeros((32, 32), bool))["auc"] is None


# --- presets and before/after --------------------------------------------------------------------


@pytest.mark.parametrize("name", PRESETS)
def test_presets_mark_part_of_the_face(name):
    m = preset_mask(name, 200, 160, face_box=(40, 50, 120, 150))
    assert m.shape == (200, 160) and 0.005 < m.mean() < 0.4
    ys, xs = np.nonzero(m)
    assert 40 <= xs.min() and xs.max() <= 120 and 50 <= ys.min() and ys.max() <= 150
    assert preset_mask(name, 128, 128).any()  # no face box: placed as on an FFHQ-style crop


def test_eyes_sit_above_the_mouth():
    eyes, mouth = preset_mask("eyes", 128, 128), preset_mask("mouth", 128, 128)
    assert np.nonzero(eyes)[0].mean() < np.nonzero(mouth)[0].mean()
    with pytest.raises(ValueError, match="eyes"):
        preset_mask("nose", 64, 64)


def test_wipe_shows_before_left_and_after_right():
    before, after = np.zeros((10, 100, 3), np.uint8), np.full((10, 100, 3), 200, np.uint8)
    out = wipe(before, after, 0.3)
    assert (out[:, :25] == 0).all() and (out[:, 35:] == 200).all() and (out[:, 30] == 255).all()
    with pytest.raises(ValueError):
        wipe(before, after[:, :50], 0.5)


# --- report ------------------------------------------------------------------------------------


def test_report_curves_and_source_table():
    from detectors.report import REAL, curves, load_scores, source_table

    rng = np.random.RandomState(0)
    real, good, bad = rng.rand(300) * 0.6, 0.4 + rng.rand(300) * 0.6, rng.rand(300) * 0.6
    c = curves(real, good, 0.5)
    assert 0.8 < c["auc"] <= 1.0 and len(c["fpr"]) <= 200 and c["fpr"][0] == 0 and c["tpr"][-1] == 1
    assert sum(c["confusion"].values()) == 600 and 0 <= c["ece"] <= 1
    assert abs(curves(real, bad, 0.5)["auc"] - 0.5) < 0.1
    rows = {r["source"]: r for r in source_table({REAL: real.tolist(), "good": good.tolist(), "bad": bad.tolist()}, 0.5)}
    assert rows[REAL]["auc"] is None and rows[REAL]["flagged"] == pytest.approx((real >= 0.5).mean())
    assert rows["good"]["auc"] > rows["bad"]["auc"] and rows["good"]["n"] == 300
    lo, hi = rows["good"]["auc_ci95"]
    assert lo < rows["good"]["auc"] < hi and rows[REAL]["auc_ci95"] is None
    assert load_scores("/nonexistent.json") is None


def train_faces(tmp_path, *classes: str) -> str:
    """A faces folder with four 128 px photos in train/<class> for each class; its path."""
    for cls in classes:
        folder = tmp_path / "faces" / "train" / cls
        folder.mkdir(parents=True)
        for i in range(4):
            Image.fromarray(photo(128, 128, seed=i)).save(folder / f"{i}.png")
    return str(tmp_path / "faces")


@pytest.mark.parametrize("recipe", ["dcgan-d-v2", "dcgan-d-v3"])
def test_gan_discriminator_recipe_dry_run_and_sha_pin(tmp_path, recipe):
    """One step of a shipped discriminator's recipe through the detector's shared pipeline; the
    checkpoint loads and is refused when its digest differs from a pin."""
    from core.weights import WeightsError
    from detectors.gan_d import load
    from detectors.train_gan_d import main as train_gan_d

    out = tmp_path / "d.pt"
    faces = train_faces(tmp_path, "real", "fake")
    assert train_gan_d(["--recipe", recipe, "--dry-run", "--data", faces, "--out", str(out)]) == 0
    d = load(out)
    p = d.probabilities(np.stack([photo(128, 128), photo(200, 200)[:128, :128]]))
    assert p.shape == (2,) and ((0 <= p) & (p <= 1)).all()
    with pytest.raises(WeightsError, match="sha256"):
        load(out, sha256="0" * 64)


def test_gan_discriminator_augmentations_treat_both_classes_alike():
    """Grey and zoomed copies: the augmentations keep shapes and do what they say."""
    from detectors.train_gan_d import desaturated, zoomed

    x = torch.rand(6, 3, 32, 32) * 2 - 1
    rng = np.random.RandomState(0)
    grey = desaturated(x, rng, gray=1.0)
    assert torch.allclose(grey[:, 0], grey[:, 1]) and torch.allclose(grey[:, 1], grey[:, 2])
    assert torch.equal(zoomed(x, rng, share=0.0), x)
    closer = zoomed(x, rng, share=1.0)
    assert closer.shape == x.shape and not torch.allclose(closer, x)


def test_shipped_gan_discriminators_match_their_pins():
    from core.weights import WeightsError
    from detectors.gan_d import SHIPPED, load_shipped_gan_d

    for name in SHIPPED:
        assert load_shipped_gan_d(name).probabilities(np.zeros((1, 64, 64, 3), np.uint8)).shape == (1,)
    with pytest.raises(WeightsError, match="known"):
        load_shipped_gan_d("dcgan-d-v1")
