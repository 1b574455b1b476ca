"""The Real-or-fake quiz: its image set, decks, scoring, class rooms, and the page."""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.classroom import Classroom, NotTeacher, RoomError
from genai.quiz import KINDS, LEVELS, SET_DIR, Answer, Item, Maker, deck, detector_answer, lesson, manifest, tally
from tests.conftest import ROOT, at_once
from ui.i18n import STRINGS


def test_the_shipped_set_is_small_licensed_and_from_validation_faces():
    entries = manifest()
    assert sum(e["kind"] == "real" for e in entries) == 60 and sum(e["kind"] == "stylegan2" for e in entries) == 60
    assert sum((SET_DIR / e["file"]).stat().st_size for e in entries) < 2_000_000
    reals = [int(e["name"].split("-")[1]) for e in entries if e["kind"] == "real"]
    assert all(69000 <= n <= 69999 for n in reals)  # FFHQ validation numbers, never training faces
    assert (SET_DIR / "SOURCES.md").read_text().count("CC BY-NC-SA 4.0") >= 1


@pytest.mark.parametrize("level", list(LEVELS))
def test_a_room_code_gives_every_student_the_same_deck(level):
    a, b = deck("ab c23", level), deck("ABC23", level)  # codes are read case- and space-insensitively
    assert a == b and len(a) == 10
    assert deck("XYZ99", level) != a
    keys = [i.key for i in deck("ABC23", level, 30)]
    assert len(set(keys)) == len(keys)  # no picture twice
    assert {i.kind for i in deck("ABC23", level, 30)} <= set(LEVELS[level]) <= set(KINDS)


def test_every_kind_of_item_is_made_the_same_each_time():
    maker = Maker()
    for key in ("real/ffhq-69016", "stylegan2/stylegan2-f16", "dcgan/3000007", "inpaint/ffhq-69016/mouth",
                "faceswap/ffhq-69016/ffhq-69032"):
        image = maker.image(Item(key))
        assert image.shape == (128, 128, 3) and image.dtype == np.uint8, key
        np.testing.assert_array_equal(image, maker.image(Item(key)))
    real = maker.image(Item("real/ffhq-69016"))
    assert not np.array_equal(real, maker.image(Item("inpaint/ffhq-69016/mouth")))
    with pytest.raises(ValueError):
        deck("A", "impossible")


def test_scoring_and_the_lesson():
    real, dcgan, sg2 = Item("real/ffhq-69016"), Item("dcgan/3000001"), Item("stylegan2/stylegan2-f16")
    answers = [Answer(real, "real", "real"), Answer(dcgan, "fake", "fake"), Answer(dcgan, "fake", "real"),
               Answer(sg2, "real", "fake"), Answer(real, "fake", "none")]
    rows = tally(answers)
    assert rows["dcgan"] == {"n": 2, "player": 2, "detector": 1}
    assert rows["real"] == {"n": 2, "player": 1, "detector": 1}  # "none" (cannot judge) is never right
    assert rows["stylegan2"] == {"n": 1, "player": 0, "detector": 1}
    assert lesson(answers) == {"won": ["dcgan"], "lost": ["stylegan2"], "tied": ["real"]}
    assert [detector_answer(v) for v in ("fake", "uncertain", "real", "unknown")] == ["fake", "real", "real", "none"]


