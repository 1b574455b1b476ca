"""Measure the shipped detector: `python bench/detector.py [--weights PATH] [--limit N]`.

Prints, on the validation data only (never used for training), AUCs and error rates with their 95%
confidence intervals for new faces from the same sources (DeLong; Wilson), so that a figure a few
faces from its target reads as what it is:
  - AUC, AP, accuracy, FPR, ECE: FFHQ val reals vs StyleGAN2 val fakes;
  - AUC for the app's DCGAN faces (seeds 1,000,000+) vs the same reals; and for DCGAN faces of
    seeds 2,000,000+, used for nothing else (not for training, calibrating or choosing between
    detectors: the DCGAN figure above has chosen between candidates, this one has not);
  - pixel-level AUC of the heatmap for OpenCV-inpainted val faces (validation masks 200-299), with
    an interval that counts each face once however many pixels it has (Obuchowski), the same
    for a perfect map of the heatmap's resolution (the ceiling its coarseness sets), and for the
    same faces and holes filled by the app's learned inpainter (gated-unet, whose fills of training
    faces the detector trained on);
  - share of real val faces whose verdict changes under JPEG q85, 0.5x resize, PNG->JPEG;
  - verdict shares (real / uncertain / fake) on the halves of the val split the operating point
    was not chosen on, and on the DCGAN faces;
  - verdict shares on the same held-out real faces after a phone-style beauty filter (OpenCV's
    edge-preserving smoothing): retouched selfies are everyday real photos, never seen in training;
  - share of val faces (FFHQ, StyleGAN2, fresh DCGAN, beauty-filtered FFHQ) the detector finds
    unfamiliar (detectors.familiar) and so hands to the image branch: faces like its training faces
    should be judged as faces, so each of these is a face judged by the wrong branch;
  - latency of `detect` on a 1024 px photo with one face (MTCNN + detector), median of 20;
  - speed of the discriminator on one 128 px crop vs torchvision ResNet-50 on a 224 px crop, timed
    in alternation (one of each per round, medians of the rounds);
  - with requirements-bench.txt installed: verdicts on real photographs with faces from outside
    the training data (scikit-image's bundled astronaut and cameraman), a first look at
    out-of-distribution behaviour (two photos: an anecdote, not a rate).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import detectors  # noqa: E402
from core.data import cache_dir, data_root  # noqa: E402
from core.faces import FaceFinder  # noqa: E402
from detectors import data as D  # noqa: E402
from detectors import metrics
from detectors.calibrate import measure, validation_sets, verdict_shares  # noqa: E402
from detectors.detector import load_detector  # noqa: E402
from detectors.evaluate import binary_report, ci_text, crops_of, map_pixel_auc, pixel_auc, scores_of  # noqa: E402

FRESH_DCGAN_SEED = 2_000_000  # DCGAN seeds for a test no choice was made on (training: 0+, val: 1,000,000+)


def share_ci(share: float, n: int) -> str:
    """The Wilson 95% interval of a share of n faces as text."""
    return ci_text(metrics.rate_interval(round(share * n), n), percent=True)


def seconds(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def timed(fn, repeats: int) -> list[float]:
    fn()  # warm-up
    return [seconds(fn) for _ in range(repeats)]


def speed(detector, repeats: int) -> dict:
    """One face crop through our discriminator (with its mirror image in the same batch when the
    calibration says so, as detect runs them, and the GAN discriminators' 64 px looks when the
    calibration adds them) and through ResNet-50 at 224 px."""
    import torchvision

    cal = detector.calibration
    crop128 = torch.randn(1 + cal.mirror, 3, 128, 128)
    crop64 = torch.randn(1 + cal.mirror, 3, 64, 64)
    crop224 = torch.randn(1, 3, 224, 224)
    resnet = torchvision.models.resnet50(weights=None).eval()  # architecture only: speed needs no weights

    def judge():
        return detector.model(crop128), [d.net(crop64) for d in detector.gan_ds]

    # Alternated, one of each per round: on this shared CPU the speed drifts within seconds, and two
    # runs timed one after the other would each get a different machine.
    rounds = []
    with torch.inference_mode():
        judge(), resnet(crop224)  # warm-up
        for _ in range(repeats):
            rounds.append((seconds(judge), seconds(lambda: resnet(crop224))))
    ours, ref = (statistics.median(t) for t in zip(*rounds))
    return {"ours_ms": ours * 1000, "mirror": cal.mirror, "gan_d": cal.gan_d,
            "resnet50_ms": ref * 1000, "ratio": ref / ours}


def photo_latency(detector, faces: list[np.ndarray], repeats: int) -> dict:
    """A 1024 x 768 'photo': val faces enlarged to 300 px side by side on a textured background."""
    rng = np.random.RandomState(0)
    bg = Image.fromarray(rng.randint(60, 200, (48, 64, 3), dtype=np.uint8)).resize((1024, 768), Image.Resampling.BICUBIC)
    for k, face in enumerate(faces):
        bg.paste(Image.fromarray(face).resize((300, 300), Image.Resampling.BICUBIC), (100 + 450 * k, 230))
    photo = np.asarray(bg)
    result = detector.detect(photo)
    times = timed(lambda: detector.detect(photo), repeats)
    return {"median_s": statistics.median(times), "worst_s": max(times), "faces_found": len(result.faces)}


def learned_inpaint_pixel_auc(detector, val, holes: np.ndarray, finder, n: int = 200) -> float:
    """Pixel AUC on val faces 0..n-1 with the Telea set's holes, filled by the app's gated-unet."""
    from genai.inpaint import create_inpainter

    inpaint = create_inpainter("gated-unet", finder=finder)
    n = min(n, len(holes))
    filled = np.stack([D.jpeg(inpaint(val.real[i], holes[i]), D.HISTORY_QUALITY) for i in range(n)])
    return pixel_auc(detector, filled, holes[:n])


def pixel_auc_ceiling(detector, holes: np.ndarray) -> float:
    """Pixel AUC of a perfect map at the detector's resolution: each patch's true share of inpainted
    pixels, upsampled as the heatmap is. What the map's coarseness alone would allow."""
    import torch.nn.functional as F

    side = holes.shape[1] // detector.model.stride
    truth = F.adaptive_avg_pool2d(torch.from_numpy(holes.astype(np.float32))[:, None], side)
    return map_pixel_auc(truth[:, 0].numpy(), holes)


