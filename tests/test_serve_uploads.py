"""Several files uploaded together to `serve` (issue 22): a Pandoc paper with the bibliography it names,
several documents at once, and a picker that offers every format the readers know. Real library,
real judge, Starlette's TestClient (the form handling is the point, not the socket)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from starlette.testclient import TestClient

from browsing import wait_for_job
from conftest import EXAMPLES, ROOT, needs_model
from sourcecheck import plugins
from sourcecheck.cli import main
from sourcecheck.serve.app import create_app

CITATIONS = ROOT / "tests" / "fixtures" / "citations"
ESSAY = (CITATIONS / "essay.md").read_bytes()
EVIDENCE_SENTENCE = "By 23 October the committee could count on most of the garrison without having fired a shot."
REFS = (CITATIONS / "refs.bib").read_bytes()




def upload(client: TestClient, *files: tuple[str, bytes]):
    return client.post("/check", data={"format": "auto"}, files=[("file", f) for f in files], follow_redirects=False)


@needs_model
def test_a_pandoc_paper_with_its_bib_uploaded_together_is_checked_as_the_cli_checks_it(demo_library: Path) -> None:
    app = create_app(demo_library, allowed_hosts=["testserver"])
    with TestClient(app) as client:
        res = upload(client, ("essay.md", ESSAY), ("refs.bib", REFS))
        assert res.status_code == 303, res.text
        location = res.headers["location"]
        job = app.state.jobs.get(location.rsplit("/", 1)[1])
        assert job.folder is not None and (job.folder / "refs.bib").read_bytes() == REFS
        assert wait_for_job(client, location)["state"] == "done"
        served = client.get(location + "/report.json").json()
        assert not job.folder.exists()  # the job's copy of the bibliography is gone once the check ended
        # Against an empty bibliography of the same name every key is unknown: the uploaded one was read.
        empty = upload(client, ("essay.md", ESSAY), ("refs.bib", b"% no entries\n")).headers["location"]
        assert wait_for_job(client, empty)["state"] == "done"
        unread = client.get(empty + "/report.json").json()
    cli = CliRunner().invoke(main, ["check", str(CITATIONS / "essay.md"), "--library", str(demo_library),
                                    "--format", "json", "--fail-on", "none"])
    assert cli.exit_code == 0, cli.output
    assert served["summary"]["by_code"] == json.loads(cli.stdout)["summary"]["by_code"]
    assert served["document"] == "essay.md"
    known = served["summary"]["by_code"].get("unknown_citation_key", 0)
    assert unread["summary"]["by_code"].get("unknown_citation_key", 0) > known


def test_a_named_bibliography_not_uploaded_is_refused_and_never_read_from_the_server(
        demo_library: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # where the jobs' folders go, this test's alone
    (tmp_path / "refs.bib").write_bytes(REFS)  # beside the server: a document must not make it read this
    app = create_app(demo_library, allowed_hosts=["testserver"])
    with TestClient(app) as client:
        res = upload(client, ("essay.md", ESSAY))
        assert res.status_code == 400
        assert "essay.md: its bibliography refs.bib was not uploaded with it; choose the document and refs.bib together" \
            in res.text
        for named in ("/etc/refs.bib", "../../refs.bib", "~/refs.bib"):
            doc = ESSAY.replace(b"bibliography: refs.bib", b"bibliography: " + named.encode())
            res = upload(client, ("essay.md", doc))
            assert res.status_code == 400 and "refs.bib was not uploaded" in res.text, named
        # A bibliography that cannot be read is named as the user named it, with its line, never our folder.
        res = upload(client, ("essay.md", ESSAY), ("refs.bib", b"@book{a,\n  title = {x},\n}\n@book{a,\n title={y}}\n"))
        assert res.status_code == 400 and "refs.bib" in res.text and "defined twice" in res.text
        assert "sourcecheck-serve-" not in res.text
        res = upload(client, ("refs.bib", REFS))
        assert res.status_code == 400 and "a bibliography alone has no claims" in res.text
    assert list(temp.iterdir()) == []  # refused uploads leave no folder behind


def test_several_documents_uploaded_together_are_queued_each_as_its_own_check(demo_library: Path) -> None:
    app = create_app(demo_library, allowed_hosts=["testserver"])
    wiki = (CITATIONS / "october-days.wiki").read_bytes()
    with TestClient(app) as client:
        res = upload(client, ("october-days.md", (EXAMPLES / "october-days.md").read_bytes()), ("october-days.wiki", wiki))
        assert res.status_code == 303 and res.headers["location"] == "/#checks"
        names = [j.name for j in app.state.jobs.jobs()]
        assert names == ["october-days.md", "october-days.wiki"]
        assert [j.document.format for j in app.state.jobs.jobs()] == ["outline", "wikitext"]
        page = client.get("/").text
        assert 'id="checks"' in page and "october-days.wiki" in page


def test_the_picker_offers_every_suffix_the_readers_and_bibliographies_take(demo_library: Path) -> None:
    app = create_app(demo_library, allowed_hosts=["testserver"])
    with TestClient(app) as client:
        page = client.get("/").text
    accept = page.split('accept="', 1)[1].split('"', 1)[0].split(",")
    for reader in plugins.document_readers:
        assert set(reader.suffixes) <= set(accept), reader.name
    assert {".wiki", ".md", ".bib", ".ris", ".docx", ".tex"} <= set(accept)
    assert 'type="file" multiple' in page


@needs_model
def test_a_word_document_the_picker_offers_is_checked(demo_library: Path) -> None:
    import io

    import docx

    paper = docx.Document()
    paper.add_paragraph(f"{EVIDENCE_SENTENCE}")
    data = io.BytesIO()
    paper.save(data)
    app = create_app(demo_library, allowed_hosts=["testserver"])
    with TestClient(app) as client:
        res = upload(client, ("paper.docx", data.getvalue()))
        assert res.status_code == 303, res.text
        assert wait_for_job(client, res.headers["location"])["state"] == "done"
        report = client.get(res.headers["location"] + "/report.json").json()
        page = client.get(res.headers["location"]).text
    assert report["document"] == "paper.docx" and report["summary"]["claims"] == 1
    assert 'id="document"' not in page  # a binary document has no lines to show, and none is read from disk
