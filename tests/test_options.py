"""BuildOptions: declared once, checked once, and hashed whole by the fingerprint."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from builder import BuildOptions, TeachpackError, build_pack
from builder.build import plan_build
from builder.load.loader import load_pack
from builder.options import Shard, shaping
from builder.release.fingerprint import options as job_options
from builder.release.fingerprint import static_digests
from builder.release.jobs import plan_jobs

from .conftest import ROOTS

NOT_SHAPING = {"levels", "formats", "editions", "profiles", "shard", "force", "strict", "allow", "jobs", "job_timeout"}


def test_options_are_frozen_and_normalised() -> None:
    options = BuildOptions(levels=["elementary"], formats=["docx"], shard="2/3", template_dirs=["t"], job_timeout=0)
    assert options.levels == ("elementary",) and options.formats == ("docx",)
    assert options.shard == Shard(2, 3) and options.template_dirs == (Path("t"),) and options.job_timeout is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.force = True  # type: ignore[misc]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"formats": ["odt"]}, "--format 'odt' is not supported; choose from pdf, docx, brf, qti, qti21, moodle, gift, kahoot, moodle-glossary, quizlet, anki"),
        ({"formats": ["brf"], "editions": ["teacher"]},
         "--format brf is made of the student edition only; add --edition student"),
        ({"braille_grade": 3}, "--braille-grade 3 is not a braille grade; choose 2 (contracted, the default) or 1"),
        ({"pdf_variant": "pdf/a"}, "--pdf-variant 'pdf/a' is not supported; choose from pdf/ua-1, pdf/ua-2, none"),
        ({"editions": ["parent"]}, "--edition 'parent' is not an edition; choose from student, teacher"),
        ({"variants": 27}, "--variants 27 is out of range; give a number from 1 to 26"),
        ({"reference_docx": "nowhere.docx"}, "--reference-docx nowhere.docx: not found; give a .docx file"),
        ({"shard": "4/3"}, "--shard '4/3' is not a shard; give K/N with 1 <= K <= N, e.g. 2/3"),
        ({"allow": ["TP999"]}, "--allow 'TP999' is not a warning code"),
    ],
)
def test_bad_option_is_one_message(fields: dict, message: str) -> None:
    with pytest.raises(TeachpackError) as caught:
        BuildOptions(**fields)
    assert str(caught.value).startswith(message)


def test_every_bad_option_is_reported_at_once() -> None:
    with pytest.raises(TeachpackError) as caught:
        BuildOptions(formats=["odt"], variants=0, profiles=["tiny"])
    lines = caught.value.lines()
    assert len(lines) == 3 and lines[0].startswith("--format 'odt'") and lines[1].startswith("--profile 'tiny'")


def test_the_markers_leave_only_what_shapes_a_file() -> None:
    names = {f.name for f in dataclasses.fields(BuildOptions)}
    assert set(shaping(BuildOptions(), "pdf")) == names - NOT_SHAPING - {"braille_grade"}
    assert set(shaping(BuildOptions(), "docx")) == names - NOT_SHAPING - {"pdf_variant", "braille_grade"}
    assert set(shaping(BuildOptions(), "brf")) == names - NOT_SHAPING - {"pdf_variant"}


def _digests(options: BuildOptions) -> dict[str, str]:
    return static_digests(plan_jobs([load_pack(ROOTS / "basic")], options))


def test_a_new_option_changes_the_input_hash_without_being_listed() -> None:
    """An option added to BuildOptions is hashed as it is: nothing in fingerprint.py lists options."""
    extended = dataclasses.make_dataclass(
        "Extended", [("ink", str, dataclasses.field(default="black"))], bases=(BuildOptions,), frozen=True
    )
    black, blue = _digests(extended(formats=("docx",))), _digests(extended(formats=("docx",), ink="blue"))
    assert black.keys() == blue.keys() and all(black[path] != blue[path] for path in black)
    job = plan_jobs([load_pack(ROOTS / "basic")], extended(formats=("docx",), ink="blue"))[0]
    assert job_options(job)["ink"] == "blue"


def test_options_that_do_not_shape_a_file_leave_the_hash_alone() -> None:
    plain = _digests(BuildOptions())
    assert _digests(BuildOptions(force=True, strict=True, allow=frozenset({"TP301"}), jobs=3, job_timeout=9)) == plain
    assert _digests(BuildOptions(variants=1, pdf_variant="pdf/ua-1")) == plain
    tagged = _digests(BuildOptions(pdf_variant="none"))
    assert {p for p in plain if plain[p] != tagged[p]} == {p for p in plain if p.endswith(".pdf")}


def test_the_braille_grade_shapes_the_braille_files_only() -> None:
    every = BuildOptions(formats=("pdf", "docx", "brf"))
    two, one = _digests(every), _digests(dataclasses.replace(every, braille_grade=1))
    assert two.keys() == one.keys() and {p for p in two if two[p] != one[p]} == {p for p in two if p.endswith(".brf")}


def test_a_build_makes_pdf_and_docx_unless_braille_is_asked_for() -> None:
    pack = load_pack(ROOTS / "basic")
    assert {j.format for j in plan_jobs([pack], BuildOptions())} == {"pdf", "docx"}
    braille = plan_jobs([pack], BuildOptions(formats=("pdf", "brf")))
    # Braille is the student's: no teacher .brf is planned (nor listed, nor expected in the manifest).
    assert {(j.format, j.edition) for j in braille} == {("pdf", "student"), ("pdf", "teacher"), ("brf", "student")}


def test_keyword_arguments_and_options_plan_the_same_build(tmp_path: Path) -> None:
    by_fields = plan_build([ROOTS / "basic"], tmp_path, levels=["elementary"], formats=["docx"])
    by_options = plan_build([ROOTS / "basic"], tmp_path, BuildOptions(levels=("elementary",), formats=("docx",)))
    assert [j.path for j in by_fields.jobs] == [j.path for j in by_options.jobs] and by_fields.inputs == by_options.inputs
    result = build_pack([ROOTS / "basic"], tmp_path, BuildOptions(formats=("docx",)), levels=["elementary"])
    assert [p.name for p in result.written] == [j.path.split("/")[-1] for j in by_fields.jobs]
