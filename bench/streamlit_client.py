"""A small client that speaks Streamlit's own protocol, so one process can be forty browsers.

A browser talks to `streamlit run` over one websocket (`/_stcore/stream`): it sends ``BackMsg``
protobufs (run the page with these widget values; run this fragment again), and receives
``ForwardMsg`` protobufs (the page's elements as deltas, "the run finished", "rerun this fragment
every N seconds"), then fetches pictures over HTTP (`/media/...`) and sends uploads over HTTP PUT.
This client does the same with the `websockets` package and no browser: it keeps the page's
elements, clicks buttons and sets widgets by their keys, answers the page's timers like a browser
does (`auto_rerun`), fetches every picture it is shown, and uploads files the way the file uploader
does. What it does not do is draw: a phone's rendering time is not in its figures.

Used by bench/load.py (40 students) and tests/test_load.py (a smaller class).
"""

from __future__ import annotations

import asyncio
import http.client
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileUploaderState, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {0: "ok", 1: "compile_error", 2: "rerun", 3: "fragment_ok"}


@dataclass
class Widget:
    id: str
    kind: str  # the element's type: "button", "button_group", "text_input", ...
    fragment_id: str
    proto: object


@dataclass
class Page:
    """What one browser tab would show: elements by their place on the page."""

    elements: dict[tuple, tuple[str, object, str]] = field(default_factory=dict)  # path -> (kind, proto, fragment)

    def widgets(self) -> dict[str, Widget]:
        """Widgets by their user key (the part of the id after the last "-")."""
        out = {}
        for kind, proto, fragment in self.elements.values():
            wid = getattr(proto, "id", "")
            if wid.startswith("$$ID-") and "-" in wid[5:]:
                out[wid.rsplit("-", 1)[1] if wid.count("-") >= 2 else wid] = Widget(wid, kind, fragment, proto)
        return out

    def texts(self, kind: str | None = None) -> list[str]:
        out = []
        for k, proto, _ in self.elements.values():
            if kind and k != kind:
                continue
            if k in ("markdown", "text", "heading"):
                out.append(proto.body)
            elif k == "alert":
                out.append(proto.body)
            elif k == "metric":
                out.append(f"{proto.label}={proto.body}")
            elif k == "exception":
                out.append(f"EXCEPTION {proto.type}: {proto.message}")
        return out

    def text(self) -> str:
        return "\n".join(self.texts())

    def metric(self, label: str) -> str | None:
        for k, proto, _ in self.elements.values():
            if k == "metric" and proto.label == label:
                return proto.body
        return None

    def exceptions(self) -> list[str]:
        return [t for t in self.texts("exception")]

    def media(self) -> list[str]:
        urls = []
        for k, proto, _ in self.elements.values():
            if k == "imgs":
                urls += [img.url for img in proto.imgs if img.url.startswith("/media/")]
        return urls


