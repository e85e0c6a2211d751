"""Release builds: jobs and shards, reproducible bytes, the manifest, verify, incremental rebuilds,
failure isolation and parallel workers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from pypdf import PdfReader

from builder import BuildError, build_pack, load_pack
from builder.core.errors import TeachpackError, VerifyError
from builder.release.jobs import Shard, plan_jobs
from builder.release.manifest import read_manifest, verify
from builder.render.docx import writer as docx_module

from .conftest import EXAMPLE, REPO, ROOTS


def sha256s(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


ENV = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "PYTHONHASHSEED")}


def cli(*args: str, cwd: Path = REPO, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True, env=ENV | env)


@pytest.mark.slow
def test_same_bytes_in_other_processes_seeds_and_worker_counts(tmp_path: Path) -> None:
    """PDF and DOCX, --jobs 1 and --jobs 2, PYTHONHASHSEED 1 and 2: every file hashes the same.
    Then an up-to-date rebuild renders nothing."""
    common = ("build", str(ROOTS / "basic"), "--edition", "student", "--quiet")
    one = cli(*common, "--out", str(tmp_path / "one"), "--jobs", "1", PYTHONHASHSEED="1")
    two = cli(*common, "--out", str(tmp_path / "two"), "--jobs", "2", PYTHONHASHSEED="2")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    first = sha256s(tmp_path / "one")
    assert sorted(first) == [
        "basic/basic-elementary-student.docx",
        "basic/basic-elementary-student.pdf",
        "basic/basic-high-student.docx",
        "basic/basic-high-student.pdf",
        "manifest.json",
    ]
    assert first == sha256s(tmp_path / "two")

    # Built again, nothing to do: nothing is rendered, and WeasyPrint is never imported.
    code = (
        "import sys; from builder import build_pack; "
        f"r = build_pack([{str(ROOTS / 'basic')!r}], out={str(tmp_path / 'one')!r}, editions=['student'], jobs=2); "
        "print(len(r.written), len(r.skipped), sorted(m for m in sys.modules if m.startswith('weasyprint')))"
    )
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, cwd=REPO)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "0 4 []"
    assert sha256s(tmp_path / "one") == first


def test_docx_carries_the_pack_date_or_source_date_epoch(make_pack, tmp_path: Path, monkeypatch) -> None:
    folder = make_pack(changes={"date": "2024-09-02"})
    options = dict(levels=["high"], editions=["student"], formats=["docx"])
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build_pack([folder], out=tmp_path / "a", **options)
    target = tmp_path / "a" / "pack" / "pack-high-student.docx"
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
        assert {info.date_time for info in archive.infolist()} == {(2024, 9, 2, 0, 0, 0)}
    props = docx.Document(str(target)).core_properties
    assert props.created == props.modified == dt.datetime(2024, 9, 2, tzinfo=dt.UTC)
    assert (props.last_modified_by, props.revision) == ("teachpack", 1)

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    build_pack([folder], out=tmp_path / "b", **options)
    with zipfile.ZipFile(tmp_path / "b" / "pack" / "pack-high-student.docx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(TeachpackError, match="SOURCE_DATE_EPOCH='yesterday' is not a time; give seconds since 1970"):
        build_pack([folder], out=tmp_path / "c", **options)


def test_shards_split_the_jobs_exactly_once_and_evenly() -> None:
    packs = [load_pack(EXAMPLE), load_pack(ROOTS / "basic")]
    jobs = plan_jobs(packs, variants=2, profiles=["dyslexia"])
    full = [job.path for job in jobs]
    assert len(full) == len(set(full)) == (3 + 2) * 2 * 2 * 2
    shards = [[job.path for job in Shard(k, 3).select(jobs)] for k in (1, 2, 3)]
    assert sorted(path for shard in shards for path in shard) == sorted(full)
    assert all(set(a).isdisjoint(b) for i, a in enumerate(shards) for b in shards[i + 1 :])
    for fmt in ("pdf", "docx"):
        sizes = [sum(path.endswith(fmt) for path in shard) for shard in shards]
        assert max(sizes) - min(sizes) <= 1, sizes
    # A job's shard depends on its name, not on the order the packs were given in.
    reordered = plan_jobs(packs[::-1], variants=2, profiles=["dyslexia"])
    assert [{j.path for j in Shard(k, 3).select(reordered)} for k in (1, 2, 3)] == [set(s) for s in shards]


def test_the_article_is_parsed_once_per_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading parses the article and each level rewrite once; resolving every document and running
    every check use what the Pack carries, and the Pack pickles whole to the workers."""
    from builder.check.checks import DOCUMENT_CHECKS, Measured, check_pack, document_warnings, pack_warnings, rare_words
    from builder.load import article
    from builder.options import BuildOptions

    parse, calls = article.parse_article, []

    def counted(text: str) -> article.ParsedArticle:
        calls.append(text)
        return parse(text)

    for module in [module for name, module in sys.modules.items() if name.startswith("builder")]:
        if getattr(module, "parse_article", None) is parse:
            monkeypatch.setattr(module, "parse_article", counted)
    files = 1 + len(list(EXAMPLE.glob("article.*.md")))
    pack = load_pack(EXAMPLE)
    documents = [job.resolve() for job in plan_jobs([pack], BuildOptions(variants=2))]
    pack_warnings(Measured(pack))
    for fmt in DOCUMENT_CHECKS:
        for document in documents:
            document_warnings(document, fmt)
    rare_words(pack)
    assert (files, len(calls), len(pack.level_articles)) == (3, 3, 2)
    check_pack(EXAMPLE)
    assert len(calls) == 2 * files
    assert pickle.loads(pickle.dumps(pack)) == pack


