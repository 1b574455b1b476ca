"""Hostile and odd inputs (tests/fuzz_corpus.py) through the detector API, both CLIs and every page
that takes uploads: no uncaught exception, an answer for each input in the user's language, bounded
memory, and no checkpoint whose pickle runs code.

``pytest tests/test_fuzz.py -s`` prints the figures: inputs fed, pages and paths, peak memory."""

from __future__ import annotations

import json
import os
import re

import pytest

from bench.load import Peak
from tests.fuzz_corpus import READ, REFUSE, checkpoints, images
from tests.test_app import open_page
from ui.i18n import STRINGS
from ui.pick import IMAGE_TYPES

HAN = re.compile(r"[\u4e00-\u9fff]")
FED: dict[str, int] = {}  # path -> inputs fed to it, for the printed figure


@pytest.fixture(scope="module")
def corpus():
    return images()


@pytest.fixture(scope="module")
def uploads(corpus):
    return _as_uploads(corpus)


@pytest.fixture(scope="module")
def detector():
    import detectors
    from core.samples import sample_bytes

    detector = detectors.create_detector()
    detector.detect_file(sample_bytes("ffhq-69003"))  # loaded and warm: the figures measure the inputs
    return detector


@pytest.fixture(scope="module", autouse=True)
def _figures():
    """Prints, after the file's tests, how many inputs went through which path."""
    yield
    print("\nfuzzed: " + ", ".join(f"{path} {n}" for path, n in FED.items()) + f"; {sum(FED.values())} in all")


def _fed(path: str, n: int) -> None:
    FED[path] = FED.get(path, 0) + n


def test_the_corpus_covers_what_the_issue_lists(corpus):
    names = " ".join(name for name, _, _ in corpus)
    for kind in ("truncated", "random", "notes.jpg", "empty", "bomb", "heic", "tiny1x1", "cmyk", "grey16",
                 "palette", "alpha", "animated.gif", "animated.webp", "exif-orientation6", "thirty-faces", "flat"):
        assert kind in names, kind
    assert len(corpus) >= 120


def test_the_detector_api_answers_every_input(corpus, detector):
    from core.io import ImageReadError

    memory = Peak(os.getpid())
    judged = refused = 0
    for name, data, expect in corpus:
        try:
            loaded, result = detector.detect_file(data)
        except ImageReadError as e:
            assert expect != READ, f"{name}: refused ({e.reason}) but is a readable image"
            assert f"error.image.{e.reason}" in STRINGS, e.reason
            refused += 1
            continue
        assert expect != REFUSE, f"{name}: judged, but should be refused"
        assert result.verdict in ("real", "fake", "uncertain", "unknown")
        assert (result.verdict == "unknown") == result.unknown
        assert 0.0 <= result.fake_probability <= 1.0
        judged += 1
    grew = memory.stop() - memory.start_mb
    _fed("detector API", len(corpus))
    print(f"\ndetector API: {len(corpus)} inputs, {judged} judged, {refused} refused; memory grew {grew:.0f} MB")
    assert grew < 1500, "a hostile input made the detector hold too much memory"


def test_the_detector_cli_gives_every_input_a_line(corpus, tmp_path, capsys):
    from detectors.__main__ import main

    for k, (name, data, _) in enumerate(corpus):
        (tmp_path / f"{k:03d}-{name}").write_bytes(data)
    code = main(["detect", "--json", *sorted(str(p) for p in tmp_path.iterdir())])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 2  # some inputs are broken: the exit code says so, after answering all of them
    assert len(rows) == len(corpus)
    for row, (name, _, expect) in zip(rows, corpus):
        assert row["path"].endswith(name)
        assert not (row["error"] or "").startswith("failed"), row  # no input breaks the detector
        assert (row["error"] is not None) == (row["verdict"] is None)
        if expect == READ:
            assert row["error"] is None, row
        elif expect == REFUSE:
            assert row["error"], row
    _fed("python -m detectors detect", len(corpus))


def _as_uploads(corpus) -> list[tuple[str, bytes, str]]:
    """The corpus as a page receives it. The uploader lets only image extensions through (the browser
    and the server both check), so a .svg or .pdf arrives renamed, as a prankster would send it."""
    allowed = tuple(f".{ext}" for ext in IMAGE_TYPES)
    return [(n if n.lower().endswith(allowed) else n + ".png", d, e) for n, d, e in corpus]


def _page_messages(at) -> list[str]:
    return [e.value for kind in ("error", "warning", "info") for e in at.get(kind)]


