"""``--format junit``: JUnit XML, one test suite per document and one test case per claim.

Errors fail their test case; warnings leave it passing with the warning in its system-out, so a
CI that counts failed tests counts what ``--fail-on error`` counts.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..records import Report
from .common import short
from .issues import finding_issues
from .registry import WriteOptions, Writer


def _suite(report: Report) -> ET.Element:
    suite = ET.Element("testsuite", name=report.document, tests=str(len(report.findings)))
    failures = 0
    for f in report.findings:
        case = ET.SubElement(suite, "testcase", classname=report.document,
                             name=f"claim {f.claim.id} (line {f.claim.line}): {short(f.claim.text, 80)}")
        issues = finding_issues(report.document, f)
        errors = [i for i in issues if i.level == "error"]
        if errors:
            failures += 1
            fail = ET.SubElement(case, "failure", message=errors[0].message, type=errors[0].rule)
            fail.text = "\n".join(f"line {i.line}: {i.message}" for i in errors)
        warnings = [i for i in issues if i.level == "warning"]
        if warnings:
            ET.SubElement(case, "system-out").text = "\n".join(f"warning, line {i.line}: {i.message}" for i in warnings)
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    return suite


def _testsuites(reports: Sequence[Report]) -> str:
    root = ET.Element("testsuites", name="sourcecheck")
    root.extend(_suite(r) for r in reports)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _all_suites(reports: Sequence[Report], outputs: list[str]) -> str:
    """Several documents: one ``<testsuites>`` holding a suite per document, as CI servers read one file."""
    return _testsuites(reports)


def report_to_junit(report: Report, options: WriteOptions) -> str:
    return _testsuites([report])


WRITER = Writer("junit", report_to_junit, suffix=".xml", media_type="application/xml", description="JUnit XML: a test case per claim",
          combine=_all_suites)
