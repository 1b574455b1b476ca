"""Real or fake? Play alone or as a class against the detector."""

import secrets

import streamlit as st

from core.classroom import Classroom, RoomError, new_player_id, normalise
from genai.quiz import LEVELS, Answer, Item, deck, pair_answer, pairs, right
from ui import resources
from ui.i18n import t
from ui.quiz_view import SHOWN, lesson_text, reveal, score_chart
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
    reveal(answer.item, resources.quiz_round(answer.item.key), answer.player)
    photo = next(x for x in pair if not x.fake)
    st.caption(t("quiz.pair_detector", real=resources.quiz_round(photo.key)["p"],
                 fake=resources.quiz_round(answer.item.key)["p"]))


# --- a class --------------------------------------------------------------------------------------


def student() -> None:
    params = st.query_params
    if "player" not in params:  # an anonymous id in the address: a reload keeps the student's answers
        params["player"] = new_player_id()
    player = params["player"]
    code = st.text_input(t("quiz.code"), value=params.get("room", ""), key="quiz_code", max_chars=8,
                         placeholder="ABC23").strip()
    if not code:
        st.info(t("quiz.code_help"))
        return
    try:
        room = classroom().room(code)
    except RoomError:
        st.error(t("quiz.no_room", code=normalise(code)))
        return
    params["room"] = room.code
    items = deck(room.code, room.level, room.rounds)

    @st.fragment(run_every=POLL_S)
    def follow() -> None:
        now = classroom().room(room.code)
        mine = classroom().answers_of(room.code, player)
        item = items[now.current]
        st.markdown(f"**{t('quiz.question', i=now.current + 1, n=room.rounds)}**")
        judged_now = resources.quiz_round(item.key)
        st.image(judged_now["image"], width=SHOWN)
        if now.revealed:
            reveal(item, judged_now, mine.get(now.current))
        else:
            said = answer_buttons(f"quiz_s{now.current}")
            if said:
                classroom().answer(room.code, now.current, player, said)
                mine[now.current] = said
            if now.current in mine:
                st.success(t("quiz.recorded", answer=t(f"quiz.say.{mine[now.current]}")))
        done = [Answer(items[r], a, resources.quiz_round(items[r].key)["answer"]) for r, a in sorted(mine.items())
                if r < now.current or (r == now.current and now.revealed)]
        if done:
            summary(done)

    follow()


def teacher() -> None:
    room_code = st.session_state.get("quiz_room") or st.query_params.get("teach")
    c1, c2, c3 = st.columns([2, 1, 1])
    level = c1.segmented_control(t("quiz.level"), list(LEVELS), default="medium", key="quiz_t_level",
                                 format_func=lambda lv: t(f"quiz.level.{lv}")) or "medium"
    rounds = c2.number_input(t("quiz.rounds"), 3, 30, ROUNDS, key="quiz_t_rounds")
    if c3.button(t("quiz.open_room"), key="quiz_open", type="primary", width="stretch"):
        room_code = classroom().open_room(level, int(rounds)).code
    if not room_code:
        st.info(t("quiz.teacher_help"))
        return
    try:
        room = classroom().room(room_code)
    except RoomError:
        st.error(t("quiz.no_room", code=room_code))
        return
    st.session_state["quiz_room"] = st.query_params["teach"] = room.code
    items = deck(room.code, room.level, room.rounds)
    st.markdown(t("quiz.room_code", code=room.code))
    st.caption(t("quiz.join_how"))
    b1, b2, b3 = st.columns(3)
    moves = {"prev": (room.current - 1, False), "reveal": (room.current, True), "next": (room.current + 1, False)}
    clicked = [b1.button(t("quiz.prev"), key="quiz_prev", disabled=room.current == 0, width="stretch") and "prev",
               b2.button(t("quiz.reveal"), key="quiz_reveal", disabled=room.revealed, type="primary",
                         width="stretch") and "reveal",
               b3.button(t("quiz.next"), key="quiz_t_next", disabled=room.current + 1 >= room.rounds,
                         width="stretch") and "next"]
    for move in filter(None, clicked):
        classroom().show(room.code, *moves[move])
        st.rerun()  # the buttons' states follow the room
    judged(items[room.current])  # made (and judged) once with a spinner, before the board polls

    @st.fragment(run_every=POLL_S)
    def board() -> None:
        now_room = classroom().room(room.code)  # read afresh: the round may move from another window
        item = items[now_room.current]
        now = resources.quiz_round(item.key)
        totals = classroom().totals(room.code)
        picture, numbers = st.columns([1, 1])
        with picture:
            st.markdown(f"**{t('quiz.question', i=now_room.current + 1, n=room.rounds)}**")
            st.image(now["image"], width=SHOWN)
        with numbers:
            mine = totals.get(now_room.current)
            n, fake = (mine.answered, mine.said_fake) if mine else (0, 0)
            st.metric(t("quiz.answered"), n)
            st.progress(fake / n if n else 0.0, text=t("quiz.class_says", fake=fake, real=n - fake))
            if now_room.revealed:
                reveal(item, now)
        revealed = range(now_room.current + 1) if now_room.revealed else range(now_room.current)
        if revealed:
            majority = {r: "fake" if tot.said_fake * 2 > tot.answered else "real" for r, tot in totals.items()}
            class_right = sum(right(items[r], majority.get(r, "none")) for r in revealed)
            detector_right = sum(right(items[r], resources.quiz_round(items[r].key)["answer"]) for r in revealed)
            st.caption(t("quiz.class_vs_detector", cls=class_right, det=detector_right, n=len(revealed),
                         players=classroom().players(room.code)))

    board()


mode = st.segmented_control(t("quiz.mode"), ["solo", "student", "teacher"], key="quiz_mode",
                            default="student" if "room" in st.query_params else
                            "teacher" if "teach" in st.query_params else "solo",
                            format_func=lambda m: t(f"quiz.mode.{m}")) or "solo"
{"solo": solo, "student": student, "teacher": teacher}[mode]()
