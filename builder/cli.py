"""The `teachpack` command: options in, one library call, errors out as one line each."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer

from builder import __version__
from builder.core.errors import TeachpackError

app = typer.Typer(
    name="teachpack",
    help="Build printable lesson packs (PDF and DOCX) for several grade levels from one article.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"teachpack {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Build printable lesson packs (PDF and DOCX) for several grade levels from one article."""


@app.command()
def build(
    packs: Annotated[
        list[Path] | None, typer.Argument(help="Pack folders (each holds a pack.yaml).", show_default=False)
    ] = None,
    all_in: Annotated[
        Path | None, typer.Option("--all", help="Build every pack folder inside this folder.", show_default=False)
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("dist"),
    level: Annotated[
        list[str] | None, typer.Option("--level", "-l", help="Build only this level (repeatable).")
    ] = None,
    fmt: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="pdf, docx, brf (braille, student edition), "
                                                 "qti, qti21, moodle, gift or kahoot (the quiz, teacher edition), "
                                                 "moodle-glossary, quizlet or anki (the glossary); repeatable; "
                                                 "default pdf and docx.")
    ] = None,
    edition: Annotated[
        list[str] | None, typer.Option("--edition", "-e", help="student or teacher (repeatable; default both).")
    ] = None,
    variants: Annotated[int, typer.Option("--variants", help="Forms A, B, ... with reshuffled activities.")] = 1,
    profile: Annotated[
        list[str] | None, typer.Option("--profile", "-p", help="Access preset: dyslexia or large-print (repeatable).")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors (for CI).")] = False,
    allow: Annotated[
        list[str] | None,
        typer.Option("--allow", help="With --strict, let warnings of this code through, e.g. TP301 (repeatable)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: one per CPU).")
    ] = None,
    job_timeout: Annotated[
        float, typer.Option("--job-timeout", min=0, help="Seconds one file may take before it is stopped "
                            "and fails (0: no limit).")
    ] = 300,
    shard: Annotated[
        str | None, typer.Option("--shard", help="Build only part K of N of the jobs, e.g. 2/3 (CI fan-out).")
    ] = None,
    list_jobs: Annotated[
        bool, typer.Option("--list-jobs", help="Print the jobs and whether each is up to date; build nothing.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Rebuild files that are up to date.")] = False,
    templates: Annotated[
        list[Path] | None,
        typer.Option("--templates", "-t", help="Template folder searched before the built-ins (repeatable)."),
    ] = None,
    reference_docx: Annotated[
        Path | None, typer.Option("--reference-docx", help="Word file whose styles the DOCX uses.")
    ] = None,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace", "-w", help="Folder with teachpack.yaml and templates/ (default: the packs' folder)."
        ),
    ] = None,
    pdf_variant: Annotated[
        str, typer.Option("--pdf-variant", help="pdf/ua-1 (tagged, accessible), pdf/ua-2, or none (untagged).")
    ] = "pdf/ua-1",
    braille_grade: Annotated[
        int, typer.Option("--braille-grade", help="With --format brf: Unified English Braille grade 2 (contracted) "
                          "or 1 (uncontracted).")
    ] = 2,
) -> None:
    """Build every level of each pack, student and teacher editions, as PDF and DOCX into OUT/<pack-id>/
    (and the student edition in braille, with --format brf).

    Files whose inputs have not changed since the last build are skipped; OUT/manifest.json lists every file.
    """
    from builder.build import build_pack, find_packs, plan_build
    from builder.options import BuildOptions, Shard
    from builder.release.jobs import Interrupted, default_workers
    from builder.release.progress import BuildProgress

    folders = [*(packs or []), *(find_packs(all_in) if all_in else [])]
    if not folders:
        raise TeachpackError("give pack folders, or --all with the folder that holds them")
    options = BuildOptions(
        levels=tuple(level or ()), formats=tuple(fmt or ()) or BuildOptions.formats,
        editions=tuple(edition or ()) or BuildOptions.editions, variants=variants, profiles=tuple(profile or ()),
        shard=None if shard is None else Shard.parse(shard), force=force, template_dirs=tuple(templates or ()),
        reference_docx=reference_docx, braille_grade=braille_grade,
        workspace=workspace, pdf_variant=pdf_variant, strict=strict, allow=frozenset(allow or ()),
        jobs=jobs or default_workers(), job_timeout=job_timeout,
    )
    if list_jobs:
        planned = plan_build(folders, out, options)
        for job in planned.jobs:
            typer.echo(f"{'up-to-date' if job.path in planned.fresh else 'build':<10} {job.path}")
        return
    progress = BuildProgress(quiet)
    try:
        try:
            build_pack(folders, out, options, on_warning=lambda w: typer.echo(f"warning: {w}", err=True),
                       on_start=progress.start, on_job=progress.job)
        finally:
            progress.finish()
    except Interrupted as exc:  # SIGINT or SIGTERM: one line, and the exit code a shell gives that signal
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None


