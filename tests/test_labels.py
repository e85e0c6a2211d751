"""Printed labels: one file per language, read by both renderers; a pack may override a label."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
import yaml

from builder import PackError, load_pack
from builder.core import labels
from builder.core.levels import presets
from builder.render import get_renderer
from builder.resolve.document import resolve

from .conftest import EXAMPLE, ROOTS, pdf_text

ENGLISH_HEADINGS = ("In this pack", "Answer Key", "Glossary", "Worksheet", "Teacher Overview", "Reading", "Timeline",
                    "Page ", "Name", "Grades", "True", "False", "Sources", "From the reading", "Rubric",
                    "Teacher Edition", "Key terms", "Word bank", "True or false?", "Fill in the blanks",
                    "Vocabulary matching", "Put the events in order", "Learning objectives", "In this edition")
# Generated activities on top of the mini-pack's own questions, so their titles and instructions print too.
ACTIVITIES = [{"type": "vocabulary-matching"}, {"type": "timeline-sequencing"}, {"type": "true-false-facts"},
              {"type": "cloze", "terms": ["evaporation", "condensation"]}]


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", labels.languages())
def test_every_language_has_every_key_and_the_same_names(language: str) -> None:
    english = _raw(labels.LABELS_DIR / "en.yaml")  # the registered kinds bring their own words (kind.labels)
    words = _raw(labels.LABELS_DIR / f"{language}.yaml")
    assert all(isinstance(key, str) and isinstance(value, str) for key, value in words.items())
    assert sorted(set(english) - set(words)) == [], "missing"
    assert sorted(set(words) - set(english)) == [], "extra"
    for key, text in words.items():
        assert labels.text_problem(text, labels.fields(english[key])) is None, key
        assert labels.fields(text) == labels.fields(english[key]), key


def test_spanish_and_english_are_shipped() -> None:
    assert {"en", "es"} <= set(labels.languages())
    assert labels.labels_for("es")["answer_key"] == "Clave de respuestas"
    assert labels.labels_for("es-MX")["answer_key"] == "Clave de respuestas"


def test_every_preset_and_builtin_level_has_a_label() -> None:
    for name in presets():
        assert labels.preset_label(labels.english(), name) == presets()[name]["label"]
    for level in ("elementary", "middle", "high"):
        assert f"level_{level}" in labels.english()


def _texts(pack_dir: Path, level: int = -1) -> tuple[str, str]:
    """The PDF text (pdftotext) and the DOCX text (python-docx: body, header, footer) of the teacher edition."""
    pack = load_pack(pack_dir)
    document = resolve(pack, pack.levels[level], "teacher")
    pdf = pack_dir / "out.pdf"
    pdf.write_bytes(get_renderer("pdf").render(document))
    word = docx.Document(io.BytesIO(get_renderer("docx").render(document)))
    section = word.sections[0]
    parts = [p.text for p in (*section.header.paragraphs, *section.footer.paragraphs)]
    # Paragraph by paragraph: a symbol the font lacks (the ballot box) is a run of its own in another font
    parts += ["".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
              for p in word.element.body.iter() if p.tag.endswith("}p")]
    footer = "".join((t.text or "").strip() if t.tag.endswith("}instrText") else (t.text or "")
                     for t in section.footer._element.iter() if t.tag.endswith(("}t", "}instrText")))
    return pdf_text(pdf), "\n".join(parts) + "\n" + footer


def test_spanish_pack_prints_spanish_labels_in_both_formats(make_pack) -> None:
    questions = _raw(ROOTS / "basic" / "pack.yaml")["worksheet"]
    folder = make_pack({"language": "es", "worksheet": [*questions, *ACTIVITIES]})
    pdf, word = _texts(folder)
    flat_pdf = " ".join(pdf.split())
    for text in (flat_pdf, word):
        for spanish in ("Clave de respuestas", "Hoja de trabajo", "Guía del docente", "Glosario", "Nombre", "Fecha",
                        "Edición del docente", "Bachillerato · Grados 9–12", "Relaciona el vocabulario",
                        "¿Verdadero o falso?", "Verdadero", "Completa los espacios", "Ordena los acontecimientos"):
            assert spanish in text, spanish
        for english in ENGLISH_HEADINGS:  # as words: the mini-pack's own "Names three stages" is content
            assert not re.search(rf"(?<!\w){re.escape(english.strip())}(?!\w)", text), english
    assert "Página 2 de" in flat_pdf and "Página D1" in flat_pdf  # the student pages' numbers, the teacher's own
    assert re.search(r"\nPágina DPAGE\d*$", word)  # the teacher's own pages' footer: the words around Word's field


def test_an_override_prints_in_both_formats(make_pack) -> None:
    folder = make_pack({"labels": {"answer_key": "Answers", "name": "Student", "page_of": "{page}/{pages}"}})
    pdf, word = _texts(folder)
    for text in (pdf, word):
        assert "Answers" in text and "Answer Key" not in text
        assert "Student" in text
    assert "2/" in pdf and "Page 2 of" not in pdf


def test_unknown_label_is_one_error_with_the_keys(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_pack({"labels": {"answer_keys": "Answers"}})
    monkeypatch.chdir(folder.parent)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    (problem,) = caught.value.problems
    assert str(problem).startswith(
        "pack/pack.yaml:") and "labels.answer_keys: unknown label (did you mean 'answer_key'?); labels you can set: " \
        "reading, glossary, timeline, worksheet," in str(problem)
    assert ", ".join(labels.keys()) in str(problem)


def test_a_label_filling_an_unknown_name_is_an_error(make_pack, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_pack({"labels": {"page_of": "Page {page} of {total}"}})
    monkeypatch.chdir(folder.parent)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    assert [p.message for p in caught.value.problems] == [
        "uses {total}, which this label does not fill in; it fills in {page}, {pages}"
    ]


def test_a_language_without_labels_warns_once_and_prints_english(make_pack) -> None:
    pack = load_pack(make_pack({"language": "fr"}))
    messages = [p.message for p in pack.warnings]
    assert messages == [
        "no labels for language 'fr'; headings and instructions print in English (labels exist for en, es); "
        "give them under labels: or add assets/labels/fr.yaml"
    ]
    assert resolve(pack, pack.levels[0], "teacher").labels == labels.english()
    assert labels.missing_language("es") is None and labels.missing_language("en") is None


def test_english_example_text_is_unchanged(tmp_path: Path) -> None:
    """The example's middle teacher edition prints the words it printed before the labels file."""
    pdf, word = _texts(_copy(EXAMPLE, tmp_path), level=1)
    flat = " ".join(pdf.split())
    for text in ("In this pack", "Teacher Overview", "Middle School · Grades 6–8 · Teacher Edition", "Page 2 of", "Page T1",
                 "Answer Key", "Learning objectives", "Written questions", "From the reading: ", "Word bank",
                 "True or false? Tick True or False for each statement.", "Who said it?",
                 "a good answer links the source to"):
        assert text in flat, text
    assert "?." not in flat and "?." not in word  # a title that ends in a question mark takes no period
    for text in ("In this pack", "Teacher Overview", "Middle School · Grades 6–8 · Teacher Edition", "Page ", " of ",
                 "Answer Key", "Term", "Meaning", "Word bank:", "☐ True ☐ False", "Who said it?"):
        assert text in word, text


def _copy(folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / folder.name
    subprocess.run(["cp", "-r", str(folder), str(target)], check=True)
    return target


def test_every_registered_kind_gives_its_words_in_every_language_it_names() -> None:
    """A kind's labels: English names the keys; every other language it gives has the same keys and fills."""
    from builder.components.registry import registry

    reg = registry()
    for kind in (*reg.components.values(), *reg.items.values()):
        english = dict(kind.labels.get("en", {}))
        for language, words in kind.labels.items():
            assert set(words) == set(english), (kind, language)
            for key, text in words.items():
                assert labels.fields(text) == labels.fields(english[key]), (kind, language, key)
        for key, text in english.items():
            assert labels.english()[key] == text and labels.labels_for("es")[key] == kind.labels.get("es", english)[key]