def beautified_verdicts(detector, val) -> dict:
    """Verdict shares of the held-out real val faces (the second half) after skin smoothing, as phone
    beauty modes do: OpenCV's edge-preserving filter (sigma_s 30, sigma_r 0.25)."""
    import cv2

    half = len(val.real) // 2
    smooth = np.stack([cv2.edgePreservingFilter(np.ascontiguousarray(x), flags=cv2.RECURS_FILTER,
                                                sigma_s=30, sigma_r=0.25) for x in val.real[half:]])
    return verdict_shares(detector.calibration, scores_of(detector, smooth, val.real_rects[half:]))


def fresh_dcgan(detector, val: D.FaceSplit, finder: FaceFinder, cache: Path, n: int = 1000) -> dict:
    """The DCGAN test on faces of seeds FRESH_DCGAN_SEED+ (never used to choose anything) vs the val reals."""
    dcgan = D.dcgan_faces(range(FRESH_DCGAN_SEED, FRESH_DCGAN_SEED + n))
    rects = D.face_rects(dcgan, finder, cache, f"dcgan-fresh-{n}")
    real, fake = scores_of(detector, val.real, val.real_rects), scores_of(detector, dcgan, rects)
    report = binary_report(np.r_[np.zeros(len(real)), np.ones(len(fake))], np.r_[real, fake],
                           detector.calibration.threshold)
    return report | {"verdicts": verdict_shares(detector.calibration, fake)}