@app.command()
def verify(
    out: Annotated[Path, typer.Argument(help="The output folder of a build (holds manifest.json).")] = Path("dist"),
) -> None:
    """Recheck every file in OUT/manifest.json: exit 1 if one is missing or changed, or a file is not listed."""
    from builder.release.manifest import verify as verify_files

    typer.echo(f"{out}: {verify_files(out)} file(s) match the manifest")


@app.command()
def check(
    pack: Annotated[Path, typer.Argument(help="Pack folder (holds pack.yaml).", show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors (for CI).")] = False,
    allow: Annotated[
        list[str] | None,
        typer.Option("--allow", help="With --strict, let warnings of this code through, e.g. TP301 (repeatable)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    a11y: Annotated[
        bool, typer.Option("--a11y", help="Also build every PDF and DOCX in memory and check their accessibility.")
    ] = False,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace", "-w", help="Folder with teachpack.yaml and templates/ (default: the pack's folder)."
        ),
    ] = None,
    questions: Annotated[
        bool, typer.Option("--questions", help="Print every level's worksheet questions and keys, to review them.")
    ] = False,
) -> None:
    """Validate a pack without building it: reading level per level, and what still needs a teacher's eye."""
    from builder.check.checks import check_pack
    from builder.options import BuildOptions

    waiver = BuildOptions(strict=strict, allow=frozenset(allow or ()))  # checked before the pack is read
    result = check_pack(pack, a11y=a11y, workspace=workspace)
    refused = waiver.refused(result.warnings)
    if questions:
        from builder.check.questions import question_lines

        for line in question_lines(result.documents):
            typer.echo(line)
        raise typer.Exit(2 if refused else 0)
    if as_json:
        import json

        typer.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        if refused:
            raise typer.Exit(2)
        return
    for note in result.notes:
        typer.echo(f"note: {note}")
    levels = ", ".join(dict.fromkeys(d.level.id for d in result.documents))
    typer.echo(f"{'level':<12} {'words':>6} {'sentences':>9} {'FK grade':>8} {'C-L index':>9}  {'band':<7} verdict")
    for row in result.readings:
        low, high = row.level.reading_band
        typer.echo(f"{row.level.id:<12} {row.reading.words:>6} {row.reading.sentences:>9} "
                   f"{row.reading.flesch_kincaid:>8.1f} {row.reading.coleman_liau:>9.1f}  {f'{low:g}-{high:g}':<7} "
                   f"{row.verdict}")
    for level_id, hard in result.hard.items():
        typer.echo(f"Hardest sentences for {level_id} (write them plainer in article.{level_id}.md):")
        for h in hard:
            typer.echo(f"  grade {h.grade:>4.1f}, {h.words} words: {h.sentence[:110]}"
                       + ("…" if len(h.sentence) > 110 else ""))
            for suggestion in h.suggestions:
                typer.echo(f"      - {suggestion}")
    if result.misspellings:
        typer.echo("Spelling (fix it, or add the word to dictionary: or corrections: in pack.yaml):")
        for m in result.misspellings:
            fix = f" -> {m.suggestion}" if m.suggestion else ""
            typer.echo(f"  {m.word}{fix}" + (f" ({m.count}x)" if m.count > 1 else ""))
    if result.vocabulary:
        typer.echo("Glossary candidates (rare for the level's grades, not in the glossary; the rarest first):")
        by_level: dict[str, list[Any]] = {}
        for r in result.vocabulary:
            by_level.setdefault(r.level, []).append(r)
        for level, words in by_level.items():
            for r in sorted(words, key=lambda r: r.zipf)[:CANDIDATES_SHOWN]:
                typer.echo(f"  {r.level:<11} {r.word:<16} Zipf {r.zipf:<5} {r.sentence[:70]}")
            if len(words) > CANDIDATES_SHOWN:
                typer.echo(f"  {level:<11} ... and {len(words) - CANDIDATES_SHOWN} more (`teachpack check --json` "
                           "lists them all)")
    if result.accessibility:
        from builder.check.a11y import report_lines

        typer.echo("Accessibility (every PDF and DOCX, built in memory):")
        for line in report_lines(result.accessibility):
            typer.echo(f"  {line}")
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if refused:
        raise TeachpackError(f"{len(refused)} warning(s) and --strict is set")
    typer.echo(f"{pack}: OK ({levels})" + (f", {len(result.warnings)} warning(s)" if result.warnings else ""))


@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="The article: .txt, .md, .html or .docx.", show_default=False)],
    into: Annotated[Path, typer.Option("--into", help="Pack folder to make, e.g. packs/my-topic.", show_default=False)],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="txt, md, html or docx (default: by name).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the pack already in the folder.")] = False,
    update: Annotated[bool, typer.Option("--update", help="Import again into the pack: refresh what was drafted, "
                                         "keep what you edited.")] = False,
    levels: Annotated[bool, typer.Option("--levels", help="Also write article.<level>.md starting points for the "
                                         "levels that read above their band, hard sentences marked.")] = False,
) -> None:
    """Turn a raw article into a draft pack (article.md, pack.yaml, images/) and an import report."""
    from builder.importer import import_source
    from builder.importer.report import summary

    for line in summary(import_source(source, into, fmt=fmt, force=force, update=update)):
        typer.echo(line)
    if levels:
        from builder.importer.levels import write_starting_points

        for line in write_starting_points(into):
            typer.echo(line)