class Session:
    """One browser tab on ``base`` (http://host:port), showing ``page`` with ``query``."""

    def __init__(self, base: str, page: str = "", query: str = "", locale: str = "en-US"):
        self.base, self.page_name, self.query, self.locale = base.rstrip("/"), page, query, locale
        self.page = Page()
        self.ws = None
        self.session_id: str | None = None
        self.page_hash = ""
        self.values: dict[str, WidgetState] = {}  # widget id -> the value this tab holds (sent with each run)
        self.timers: dict[str, float] = {}  # fragment id -> its auto-rerun interval
        self._finished = asyncio.Event()
        self._last_finish = ""
        self._reader: asyncio.Task | None = None
        self._ticker: asyncio.Task | None = None
        self._run_lock = asyncio.Lock()
        self._file_urls: dict[str, asyncio.Future] = {}
        self.xsrf: str | None = None
        self._seen_media: set[str] = set()  # pictures fetched once, as a browser caches them
        self.errors: list[str] = []

    # --- connection -----------------------------------------------------------------------------
    async def open(self, timeout: float = 120.0) -> float:
        """Load the page as a browser does (the HTML, then the websocket and the first run); seconds taken."""
        t0 = time.perf_counter()
        host = urllib.parse.urlsplit(self.base).netloc
        _, page_headers, _ = await asyncio.to_thread(_http, "GET", self.base + "/", None, {})
        # The page's script checks the server's health first; that answer sets the XSRF cookie uploads need.
        _, health_headers, _ = await asyncio.to_thread(_http, "GET", self.base + "/_stcore/health", None, {})
        cookie = next((v for k, v in page_headers + health_headers
                       if k.lower() == "set-cookie" and v.startswith("_streamlit_xsrf=")), None)
        self.xsrf = cookie.split(";", 1)[0].split("=", 1)[1] if cookie else None
        extra = {"Origin": self.base}
        if self.xsrf:
            extra["Cookie"] = f"_streamlit_xsrf={self.xsrf}"
        self.ws = await websockets.connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"],
                                           additional_headers=extra, max_size=256 * 2**20, open_timeout=timeout)
        self._reader = asyncio.create_task(self._read())
        await self.run(timeout=timeout)
        self._ticker = asyncio.create_task(self._tick())
        return time.perf_counter() - t0

    async def close(self) -> None:
        for task in (self._ticker, self._reader):
            if task:
                task.cancel()
        if self.ws:
            await self.ws.close()

    # --- runs -----------------------------------------------------------------------------------
    async def run(self, changes: list[WidgetState] = (), fragment_id: str = "", timeout: float = 120.0,
                  auto: bool = False) -> str:
        """Run the page (or one fragment) with the held widget values and ``changes``; wait for its end."""
        async with self._run_lock:
            msg = BackMsg()
            cs = msg.rerun_script
            cs.query_string = self.query
            cs.page_name = self.page_name
            cs.page_script_hash = self.page_hash
            cs.fragment_id = fragment_id
            cs.is_auto_rerun = auto
            cs.context_info.locale = self.locale
            held = dict(self.values)
            for w in changes:
                held[w.id] = w
            cs.widget_states.widgets.extend(held.values())
            for w in changes:  # a trigger fires once; a value stays
                if w.WhichOneof("value") not in ("trigger_value", "string_trigger_value", "json_trigger_value"):
                    self.values[w.id] = w
            self._finished.clear()
            if not fragment_id:
                self.page = Page()
            await self.ws.send(msg.SerializeToString())
            try:
                await asyncio.wait_for(self._finished.wait(), timeout)
            except TimeoutError:
                self.errors.append(f"run did not finish within {timeout:.0f} s")
                raise
            await self._fetch_media()
            return self._last_finish

    async def click(self, key: str, timeout: float = 120.0) -> str:
        w = self._widget(key)
        state = WidgetState(id=w.id, trigger_value=True)
        return await self.run([state], fragment_id=w.fragment_id, timeout=timeout)

    async def choose(self, key: str, label: str, timeout: float = 120.0) -> str:
        """Pick the option shown as ``label`` in a radio, select box, segmented control or pills."""
        w = self._widget(key)
        state = WidgetState(id=w.id)
        if w.kind == "button_group":
            state.string_array_value.data[:] = [label]
        else:
            state.string_value = label
        return await self.run([state], fragment_id=w.fragment_id, timeout=timeout)

    async def number(self, key: str, value: float, timeout: float = 120.0) -> str:
        w = self._widget(key)
        state = WidgetState(id=w.id)
        if isinstance(value, int) and w.proto.data_type == 1:  # NumberInput.INT
            state.int_value = value
        else:
            state.double_value = value
        return await self.run([state], fragment_id=w.fragment_id, timeout=timeout)

    async def upload(self, key: str, files: list[tuple[str, bytes]], timeout: float = 120.0) -> str:
        """Upload ``files`` through the uploader ``key``, as the browser's file uploader does."""
        w = self._widget(key)
        request_id = uuid.uuid4().hex
        msg = BackMsg()
        msg.file_urls_request.request_id = request_id
        msg.file_urls_request.file_names.extend(name for name, _ in files)
        msg.file_urls_request.session_id = self.session_id or ""
        future = asyncio.get_running_loop().create_future()
        self._file_urls[request_id] = future
        await self.ws.send(msg.SerializeToString())
        response = await asyncio.wait_for(future, timeout)
        if response.error_msg:
            raise RuntimeError(f"upload refused: {response.error_msg}")
        state = WidgetState(id=w.id)
        uploaded = FileUploaderState()
        for (name, data), urls in zip(files, response.file_urls):
            boundary = uuid.uuid4().hex
            body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                    f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
            headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
            if self.xsrf:
                headers |= {"X-Xsrftoken": self.xsrf, "Cookie": f"_streamlit_xsrf={self.xsrf}"}
            url = urls.upload_url if urls.upload_url.startswith("http") else self.base + urls.upload_url
            status, _, text = await asyncio.to_thread(_http, "PUT", url, body, headers)
            if status >= 300:
                raise RuntimeError(f"upload of {name} failed: HTTP {status} {text[:200]!r}")
            uploaded.uploaded_file_info.append(UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id,
                                                                file_urls=urls))
        state.file_uploader_state_value.CopyFrom(uploaded)
        return await self.run([state], fragment_id=w.fragment_id, timeout=timeout)

    def _widget(self, key: str) -> Widget:
        widgets = self.page.widgets()
        if key not in widgets:
            raise KeyError(f"no widget {key!r} on the page; there are {sorted(widgets)[:30]}")
        return widgets[key]

    # --- the wire -------------------------------------------------------------------------------
    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg)
        except (websockets.ConnectionClosed, asyncio.CancelledError):
            return

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            pass
        elif kind == "delta":
            delta = msg.delta
            which = delta.WhichOneof("type")
            path = tuple(msg.metadata.delta_path)
            if which == "new_element":
                el = delta.new_element
                etype = el.WhichOneof("type")
                self.page.elements[path] = (etype, getattr(el, etype), delta.fragment_id)
            elif which == "add_block":
                # A block replaced at this place drops what was drawn inside the old one.
                for p in [p for p in self.page.elements if p[: len(path)] == path and len(p) > len(path)]:
                    del self.page.elements[p]
        elif kind == "auto_rerun":
            self.timers[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            self.timers.clear()
        elif kind == "script_finished":
            self._last_finish = FINISHED.get(msg.script_finished, str(msg.script_finished))
            if msg.script_finished != 2:  # a run stopped for a newer one: the newer one ends later
                self._finished.set()
        elif kind == "file_urls_response":
            future = self._file_urls.pop(msg.file_urls_response.response_id, None)
            if future and not future.done():
                future.set_result(msg.file_urls_response)
        elif kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception":
            self.errors.append("script compilation exception")
        if msg.metadata.active_script_hash:
            self.page_hash = msg.metadata.active_script_hash
        if kind == "new_session" and msg.new_session.initialize.session_id:
            self.session_id = msg.new_session.initialize.session_id

    async def _tick(self) -> None:
        """Run each timed fragment again after its interval, as the browser's timers do."""
        last: dict[str, float] = {}
        try:
            while True:
                await asyncio.sleep(0.1)
                now = time.monotonic()
                for fragment, interval in list(self.timers.items()):
                    if now - last.get(fragment, now - interval) >= interval:
                        last[fragment] = now
                        try:
                            await self.run(fragment_id=fragment, auto=True)
                        except TimeoutError:
                            pass
        except asyncio.CancelledError:
            return

    async def _fetch_media(self) -> None:
        """Download every picture on the page once, as a browser does."""
        for url in self.page.media():
            if url not in self._seen_media:
                self._seen_media.add(url)
                await asyncio.to_thread(_http, "GET", self.base + url, None, {}, True)


def _http(method: str, url: str, body: bytes | None, headers: dict, raw: bool = False):
    parts = urllib.parse.urlsplit(url)
    con = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        con.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body, headers=headers)
        r = con.getresponse()
        data = r.read()
        return r.status, r.getheaders(), data if raw else data.decode("utf-8", "replace")
    finally:
        con.close()