def unfamiliar_shares(detector, val: D.FaceSplit, finder: FaceFinder, cache: Path) -> dict:
    """Share of validation faces from the training sources that the detector finds unfamiliar."""
    import cv2

    if detector.familiarity is None:
        return {}
    half = len(val.real) // 2
    smooth = np.stack([cv2.edgePreservingFilter(np.ascontiguousarray(x), flags=cv2.RECURS_FILTER,
                                                sigma_s=30, sigma_r=0.25) for x in val.real[half:]])
    dcgan = D.dcgan_faces(range(FRESH_DCGAN_SEED, FRESH_DCGAN_SEED + len(val.real)))
    sets = {"real": (val.real, val.real_rects), "stylegan2": (val.fake, val.fake_rects),
            "dcgan_fresh": (dcgan, D.face_rects(dcgan, finder, cache, f"dcgan-fresh-{len(val.real)}")),
            "real_beautified": (smooth, val.real_rects[half:])}
    out = {}
    for name, (images, rects) in sets.items():
        familiar = detector.familiarity.familiar(detector.face_features(crops_of(images, rects)))
        out[name] = {"unfamiliar": round(float(1 - familiar.mean()), 4), "n": len(familiar)}
    return out


def outside_photos(detector) -> dict:
    try:
        import skimage
    except ImportError:
        return {}
    folder = Path(skimage.__file__).parent / "data"
    out = {}
    for name in ("astronaut.png", "camera.png"):
        data = (folder / name).read_bytes()
        _, result = detector.detect_file(data)
        out[name] = {"faces": len(result.faces), "fake_probability": round(result.fake_probability, 4),
                     "verdict": result.verdict}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", help="checkpoint (default: the shipped 'default' detector)")
    parser.add_argument("--blend", help="a blend head checkpoint (detectors.train_blend) instead of the shipped one")
    parser.add_argument("--data", default=None, help="faces folder (default ../shared/data/faces)")
    parser.add_argument("--limit", type=int, default=None, help="val images per class (default all)")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(2)

    finder = FaceFinder()
    det = load_detector(args.weights, finder=finder) if args.weights else detectors.create_detector()
    det._finder = finder
    if args.blend:
        det = detectors.with_blend(det, args.blend)
    faces_root = Path(args.data) if args.data else data_root() / "faces"
    cache = cache_dir()
    sets = validation_sets(faces_root, faces_root.parent / "masks", finder, cache, args.limit)
    report = measure(det, *sets)
    report["learned_inpaint_pixel_auc"] = learned_inpaint_pixel_auc(det, sets[0], sets[4], finder)
    report["pixel_auc_ceiling"] = pixel_auc_ceiling(det, sets[4])
    report["beautified_real_verdicts"] = beautified_verdicts(det, sets[0])
    report["unfamiliar_val_faces"] = unfamiliar_shares(det, sets[0], finder, cache)
    report["fresh_dcgan"] = fresh_dcgan(det, sets[0], finder, cache, len(sets[0].real))
    report["latency_1024px_photo"] = photo_latency(det, [sets[0].real[0]], args.repeats)
    report["latency_1024px_two_faces"] = photo_latency(det, [sets[0].real[0], sets[0].real[1]], args.repeats)
    report["speed_vs_resnet50"] = speed(det, args.repeats)
    report["torch_threads"] = torch.get_num_threads()
    report["outside_real_photos"] = outside_photos(det)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    s, g = report["val_stylegan2"], report["val_dcgan"]
    n_real = s["n_real"]
    c = det.calibration
    print(f"detector: {det.name}  (calibration a={c.a:.3f} b={c.b:.3f}, threshold {c.threshold}, "
          f"scale slope {c.scale_slope:.3f}/octave{', mirrored too' if c.mirror else ''}"
          f"{', with ' + ' + '.join(c.gan_d) if c.gan_d else ''})")
    print(f"val FFHQ vs StyleGAN2 ({s['n_real']}+{s['n_fake']}): AUC {s['auc']:.4f} {ci_text(s['auc_ci95'])}  "
          f"AP {s['ap']:.4f}  "
          f"acc {s['accuracy']:.4f}  FPR {s['fpr']:.4f}  TPR {s['tpr']:.4f}  ECE {s['ece']:.4f}")
    print(f"val FFHQ vs DCGAN ({g['n_real']}+{g['n_fake']}): AUC {g['auc']:.4f} {ci_text(g['auc_ci95'])}  "
          f"TPR {g['tpr']:.4f}")
    f = report["fresh_dcgan"]
    print(f"val FFHQ vs DCGAN of fresh seeds 2,000,000+ ({f['n_real']}+{f['n_fake']}; never used to choose): "
          f"AUC {f['auc']:.4f} {ci_text(f['auc_ci95'])}  TPR {f['tpr']:.4f}  real / uncertain / fake "
          + " / ".join(f"{f['verdicts'][v]:.1%}" for v in ("real", "uncertain", "fake")))
    print(f"inpainting pixel AUC: {report['inpaint_pixel_auc']:.4f} "
          f"{ci_text(report['inpaint_pixel_auc_ci95'])} (faces as units; OpenCV, as trained on); "
          f"{report['learned_inpaint_pixel_auc']:.4f} (the app's gated-unet, 200 faces); "
          f"a perfect map at this resolution: {report['pixel_auc_ceiling']:.4f}")
    print("real faces changing verdict: " + ", ".join(f"{k} {v:.2%} {share_ci(v, n_real)}"
                                                      for k, v in report["flip_rate_real"].items())
          + f"  (uncertain at baseline: {report['uncertain_rate_real']:.2%})")
    shares = report["verdicts_held_out"]
    print(f"verdicts (real / uncertain / fake), threshold {det.calibration.threshold:.3f}, real below "
          f"{det.calibration.real_below:.3f}; faces the operating point was not chosen on:")
    for source, v in shares.items():
        wrong = v["fake"] if source == "real" else v["real"]  # the verdict that would be an error
        print(f"  {source:9s}: {v['real']:.1%} / {v['uncertain']:.1%} / {v['fake']:.1%}  "
              f"wrong {wrong:.1%} {share_ci(wrong, v['n'])}")
    v = report["beautified_real_verdicts"]
    print(f"  real, beauty-filtered: {v['real']:.1%} / {v['uncertain']:.1%} / {v['fake']:.1%}")
    for source, v in report["unfamiliar_val_faces"].items():
        print(f"  {source:15s}: unfamiliar, the image branch judges instead: {v['unfamiliar']:.1%} "
              f"{share_ci(v['unfamiliar'], v['n'])} of {v['n']}")
    for key in ("latency_1024px_photo", "latency_1024px_two_faces"):
        lat = report[key]
        print(f"1024 px photo, {lat['faces_found']} face(s) found, both branches"
              f"{' and the blend head' if det.blend is not None else ''}: median {lat['median_s']:.3f} s, "
              f"worst {lat['worst_s']:.3f} s")
    for name, r in report["outside_real_photos"].items():
        print(f"outside real photo {name}: {r['verdict']} (p(fake) {r['fake_probability']:.3f}, {r['faces']} face)")
    sp = report["speed_vs_resnet50"]
    gan_ds = f", {len(sp['gan_d'])} GAN D @64px" if sp["gan_d"] else ""
    print(f"crop speed: ours {sp['ours_ms']:.1f} ms @128px (one crop{' and its mirror' if sp['mirror'] else ''}"
          f"{gan_ds}), "
          f"ResNet-50 {sp['resnet50_ms']:.1f} ms @224px, "
          f"ratio {sp['ratio']:.1f}x")


if __name__ == "__main__":
    main()
