"""Real or fake? Play alone or as a class against the detector."""

import secrets

import streamlit as st

from core.classroom import Classroom, NotTeacher, RoomError, new_player_id, normalise
from genai.quiz import LEVELS, Answer, Item, deck, pair_answer, pairs
from ui import resources
from ui.i18n import t
from ui.quiz_view import SHOWN, class_answers, join_panel, lesson_text, reveal, score_chart
from ui.shell import ensure_shell

ensure_shell()

ROUNDS = 10
POLL_S = 2.0  # class mode: how often a page looks for the teacher's next round and the class' answers

st.title(t("quiz.title"))
st.warning(t("quiz.notice"), icon=":material/smart_toy:")  # the interface-level notice: unlabelled fakes below


@st.cache_resource(show_spinner=False)
def classroom() -> Classroom:
    return Classroom()


def judged(item: Item) -> dict:
    with st.spinner(t("quiz.making")):
        return resources.quiz_round(item.key)


def answer_buttons(key: str) -> str | None:
    c1, c2 = st.columns(2)
    if c1.button(t("quiz.say.real"), key=f"{key}_real", icon=":material/photo_camera:", width="stretch"):
        return "real"
    if c2.button(t("quiz.say.fake"), key=f"{key}_fake", icon=":material/smart_toy:", width="stretch",
                 type="primary"):
        return "fake"
    return None


def summary(answers: list[Answer]) -> None:
    you = sum(a.player_right for a in answers)
    it = sum(a.detector_right for a in answers)
    m1, m2, m3 = st.columns(3)
    m1.metric(t("quiz.round"), f"{len(answers)}")
    m2.metric(t("quiz.who.player"), f"{you}/{len(answers)}")
    m3.metric(t("quiz.who.detector"), f"{it}/{len(answers)}")


def final(answers: list[Answer]) -> None:
    st.subheader(t("quiz.final"))
    st.plotly_chart(score_chart(answers), config={"displayModeBar": False})
    st.info(lesson_text(answers), icon=":material/lightbulb:")


# --- one player -----------------------------------------------------------------------------------


def solo() -> None:
    c1, c2 = st.columns([2, 1])
    level = c1.segmented_control(t("quiz.level"), list(LEVELS), default="medium", key="quiz_level",
                                 format_func=lambda lv: t(f"quiz.level.{lv}")) or "medium"
    c1.caption(t(f"quiz.level_help.{level}"))
    paired = c2.toggle(t("quiz.pairs"), key="quiz_pairs", help=t("quiz.pairs_help"))
    game = st.session_state.get("quiz_game")
    if c2.button(t("quiz.new"), key="quiz_new", icon=":material/replay:", width="stretch") or game is None \
            or game["level"] != level or game["paired"] != paired:
        code = secrets.token_hex(4)
        game = st.session_state["quiz_game"] = {
            "level": level, "paired": paired, "answers": [],
            "deck": pairs(code, level, ROUNDS) if paired else deck(code, level, ROUNDS)}
        st.session_state["quiz_showing"] = None
    answers: list[Answer] = game["answers"]
    if answers:
        summary(answers)
    i, rounds = len(answers), len(game["deck"])
    if i and st.session_state.get("quiz_showing") == i - 1:  # the last round's reveal is on screen
        (show_pair if paired else show_single)(game["deck"][i - 1], answers[-1])
        if i < rounds:
            if st.button(t("quiz.next"), key="quiz_next", type="primary", icon=":material/arrow_forward:"):
                st.session_state["quiz_showing"] = None
                st.rerun()
            return
    if i == rounds:
        final(answers)
        return
    said = (ask_pair if paired else ask_single)(game["deck"][i], i, rounds)
    if said is not None:
        answers.append(said)
        st.session_state["quiz_showing"] = i
        st.rerun()


def ask_single(item: Item, i: int, rounds: int) -> Answer | None:
    now = judged(item)
    st.markdown(f"**{t('quiz.question', i=i + 1, n=rounds)}**")
    st.image(now["image"], width=SHOWN)
    said = answer_buttons(f"quiz_{i}")
    return Answer(item, said, now["answer"]) if said else None


def show_single(item: Item, answer: Answer) -> None:
    st.image(resources.quiz_round(item.key)["image"], width=SHOWN)
    reveal(item, resources.quiz_round(item.key), answer.player)