def test_a_room_keeps_answers_one_per_student_and_round(tmp_path):
    rooms = Classroom(tmp_path / "c.sqlite")
    room, key = rooms.open_room("hard", 5)
    assert len(room.code) == 5 and rooms.room(room.code.lower()) == room and len(key) == 8
    assert rooms.answer(room.code, 0, "p1", "fake")
    assert rooms.answer(room.code, 0, "p1", "real")  # changed, not added
    assert rooms.answer(room.code, 0, "p2", "fake")
    assert rooms.totals(room.code)[0].answered == 2 and rooms.totals(room.code)[0].said_fake == 1
    again = Classroom(tmp_path / "c.sqlite")  # a reload: a new connection finds the same answers
    assert again.answers_of(room.code, "p1") == {0: "real"}
    assert not rooms.answer(room.code, 3, "p1", "fake")  # not the round on the screen: not stored
    assert again.show(room.code, key.lower(), 3, revealed=True).current == 3
    assert not rooms.answer(room.code, 3, "p1", "fake")  # revealed: too late
    assert rooms.answers_of(room.code, "p1") == {0: "real"}
    with pytest.raises(RoomError):
        rooms.room("NOPE1")
    with pytest.raises(RoomError):
        rooms.answer(room.code, 5, "p1", "fake")
    with pytest.raises(ValueError):
        rooms.answer(room.code, 3, "p1", "maybe" * 2000)  # a 10,000-character answer
    with pytest.raises(ValueError):
        rooms.answer(room.code, 3, "x" * 10_000, "fake")  # a 10,000-character player id


def test_only_the_teacher_key_moves_a_room(tmp_path):
    """The room code is on the projector; a student holding it cannot reveal, skip or reset."""
    rooms = Classroom(tmp_path / "c.sqlite")
    room, key = rooms.open_room("easy", 4)
    other, other_key = rooms.open_room("easy", 4)
    rooms.answer(room.code, 0, "s1", "fake")
    for wrong in ("", room.code, other_key, "A" * 10_000):
        with pytest.raises(NotTeacher):
            rooms.show(room.code, wrong, 0, revealed=True)
        with pytest.raises(NotTeacher):
            rooms.show(room.code, wrong, 1)
        with pytest.raises(NotTeacher):
            rooms.reset(room.code, wrong)
        assert not rooms.is_teacher(room.code, wrong)
    assert rooms.room(room.code) == room and rooms.totals(room.code)[0].answered == 1
    assert rooms.is_teacher(room.code, key) and not rooms.is_teacher(other.code, key)
    rooms.show(room.code, key, 2)
    reset = rooms.reset(room.code, key)
    assert (reset.current, reset.revealed) == (0, False) and rooms.totals(room.code) == {}
    with pytest.raises(RoomError):
        rooms.is_teacher("NOPE1", key)