@app.command()
def serve(
    workspace: Annotated[
        Path | None, typer.Argument(help="The folder holding the pack folders (default: ./packs if there is one, "
                                   "else the current folder).", show_default=False)
    ] = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8765,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; anything but 127.0.0.1 lets other "
                                      "computers in.")] = "127.0.0.1",
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open the browser.")] = False,
) -> None:
    """Start the workbench: a local web page to import articles, edit packs, preview pages and download files."""
    from builder.web.server import default_workspace
    from builder.web.server import serve as run

    run(workspace or default_workspace(), host=host, port=port, open_browser=not no_browser, say=typer.echo)


templates_app = typer.Typer(help="List the templates in use, or copy built-in ones into a workspace to edit.",
                            no_args_is_help=True)
app.add_typer(templates_app, name="templates")


# What `templates list` says a template (or block) gives the DOCX (TemplateInfo.docx; docs/templates.md).
DOCX_USE = {"no": "DOCX: no (PDF only)", "yes": "DOCX: yes (the picture)", "only": "DOCX: only (Word styles)",
            "blocks": "DOCX: some blocks", "block": "DOCX: yes (its words)"}


@templates_app.command("list")
def templates_list(
    workspace: Annotated[
        Path, typer.Argument(help="The folder holding the packs (its templates/ folder is searched).")
    ] = Path("."),
    templates: Annotated[
        list[Path] | None, typer.Option("--templates", "-t", help="Template folder, searched first (repeatable).")
    ] = None,
) -> None:
    """Show every template name, the file that is used, and what it overrides."""
    from builder.core.paths import search_path
    from builder.render.html.templates import list_templates

    dirs = search_path(tuple(templates or ()), workspace)
    listed = list_templates(dirs)
    width = max(18, *(len(info.name) for info in listed))
    for info in listed:
        if info.extends_builtin:
            note = f"extends builtin/{info.name}"
        elif info.shadows:
            note = "replaces the built-in"
        elif info.source.parent in dirs:
            note = "new"
        else:
            note = "built-in"
        typer.echo(f"{info.name:<{width}} {note:<30} {DOCX_USE[info.docx]:<26} {info.source}")
        for block, in_docx in info.blocks:
            typer.echo(f"{'  block ' + block:<{width}} {'':<30} {DOCX_USE['block' if in_docx else 'no']}")


@templates_app.command("eject")
def templates_eject(
    name: Annotated[
        str | None, typer.Argument(help="Template to copy, e.g. worksheet.html.", show_default=False)
    ] = None,
    to: Annotated[Path, typer.Option("--to", help="Folder to copy into.")] = Path("templates"),
    all_: Annotated[bool, typer.Option("--all", help="Copy every built-in template.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that exist.")] = False,
) -> None:
    """Copy a built-in template (or all of them) into the workspace to edit it."""
    from builder.render.html.templates import eject

    if (name is None) == (not all_):
        raise TeachpackError("give a template name or --all, not both; see `teachpack templates list`")
    for path in eject(None if all_ else name, to, force):
        typer.echo(f"copied {path}")


CANDIDATES_SHOWN = 12  # glossary candidates printed per level: a glossary holds 8 to 15 terms


def main() -> None:
    """Console entry point: user errors become one line each and exit code 2 (1 for failed builds)."""
    try:
        app()  # standalone mode: Typer reports its own usage errors and exits 2
    except TeachpackError as exc:
        for line in exc.lines():
            typer.echo(f"error: {line}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:  # finished files and their manifest entries stay; no partial file is left
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - a bug of ours: one line, and the traceback on request
        if os.environ.get("TEACHPACK_DEBUG"):
            raise
        where = traceback.extract_tb(exc.__traceback__)[-1]
        typer.echo(f"error: teachpack failed inside ({type(exc).__name__}: {exc} at {Path(where.filename).name}:"
                   f"{where.lineno}); this is a bug: please report it with the command you ran, and run it again "
                   "with TEACHPACK_DEBUG=1 for the details", err=True)
        sys.exit(70)