@pytest.mark.parametrize("text", ["0/3", "4/3", "2", "a/b", "1/0"])
def test_bad_shard(text: str) -> None:
    with pytest.raises(TeachpackError, match=rf"^--shard '{text}' is not a shard; give K/N with 1 <= K <= N, e.g. 2/3$"):
        Shard.parse(text)


def test_list_jobs_and_all(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    for name in ("water", "rain"):
        shutil.copytree(ROOTS / "basic", packs / name)
    (packs / "notes").mkdir()  # not a pack: no pack.yaml
    result = cli("build", "--all", str(packs), "--format", "docx", "--edition", "teacher", "--list-jobs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "build      rain/rain-elementary-teacher.docx",
        "build      rain/rain-high-teacher.docx",
        "build      water/water-elementary-teacher.docx",
        "build      water/water-high-teacher.docx",
    ]
    assert not (tmp_path / "dist").exists()
    shards = [cli("build", "--all", "packs", "--list-jobs", "--shard", f"{k}/2", cwd=tmp_path) for k in (1, 2)]
    lines = [line for shard in shards for line in shard.stdout.splitlines()]
    assert len(lines) == len(set(lines)) == 2 * 2 * 2 * 2

    empty = cli("build", "--all", "packs/notes", cwd=tmp_path)
    assert (empty.returncode, empty.stderr) == (2, "error: --all packs/notes: no pack folders in it (none holds a pack.yaml)\n")


def test_two_packs_with_one_id(tmp_path: Path) -> None:
    for name in ("a", "b"):
        shutil.copytree(ROOTS / "basic", tmp_path / name)
        data = yaml.safe_load((tmp_path / name / "pack.yaml").read_text(encoding="utf-8"))
        (tmp_path / name / "pack.yaml").write_text(yaml.safe_dump({**data, "id": "water"}), encoding="utf-8")
    with pytest.raises(TeachpackError, match="are both pack 'water'; give one of them another id: in its pack.yaml"):
        build_pack([tmp_path / "a", tmp_path / "b"], out=tmp_path / "dist", formats=["docx"])


def test_verify_catches_a_changed_byte_and_a_missing_file(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build_pack([ROOTS / "basic"], out=out, formats=["docx"], levels=["high"])
    assert verify(out) == 2
    ok = cli("verify", str(out))
    assert (ok.returncode, ok.stdout) == (0, f"{out}: 2 file(s) match the manifest\n")

    target = out / "basic" / "basic-high-student.docx"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 1  # same size, one bit different
    target.write_bytes(bytes(data))
    (out / "basic" / "basic-high-teacher.docx").unlink()
    with pytest.raises(VerifyError) as caught:
        verify(out)
    assert caught.value.lines() == [
        f"{out}/basic/basic-high-student.docx: does not match the manifest (size or SHA-256 differs)",
        f"{out}/basic/basic-high-teacher.docx: missing",
        "2 of 2 file(s) failed verification",
    ]
    bad = cli("verify", str(out))
    assert bad.returncode == 1 and "error: 2 of 2 file(s) failed verification" in bad.stderr
    nothing = cli("verify", str(tmp_path))
    assert (nothing.returncode, nothing.stderr) == (
        2, f"error: {tmp_path}/manifest.json: not found; give the folder a build wrote (teachpack build --out)\n"
    )


def test_up_to_date_jobs_are_skipped(make_pack, tmp_path: Path) -> None:
    folder = make_pack()
    out = tmp_path / "dist"
    options = dict(out=out, formats=["docx"])
    first = build_pack([folder], **options)
    assert len(first.written) == 4 and not first.skipped
    manifest = (out / "manifest.json").read_bytes()

    again = build_pack([folder], **options)
    assert (again.written, len(again.skipped)) == ([], 4)
    assert (out / "manifest.json").read_bytes() == manifest

    damaged = out / "pack" / "pack-high-teacher.docx"
    damaged.write_bytes(b"not a docx")
    assert build_pack([folder], **options).written == [damaged]

    article = folder / "article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nClouds are made of droplets.\n", encoding="utf-8")
    assert len(build_pack([folder], **options).written) == 4
    assert len(build_pack([folder], **options, force=True).written) == 4


def test_failed_job_leaves_the_others_and_a_true_manifest(make_pack, tmp_path: Path, monkeypatch) -> None:
    """One job fails in a worker process: the other files and their manifest entries are there, it is not."""
    render = docx_module.DocxRenderer.render

    def sometimes(self, document):  # noqa: ANN001
        if document.stem == "pack-high-teacher":
            raise BuildError("out of ink")
        return render(self, document)

    monkeypatch.setattr(docx_module.DocxRenderer, "render", sometimes)  # inherited by forked workers
    folder = make_pack()
    out = tmp_path / "dist"
    with pytest.raises(BuildError, match=r"^pack-high-teacher.docx: out of ink$"):
        build_pack([folder], out=out, formats=["docx"], jobs=2)
    files = sorted(p.name for p in (out / "pack").iterdir())
    assert files == ["pack-elementary-student.docx", "pack-elementary-teacher.docx", "pack-high-student.docx"]
    assert sorted(read_manifest(out)) == [f"pack/{name}" for name in files]
    assert verify(out) == 3

    monkeypatch.setattr(docx_module.DocxRenderer, "render", render)
    retry = build_pack([folder], out=out, formats=["docx"])
    assert ([p.name for p in retry.written], len(retry.skipped)) == (["pack-high-teacher.docx"], 3)


def test_interrupted_build_keeps_finished_files_and_no_partial_ones(make_pack, tmp_path: Path, monkeypatch) -> None:
    render = docx_module.DocxRenderer.render
    done = []

    def interrupted(self, document):  # noqa: ANN001
        if len(done) == 2:
            raise KeyboardInterrupt
        done.append(document.stem)
        return render(self, document)

    monkeypatch.setattr(docx_module.DocxRenderer, "render", interrupted)
    out = tmp_path / "dist"
    with pytest.raises(KeyboardInterrupt):
        build_pack([make_pack()], out=out, formats=["docx"])
    assert sorted(p.name for p in (out / "pack").iterdir()) == sorted(f"{stem}.docx" for stem in done)
    assert sorted(read_manifest(out)) == sorted(f"pack/{stem}.docx" for stem in done)


@pytest.mark.slow
def test_manifest_lists_every_output(example_build: Path) -> None:
    out = example_build.parent
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = {item["path"]: item for item in data["outputs"]}
    files = sorted(p.relative_to(out).as_posix() for p in example_build.iterdir())
    assert sorted(entries) == files and len(files) == 3 * 2 * 2
    high = entries["sino-soviet-split/sino-soviet-split-high-teacher.pdf"]
    assert {k: high[k] for k in ("pack", "level", "edition", "format", "variant", "profile")} == {
        "pack": "sino-soviet-split", "level": "high", "edition": "teacher", "format": "pdf", "variant": None, "profile": None
    }
    for path, item in entries.items():
        data_bytes = (out / path).read_bytes()
        assert (item["size"], item["sha256"]) == (len(data_bytes), hashlib.sha256(data_bytes).hexdigest())
        assert item["pages"] == (len(PdfReader(out / path).pages) if path.endswith(".pdf") else None)
    assert len({item["inputs"] for item in entries.values()}) == len(entries)
