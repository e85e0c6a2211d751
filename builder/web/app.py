"""`teachpack serve`: the routes of the workbench, a thin layer over workbench.py and edit.py.

Pages are rendered on the server with Jinja2; htmx (served from static/) swaps in the build
progress, the preview and the measured reading grade. Every form works without it as well.
Every request needs the access token (given once in the address, then a cookie); every POST
carries the CSRF token of the page that made it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import html
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from builder import edit
from builder.core.errors import PackError, Problem, TeachpackError
from builder.core.limits import limit_bytes
from builder.importer import REPORT_FILE
from builder.load.loader import PACK_FILE, level_article_path
from builder.web import parts
from builder.web.editors import LOGO_TYPES, PARTS, logo_upload
from builder.web.workbench import PAGE_DPI, THUMBNAIL_DPI, PackInfo, Workbench, when

HERE = Path(__file__).parent
COOKIE = "teachpack_token"
EDITIONS = ("student", "teacher")
NAV = (("details", "Details"), ("glossary", "Glossary"), ("timeline", "Timeline"), ("worksheet", "Worksheet"),
       ("levels", "Level texts"), ("spelling", "Spelling"), ("pictures", "Pictures"), ("theme", "Theme"),
       ("preview", "Preview"))


def create_app(workspace: Path, token: str | None = None) -> Starlette:
    """The workbench for the pack folders in `workspace`; every request must carry `token`."""
    token = token or secrets.token_urlsafe(18)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["shown"] = lambda value, f, levels: parts.shown(f, value, levels)
    env.globals.update(nav=NAV, type_name=parts.type_name, fingerprint=parts.fingerprint, when=when, editions=EDITIONS)
    csrf = hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()
    bench = Workbench(workspace)

    def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(template).render(csrf=csrf, request=request, **context)
        return HTMLResponse(html, status_code=status)

    async def form_of(request: Request) -> Posted:
        """The posted form, its CSRF token checked; uploads bounded in count and size, read and closed."""
        async with request.form(max_files=2, max_fields=5000, max_part_size=limit_bytes("source")) as form:
            posted = Posted()
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    if value.filename:
                        posted.uploads[key] = (value.filename, await value.read())
                else:
                    posted.values.setdefault(key, []).append(value)
        given = posted.get("csrf") or request.headers.get("x-csrf-token", "")
        if not hmac.compare_digest(given, csrf):
            raise TeachpackError("this form is out of date (its security token does not match); reload the page "
                                 "and send it again")
        return posted

    # --- library and import -------------------------------------------------------------------------

    async def library(request: Request) -> Response:
        return page(request, "library.html", packs=[bench.info(name) for name in bench.names()],
                    workspace=bench.workspace)

    async def new_pack(request: Request) -> Response:
        if request.method == "GET":
            return page(request, "new.html", error="", pasted="")
        form = await form_of(request)
        pasted = form.get("pasted")
        try:
            if "article" in form.uploads:
                name = await run_in_threadpool(bench.import_article, *form.uploads["article"])
            elif pasted.strip():
                name = await run_in_threadpool(bench.import_article, "pasted.txt", pasted.encode())
            else:
                raise TeachpackError("choose an article file or paste the article's text, then press Import")
        except TeachpackError as exc:
            return page(request, "new.html", status=400, error="; ".join(exc.lines()), pasted=pasted)
        return RedirectResponse(f"/packs/{name}?imported=1", status_code=303)

    # --- one pack ----------------------------------------------------------------------------------

    def pack_page(request: Request, info: PackInfo, template: str, part: str, status: int = 200,
                  **context: Any) -> HTMLResponse:
        """A page of the pack editor, for the pack as `info` (loaded by the handler) shows it."""
        context.setdefault("since", edit.digest(info.folder / PACK_FILE))
        context.setdefault("problems", [])
        context.setdefault("saved", "")
        return page(request, template, status=status, info=info, name=info.name, part=part,
                    can_undo=bool(edit.undo_steps(info.folder)), levels=_level_ids(info), **context)

    async def overview(request: Request) -> Response:
        name = request.path_params["name"]
        info = bench.info(name)
        result = None
        if info.pack is not None:
            try:
                result = await run_in_threadpool(bench.check, name)
            except PackError:
                result = None
        report = info.folder / REPORT_FILE
        todo = _todo_items(report.read_text(encoding="utf-8")) if report.is_file() else []
        review = _review(result.warnings) if result else []
        return pack_page(request, info, "overview.html", "overview", result=result, todo=todo, review=review,
                         imported=bool(request.query_params.get("imported")),
                         build=bench.builds.get(name), error="",
                         files=bench.download_rows(info.pack) if info.pack else [])

    def saved_data(name: str) -> dict[str, Any]:
        import yaml

        text = (bench.folder(name) / PACK_FILE).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        return data if isinstance(data, dict) else {}

    async def part_page(request: Request) -> Response:
        """The editor of one part: GET shows it; POST applies an add/remove/move or saves it."""
        name, part = request.path_params["name"], request.path_params["part"]
        if part not in PARTS:
            return page(request, "error.html", status=404, message=f"no part {part!r}; choose one of the tabs")
        info = bench.info(name)
        if info.pack is None:
            return pack_page(request, info, "broken.html", part, status=409, text=_pack_text(info.folder))
        data = saved_data(name)
        levels = _level_ids(info)
        if part == "spelling":
            info.misspellings = (await run_in_threadpool(bench.check, name)).misspellings
        if request.method == "GET":
            return pack_page(request, info, f"{part}.html", part, **PARTS[part].show(data, levels, info))
        form = await form_of(request)
        entries = form.values
        since = entries.get("since", [""])[-1]
        action = entries.get("action", ["save"])[-1]
        changes = PARTS[part].read(entries, data, levels)
        if action != "save":  # a row added, removed or moved: shown, not yet saved
            changes = PARTS[part].act(action, changes, entries)
            return pack_page(request, info, f"{part}.html", part, since=since, dirty=True,
                             **PARTS[part].show(_applied(data, changes), levels, info))
        uploads = {}
        if part == "theme" and "logo" in form.uploads:
            filename, data_bytes = form.uploads["logo"]
            uploads = logo_upload(data_bytes, filename, changes)
        try:
            await run_in_threadpool(edit.save_pack_yaml, info.folder, parts.without_sources(changes), since,
                                    also=uploads, also_since={n: edit.digest(info.folder / n) for n in uploads})
        except PackError as exc:
            return pack_page(request, info, f"{part}.html", part, status=422, since=since, dirty=True,
                             problems=exc.problems, **PARTS[part].show(_applied(data, changes), levels, info))
        except TeachpackError as exc:
            return pack_page(request, info, f"{part}.html", part, status=409, since=since, dirty=True,
                             problems=[Problem("", None, "", line) for line in exc.lines()],
                             **PARTS[part].show(_applied(data, changes), levels, info))
        info = bench.info(name)
        if info.pack is not None:
            bench.prefetch(name, *_preview_choice(request, info))
        response = pack_page(request, info, f"{part}.html", part, saved="Saved.",
                             **PARTS[part].show(saved_data(name), levels, info))
        response.headers["HX-Trigger"] = "saved"
        return response

    async def raw(request: Request) -> Response:
        """pack.yaml as text, for a pack the forms cannot show (it does not load): saved only once it does."""
        name = request.path_params["name"]
        form = await form_of(request)
        info = bench.info(name)
        text = form.get("text").replace("\r\n", "\n")
        try:
            await run_in_threadpool(edit.save, info.folder, {PACK_FILE: text.encode()}, {PACK_FILE: form.get("since")})
        except PackError as exc:
            return pack_page(request, info, "broken.html", "details", status=422, text=text, problems=exc.problems,
                             since=form.get("since"))
        return RedirectResponse(f"/packs/{name}?note=Saved pack.yaml: the pack loads again.", status_code=303)

    async def status(request: Request) -> Response:
        """A pack's check status for its row on the library page (htmx): the check takes a moment per pack."""
        name = request.path_params["name"]
        try:
            result = await run_in_threadpool(bench.check, name)
        except PackError as exc:
            return HTMLResponse(f'<span class="bad">{len(exc.problems)} problem(s) to fix</span>')
        count = len(result.warnings)
        return HTMLResponse('<span class="ok">Ready</span>' + (f" · {count} to review" if count else ""))

    async def undo(request: Request) -> Response:
        name = request.path_params["name"]
        await form_of(request)
        folder = bench.folder(name)
        try:
            restored = edit.undo_last_save(folder)
            note = "Undid the last save of " + ", ".join(restored) + "."
        except TeachpackError as exc:
            note = "; ".join(exc.lines())
        back = request.headers.get("referer", f"/packs/{name}")
        return RedirectResponse(f"{back.split('?')[0]}?note={note}", status_code=303)

    async def level_texts(request: Request) -> Response:
        """The level texts: the original beside each level's rewrite; saving writes article.<level>.md."""
        name = request.path_params["name"]
        info = bench.info(name)
        if info.pack is None:
            return pack_page(request, info, "broken.html", "levels", status=409, text=_pack_text(info.folder))
        pack = info.pack
        level_id = request.query_params.get("level") or (pack.levels[-1].id if pack.levels else "")
        chosen = next((lv for lv in pack.levels if lv.id == level_id), pack.levels[0])
        path = level_article_path(pack.article_path, chosen.id)
        context: dict[str, Any] = {}
        if request.method == "POST":
            entries = (await form_of(request)).values
            text = entries.get("text", [""])[-1].replace("\r\n", "\n")
            try:
                await run_in_threadpool(edit.save, info.folder, {path.name: text.encode()},
                                        {path.name: entries.get("since", [""])[-1]})
                context["saved"] = f"Saved {path.name}."
                bench.prefetch(name, *_preview_choice(request, bench.info(name)))
            except PackError as exc:
                context.update(problems=exc.problems, text=text, since=entries.get("since", [""])[-1])
            except TeachpackError as exc:
                context.update(problems=[Problem("", None, "", line) for line in exc.lines()], text=text,
                               since=entries.get("since", [""])[-1])
            info = bench.info(name)
            pack = info.pack or pack
        if "text" not in context:
            context["text"] = path.read_text(encoding="utf-8") if path.is_file() else _starting(pack, chosen)
        context.setdefault("since", edit.digest(path))
        response = pack_page(request, info, "levels.html", "levels", level=chosen, file=path.name,
                             exists=path.is_file(), original=pack.article_text,
                             **_measured(context["text"], chosen), **context)
        if context.get("saved"):
            response.headers["HX-Trigger"] = "saved"
        return response

    async def pictures(request: Request) -> Response:
        """The article's pictures: each shown, with its alt text; a placeholder or any picture replaced by an
        upload (a PNG or JPEG; the article is pointed at the new file when its kind changes the name)."""
        from builder.importer.draft import placeholder_png

        name = request.path_params["name"]
        info = bench.info(name)
        if info.pack is None:
            return pack_page(request, info, "broken.html", "pictures", status=409, text=_pack_text(info.folder))
        pack = info.pack
        context: dict[str, Any] = {}
        if request.method == "POST":
            form = await form_of(request)
            src = form.get("src")
            known = {image.src for image in pack.article.images}
            if src not in known or "picture" not in form.uploads:
                raise TeachpackError("choose a picture file for one of the article's pictures, then press Replace")
            filename, data = form.uploads["picture"]
            suffix = next((s for magic, s in LOGO_TYPES.items() if data.startswith(magic)), None)
            if suffix is None:
                raise TeachpackError(f"{filename}: a picture must be a PNG or JPEG file; save it as one and upload it "
                                     "again")
            target = str(Path(src).with_suffix(suffix)) if Path(src).suffix.casefold() not in (
                (".jpg", ".jpeg") if suffix == ".jpg" else (".png",)) else src
            contents = {target: data}
            since = {target: edit.digest(info.folder / target)}
            if target != src:  # a JPEG for a .png placeholder: the article names the new file
                article = pack.article_path
                text = article.read_text(encoding="utf-8")
                contents[article.name] = text.replace(f"]({src})", f"]({target})").encode()
                since[article.name] = edit.digest(article)
            try:
                await run_in_threadpool(edit.save, info.folder, contents, since)
                context["saved"] = f"Replaced {src}" + (f" with {target}." if target != src else ".")
                bench.prefetch(name, *_preview_choice(request, bench.info(name)))
            except PackError as exc:
                context["problems"] = exc.problems
            info = bench.info(name)
            pack = info.pack or pack
        placeholder = placeholder_png()
        shown = []
        for image in pack.article.images:
            path = pack.article_path.parent / image.src
            data = path.read_bytes() if path.is_file() else b""
            shown.append({"src": image.src, "alt": image.alt, "line": image.line, "placeholder": data == placeholder,
                          "missing": not data})
        response = pack_page(request, info, "pictures.html", "pictures", pictures=shown, **context)
        if context.get("saved"):
            response.headers["HX-Trigger"] = "saved"
        return response

    async def picture(request: Request) -> Response:
        """One of the article's pictures, as the pack folder holds it (for the Pictures tab)."""
        name, src = request.path_params["name"], request.path_params["src"]
        info = bench.info(name)
        if info.pack is None or src not in {image.src for image in info.pack.article.images}:
            return Response(status_code=404)
        path = info.pack.article_path.parent / src
        kind = "image/png" if path.read_bytes()[:4] == b"\x89PNG" else "image/jpeg"
        return Response(path.read_bytes(), media_type=kind)

    async def measure(request: Request) -> Response:
        """The reading grade of the text being typed, for the level texts page (htmx)."""
        form = await form_of(request)
        name = request.path_params["name"]
        info = bench.info(name)
        level_id = form.get("level")
        level = next((lv for lv in info.pack.levels if lv.id == level_id), None) if info.pack else None
        if level is None:
            return HTMLResponse("")
        return page(request, "measure.html", **_measured(form.get("text"), level))

    async def warnings(request: Request) -> Response:
        """The check's warnings about one part, beside its editor (htmx, refreshed after each save)."""
        name, part = request.path_params["name"], request.query_params.get("part", "")
        try:
            result = await run_in_threadpool(bench.check, name)
        except PackError:
            return HTMLResponse("")
        found = next((group for label, key, group in _review(result.warnings) if key == part), [])
        return page(request, "warnings.html", warnings=found)

    async def preview(request: Request) -> Response:
        name = request.path_params["name"]
        info = bench.info(name)
        if info.pack is None:
            return pack_page(request, info, "broken.html", "preview", status=409, text=_pack_text(info.folder))
        level, edition = _preview_choice(request, info)
        fragment = request.headers.get("hx-request") == "true" and request.query_params.get("strip")
        try:
            key, pages = await run_in_threadpool(bench.preview, name, level, edition,
                                                 THUMBNAIL_DPI if fragment else PAGE_DPI)
            error = ""
        except TeachpackError as exc:
            key, pages, error = "", [], "; ".join(exc.lines())
        template = "preview_strip.html" if fragment else "preview.html"
        response = pack_page(request, info, template, "preview", level=level, edition=edition, key=key,
                             count=len(pages), error=error)
        if fragment:
            response.headers["HX-Trigger-After-Settle"] = "previewed"  # the check beside the form, after the pages
        else:
            response.set_cookie("preview_level", level, samesite="strict", httponly=True)
            response.set_cookie("preview_edition", edition, samesite="strict", httponly=True)
        return response

    async def preview_page(request: Request) -> Response:
        name, level, edition = (request.path_params[k] for k in ("name", "level", "edition"))
        number = request.path_params["number"]
        size = PAGE_DPI if request.query_params.get("size") == "page" else THUMBNAIL_DPI
        image = await run_in_threadpool(bench.page, name, request.query_params.get("v", ""), level, edition, size,
                                        number)
        if image is None:
            return Response(status_code=404)
        return Response(image, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})

    async def build(request: Request) -> Response:
        name = request.path_params["name"]
        await form_of(request)
        try:
            state = bench.start_build(name)
        except TeachpackError as exc:
            return page(request, "build_status.html", name=name, build=None, error="; ".join(exc.lines()),
                        files=[])
        if request.headers.get("hx-request") != "true":
            return RedirectResponse(f"/packs/{name}", status_code=303)
        return page(request, "build_status.html", name=name, build=state, error="", files=[])

    async def build_status(request: Request) -> Response:
        name = request.path_params["name"]
        info = bench.info(name)
        state = bench.builds.get(name)
        response = page(request, "build_status.html", name=name, build=state, error="",
                        files=bench.download_rows(info.pack) if info.pack and state and not state.running else [])
        if state is not None and not state.running:
            response.status_code = 286  # htmx stops polling on 286
        return response

    async def download(request: Request) -> Response:
        name, file = request.path_params["name"], request.path_params["file"]
        info = bench.info(name)
        if info.pack is None:
            return Response(status_code=404)
        if file == "all.zip":
            return Response(bench.zip_of(info.pack), media_type="application/zip",
                            headers={"Content-Disposition": f'attachment; filename="{info.pack.id}.zip"'})
        match = next((p for p in bench.built_files(info.pack) if p.name == file), None)
        if match is None:
            return page(request, "error.html", status=404, message=f"{file}: not built yet; press Build first")
        return FileResponse(match, filename=match.name)

    async def check_date(request: Request) -> Response:
        """Whether the date being typed reads as one (the timeline's Date fields, htmx)."""
        from builder.core.dates import parse_date

        form = await form_of(request)
        text = next((v[-1] for k, v in form.values.items() if k.endswith(".date")), "").strip()
        if not text:
            return HTMLResponse("")
        try:
            span = parse_date(text)
        except ValueError as exc:
            return HTMLResponse(f'<span class="bad">{html.escape(str(exc))}</span>')
        return HTMLResponse(f'<span class="ok">reads as {html.escape(span.label())}</span>')

    routes = [
        Route("/", library),
        Route("/check-date", check_date, methods=["POST"]),
        Route("/new", new_pack, methods=["GET", "POST"]),
        Route("/packs/{name}", overview),
        Route("/packs/{name}/levels", level_texts, methods=["GET", "POST"]),
        Route("/packs/{name}/levels/measure", measure, methods=["POST"]),
        Route("/packs/{name}/pictures", pictures, methods=["GET", "POST"]),
        Route("/packs/{name}/pictures/{src:path}", picture),
        Route("/packs/{name}/preview", preview),
        Route("/packs/{name}/warnings", warnings),
        Route("/packs/{name}/preview/{level}/{edition}/{number:int}.jpg", preview_page),
        Route("/packs/{name}/undo", undo, methods=["POST"]),
        Route("/packs/{name}/raw", raw, methods=["POST"]),
        Route("/packs/{name}/status", status),
        Route("/packs/{name}/build", build, methods=["POST"]),
        Route("/packs/{name}/build/status", build_status),
        Route("/packs/{name}/files/{file}", download),
        Route("/packs/{name}/{part}", part_page, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    async def errors(request: Request, exc: Exception) -> Response:
        message = "; ".join(exc.lines()) if isinstance(exc, TeachpackError) else str(exc)
        return page(request, "error.html", status=400, message=message)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            bench.renderer.stop()

    app = Starlette(routes=routes, middleware=[Middleware(TokenMiddleware, token=token)],
                    exception_handlers={TeachpackError: errors}, lifespan=lifespan)
    app.state.token = token
    app.state.bench = bench
    return app


@dataclass
class Posted:
    """A posted form: its values by name, and its uploads (file name, bytes) by field."""

    values: dict[str, list[str]] = field(default_factory=dict)
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def get(self, key: str) -> str:
        return self.values.get(key, [""])[-1]


class TokenMiddleware(BaseHTTPMiddleware):
    """Every request carries the access token: `?token=` once (then kept in a cookie) or the cookie."""

    def __init__(self, app: Any, token: str) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        given = request.query_params.get("token")
        if given is not None and hmac.compare_digest(given, self.token):
            redirect = RedirectResponse(request.url.remove_query_params("token"), status_code=303)
            redirect.set_cookie(COOKIE, self.token, httponly=True, samesite="strict")
            return redirect
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit_bytes("source") + 1_000_000:
            return HTMLResponse("<!doctype html><html lang=en><title>Too large</title><main><h1>That file is too "
                                f"large</h1><p>The workbench takes files up to {limit_bytes('source') // 1_000_000} "
                                "MB. Save a smaller copy (the article's text alone) and try again.</p></main></html>",
                                status_code=413)
        if not hmac.compare_digest(request.cookies.get(COOKIE, ""), self.token):
            return HTMLResponse("<!doctype html><html lang=en><title>teachpack: address needed</title><main><h1>Open "
                                "the address teachpack printed</h1><p>This workbench only answers the address "
                                "<code>teachpack serve</code> printed when it started (it holds an access token). "
                                "Copy it from the terminal into the address bar.</p></main></html>", status_code=403)
        response = await call_next(request)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                                    "style-src 'self'; script-src 'self'; frame-ancestors 'none'")
        return response


def _preview_choice(request: Request, info: Any) -> tuple[str, str]:
    """The level and edition to preview: asked for in the address, else last chosen (a cookie), else the first."""
    ids = [lv.id for lv in info.pack.levels]
    level = request.query_params.get("level") or request.cookies.get("preview_level") or ids[0]
    edition = request.query_params.get("edition") or request.cookies.get("preview_edition") or "student"
    return (level if level in ids else ids[0]), (edition if edition in EDITIONS else "student")


def _level_ids(info: Any) -> list[str]:
    if info.pack is not None:
        return [level.id for level in info.pack.levels]
    return []


def _pack_text(folder: Path) -> str:
    try:
        return (folder / PACK_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _todo_items(report: str) -> list[str]:
    """The to-do list of an import report (import-report.md): its numbered lines."""
    import re

    from builder.importer.report import TODO_HEADING

    lines = report.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == TODO_HEADING), None)
    if start is None:
        return []
    items = []
    for line in lines[start + 1:]:
        if line.startswith("## "):
            break
        if match := re.match(r"^\s*(?:\d+\.|[-*])\s+(.*)", line):
            items.append(match[1].replace("`", "").replace("\\", ""))
    return items