def test_the_detect_page_answers_every_upload_in_chinese(uploads):
    """All inputs at once, in Chinese: one table row each, a Chinese warning naming each refused file."""
    at = open_page("pages/detect.py", "zh")
    memory = Peak(os.getpid())
    at.file_uploader(key="det_files").set_value([(n, d, "application/octet-stream") for n, d, _ in uploads]).run()
    grew = memory.stop() - memory.start_mb
    assert not at.exception, at.exception
    frame = at.dataframe[0].value
    assert len(frame) == len(uploads)
    warned = " ".join(w.value for w in at.warning)
    for name, _, expect in uploads:
        if expect == REFUSE:
            assert name in warned, name
    assert all(HAN.search(w.value) for w in at.warning)
    _fed("Detect page", len(uploads))
    print(f"\nDetect page: {len(uploads)} uploads in one batch; memory grew {grew:.0f} MB")


def test_the_report_page_takes_every_upload(uploads):
    at = open_page("pages/report.py")
    at.radio(key="rep_source").set_value("own").run()
    half = len(uploads) // 2
    as_upload = [(n, d, "application/octet-stream") for n, d, _ in uploads]
    at.file_uploader(key="rep_real").set_value(as_upload[:half])
    at.file_uploader(key="rep_fake").set_value(as_upload[half:]).run()
    assert not at.exception, at.exception
    warned = " ".join(_page_messages(at))
    for name, _, expect in uploads:
        if expect == REFUSE:
            assert name in warned, name
    _fed("Report page (own images)", len(uploads))


def _one_of_each_kind(corpus) -> list[tuple[str, bytes, str]]:
    """The first file of each kind (truncated00..23 count as one kind): a page run per file is slow."""
    seen, out = set(), []
    for name, data, expect in corpus:
        kind = re.sub(r"\d+", "", name.rsplit(".", 1)[0])
        if (kind, name.rsplit(".", 1)[-1]) not in seen:
            seen.add((kind, name.rsplit(".", 1)[-1]))
            out.append((name, data, expect))
    return out


@pytest.mark.parametrize("page,source_key,upload_key,lang", [
    ("pages/inpaint.py", "inp_source", "inp_file", "en"),
    ("pages/faceswap.py", "swap_tgt_source", "swap_tgt_file", "en"),
])
def test_the_repair_and_swap_pages_answer_every_kind_of_upload(uploads, page, source_key, upload_key, lang):
    at = open_page(page, lang)
    at.radio(key=source_key).set_value("upload").run()
    kinds = _one_of_each_kind(uploads)
    for name, data, expect in kinds:
        at.file_uploader(key=upload_key).set_value([(name, data, "application/octet-stream")]).run()
        assert not at.exception, (name, at.exception)
        errors = [e.value for e in at.error]
        if expect == REFUSE:
            assert any(name in e for e in errors), (name, errors)
            assert all(HAN.search(e) for e in errors) if lang == "zh" else True
        elif expect == READ:
            assert not any(name in e for e in errors), (name, errors)
    _fed(f"{page} upload", len(kinds))


def test_the_label_checker_answers_every_kind_of_upload(uploads):
    at = open_page("pages/rules.py", "zh")
    kinds = _one_of_each_kind(uploads)
    for name, data, expect in kinds:
        at.file_uploader(key="rules_check_file").set_value([(name, data, "application/octet-stream")]).run()
        assert not at.exception, (name, at.exception)
        errors = [e.value for e in at.error]
        if expect == REFUSE:
            assert any(name in e and HAN.search(e) for e in errors), (name, errors)
        elif expect == READ:
            assert not errors and (at.dataframe or at.get("table")), (name, errors)  # its checks
    _fed("Rules label checker", len(kinds))


def test_no_checkpoint_runs_code_anywhere(tmp_path, capsys):
    """Generator and detector loaders, the generate CLI and the Generate page refuse every crafted
    checkpoint with a reason, and the pickle's code never ran (its marker file does not exist)."""
    from detectors import WeightsError, load_detector
    from genai import CheckpointError, load_checkpoint
    from genai.__main__ import main as genai_cli

    marker = tmp_path / "the-code-ran"
    crafted = checkpoints(marker)
    at = open_page("pages/generate.py")
    at.selectbox(key="gen_name").set_value("checkpoint").run()
    for name, data in crafted:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(CheckpointError) as err:
            load_checkpoint(data)
        assert err.value.reason in CheckpointError.REASONS
        with pytest.raises(WeightsError):
            load_detector(path)
        assert genai_cli(["sample", "--generator", "checkpoint", "--checkpoint", str(path),
                          "--out", str(tmp_path / "out")]) == 2
        assert capsys.readouterr().err.strip()
        at.file_uploader(key="gen_checkpoint").set_value((name, data, "application/octet-stream")).run()
        assert not at.exception, (name, at.exception)
        assert at.error, name  # a reason on the page, no traceback
    assert not marker.exists(), "a checkpoint's pickled code ran"
    _fed("checkpoint loaders, CLI and Generate page", 4 * len(crafted))