def test_a_class_file_from_before_teacher_keys_is_upgraded(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as con:
        con.executescript("CREATE TABLE rooms (code TEXT PRIMARY KEY, level TEXT NOT NULL, rounds INTEGER NOT NULL, "
                          "current INTEGER NOT NULL DEFAULT 0, revealed INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);"
                          "INSERT INTO rooms VALUES ('OLD23', 'easy', 3, 0, 0, '2026-01-01');")
    rooms = Classroom(path)
    assert rooms.room("OLD23").rounds == 3 and not rooms.is_teacher("OLD23", "")  # nobody holds its key
    room, key = rooms.open_room("easy", 3)
    assert rooms.is_teacher(room.code, key)


def test_totals_are_right_with_forty_students_writing_at_once(tmp_path):
    rooms = Classroom(tmp_path / "c.sqlite")
    room, key = rooms.open_room("medium", 10)
    code = room.code
    for r in range(10):
        if r:
            rooms.show(code, key, r)
        errors = at_once([lambda k=k: rooms.answer(code, r, f"s{k}", "fake" if (k + r) % 3 == 0 else "real")
                           for k in range(40)])
        assert errors == []
    totals = rooms.totals(code)
    for r in range(10):
        assert totals[r].answered == 40
        assert totals[r].said_fake == sum((k + r) % 3 == 0 for k in range(40))
    assert rooms.players(code) == 40


def test_a_reset_while_forty_students_answer_leaves_no_half_state(tmp_path):
    """Concurrent answers and a teacher's reset: every answer lands wholly before the reset (and is
    removed) or after it (and counts once); nothing fails."""
    rooms = Classroom(tmp_path / "c.sqlite")
    room, key = rooms.open_room("medium", 10)
    calls = [lambda k=k: rooms.answer(room.code, 0, f"s{k}", "fake") for k in range(40)]
    calls.insert(20, lambda: rooms.reset(room.code, key))
    assert at_once(calls) == []
    after = rooms.totals(room.code).get(0)
    assert after is None or after.answered == after.said_fake <= 40
    assert rooms.room(room.code).current == 0


def choose(at: AppTest, mode: str) -> None:
    """Pick a mode in any language: AppTest formats a choice outside the script run, where the
    language is English, so the click is made in English and the page shown again in its own."""
    lang = at.session_state["lang"]
    at.session_state["lang"] = "en"
    at.run()
    at.segmented_control(key="quiz_mode").set_value(mode).run()
    at.session_state["lang"] = lang
    at.run()


def quiz_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.switch_page("pages/quiz.py").run()
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_plays_three_rounds_and_scores_them(lang):
    at = quiz_page(lang)
    assert not at.exception, at.exception
    assert STRINGS["quiz.notice"][lang][:12] in at.warning[0].value  # the AI-content notice is always there
    assert not at.image and at.info[0].value == STRINGS["quiz.pick_mode"][lang]  # nothing made before a choice
    choose(at, "solo")
    for i in range(3):
        at.button(key=f"quiz_{i}_fake").click().run()
        assert not at.exception, at.exception
        game = at.session_state["quiz_game"]
        assert len(game["answers"]) == i + 1
        shown = [m.value for m in at.success] + [m.value for m in at.error]
        assert any(STRINGS["quiz.you_right"][lang] in v or STRINGS["quiz.you_wrong"][lang] in v for v in shown)
        at.button(key="quiz_next").click().run()
    metrics = {m.label: m.value for m in at.metric}
    you = sum(a.player_right for a in at.session_state["quiz_game"]["answers"])
    assert metrics[STRINGS["quiz.who.player"][lang]] == f"{you}/3"


def test_a_class_round_from_the_teachers_and_a_students_page(tmp_path, monkeypatch):
    teacher = quiz_page()
    teacher.segmented_control(key="quiz_mode").set_value("teacher").run()
    teacher.button(key="quiz_open").click().run()
    assert not teacher.exception, teacher.exception
    code = teacher.session_state["quiz_teacher"]["code"]
    assert any(code in m.value for m in teacher.markdown)  # the code, large, for the projector
    assert any("quiz?room=" + code in m.value for m in teacher.markdown)  # the address that joins it
    student = quiz_page()
    student.segmented_control(key="quiz_mode").set_value("student").run()
    student.text_input(key="quiz_code").input(code.lower()).run()
    assert not student.exception, student.exception
    student.button(key="quiz_s0_fake").click().run()
    assert any(STRINGS["quiz.recorded"]["en"].split("{")[0] in s.value for s in student.success)
    player = student.query_params["player"]
    assert Classroom().answers_of(code, player if isinstance(player, str) else player[0]) == {0: "fake"}
    teacher.button(key="quiz_reveal").click().run()
    assert not teacher.exception, teacher.exception
    assert teacher.metric[0].value == "1"  # one answer to this round
    student.run()  # the student's page follows the teacher: the reveal shows
    assert not student.exception, student.exception
    assert student.success or student.error


def test_a_student_with_the_room_code_gets_no_teacher_buttons():
    """The projector shows the code; opening the teacher's mode with it gives no control of the room."""
    teacher = quiz_page()
    teacher.segmented_control(key="quiz_mode").set_value("teacher").run()
    teacher.button(key="quiz_open").click().run()
    code = teacher.session_state["quiz_teacher"]["code"]
    rogue = quiz_page()
    rogue.query_params["room"] = code
    rogue.run()
    rogue.segmented_control(key="quiz_mode").set_value("teacher").run()
    assert not rogue.exception, rogue.exception
    assert not any(b.key in ("quiz_reveal", "quiz_t_next", "quiz_prev", "quiz_reset") for b in rogue.button)
    rogue.text_input(key="quiz_tb_code").input(code)
    rogue.text_input(key="quiz_tb_key").input(code).run()  # the code is not the key
    rogue.button(key="quiz_tb_go").click().run()
    assert STRINGS["quiz.take_back_wrong"]["en"] in [e.value for e in rogue.error]
    assert not any(b.key == "quiz_reveal" for b in rogue.button)
    key = teacher.session_state["quiz_teacher"]["key"]  # the teacher, after a reload, takes it back
    again = quiz_page()
    again.segmented_control(key="quiz_mode").set_value("teacher").run()
    again.text_input(key="quiz_tb_code").input(code.lower())
    again.text_input(key="quiz_tb_key").input(key.lower()).run()
    again.button(key="quiz_tb_go").click().run()
    assert any(b.key == "quiz_reveal" for b in again.button)


def test_the_class_sees_its_result_per_kind_after_the_last_round():
    teacher = quiz_page("zh")
    choose(teacher, "teacher")
    teacher.number_input(key="quiz_t_rounds").set_value(3).run()
    teacher.button(key="quiz_open").click().run()
    held = teacher.session_state["quiz_teacher"]
    for r in range(3):
        Classroom().answer(held["code"], r, "s1", "fake")
        teacher.button(key="quiz_reveal").click().run()
        if r < 2:
            teacher.button(key="quiz_t_next").click().run()
    assert not teacher.exception, teacher.exception
    assert STRINGS["quiz.class_final"]["zh"] in [s.value for s in teacher.subheader]
    assert any(STRINGS["quiz.lesson.moral"]["zh"][:10] in i.value for i in teacher.info)
    (chart,) = [c for c in teacher.get("plotly_chart")]
    assert '"size": 22' in chart.proto.spec.replace(":22", ": 22")  # projector-sized type


def test_a_students_answers_survive_a_reload():
    """The room and the anonymous player id live in the page's address: a reload (a new session
    with the same address) opens the same room and finds the student's answer."""
    rooms = Classroom()
    room, _ = rooms.open_room("easy", 4)
    rooms.answer(room.code, 0, "reloaded-player", "real")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.query_params["room"] = room.code
    at.query_params["player"] = "reloaded-player"
    at.switch_page("pages/quiz.py").run()
    assert not at.exception, at.exception
    assert at.text_input(key="quiz_code").value == room.code
    recorded = STRINGS["quiz.recorded"]["en"].format(answer=STRINGS["quiz.say.real"]["en"])
    assert any(recorded == s.value for s in at.success)


# --- the Rules page and its label checker -----------------------------------------------------------


def _png(image: np.ndarray) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG")
    return buf.getvalue()


def test_the_label_checker_on_an_export_a_stripped_copy_and_a_plain_photo():
    import genai
    from detectors.launder import Reshare, reshare
    from genai.compliance import check, verdict

    face = genai.create_generator().sample([3])[0]
    export = genai.export_image(face, genai.ExportInfo("dcgan-digiface", 3), size=256)
    checks = {c.key: c for c in check(genai.inspect(export))}
    assert verdict(list(checks.values())) == "complete"
    assert all(checks[k].status == "pass" for k in ("explicit", "implicit", "implicit_fields", "integrity", "watermark"))
    stripped = {c.key: c for c in check(genai.inspect(reshare(export, Reshare(jpeg_quality=85))))}
    assert stripped["implicit"].status == "fail" and "implicit_fields" not in stripped
    assert stripped["watermark"].status == "pass"  # the label that survives
    assert verdict(list(stripped.values())) == "partial"
    plain = check(genai.inspect(_png(np.full((120, 160, 3), 90, np.uint8))))
    assert verdict(plain) == "none" and {c.key: c.status for c in plain}["explicit"] == "info"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_rules_page_checks_an_upload_and_shows_what_survives(lang):
    import genai

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.switch_page("pages/rules.py").run()
    assert not at.exception, at.exception
    assert STRINGS["rules.title"][lang] in at.title[0].value
    text = " ".join(m.value for m in at.markdown)
    assert "GB 45438-2025" in text and ("第十二条" if lang == "zh" else "Art. 12") in text
    face = genai.create_generator().sample([4])[0]
    export = genai.export_image(face, genai.ExportInfo("dcgan-digiface", 4), size=256)
    at.file_uploader(key="rules_check_file").set_value([("export.png", export, "image/png")]).run()
    assert not at.exception, at.exception
    assert at.success and STRINGS["rules.check.verdict.complete"][lang] in at.success[0].value
    at.file_uploader(key="rules_check_file").set_value([("notes.jpg", b"not an image", "image/jpeg")]).run()
    assert not at.exception and at.error  # a clear message, no crash
    at.file_uploader(key="rules_try_file").set_value([("mine.png", _png(face), "image/png")]).run()
    assert not at.exception, at.exception
    assert len(at.table) == 2  # the labelled and the stripped copy side by side (the checker holds a broken file)
    at.checkbox(key="rules_filing_1").check().run()
    assert not at.exception, at.exception


def test_pair_rounds_hold_one_fake_and_score_as_a_forced_choice():
    from genai.quiz import pair_answer, pairs

    rounds = pairs("PAIR1", "hard", 10)
    assert rounds == pairs("pair1", "hard", 10) and len(rounds) == 10
    assert all(sum(item.fake for item in pair) == 1 for pair in rounds)
    keys = [item.key for pair in rounds for item in pair]
    assert len(set(keys)) == len(keys)
    assert {pair[0].fake for pair in rounds} == {True, False}  # the fake is sometimes left, sometimes right
    fake_left = next(p for p in rounds if p[0].fake)
    a = pair_answer(fake_left, 0, (0.9, 0.2))
    assert a.item == fake_left[0] and a.player_right and a.detector_right
    b = pair_answer(fake_left, 1, (0.3, 0.6))
    assert not b.player_right and not b.detector_right


def test_the_page_plays_pairs():
    at = quiz_page()
    at.segmented_control(key="quiz_mode").set_value("solo").run()
    at.toggle(key="quiz_pairs").set_value(True).run()
    assert not at.exception, at.exception
    at.button(key="quiz_p0_1").click().run()
    assert not at.exception, at.exception
    assert len(at.session_state["quiz_game"]["answers"]) == 1 and at.session_state["quiz_game"]["paired"]
    at.button(key="quiz_next").click().run()
    at.button(key="quiz_p1_0").click().run()
    assert len(at.session_state["quiz_game"]["answers"]) == 2


def test_a_pair_round_says_what_the_scoreboard_counts(monkeypatch):
    """A real photo at 10% beside a fake at 55%: the detector's forced choice is right, and so is the
    reveal's sentence, although 55% alone is below its threshold."""
    from genai.quiz import pair_answer

    import ui.quiz_view as view

    pair = (Item("real/ffhq-69016"), Item("stylegan2/stylegan2-f16"))
    answer = pair_answer(pair, 0, (0.10, 0.55))
    assert answer.detector_right
    said = []
    monkeypatch.setattr(view.st, "caption", lambda text, **kw: said.append(text))
    monkeypatch.setattr(view.st, "error", lambda *a, **kw: None)
    monkeypatch.setattr(view.st, "image", lambda *a, **kw: None)
    monkeypatch.setattr(view.st, "markdown", lambda *a, **kw: None)
    import contextlib

    monkeypatch.setattr(view.st, "columns", lambda n: [contextlib.nullcontext(), contextlib.nullcontext()])
    judged = {"abstained": None, "image": np.zeros((8, 8, 3), np.uint8), "heatmap": np.zeros((8, 8), np.float32),
              "verdict": "uncertain", "p": 0.55, "answer": "real"}  # alone, 55% is not "fake"
    view.reveal(answer.item, judged, answer.player, answer.detector)
    assert STRINGS["quiz.detector_right"]["en"] in said