_TAB_OF_CODE = {"TP101": "spelling", "TP203": "pictures", "TP405": "pictures", "TP501": "pictures",
                "TP209": "levels", "TP301": "levels", "TP502": "theme"}


def _review(warnings: list[Problem]) -> list[tuple[str, str, list[Problem]]]:
    """The check's warnings by the tab that fixes them: (tab label, address, warnings), in tab order."""
    tabs = {key: label for key, label in NAV}
    grouped: dict[str, list[Problem]] = {}
    for warning in warnings:
        head = warning.path.split("[")[0].split(".")[0]
        key = _TAB_OF_CODE.get(warning.code) or (head if head in tabs else "details")
        grouped.setdefault(key, []).append(warning)
    return [(tabs[key], key, grouped[key]) for key, _ in NAV if key in grouped]


def _starting(pack: Any, level: Any) -> str:
    """A new level text: the article's sections the level prints, its hard sentences marked."""
    from builder.importer.levels import starting_text

    return starting_text(pack.article_text, pack.file.sections.get(level.id), level.reading_band[1],
                         level.rare_zipf)[0]


def _measured(text: str, level: Any) -> dict[str, Any]:
    """The reading grade of a level text as printed (review marks out) and its hardest sentences."""
    from builder.check.drafting import hardest_sentences
    from builder.check.readability import measure, printed_text
    from builder.load.article import parse_article, without_review_marks

    plain, marked = without_review_marks(text)
    prose = printed_text(parse_article(plain).sections)
    reading = measure(prose)
    band = level.reading_band
    return {"grade": reading.flesch_kincaid, "band": band, "words": reading.words, "marked": len(marked),
            "hard": hardest_sentences(prose, band[1], level.rare_zipf)}


def _applied(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """pack.yaml's data with a form's changes over it (a key set to edit.DELETE gone): what the form shows."""
    merged = {**data, **changes}
    return {key: value for key, value in merged.items() if value is not edit.DELETE}