def ask_pair(pair: tuple[Item, Item], i: int, rounds: int) -> Answer | None:
    """"Which one is fake?": a real photo beside a fake; the player picks one."""
    both = [judged(item) for item in pair]
    st.markdown(f"**{t('quiz.pair_question', i=i + 1, n=rounds)}**")
    picked = None
    for side, (col, now) in enumerate(zip(st.columns(2), both)):
        with col:
            st.image(now["image"], width=SHOWN * 3 // 4)
            if st.button(t("quiz.pick_this"), key=f"quiz_p{i}_{side}", icon=":material/smart_toy:", width="stretch"):
                picked = side
    return None if picked is None else pair_answer(pair, picked, (both[0]["p"], both[1]["p"]))


def show_pair(pair: tuple[Item, Item], answer: Answer) -> None:
    for col, item in zip(st.columns(2), pair):
        col.image(resources.quiz_round(item.key)["image"], width=SHOWN * 3 // 4)
    reveal(answer.item, resources.quiz_round(answer.item.key), answer.player, answer.detector)
    photo = next(x for x in pair if not x.fake)
    st.caption(t("quiz.pair_detector", real=resources.quiz_round(photo.key)["p"],
                 fake=resources.quiz_round(answer.item.key)["p"]))


# --- a class --------------------------------------------------------------------------------------


def student() -> None:
    params = st.query_params
    if "player" not in params or not 0 < len(params["player"]) <= 64:  # an anonymous id in the address:
        params["player"] = new_player_id()  # a reload keeps the student's answers
    player = params["player"]
    code = st.text_input(t("quiz.code"), value=params.get("room", "")[:8], key="quiz_code", max_chars=8,
                         placeholder="ABC23").strip()
    if not code:
        st.info(t("quiz.code_help"))
        return
    try:
        room = classroom().room(code)
    except RoomError:
        st.error(t("quiz.no_room", code=normalise(code)[:8]))
        return
    params["room"] = room.code
    items = deck(room.code, room.level, room.rounds)

    @st.fragment(run_every=POLL_S)
    def follow() -> None:
        try:
            now = classroom().room(room.code)
        except RoomError:  # gone (a new class file): say so instead of failing every poll
            st.error(t("quiz.no_room", code=room.code))
            return
        mine = classroom().answers_of(room.code, player)
        item = items[now.current]
        st.markdown(f"**{t('quiz.question', i=now.current + 1, n=room.rounds)}**")
        judged_now = resources.quiz_round(item.key)
        if now.revealed:
            st.image(judged_now["image"], width=SHOWN)
            reveal(item, judged_now, mine.get(now.current))
        else:
            # The buttons first: on a phone they stay on the first screen, the picture below them.
            said = answer_buttons(f"quiz_s{now.current}")
            if said and classroom().answer(room.code, now.current, player, said):
                mine[now.current] = said
            elif said:  # the teacher moved on or revealed between the page's poll and the click
                st.warning(t("quiz.too_late"))
            if now.current in mine:
                st.success(t("quiz.recorded", answer=t(f"quiz.say.{mine[now.current]}")))
            st.image(judged_now["image"], width=SHOWN)
        done = [Answer(items[r], a, resources.quiz_round(items[r].key)["answer"]) for r, a in sorted(mine.items())
                if r < now.current or (r == now.current and now.revealed)]
        if done:
            summary(done)

    follow()


def teacher() -> None:
    held = st.session_state.get("quiz_teacher")  # {"code", "key"}: control lives in this session only
    if held and not _still_teacher(held):
        held = st.session_state["quiz_teacher"] = None
    if not held:
        open_or_take_back()
        return
    room = classroom().room(held["code"])
    items = deck(room.code, room.level, room.rounds)
    join, controls = st.columns([2, 3])
    with join:
        join_panel(room.code)
    with controls:
        b1, b2, b3 = st.columns(3)
        moves = {"prev": (room.current - 1, False), "reveal": (room.current, True),
                 "next": (room.current + 1, False)}
        clicked = [b1.button(t("quiz.prev"), key="quiz_prev", disabled=room.current == 0, width="stretch") and "prev",
                   b2.button(t("quiz.reveal"), key="quiz_reveal", disabled=room.revealed, type="primary",
                             width="stretch") and "reveal",
                   b3.button(t("quiz.next"), key="quiz_t_next", disabled=room.current + 1 >= room.rounds,
                             width="stretch") and "next"]
        for move in filter(None, clicked):
            classroom().show(room.code, held["key"], *moves[move])
            st.rerun()  # the buttons' states follow the room
        judged(items[room.current])  # made (and judged) once with a spinner, before the board polls
        board(room.code, items)
    room_menu(room.code, held["key"])


def _still_teacher(held: dict) -> bool:
    try:
        return classroom().is_teacher(held["code"], held["key"])
    except RoomError:
        return False


def open_or_take_back() -> None:
    """No room in this session: open one, or take one back with its code and teacher key."""
    st.info(t("quiz.teacher_help"))
    c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
    level = c1.segmented_control(t("quiz.level"), list(LEVELS), default="medium", key="quiz_t_level",
                                 format_func=lambda lv: t(f"quiz.level.{lv}")) or "medium"
    rounds = c2.number_input(t("quiz.rounds"), 3, 30, ROUNDS, key="quiz_t_rounds")
    if c3.button(t("quiz.open_room"), key="quiz_open", type="primary", width="stretch"):
        room, key = classroom().open_room(level, int(rounds))
        st.session_state["quiz_teacher"] = {"code": room.code, "key": key}
        st.rerun()
    with st.expander(t("quiz.take_back"), icon=":material/key:"):
        k1, k2, k3 = st.columns([1, 1, 1], vertical_alignment="bottom")
        code = k1.text_input(t("quiz.code"), key="quiz_tb_code", max_chars=8)
        key = k2.text_input(t("quiz.teacher_key"), key="quiz_tb_key", max_chars=16, type="password")
        if k3.button(t("quiz.take_back_go"), key="quiz_tb_go", width="stretch"):
            try:
                ok = classroom().is_teacher(code, key)
            except RoomError:
                ok = False
            if ok:
                st.session_state["quiz_teacher"] = {"code": normalise(code), "key": key.strip().upper()}
                st.rerun()
            st.error(t("quiz.take_back_wrong"))


def room_menu(code: str, key: str) -> None:
    """The room's key and the moves that end it, out of the way of a live room."""
    with st.expander(t("quiz.room_menu"), icon=":material/settings:"):
        st.markdown(t("quiz.teacher_key_is", secret=key))
        c1, c2, c3 = st.columns(3)
        if c1.button(t("quiz.reset"), key="quiz_reset", icon=":material/restart_alt:", width="stretch",
                     help=t("quiz.reset_help")):
            try:
                classroom().reset(code, key)
            except NotTeacher:
                st.error(t("quiz.take_back_wrong"))
            st.rerun()
        if c2.button(t("quiz.new_room"), key="quiz_new_room", icon=":material/add:", width="stretch"):
            st.session_state["quiz_teacher"] = None
            st.rerun()
        c3.caption(t("quiz.new_room_help"))


@st.fragment(run_every=POLL_S)
def board(code: str, items: list[Item]) -> None:
    room = classroom().room(code)  # read afresh: the round may move from another window
    item = items[room.current]
    now = resources.quiz_round(item.key)
    totals = classroom().totals(code)
    picture, numbers = st.columns([1, 1])
    with picture:
        st.markdown(f"**{t('quiz.question', i=room.current + 1, n=room.rounds)}**")
        st.image(now["image"], width=SHOWN)
    with numbers:
        mine = totals.get(room.current)
        n, fake = (mine.answered, mine.said_fake) if mine else (0, 0)
        st.metric(t("quiz.answered"), n)
        st.progress(fake / n if n else 0.0, text=t("quiz.class_says", fake=fake, real=n - fake))
    if room.revealed:  # full width: the heatmap and the giveaway side by side
        reveal(item, now)
    revealed = list(range(room.current + 1) if room.revealed else range(room.current))
    if not revealed:
        return
    answers = class_answers([items[r] for r in revealed], [totals.get(r) for r in revealed],
                            [resources.quiz_round(items[r].key)["answer"] for r in revealed])
    cls, det = sum(a.player_right for a in answers), sum(a.detector_right for a in answers)
    st.caption(t("quiz.class_vs_detector", cls=cls, det=det, n=len(revealed), players=classroom().players(code)))
    if room.revealed and room.current + 1 == room.rounds:  # the last round is out: the class's result, projector-sized
        st.subheader(t("quiz.class_final"))
        st.plotly_chart(score_chart(answers, who="class", big=True), config={"displayModeBar": False},
                        key="quiz_class_chart")
        st.info(lesson_text(answers, who="class"), icon=":material/lightbulb:")


modes = ["solo", "student", "teacher"]
mode = st.segmented_control(t("quiz.mode"), modes, key="quiz_mode",
                            default="student" if "room" in st.query_params else None,
                            format_func=lambda m: t(f"quiz.mode.{m}"))
if mode is None:  # nothing is made or judged until a visitor picks how to play
    st.info(t("quiz.pick_mode"), icon=":material/touch_app:")
else:
    {"solo": solo, "student": student, "teacher": teacher}[mode]()
